//! Password hashing with argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane).
//! Hashing runs on the blocking pool behind two fair queues, so a flood of sign-ins waits its
//! turn instead of taking every core from page rendering:
//! - admins and shoppers have separate lanes, so no number of shoppers delays an admin;
//! - within a lane, waiting requests are served one client address at a time in turn, and one
//!   address may keep only a few waiting, so a flood from one address delays others by at most
//!   one hash each.
//!
//! Unknown users are checked against a dummy hash so they cost the same time as known ones.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;

/// Whose hash it is: admins and shoppers queue apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    Admin,
    Shopper,
}

/// Who asks for a hash: the lane and the client address it is queued under.
#[derive(Clone, Debug)]
pub struct Requester {
    pub lane: Lane,
    pub ip: String,
}

impl Requester {
    pub fn admin(ip: impl Into<String>) -> Requester {
        Requester { lane: Lane::Admin, ip: ip.into() }
    }

    pub fn shopper(ip: impl Into<String>) -> Requester {
        Requester { lane: Lane::Shopper, ip: ip.into() }
    }

    /// The server's own console (the command line, the demo data).
    pub fn console() -> Requester {
        Requester::admin("local")
    }
}

/// How many requests one address may keep waiting in a lane, and all addresses together.
const WAITING_PER_ADDRESS: usize = 32;
const WAITING_IN_ALL: usize = 4096;

#[derive(Clone)]
pub struct Hasher {
    admins: FairQueue,
    shoppers: FairQueue,
    wait: Duration,
    dummy: Arc<str>,
    verifications: Arc<AtomicUsize>,
}

impl std::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hasher").field("wait", &self.wait).finish()
    }
}

/// Why a hash could not be checked or made.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("too many password checks are waiting")]
    Busy,
    #[error("password hashing failed: {0}")]
    Failed(String),
}

fn argon2() -> Argon2<'static> {
    // OWASP password storage cheat sheet: m=19456 KiB, t=2, p=1.
    let params = Params::new(19_456, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes on the current thread; for the CLI and for building the dummy hash.
pub fn hash_blocking(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError::Failed(e.to_string()))
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
}

impl Hasher {
    /// `concurrency` shopper hashes and one admin hash may run at once; the rest wait up to
    /// `wait`, their turn coming by client address.
    pub fn new(concurrency: usize, wait: Duration) -> Hasher {
        let dummy = hash_blocking("dummy password that never matches").expect("argon2 works");
        Hasher {
            admins: FairQueue::new(1),
            shoppers: FairQueue::new(concurrency.max(1)),
            wait,
            dummy: dummy.into(),
            verifications: Arc::new(AtomicUsize::new(0)),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        who: &Requester,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let queue = match who.lane {
            Lane::Admin => &self.admins,
            Lane::Shopper => &self.shoppers,
        };
        let turn = queue.turn(&who.ip, self.wait).await?;
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            span.in_scope(f)
        })
        .await
        .map_err(|e| HashError::Failed(e.to_string()))
    }

    pub async fn hash(&self, who: &Requester, password: String) -> Result<String, HashError> {
        self.run(who, move || hash_blocking(&password)).await?
    }

    /// Checks `password` against `hash`, or against the dummy hash when there is no user,
    /// so both paths take the same time. Returns false for the dummy path.
    pub async fn verify(&self, who: &Requester, password: String, hash: Option<String>) -> Result<bool, HashError> {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.dummy.to_string());
        let ok = self.run(who, move || verify_blocking(&password, &hash)).await?;
        self.verifications.fetch_add(1, Ordering::Relaxed);
        Ok(known && ok)
    }

    /// How many argon2 verifications have run (known and unknown users alike).
    pub fn verifications(&self) -> usize {
        self.verifications.load(Ordering::Relaxed)
    }
}

/// A fixed number of turns, handed out by address in round-robin order: each address waits in
/// its own line and the lines are served one turn each, in the order they started waiting.
#[derive(Clone)]
struct FairQueue(Arc<Mutex<Lines>>);

struct Lines {
    free: usize,
    waiting: usize,
    lines: HashMap<String, VecDeque<oneshot::Sender<()>>>,
    /// Addresses with someone waiting, in serving order.
    ring: VecDeque<String>,
}

/// A turn: while held, its hash runs; dropping it hands the turn to the next address.
struct Turn(FairQueue);

impl Drop for Turn {
    fn drop(&mut self) {
        self.0.release();
    }
}

impl FairQueue {
    fn new(turns: usize) -> FairQueue {
        FairQueue(Arc::new(Mutex::new(Lines { free: turns, waiting: 0, lines: HashMap::new(), ring: VecDeque::new() })))
    }

    fn lines(&self) -> std::sync::MutexGuard<'_, Lines> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    async fn turn(&self, address: &str, wait: Duration) -> Result<Turn, HashError> {
        let mut rx = {
            let mut lines = self.lines();
            if lines.free > 0 && lines.waiting == 0 {
                lines.free -= 1;
                return Ok(Turn(self.clone()));
            }
            let full = lines.waiting >= WAITING_IN_ALL;
            let line = lines.lines.entry(address.to_string()).or_default();
            if full || line.len() >= WAITING_PER_ADDRESS {
                return Err(HashError::Busy);
            }
            let (tx, rx) = oneshot::channel();
            let started = line.is_empty();
            line.push_back(tx);
            if started {
                lines.ring.push_back(address.to_string());
            }
            lines.waiting += 1;
            rx
        };
        match tokio::time::timeout(wait, &mut rx).await {
            Ok(Ok(())) => Ok(Turn(self.clone())),
            Ok(Err(_)) => Err(HashError::Busy),
            Err(_) => {
                // Given up; a turn handed over at the same instant is passed on, not lost.
                rx.close();
                if rx.try_recv().is_ok() {
                    drop(Turn(self.clone()));
                } else {
                    self.forget_given_up(address);
                }
                Err(HashError::Busy)
            }
        }
    }

    /// Drops the places of waiters at `address` who stopped waiting.
    fn forget_given_up(&self, address: &str) {
        let mut lines = self.lines();
        let Some(line) = lines.lines.get_mut(address) else { return };
        let before = line.len();
        line.retain(|tx| !tx.is_closed());
        let (gone, empty) = (before - line.len(), line.is_empty());
        lines.waiting -= gone;
        if empty {
            lines.lines.remove(address);
            lines.ring.retain(|a| a != address);
        }
    }

    /// Hands the finished turn to the next address in the ring, or frees it.
    fn release(&self) {
        let mut lines = self.lines();
        while let Some(address) = lines.ring.pop_front() {
            let Some(line) = lines.lines.get_mut(&address) else { continue };
            let next = line.pop_front();
            if line.is_empty() {
                lines.lines.remove(&address);
            } else {
                lines.ring.push_back(address);
            }
            let Some(next) = next else { continue };
            lines.waiting -= 1;
            if next.send(()).is_ok() {
                return;
            }
            // That waiter gave up; try the next.
        }
        lines.free += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_unknown_users_never_match() {
        let h = Hasher::new(1, Duration::from_secs(10));
        let me = Requester::shopper("1.2.3.4");
        let hash = h.hash(&me, "Secret123".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(h.verify(&me, "Secret123".into(), Some(hash.clone())).await.unwrap());
        assert!(!h.verify(&me, "wrong".into(), Some(hash)).await.unwrap());
        assert!(!h.verify(&me, "dummy password that never matches".into(), None).await.unwrap());
    }

    /// Served in the order turns were handed out; a flood from one address must not push a
    /// second address back more than one turn.
    #[tokio::test]
    async fn addresses_take_turns_and_one_address_cannot_fill_the_line() {
        let q = FairQueue::new(1);
        let wait = Duration::from_secs(5);
        let first = q.turn("flood", wait).await.unwrap();
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut waiters = Vec::new();
        for (i, address) in ["flood", "flood", "flood", "quiet"].into_iter().enumerate() {
            let (q, order) = (q.clone(), order.clone());
            waiters.push(tokio::spawn(async move {
                let turn = q.turn(address, wait).await.unwrap();
                order.lock().unwrap().push(format!("{address}{i}"));
                drop(turn);
            }));
            tokio::task::yield_now().await;
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        drop(first);
        for w in waiters {
            w.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), ["flood0", "quiet3", "flood1", "flood2"]);

        let _busy = q.turn("flood", wait).await.unwrap();
        let mut held = Vec::new();
        for _ in 0..WAITING_PER_ADDRESS {
            let q = q.clone();
            held.push(tokio::spawn(async move { q.turn("flood", Duration::from_millis(300)).await.is_ok() }));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(matches!(q.turn("flood", wait).await, Err(HashError::Busy)), "a full line refuses at once");
        for h in held {
            assert!(!h.await.unwrap(), "nobody got a turn while it was held");
        }
    }
}
