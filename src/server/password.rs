//! Password hashing with argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane).
//! Hashing runs on the blocking pool behind a semaphore, so a flood of sign-ins waits its
//! turn instead of taking every core from page rendering. Unknown users are checked against
//! a dummy hash so they cost the same time as known ones.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    dummy: Arc<str>,
    verifications: Arc<AtomicUsize>,
}

impl std::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hasher").field("available", &self.permits.available_permits()).finish()
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
    /// `concurrency` hashes may run at once; the rest wait up to ten seconds.
    pub fn new(concurrency: usize) -> Hasher {
        let dummy = hash_blocking("dummy password that never matches").expect("argon2 works");
        Hasher {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy: dummy.into(),
            verifications: Arc::new(AtomicUsize::new(0)),
        }
    }

    async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T, HashError> {
        let permit = tokio::time::timeout(Duration::from_secs(10), self.permits.clone().acquire_owned())
            .await
            .map_err(|_| HashError::Busy)?
            .map_err(|_| HashError::Busy)?;
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            span.in_scope(f)
        })
        .await
        .map_err(|e| HashError::Failed(e.to_string()))
    }

    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        self.run(move || hash_blocking(&password)).await?
    }

    /// Checks `password` against `hash`, or against the dummy hash when there is no user,
    /// so both paths take the same time. Returns false for the dummy path.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, HashError> {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.dummy.to_string());
        let ok = self.run(move || verify_blocking(&password, &hash)).await?;
        self.verifications.fetch_add(1, Ordering::Relaxed);
        Ok(known && ok)
    }

    /// How many argon2 verifications have run (known and unknown users alike).
    pub fn verifications(&self) -> usize {
        self.verifications.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_unknown_users_never_match() {
        let h = Hasher::new(1);
        let hash = h.hash("Secret123".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(h.verify("Secret123".into(), Some(hash.clone())).await.unwrap());
        assert!(!h.verify("wrong".into(), Some(hash)).await.unwrap());
        assert!(!h.verify("dummy password that never matches".into(), None).await.unwrap());
    }
}
