//! `hostname`: show or set the system's host name.
//!
//! BusyBox `hostname`: no argument prints the name (gethostname); `-s` the short name (up to the
//! first dot); `-f` the fully qualified name, `-d` the domain (after the first dot of the FQDN),
//! `-i` the IPv4 addresses of the name; `NAME` or `-F FILE` (the first word of each line that
//! is not blank or a `#` comment) set it with sethostname(2), root only. Options are checked in
//! BusyBox's order: `-f`, then `-s`, `-d`, `-i` (when any of `-d -f -i` is given the name is
//! looked up first), then `-F`, then `NAME`. Long forms `--domain --fqdn --ip-address --short
//! --file` as net-tools' hostname. Deviation: the lookup reads `/etc/hosts` only (as glibc's
//! `files` source, IPv4 lines, names matched case-insensitively, every matching line's
//! addresses), never DNS: a name not found there is its own FQDN for `-f` and `-d`, and
//! `-i` fails with `hostname: NAME: Unknown host` as BusyBox does when the resolver finds
//! nothing.

use std::ffi::OsString;
use std::net::Ipv4Addr;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::sys::user;
use crate::common::{ctx::strerror, Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("d", Some(b'd'), Some("domain")),
        Opt::flag("f", Some(b'f'), Some("fqdn")),
        Opt::flag("f", None, Some("long")),
        Opt::flag("i", Some(b'i'), Some("ip-address")),
        Opt::flag("s", Some(b's'), Some("short")),
        Opt::arg("F", Some(b'F'), Some("file")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: hostname [OPTIONS] [HOSTNAME | -F FILE]

Get or set hostname or DNS domain name

\t-s\tShort
\t-i\tAddresses for the hostname
\t-d\tDNS domain name
\t-f\tFully qualified domain name
\t-F FILE\tUse FILE's content as hostname
"
    ),
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

/// What /etc/hosts says about a name: the canonical name of the first matching line and the
/// addresses of every matching line (glibc's `files` source for gethostbyname).
struct Host {
    name: Vec<u8>,
    addrs: Vec<Ipv4Addr>,
}

fn lookup(hosts: &[u8], name: &[u8]) -> Option<Host> {
    let mut found: Option<Host> = None;
    for line in hosts.split(|&c| c == b'\n') {
        let line = line.split(|&c| c == b'#').next().unwrap_or(b"");
        let mut words = line
            .split(|c| c.is_ascii_whitespace())
            .filter(|w| !w.is_empty());
        let Some(addr) = words.next() else { continue };
        let Some(addr) = std::str::from_utf8(addr)
            .ok()
            .and_then(|a| a.parse::<Ipv4Addr>().ok())
        else {
            continue;
        };
        let names: Vec<&[u8]> = words.collect();
        if names.is_empty() || !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            continue;
        }
        match &mut found {
            Some(h) => h.addrs.push(addr),
            None => {
                found = Some(Host {
                    name: names[0].to_vec(),
                    addrs: vec![addr],
                })
            }
        }
    }
    found
}

fn set(name: &[u8]) -> Result<()> {
    user::sethostname(name).map_err(|e| Error::new(1, format!("sethostname: {}", strerror(&e))))
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let name =
        user::hostname().map_err(|e| Error::new(1, format!("gethostname: {}", strerror(&e))))?;
    let (d, f, i, s) = (m.flag("d"), m.flag("f"), m.flag("i"), m.flag("s"));
    let mut line = Vec::with_capacity(128);
    if d || f || i {
        let hosts = std::fs::read("/etc/hosts").unwrap_or_default();
        let host = lookup(&hosts, &name);
        let fqdn = host.as_ref().map_or(&name[..], |h| &h.name[..]);
        let dot = fqdn.iter().position(|&c| c == b'.');
        if f {
            line.extend_from_slice(fqdn);
        } else if s {
            line.extend_from_slice(&fqdn[..dot.unwrap_or(fqdn.len())]);
        } else if d {
            match dot {
                Some(p) => line.extend_from_slice(&fqdn[p + 1..]),
                None => return Ok(()),
            }
        } else {
            let Some(h) = host else {
                let mut msg = name.clone();
                msg.extend_from_slice(b": Unknown host");
                return Err(Error::new(1, msg));
            };
            let addrs: Vec<String> = h.addrs.iter().map(|a| a.to_string()).collect();
            line.extend_from_slice(addrs.join(" ").as_bytes());
        }
    } else if s {
        let dot = name.iter().position(|&c| c == b'.');
        line.extend_from_slice(&name[..dot.unwrap_or(name.len())]);
    } else if let Some(file) = m.last("F") {
        let data = std::fs::read(file)
            .map_err(|e| Error::new(1, crate::common::ctx::cant_open(file.as_bytes(), &e)))?;
        for l in data.split(|&c| c == b'\n') {
            let word = l
                .split(|&c| c == b' ' || c == b'\t' || c == b'\r')
                .find(|w| !w.is_empty());
            match word {
                Some(w) if w[0] != b'#' => {
                    let w = w.split(|&c| c == b'#').next().unwrap_or(w);
                    set(w)?
                }
                _ => {}
            }
        }
        return Ok(());
    } else if let Some(n) = m.operands.first() {
        return set(n.as_bytes());
    } else {
        line.extend_from_slice(&name);
    }
    line.push(b'\n');
    ctx.out.write_all(&line)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_lookup() {
        let h = b"# c\n127.0.0.1 localhost\n::1 ip6 myhost\n10.0.0.2 myhost.example.org  MyHost # x\n\n10.0.0.3 other myhost\n";
        let r = lookup(h, b"myhost").unwrap();
        assert_eq!(r.name, b"myhost.example.org");
        assert_eq!(r.addrs.len(), 2);
        assert!(lookup(h, b"ip6").is_none());
        assert!(lookup(h, b"x").is_none());
    }
}
