//! `getent`: entries from the administrative databases, as glibc's getent (2.36) prints them.
//!
//! Databases: `passwd`, `group`, `shadow`, `gshadow`, `hosts`, `ahosts`, `ahostsv4`,
//! `ahostsv6`, `services`, `protocols`, `initgroups`. Without a key the whole database is
//! listed (each entry as glibc's parser
//! reads it back: malformed lines skipped, numbers normalised); with keys each is looked up —
//! passwd and group by number when the key reads as one (strtoul's way: `+0` and `00` are 0),
//! else by name; services by `NAME[/PROTO]` or `PORT[/PROTO]`; protocols by name, alias or
//! number; hosts by address (the first line holding it) or by name, case-insensitively,
//! IPv6 addresses first, the addresses of every line naming the host merged, as glibc's files
//! backend does. Status 0, 1 for a bad command line or an unknown database
//! (`Unknown database: x`), 2 when a key is not found, 64 for a bad option (argp's).
//!
//! Deviations: rbox has no NSS: every database comes from its file under /etc
//! (`/etc/passwd`, `/etc/group`, `/etc/shadow`, `/etc/gshadow`, `/etc/hosts`,
//! `/etc/services`, `/etc/protocols`) — **`hosts` never asks DNS** — and `-s/--service`,
//! `-i`, `-A` are accepted and ignored; `ahosts` lists IPv6 addresses before IPv4 ones
//! (getaddrinfo sorts by RFC 6724). `aliases`, `ethers`, `netgroup`,
//! `networks` and `rpc` are not implemented (reported as unknown databases).

use crate::common::io::push_fmt;
use std::ffi::OsString;
use std::net::IpAddr;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Arg, Getopt, Opt, Order, Spec};
use crate::common::help::help_text;
use crate::common::passwd::{read_lines, Group, Passwd};
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("no-addrconfig", Some(b'A'), Some("no-addrconfig")),
        Opt::flag("no-idn", Some(b'i'), Some("no-idn")),
        Opt::arg("service", Some(b's'), Some("service")),
        Opt::flag("help", Some(b'?'), Some("help")),
        Opt::flag("usage", None, Some("usage")),
        Opt::flag("version", Some(b'V'), Some("version")),
    ],
    help_text!(
        "\
Usage: getent [OPTION...] database [key ...]
Get entries from administrative database.

  -A, --no-addrconfig        do not filter out unsupported IPv4/IPv6 addresses
                             (with ahosts*)
  -i, --no-idn               disable IDN encoding
  -s, --service=CONFIG       Service configuration to be used
  -?, --help                 Give this help list
      --usage                Give a short usage message
  -V, --version              Print program version

Mandatory or optional arguments to long options are also mandatory or optional
for any corresponding short options.

Supported databases:
ahosts ahostsv4 ahostsv6 group gshadow hosts initgroups passwd protocols
services shadow

Every database is read from its file under /etc (no NSS, no DNS).
"
    ),
);

const TRY: &[u8] = b"Try `getent --help' or `getent --usage' for more information.\n";

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let mut ops: Vec<OsString> = Vec::new();
    for a in Getopt::new(&argv, SPEC.opts, Order::Permute) {
        match a {
            Err(m) => {
                ctx.msg(&m);
                let _ = crate::common::io::write_all(crate::common::io::stderr_fd(), TRY);
                return Err(Error::silent(64));
            }
            Ok(Arg::Operand(v)) => ops.push(v),
            Ok(Arg::Opt(o, _)) => match o.id() {
                "help" | "version" => return args::answer(ctx, &SPEC, o.id()),
                "usage" => {
                    ctx.out.write_all(b"Usage: getent [-AiV?] [-s CONFIG] [--no-addrconfig] [--no-idn]\n            [--service=CONFIG] [--help] [--usage] [--version] database\n            [key ...]\n")?;
                    return Ok(());
                }
                _ => {}
            },
        }
    }
    let Some((db, keys)) = ops.split_first() else {
        ctx.msg(b"wrong number of arguments");
        ctx.out.write_all(TRY)?;
        return Err(Error::silent(1));
    };
    let keys: Vec<&[u8]> = keys.iter().map(|k| k.as_bytes()).collect();
    let found = match db.as_bytes() {
        b"passwd" => passwd(ctx, &keys)?,
        b"group" => group(ctx, &keys)?,
        b"shadow" => shadow(ctx, &keys, b"/etc/shadow", 9)?,
        b"gshadow" => shadow(ctx, &keys, b"/etc/gshadow", 4)?,
        b"hosts" => hosts(ctx, &keys)?,
        b"ahosts" => ahosts(ctx, &keys, 0)?,
        b"ahostsv4" => ahosts(ctx, &keys, 4)?,
        b"ahostsv6" => ahosts(ctx, &keys, 6)?,
        b"services" => services(ctx, &keys)?,
        b"protocols" => protocols(ctx, &keys)?,
        b"initgroups" => initgroups(ctx, &keys)?,
        other => {
            let _ = ctx.out.flush();
            let mut m = b"Unknown database: ".to_vec();
            m.extend_from_slice(other);
            m.push(b'\n');
            let _ = crate::common::io::write_all(crate::common::io::stderr_fd(), &m);
            ctx.out.write_all(TRY)?;
            return Err(Error::silent(1));
        }
    };
    if !found {
        ctx.fail(2);
    }
    Ok(())
}

/// strtoul's reading of a key as glibc's getent does: leading blanks, a sign, digits, nothing
/// after; the value truncated to 32 bits.
fn as_number(k: &[u8]) -> Option<u32> {
    let t = k.trim_ascii_start();
    let (neg, d) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if k.is_empty() || d.is_empty() || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: u64 = 0;
    for &c in d {
        v = v.saturating_mul(10).saturating_add((c - b'0') as u64);
    }
    let v = if neg { v.wrapping_neg() } else { v };
    Some(v as u32)
}

fn lines(path: &[u8]) -> Vec<Vec<u8>> {
    read_lines(path).unwrap_or_default()
}

/// Every key found (`true`), else `false`; a listing without keys is always found.
fn passwd(ctx: &mut Ctx, keys: &[&[u8]]) -> Result<bool> {
    let all: Vec<Passwd> = lines(b"/etc/passwd")
        .iter()
        .filter_map(|l| Passwd::parse(l))
        .collect();
    let mut ok = true;
    if keys.is_empty() {
        for p in &all {
            line(ctx, &p.line())?;
        }
    }
    for k in keys {
        let hit = match as_number(k) {
            Some(n) => all.iter().find(|p| p.uid == n),
            None => all.iter().find(|p| p.name == *k),
        };
        match hit {
            Some(p) => line(ctx, &p.line())?,
            None => ok = false,
        }
    }
    Ok(ok)
}

fn group(ctx: &mut Ctx, keys: &[&[u8]]) -> Result<bool> {
    let all: Vec<Group> = lines(b"/etc/group")
        .iter()
        .filter_map(|l| Group::parse(l))
        .collect();
    let mut ok = true;
    if keys.is_empty() {
        for g in &all {
            line(ctx, &g.line())?;
        }
    }
    for k in keys {
        let hit = match as_number(k) {
            Some(n) => all.iter().find(|g| g.gid == n),
            None => all.iter().find(|g| g.name == *k),
        };
        match hit {
            Some(g) => line(ctx, &g.line())?,
            None => ok = false,
        }
    }
    Ok(ok)
}

fn line(ctx: &mut Ctx, l: &[u8]) -> Result<()> {
    ctx.out.write_all(l)?;
    ctx.out.byte(b'\n')?;
    Ok(())
}

/// /etc/shadow (9 fields, numbers normalised as putspent prints them) or /etc/gshadow (4).
fn shadow(ctx: &mut Ctx, keys: &[&[u8]], path: &[u8], n: usize) -> Result<bool> {
    let entries: Vec<Vec<u8>> = lines(path)
        .iter()
        .filter_map(|l| {
            let f: Vec<&[u8]> = l.split(|&c| c == b':').collect();
            if f.len() != n || f[0].is_empty() || matches!(f[0][0], b'+' | b'-') {
                return None;
            }
            let mut out = Vec::with_capacity(l.len());
            for (i, v) in f.iter().enumerate() {
                if i > 0 {
                    out.push(b':');
                }
                if n == 9 && i >= 2 && !v.is_empty() {
                    let num = std::str::from_utf8(v).ok()?.parse::<i64>().ok()?;
                    if num != -1 {
                        out.extend_from_slice(num.to_string().as_bytes());
                    }
                } else {
                    out.extend_from_slice(v);
                }
            }
            Some(out)
        })
        .collect();
    let name = |e: &Vec<u8>| e.split(|&c| c == b':').next().map(<[u8]>::to_vec);
    let mut ok = true;
    if keys.is_empty() {
        for e in &entries {
            line(ctx, e)?;
        }
    }
    for k in keys {
        match entries.iter().find(|e| name(e).as_deref() == Some(*k)) {
            Some(e) => line(ctx, e)?,
            None => ok = false,
        }
    }
    Ok(ok)
}

/// The words of a line of /etc/hosts, /etc/services, /etc/protocols (comments dropped).
fn words(l: &[u8]) -> Vec<&[u8]> {
    let l = match memchr::memchr(b'#', l) {
        Some(i) => &l[..i],
        None => l,
    };
    l.split(|c| c.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .collect()
}

struct Host {
    addr: IpAddr,
    names: Vec<Vec<u8>>,
}

fn host_entries() -> Vec<Host> {
    lines(b"/etc/hosts")
        .iter()
        .filter_map(|l| {
            let w = words(l);
            if w.len() < 2 {
                return None;
            }
            let a = std::str::from_utf8(w[0]).ok()?;
            let addr: IpAddr = a.split('%').next()?.parse().ok()?;
            Some(Host {
                addr,
                names: w[1..].iter().map(|n| n.to_vec()).collect(),
            })
        })
        .collect()
}

fn print_host(ctx: &mut Ctx, addr: &IpAddr, names: &[Vec<u8>]) -> Result<()> {
    let a = addr.to_string();
    ctx.out.write_all(format!("{a:<15} ").as_bytes())?;
    ctx.out.write_all(&names[0])?;
    for n in &names[1..] {
        ctx.out.byte(b' ')?;
        ctx.out.write_all(n)?;
    }
    ctx.out.byte(b'\n')?;
    Ok(())
}

fn hosts(ctx: &mut Ctx, keys: &[&[u8]]) -> Result<bool> {
    let all = host_entries();
    let mut ok = true;
    if keys.is_empty() {
        for h in &all {
            print_host(ctx, &h.addr, &h.names)?;
        }
    }
    for k in keys {
        let as_addr = std::str::from_utf8(k)
            .ok()
            .and_then(|s| s.parse::<IpAddr>().ok());
        if let Some(a) = as_addr {
            match all.iter().find(|h| h.addr == a) {
                Some(h) => print_host(ctx, &h.addr, &h.names)?,
                None => ok = false,
            }
            continue;
        }
        // gethostbyname2(AF_INET6), then AF_INET: every line naming the host, merged.
        let mut printed = false;
        for v6 in [true, false] {
            let hits: Vec<&Host> = all
                .iter()
                .filter(|h| h.addr.is_ipv6() == v6)
                .filter(|h| h.names.iter().any(|n| n.eq_ignore_ascii_case(k)))
                .collect();
            let Some(first) = hits.first() else {
                continue;
            };
            let mut names = first.names.clone();
            for h in &hits[1..] {
                for n in &h.names {
                    if !names[1..].contains(n) && *n != names[0] {
                        names.push(n.clone());
                    }
                }
            }
            let mut seen: Vec<IpAddr> = Vec::new();
            for h in &hits {
                if !seen.contains(&h.addr) {
                    seen.push(h.addr);
                    print_host(ctx, &h.addr, &names)?;
                }
            }
            printed = true;
            break;
        }
        ok &= printed;
    }
    Ok(ok)
}

/// `ahosts`, `ahostsv4`, `ahostsv6`: getaddrinfo's answers from /etc/hosts, one line per
/// socket type, the canonical name on the first. `fam` 4: IPv4 only; 6: IPv6, then IPv4 as
/// v4-mapped; 0: IPv6, then IPv4.
fn ahosts(ctx: &mut Ctx, keys: &[&[u8]], fam: u8) -> Result<bool> {
    if keys.is_empty() {
        return hosts(ctx, keys);
    }
    let all = host_entries();
    let mut ok = true;
    for k in keys {
        let (mut v6, mut v4): (Vec<IpAddr>, Vec<IpAddr>) = (Vec::new(), Vec::new());
        let canon: Vec<u8>;
        match std::str::from_utf8(k)
            .ok()
            .and_then(|s| s.parse::<IpAddr>().ok())
        {
            Some(a) => {
                if a.is_ipv6() {
                    v6.push(a)
                } else {
                    v4.push(a)
                }
                canon = k.to_vec();
            }
            None => {
                let hits: Vec<&Host> = all
                    .iter()
                    .filter(|h| h.names.iter().any(|n| n.eq_ignore_ascii_case(k)))
                    .collect();
                canon = hits.first().map(|h| h.names[0].clone()).unwrap_or_default();
                for h in hits {
                    let v = if h.addr.is_ipv6() { &mut v6 } else { &mut v4 };
                    if !v.contains(&h.addr) {
                        v.push(h.addr);
                    }
                }
            }
        }
        let addrs: Vec<IpAddr> = match fam {
            4 => v4,
            6 => v6
                .into_iter()
                .chain(v4.into_iter().map(|a| match a {
                    IpAddr::V4(a) => IpAddr::V6(a.to_ipv6_mapped()),
                    a => a,
                }))
                .collect(),
            _ => v6.into_iter().chain(v4).collect(),
        };
        if addrs.is_empty() {
            ok = false;
            continue;
        }
        let mut first = true;
        for a in &addrs {
            for t in ["STREAM", "DGRAM", "RAW"] {
                let mut l = format!("{:<15} {t:<6} ", a.to_string()).into_bytes();
                if first {
                    l.extend_from_slice(&canon);
                    first = false;
                }
                line(ctx, &l)?;
            }
        }
    }
    Ok(ok)
}

/// `name port/proto aliases...` lines of /etc/services.
fn services(ctx: &mut Ctx, keys: &[&[u8]]) -> Result<bool> {
    struct Serv {
        name: Vec<u8>,
        port: u16,
        proto: Vec<u8>,
        aliases: Vec<Vec<u8>>,
    }
    let all: Vec<Serv> = lines(b"/etc/services")
        .iter()
        .filter_map(|l| {
            let w = words(l);
            if w.len() < 2 {
                return None;
            }
            let slash = memchr::memchr(b'/', w[1])?;
            let port = std::str::from_utf8(&w[1][..slash]).ok()?.parse().ok()?;
            Some(Serv {
                name: w[0].to_vec(),
                port,
                proto: w[1][slash + 1..].to_vec(),
                aliases: w[2..].iter().map(|a| a.to_vec()).collect(),
            })
        })
        .collect();
    let print = |ctx: &mut Ctx, s: &Serv| -> Result<()> {
        let mut l = s.name.clone();
        while l.len() < 21 {
            l.push(b' ');
        }
        push_fmt(&mut l, format_args!(" {}/", s.port));
        l.extend_from_slice(&s.proto);
        for a in &s.aliases {
            l.push(b' ');
            l.extend_from_slice(a);
        }
        line(ctx, &l)
    };
    let mut ok = true;
    if keys.is_empty() {
        for s in &all {
            print(ctx, s)?;
        }
    }
    for k in keys {
        let (key, proto) = match memchr::memchr(b'/', k) {
            Some(i) => (&k[..i], Some(&k[i + 1..])),
            None => (*k, None),
        };
        let port = key
            .first()
            .filter(|c| c.is_ascii_digit())
            .and_then(|_| std::str::from_utf8(key).ok()?.parse::<u32>().ok())
            .filter(|&p| p <= 65535);
        let hit = all.iter().find(|s| {
            proto.is_none_or(|p| s.proto == p)
                && match port {
                    Some(p) => s.port as u32 == p,
                    None => s.name == key || s.aliases.iter().any(|a| a == key),
                }
        });
        match hit {
            Some(s) => print(ctx, s)?,
            None => ok = false,
        }
    }
    Ok(ok)
}

/// `name number aliases...` lines of /etc/protocols.
fn protocols(ctx: &mut Ctx, keys: &[&[u8]]) -> Result<bool> {
    let all: Vec<(Vec<u8>, i64, Vec<Vec<u8>>)> = lines(b"/etc/protocols")
        .iter()
        .filter_map(|l| {
            let w = words(l);
            if w.len() < 2 {
                return None;
            }
            let n = std::str::from_utf8(w[1]).ok()?.parse().ok()?;
            Some((
                w[0].to_vec(),
                n,
                w[2..].iter().map(|a| a.to_vec()).collect(),
            ))
        })
        .collect();
    let print = |ctx: &mut Ctx, p: &(Vec<u8>, i64, Vec<Vec<u8>>)| -> Result<()> {
        let mut l = p.0.clone();
        while l.len() < 21 {
            l.push(b' ');
        }
        push_fmt(&mut l, format_args!(" {}", p.1));
        for a in &p.2 {
            l.push(b' ');
            l.extend_from_slice(a);
        }
        line(ctx, &l)
    };
    let mut ok = true;
    if keys.is_empty() {
        for p in &all {
            print(ctx, p)?;
        }
    }
    for k in keys {
        let hit = if k.first().is_some_and(u8::is_ascii_digit) {
            // atol: the leading digits.
            let end = k
                .iter()
                .position(|c| !c.is_ascii_digit())
                .unwrap_or(k.len());
            let n: i64 = std::str::from_utf8(&k[..end])
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(-1);
            all.iter().find(|p| p.1 == n)
        } else {
            all.iter().find(|p| p.0 == *k || p.2.iter().any(|a| a == k))
        };
        match hit {
            Some(p) => print(ctx, p)?,
            None => ok = false,
        }
    }
    Ok(ok)
}

/// `initgroups USER...`: the groups of /etc/group listing each user.
fn initgroups(ctx: &mut Ctx, keys: &[&[u8]]) -> Result<bool> {
    if keys.is_empty() {
        let _ = ctx.out.flush();
        let m = b"Enumeration not supported on initgroups\n";
        let _ = crate::common::io::write_all(crate::common::io::stderr_fd(), m);
        ctx.fail(3);
        return Ok(true);
    }
    let all: Vec<Group> = lines(b"/etc/group")
        .iter()
        .filter_map(|l| Group::parse(l))
        .collect();
    for k in keys {
        let mut l = k.to_vec();
        while l.len() < 21 {
            l.push(b' ');
        }
        let mut seen = Vec::new();
        for g in all.iter().filter(|g| g.members.iter().any(|m| m == k)) {
            if !seen.contains(&g.gid) {
                seen.push(g.gid);
                push_fmt(&mut l, format_args!(" {}", g.gid));
            }
        }
        line(ctx, &l)?;
    }
    Ok(true)
}
