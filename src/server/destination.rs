//! Where the store sends requests of its own (webhooks): `https` addresses outside this machine
//! and its networks. A name is resolved and refused when any of its addresses is inside, both
//! when a webhook is saved and again by the resolver each delivery connects through, so a name
//! that later resolves inside is caught at the connection itself (no window between a check
//! and the connect). Redirects are never followed (see [`super::webhooks::client`]).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Whether `ip` is inside: loopback, private, link-local (the cloud metadata address among
/// them), unique-local, multicast, unspecified, shared (carrier-grade NAT), broadcast,
/// documentation or benchmarking ranges; an IPv6 address that carries an IPv4 one (mapped,
/// compatible, NAT64) is judged by that IPv4 address.
pub fn inside(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => inside_v4(v4),
        IpAddr::V6(v6) => inside_v6(v6),
    }
}

fn inside_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // shared address space (RFC 6598)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240 // reserved
}

fn inside_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = embedded_v4(ip) {
        return inside_v4(v4);
    }
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique-local fc00::/7
        || (first & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (first & 0xffc0) == 0xfec0 // site-local fec0::/10 (deprecated, still routed by some)
        || (first == 0x2001 && ip.segments()[1] == 0x0db8) // documentation
}

/// The IPv4 address an IPv6 one carries: mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`, or
/// NAT64 `64:ff9b::a.b.c.d`.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    let mapped = s[..5] == [0, 0, 0, 0, 0] && s[5] == 0xffff;
    let compatible = s[..6] == [0, 0, 0, 0, 0, 0] && !ip.is_loopback() && !ip.is_unspecified();
    let nat64 = s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0];
    (mapped || compatible || nat64).then_some(tail)
}

/// What may be reached: with `allow_loopback` (`SHOPASSIST_WEBHOOK_ALLOW_LOCAL`, for
/// development and the test suite's own receivers) this machine's loopback addresses too.
#[derive(Clone, Copy, Debug)]
pub struct Reach {
    pub allow_loopback: bool,
}

impl Reach {
    /// Whether `ip` may be connected to.
    pub fn allows(self, ip: IpAddr) -> bool {
        !inside(ip) || (self.allow_loopback && canonical(ip).is_loopback())
    }

    /// Resolves `host` (a name or an address literal) and refuses it when any address is not
    /// allowed, or when it has none.
    pub async fn resolve(self, host: &str, port: u16) -> Result<Vec<SocketAddr>, Refused> {
        let literal = host.trim_start_matches('[').trim_end_matches(']');
        let addrs: Vec<SocketAddr> = match literal.parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, port)],
            Err(_) => match tokio::net::lookup_host((host, port)).await {
                Ok(found) => found.collect(),
                Err(_) => return Err(Refused::Unresolved),
            },
        };
        if addrs.is_empty() {
            return Err(Refused::Unresolved);
        }
        if let Some(bad) = addrs.iter().find(|a| !self.allows(a.ip())) {
            return Err(Refused::Inside(canonical(bad.ip())));
        }
        Ok(addrs)
    }
}

/// An IPv6 address that carries an IPv4 one, as that IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => embedded_v4(v6).map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// Why a destination is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The host has no address.
    Unresolved,
    /// One of its addresses is inside.
    Inside(IpAddr),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Unresolved => write!(f, "the host could not be resolved"),
            Refused::Inside(ip) => write!(f, "the host resolves to {ip}, an address inside the store's network"),
        }
    }
}

impl std::error::Error for Refused {}

/// The resolver deliveries connect through: each name is resolved afresh and refused when any
/// address is inside (reqwest connects only to addresses it returns).
impl reqwest::dns::Resolve for Reach {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let reach = *self;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs = reach.resolve(&host, 0).await?;
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn addresses_inside_the_machine_or_its_networks_are_inside() {
        for s in [
            "127.0.0.1",
            "127.8.9.10",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "169.254.0.1",
            "100.64.0.1",
            "0.0.0.0",
            "0.1.2.3",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd00:ec2::254",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:10.1.2.3",
            "::10.1.2.3",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(inside(ip(s)), "{s} is inside");
        }
    }

    #[test]
    fn public_addresses_are_outside() {
        for s in ["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"] {
            assert!(!inside(ip(s)), "{s} is outside");
        }
    }

    #[test]
    fn the_local_allowance_covers_loopback_only() {
        let local = Reach { allow_loopback: true };
        assert!(local.allows(ip("127.0.0.1")) && local.allows(ip("::1")) && local.allows(ip("::ffff:127.0.0.1")));
        assert!(!local.allows(ip("10.0.0.1")) && !local.allows(ip("169.254.169.254")));
        assert!(!Reach { allow_loopback: false }.allows(ip("127.0.0.1")));
    }

    #[tokio::test]
    async fn literals_and_names_are_resolved_without_leaving_the_machine() {
        let strict = Reach { allow_loopback: false };
        assert_eq!(strict.resolve("169.254.169.254", 443).await, Err(Refused::Inside(ip("169.254.169.254"))));
        assert_eq!(strict.resolve("[::ffff:7f00:1]", 443).await, Err(Refused::Inside(ip("127.0.0.1"))));
        // `localhost` comes from the hosts file, so no query leaves the machine.
        assert!(matches!(strict.resolve("localhost", 443).await, Err(Refused::Inside(a)) if a.is_loopback()));
        assert!(Reach { allow_loopback: true }.resolve("localhost", 443).await.is_ok());
    }
}
