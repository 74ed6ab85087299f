//! `hostname`: show or set the system's host name.
//!
//! BusyBox's `hostname` (GNU coreutils has none): no option prints the name; `-s` the short
//! name (up to the first dot), `-f` the fully qualified name, `-d` the DNS domain (after its
//! first dot; nothing when it has none), `-i` the host's addresses; `hostname NAME` and
//! `-F FILE` (the first word of the first line that is not a comment) set it (root only:
//! `hostname: sethostname: Operation not permitted`). Names are resolved through /etc/hosts
//! (what a scratch image has; no DNS), IPv4 as BusyBox's gethostbyname. Deviation: no DNS
//! look-up for `-f`/`-d`/`-i`.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::sys::user;
use crate::common::{ctx::strerror, Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("s", Some(b's'), None),
        Opt::flag("i", Some(b'i'), None),
        Opt::flag("d", Some(b'd'), None),
        Opt::flag("f", Some(b'f'), None),
        Opt::arg("F", Some(b'F'), None),
        Opt::flag("help", None, Some("help")),
    ],
    "\
Usage: hostname [-sidf] [HOSTNAME | -F FILE]

Show or set hostname or DNS domain name

\t-s\tShort
\t-i\tAddresses for the hostname
\t-d\tDNS domain name
\t-f\tFully qualified domain name
\t-F FILE\tUse FILE's content as hostname
",
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

/// The /etc/hosts line naming `name`: (canonical name, IPv4 addresses of matching lines).
fn lookup(name: &[u8]) -> Option<(Vec<u8>, Vec<Vec<u8>>)> {
    let hosts = std::fs::read("/etc/hosts").ok()?;
    let mut canon = None;
    let mut addrs = Vec::new();
    for line in hosts.split(|&c| c == b'\n') {
        let line = line.split(|&c| c == b'#').next().unwrap_or(b"");
        let mut words = line
            .split(|c| c.is_ascii_whitespace())
            .filter(|w| !w.is_empty());
        let Some(addr) = words.next() else { continue };
        if !addr.contains(&b'.') || addr.contains(&b':') {
            continue;
        }
        let names: Vec<&[u8]> = words.collect();
        if canon.is_none() && names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            canon = Some(names[0].to_vec());
            addrs.push(addr.to_vec());
        }
    }
    canon.map(|c| (c, addrs))
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let new = if let Some(f) = m.last("F") {
        let data = std::fs::read(f).map_err(|e| {
            let mut msg = b"can't open '".to_vec();
            msg.extend_from_slice(f.as_bytes());
            msg.extend_from_slice(b"': ");
            msg.extend_from_slice(strerror(&e).as_bytes());
            Error::new(1, msg)
        })?;
        let word = data
            .split(|&c| c == b'\n')
            .map(|l| l.trim_ascii())
            .find(|l| !l.is_empty() && !l.starts_with(b"#"))
            .and_then(|l| l.split(|c| c.is_ascii_whitespace()).next())
            .map(<[u8]>::to_vec);
        word
    } else {
        m.operands.first().map(|o| o.as_bytes().to_vec())
    };
    if let Some(name) = new {
        return user::sethostname(&name)
            .map_err(|e| Error::new(1, format!("sethostname: {}", strerror(&e))));
    }
    let host = user::hostname().map_err(|e| Error::new(1, strerror(&e)))?;
    let (s, i, d, f) = (m.flag("s"), m.flag("i"), m.flag("d"), m.flag("f"));
    let mut line = Vec::new();
    if s {
        line = host.split(|&c| c == b'.').next().unwrap_or(b"").to_vec();
    } else if i || d || f {
        let Some((canon, addrs)) = lookup(&host) else {
            let mut msg = host.clone();
            msg.extend_from_slice(b": Unknown host");
            return Err(Error::new(1, msg));
        };
        if f {
            line = canon;
        } else if d {
            match canon.iter().position(|&c| c == b'.') {
                Some(p) => line = canon[p + 1..].to_vec(),
                None => return Ok(()),
            }
        } else {
            for (k, a) in addrs.iter().enumerate() {
                if k > 0 {
                    line.push(b' ');
                }
                line.extend_from_slice(a);
            }
        }
    } else {
        line = host;
    }
    line.push(b'\n');
    ctx.out.write_all(&line)?;
    Ok(())
}
