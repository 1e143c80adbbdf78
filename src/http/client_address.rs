//! The address of the client behind a request. `X-Forwarded-For` is anyone's to write, so it is
//! read only when the TCP peer is a trusted proxy (`ASTRO_TRUSTED_PROXIES`, the edge), and then
//! from the right: each trusted proxy appends the peer it saw, so the right-most address that is
//! not itself a trusted proxy is the client; whatever lies left of it was sent by the client.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use actix_web::HttpRequest;
use actix_web::http::header::HeaderName;
use ipnet::IpNet;

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// The client address of `request`, trusting `X-Forwarded-For` only from `trusted_proxies`.
pub fn client_address(request: &HttpRequest, trusted_proxies: &[IpNet]) -> IpAddr {
    // Only a request built without a connection (a unit test) has no peer; they share one key.
    let peer = request
        .peer_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |peer| peer.ip());
    let hops: Vec<&str> = request
        .headers()
        .get_all(X_FORWARDED_FOR)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .collect();
    forwarded_client(peer, &hops, trusted_proxies)
}

/// Walks `forwarded_for` from the right while the address in hand is a trusted proxy. An entry
/// that is no address ends the walk at the last address a trusted proxy vouched for.
fn forwarded_client(peer: IpAddr, forwarded_for: &[&str], trusted_proxies: &[IpNet]) -> IpAddr {
    let trusted = |address: &IpAddr| trusted_proxies.iter().any(|net| net.contains(address));
    let mut client = peer.to_canonical();
    for hop in forwarded_for.iter().rev() {
        if !trusted(&client) {
            break;
        }
        match parse_hop(hop) {
            Some(address) => client = address,
            None => break,
        }
    }
    client
}

/// An address as proxies write it: bare, or with a port (`1.2.3.4:5678`, `[::1]:5678`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|socket| socket.ip()))
        .ok()
        .map(|address| address.to_canonical())
}

/// Parses `ASTRO_TRUSTED_PROXIES`: comma-separated addresses or CIDR ranges; empty trusts no one.
pub fn parse_trusted_proxies(raw: &str) -> Result<Vec<IpNet>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| entry.to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn edge() -> Vec<IpNet> {
        parse_trusted_proxies("127.0.0.1, 10.0.0.0/8").unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        assert_eq!(
            forwarded_client(ip("198.51.100.9"), &["203.0.113.1"], &edge()),
            ip("198.51.100.9")
        );
        assert_eq!(
            forwarded_client(ip("127.0.0.1"), &["203.0.113.1"], &[]),
            ip("127.0.0.1"),
            "no proxy is trusted by default"
        );
    }

    #[test]
    fn through_trusted_proxies_the_right_most_untrusted_address_is_the_client() {
        let hops = ["1.1.1.1", "203.0.113.7", "10.1.2.3"];
        assert_eq!(
            forwarded_client(ip("127.0.0.1"), &hops, &edge()),
            ip("203.0.113.7")
        );
        assert_eq!(
            forwarded_client(ip("127.0.0.1"), &[" 203.0.113.7:4711 "], &edge()),
            ip("203.0.113.7")
        );
        assert_eq!(
            forwarded_client(ip("::ffff:127.0.0.1"), &["[2001:db8::1]:80"], &edge()),
            ip("2001:db8::1")
        );
    }

    #[test]
    fn a_trusted_peer_without_forwarded_hops_or_with_garbage_stays_the_vouched_address() {
        assert_eq!(
            forwarded_client(ip("127.0.0.1"), &[], &edge()),
            ip("127.0.0.1")
        );
        assert_eq!(
            forwarded_client(
                ip("127.0.0.1"),
                &["203.0.113.7", "unknown", "10.0.0.5"],
                &edge()
            ),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() {
        assert_eq!(parse_trusted_proxies(" ").unwrap(), Vec::<IpNet>::new());
        assert_eq!(parse_trusted_proxies("::1").unwrap().len(), 1);
        assert_eq!(
            parse_trusted_proxies("10.0.0.0/8,nope"),
            Err("nope".to_owned())
        );
    }
}
