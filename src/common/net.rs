//! Names and TCP connections for the network applets (wget, nc).
//!
//! Resolution works in a static binary in an empty image: numeric addresses, then `localhost`
//! (always loopback, RFC 6761, even with no /etc/hosts), then /etc/hosts, then musl's
//! getaddrinfo (which reads /etc/resolv.conf). Connections are blocking sockets with kernel
//! timeouts (SO_RCVTIMEO/SO_SNDTIMEO), so a timeout bounds every wait without a poll loop.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Any,
    V4,
    V6,
}

/// Resolve `host`; `Err` carries the resolver's message (glibc wording).
pub fn resolve(host: &str, port: u16, fam: Family) -> Result<Vec<SocketAddr>, String> {
    let keep = |a: &IpAddr| match fam {
        Family::Any => true,
        Family::V4 => a.is_ipv4(),
        Family::V6 => a.is_ipv6(),
    };
    let mk = |ips: Vec<IpAddr>| -> Result<Vec<SocketAddr>, String> {
        let v: Vec<SocketAddr> = ips
            .into_iter()
            .filter(keep)
            .map(|ip| SocketAddr::new(ip, port))
            .collect();
        if v.is_empty() {
            Err("Address family for hostname not supported".into())
        } else {
            Ok(v)
        }
    };
    if let Ok(ip) = host.parse::<IpAddr>() {
        return mk(vec![ip]);
    }
    let lower = host.trim_end_matches('.').to_ascii_lowercase();
    if lower == "localhost" || lower.ends_with(".localhost") {
        return mk(vec![
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
        ]);
    }
    if let Ok(hosts) = std::fs::read("/etc/hosts") {
        let ips = hosts_lookup(&hosts, &lower);
        if !ips.is_empty() {
            return mk(ips);
        }
    }
    match (host, port).to_socket_addrs() {
        Ok(it) => mk(it.map(|a| a.ip()).collect()),
        Err(e) => Err(gai_text(&e.to_string())),
    }
}

/// musl's getaddrinfo messages in glibc's words (what GNU wget users read).
fn gai_text(s: &str) -> String {
    let s = s
        .strip_prefix("failed to lookup address information: ")
        .unwrap_or(s);
    match s {
        "Name does not resolve" => "Name or service not known".into(),
        "Try again" => "Temporary failure in name resolution".into(),
        s => s.into(),
    }
}

pub fn hosts_lookup(data: &[u8], name: &str) -> Vec<IpAddr> {
    let mut v = Vec::new();
    for line in data.split(|&b| b == b'\n') {
        let line = line.split(|&b| b == b'#').next().unwrap_or(b"");
        let mut f = line
            .split(|&b| b == b' ' || b == b'\t' || b == b'\r')
            .filter(|x| !x.is_empty());
        let Some(ip) = f.next() else { continue };
        let Some(ip) = std::str::from_utf8(ip)
            .ok()
            .and_then(|s| s.split('%').next()?.parse::<IpAddr>().ok())
        else {
            continue;
        };
        if f.any(|n| n.eq_ignore_ascii_case(name.as_bytes())) && !v.contains(&ip) {
            v.push(ip);
        }
    }
    v
}

/// Connect to one address, honouring the connect timeout.
pub fn connect(addr: &SocketAddr, timeout: Option<Duration>) -> io::Result<TcpStream> {
    let s = match timeout {
        Some(t) => TcpStream::connect_timeout(addr, t)?,
        None => TcpStream::connect(addr)?,
    };
    let _ = s.set_nodelay(true);
    Ok(s)
}

pub fn set_timeouts(s: &TcpStream, t: Option<Duration>) {
    let _ = s.set_read_timeout(t);
    let _ = s.set_write_timeout(t);
}

/// The name /etc/services gives `port`/`proto` (`80`, `tcp`: `http`), if any.
pub fn service_name(port: u16, proto: &str) -> Option<String> {
    let data = std::fs::read("/etc/services").ok()?;
    let want = format!("{port}/{proto}");
    for line in data.split(|&b| b == b'\n') {
        let line = line.split(|&b| b == b'#').next().unwrap_or(b"");
        let mut f = line
            .split(|&b| b == b' ' || b == b'\t')
            .filter(|x| !x.is_empty());
        let (Some(name), Some(pp)) = (f.next(), f.next()) else {
            continue;
        };
        if pp == want.as_bytes() {
            return Some(String::from_utf8_lossy(name).into_owned());
        }
    }
    None
}

/// The first name /etc/hosts gives `ip` (a reverse look-up without DNS), if any.
pub fn hosts_name(ip: IpAddr) -> Option<String> {
    hosts_name_in(&std::fs::read("/etc/hosts").ok()?, ip)
}

fn hosts_name_in(data: &[u8], ip: IpAddr) -> Option<String> {
    for line in data.split(|&b| b == b'\n') {
        let line = line.split(|&b| b == b'#').next().unwrap_or(b"");
        let mut f = line
            .split(|&b| b == b' ' || b == b'\t' || b == b'\r')
            .filter(|x| !x.is_empty());
        let Some(a) = f.next() else { continue };
        let Some(a) = std::str::from_utf8(a)
            .ok()
            .and_then(|s| s.parse::<IpAddr>().ok())
        else {
            continue;
        };
        if a == ip {
            if let Some(n) = f.next() {
                return Some(String::from_utf8_lossy(n).into_owned());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_file() {
        let h = b"127.0.0.1 localhost\n# c\n10.0.0.5\tfoo foo.example # x\n::1 foo\n";
        assert_eq!(
            hosts_lookup(h, "foo"),
            vec![
                "10.0.0.5".parse::<IpAddr>().unwrap(),
                "::1".parse().unwrap()
            ]
        );
        assert!(hosts_lookup(h, "bar").is_empty());
        assert_eq!(resolve("localhost", 80, Family::V4).unwrap().len(), 1);
        assert_eq!(resolve("::1", 80, Family::Any).unwrap()[0].port(), 80);
        assert_eq!(
            hosts_name_in(h, "::1".parse().unwrap()).as_deref(),
            Some("foo")
        );
        assert_eq!(hosts_name_in(h, "10.0.0.9".parse().unwrap()), None);
    }
}
