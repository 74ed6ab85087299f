//! `killall`: signal processes by name.
//!
//! psmisc 23's `killall` (Debian's /usr/bin/killall): a NAME matches a process's command name
//! (15 bytes: a longer NAME is compared with the base name of the command-line argument the
//! name begins, or only its first 15 bytes without one; `-e` skips those), a NAME holding `/`
//! the executable (/proc/PID/exe) by device and inode, `-r` NAME as an extended regex, `-I`
//! ignoring case; `-u USER` (real uid), `-y`/`-o TIME` (`5s 2m 1h 3d 1w 1M 1y`) younger/older,
//! `-g` signals each process group once; `-s SIG`, `--signal SIG`, `-SIG`, `-N`; `-v` reports
//! each kill, `-q` keeps quiet about names that found nothing, `-w` waits until the processes
//! are gone, `-l` lists the signals. Never itself. Status 0 when every NAME killed something
//! (with `-u` alone: when anything was killed), else 1. Deviations: no `-i` (interactive),
//! `-n` (namespaces) or `-Z` (SELinux); long options need their full names.

use crate::common::io::push_fmt;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt};
use crate::common::help::{help_text, Help};
use crate::common::proc;
use crate::common::regex::{Flags, Regex};
use crate::common::sys::{fd, process as sp};
use crate::common::{ctx::strerror, fs::Names, io, signals, Ctx, Error, Result};

const USAGE: Help = help_text!(
    "Usage: killall [OPTION]... [--] NAME...
       killall -l, --list
       killall -V, --version

  -e,--exact          require exact match for very long names
  -I,--ignore-case    case insensitive process name match
  -g,--process-group  kill process group instead of process
  -y,--younger-than   kill processes younger than TIME
  -o,--older-than     kill processes older than TIME
  -l,--list           list all known signal names
  -q,--quiet          don't print complaints
  -r,--regexp         interpret NAME as an extended regular expression
  -s,--signal SIGNAL  send this signal instead of SIGTERM
  -u,--user USER      kill only process(es) running as USER
  -v,--verbose        report if the signal was successfully sent
  -V,--version        display version information
  -w,--wait           wait for processes to die

"
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn usage(ctx: &mut Ctx, msg: Option<&str>) -> Error {
    let _ = ctx.out.flush();
    let mut m = msg.map_or(Vec::new(), |m| format!("{m}\n").into_bytes());
    m.extend_from_slice(&USAGE.bytes());
    io::write_all(io::stderr_fd(), &m).ok();
    Error::silent(1)
}

/// psmisc's get_signal: a number, or an upper-case name with or without `SIG`.
fn signal(ctx: &mut Ctx, s: &[u8]) -> Result<i32> {
    if s.first().is_some_and(u8::is_ascii_digit) {
        let d = s.iter().take_while(|b| b.is_ascii_digit()).count();
        return Ok(std::str::from_utf8(&s[..d])
            .unwrap_or("0")
            .parse()
            .unwrap_or(0));
    }
    let n = s.strip_prefix(b"SIG").unwrap_or(s);
    let n = if n == b"POLL" { &b"IO"[..] } else { n };
    match signals::SIGNALS
        .iter()
        .find(|(name, _)| name.as_bytes() == n)
    {
        Some(&(_, v)) => Ok(v),
        None => {
            let _ = ctx.out.flush();
            let mut m = n.to_vec();
            m.extend_from_slice(b": unknown signal; killall -l lists signals.\n");
            io::write_all(io::stderr_fd(), &m).ok();
            Err(Error::silent(1))
        }
    }
}

/// `5s 2m 1h 3d 1w 1M 1y` in seconds.
fn age(s: &[u8]) -> Option<i64> {
    let d = s
        .iter()
        .take_while(|b| b.is_ascii_digit() || **b == b'-')
        .count();
    let n: i64 = std::str::from_utf8(&s[..d]).ok()?.parse().ok()?;
    let unit = match s.get(d)? {
        b's' => 1,
        b'm' => 60,
        b'h' => 3600,
        b'd' => 86400,
        b'w' => 604_800,
        b'M' => 2_419_200,
        b'y' => 29_030_400,
        _ => return None,
    };
    Some(n * unit).filter(|&t| t > 0)
}

fn base(p: &[u8]) -> &[u8] {
    p.rsplit(|&b| b == b'/').next().unwrap_or(p)
}

static OPTS: &[Opt] = &[
    Opt::flag("e", Some(b'e'), Some("exact")),
    Opt::flag("I", Some(b'I'), Some("ignore-case")),
    Opt::flag("g", Some(b'g'), Some("process-group")),
    Opt::arg("y", Some(b'y'), Some("younger-than")),
    Opt::arg("o", Some(b'o'), Some("older-than")),
    Opt::flag("l", Some(b'l'), Some("list")),
    Opt::flag("l", None, Some("list-signals")),
    Opt::flag("q", Some(b'q'), Some("quiet")),
    Opt::flag("r", Some(b'r'), Some("regexp")),
    Opt::arg("s", Some(b's'), Some("signal")),
    Opt::arg("u", Some(b'u'), Some("user")),
    Opt::flag("v", Some(b'v'), Some("verbose")),
    Opt::flag("w", Some(b'w'), Some("wait")),
    Opt::flag("V", Some(b'V'), Some("version")),
];

fn run(mut argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    if argv.len() < 2 {
        return Err(usage(ctx, None));
    }
    let mut sig = libc::SIGTERM;
    // `-SIGNAL` and `-NUMBER` (an upper-case letter or a digit after the dash; `-I` and `-V`
    // are options), taken out before the options are read, as psmisc's getopt fallback.
    let mut k = 1;
    while k < argv.len() {
        let a = argv[k].as_bytes();
        if a == b"--" {
            break;
        }
        if a.len() > 1
            && a[0] == b'-'
            && (a[1].is_ascii_uppercase() || a[1].is_ascii_digit())
            && a != b"-I"
            && a != b"-V"
        {
            sig = signal(ctx, &a[1..])?;
            argv.remove(k);
        } else {
            k += 1;
        }
    }
    let Ok(m) = args::getopt(&argv, OPTS) else {
        return Err(usage(ctx, None));
    };
    let (mut younger, mut older, mut user) = (None, None, None);
    let mut flags = Vec::new();
    for (id, v) in &m.opts {
        let v = v.as_ref().map_or(&b""[..], |v| v.as_bytes());
        match *id {
            "l" => {
                let mut out = String::new();
                let mut col = 0;
                for (n, _) in signals::SIGNALS {
                    let n = if *n == "IO" { "POLL" } else { n };
                    if col + n.len() + 1 > 80 {
                        out.push('\n');
                        col = 0;
                    }
                    if col > 0 {
                        out.push(' ');
                    }
                    out.push_str(n);
                    col += n.len() + 1;
                }
                out.push('\n');
                ctx.out.write_all(out.as_bytes())?;
                return Ok(());
            }
            "V" => {
                let v = format!("killall (rbox) {}\n", env!("CARGO_PKG_VERSION"));
                ctx.out.write_all(v.as_bytes())?;
                return Ok(());
            }
            "s" => sig = signal(ctx, v)?,
            "u" => {
                let Some(uid) = Names::new().users().id(v) else {
                    let mut m = b"Cannot find user ".to_vec();
                    m.extend_from_slice(v);
                    m.push(b'\n');
                    io::write_all(io::stderr_fd(), &m).ok();
                    return Err(Error::silent(1));
                };
                user = Some(uid);
            }
            "y" | "o" => {
                let Some(t) = age(v) else {
                    return Err(usage(ctx, Some("Invalid time format")));
                };
                *if *id == "y" { &mut younger } else { &mut older } = Some(t);
            }
            _ => flags.push(id.as_bytes()[0]),
        }
    }
    let names: Vec<&[u8]> = m.operands.iter().map(|n| n.as_bytes()).collect();
    if names.is_empty() && user.is_none() {
        return Err(usage(ctx, None));
    }
    let has = |c: u8| flags.contains(&c);
    let icase = has(b'I');
    let regexes = if has(b'r') {
        let mut v = Vec::new();
        for n in &names {
            let f = Flags::EXTENDED | Flags::NOSUB | if icase { Flags::ICASE } else { 0 };
            let Ok(r) = Regex::new(n, Flags(f)) else {
                let mut m = b"killall: Bad regular expression: ".to_vec();
                m.extend_from_slice(n);
                m.push(b'\n');
                io::write_all(io::stderr_fd(), &m).ok();
                return Err(Error::silent(1));
            };
            v.push(r);
        }
        v
    } else {
        Vec::new()
    };
    // A NAME with a slash names an executable file: compared by device and inode.
    let mut files = Vec::new();
    for n in &names {
        files.push(if !has(b'r') && n.contains(&b'/') {
            match fd::stat(n) {
                Ok(st) => Some((st.st_dev, st.st_ino)),
                Err(e) => {
                    let mut m = n.to_vec();
                    push_fmt(&mut m, format_args!(": {}\n", strerror(&e)));
                    io::write_all(io::stderr_fd(), &m).ok();
                    return Err(Error::silent(1));
                }
            }
        } else {
            None
        });
    }
    let eq = |a: &[u8], b: &[u8]| {
        if icase {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    let me = sp::getpid();
    let uptime = proc::uptime();
    let hz = sp::clock_ticks() as f64;
    let mut found = vec![false; names.len()];
    let mut killed: Vec<i32> = Vec::new();
    let mut out = Vec::new();
    for p in proc::all() {
        if p.pid == me || user.is_some_and(|u| p.uid[0] != u) {
            continue;
        }
        let age = (uptime - p.start as f64 / hz).max(0.0);
        if younger.is_some_and(|y| age > y as f64) || older.is_some_and(|o| age < o as f64) {
            continue;
        }
        // The command name is cut at 15 bytes: find the argument it begins.
        let long = (p.comm.len() == 15).then(|| {
            p.cmdline()
                .split(|&b| b == 0)
                .take_while(|a| !a.is_empty())
                .map(base)
                .find(|a| a.starts_with(&p.comm))
                .map(<[u8]>::to_vec)
        });
        let long = long.flatten();
        if p.comm.len() == 15 && long.is_none() && has(b'e') {
            if has(b'v') {
                let mut m = b"killall: skipping partial match ".to_vec();
                m.extend_from_slice(&p.comm);
                push_fmt(&mut m, format_args!("({})\n", p.pid));
                io::write_all(io::stderr_fd(), &m).ok();
            }
            continue;
        }
        let shown = long.as_deref().unwrap_or(&p.comm);
        let hit = names.iter().enumerate().position(|(j, n)| {
            if let Some(r) = regexes.get(j) {
                return r.is_match(shown);
            }
            if let Some((dev, ino)) = files[j] {
                return fd::stat(format!("/proc/{}/exe", p.pid).as_bytes())
                    .is_ok_and(|st| st.st_dev == dev && st.st_ino == ino);
            }
            match &long {
                Some(l) => eq(n, l),
                None if p.comm.len() == 15 && n.len() >= 15 => eq(&n[..15], &p.comm),
                None => eq(n, &p.comm),
            }
        });
        if !names.is_empty() && hit.is_none() {
            continue;
        }
        let id = if has(b'g') { p.pgrp } else { p.pid };
        if has(b'g') && killed.contains(&id) {
            continue;
        }
        match sp::kill(if has(b'g') { -id } else { id }, sig) {
            Ok(()) => {
                if has(b'v') {
                    let mut m = b"Killed ".to_vec();
                    m.extend_from_slice(shown);
                    let g = if has(b'g') { "pgid " } else { "" };
                    push_fmt(&mut m, format_args!("({g}{id}) with signal {sig}\n"));
                    out.extend_from_slice(&m);
                }
                if let Some(j) = hit {
                    found[j] = true;
                }
                killed.push(id);
            }
            Err(e) if e.raw_os_error() == Some(libc::ESRCH) => {}
            Err(e) => {
                out.extend_from_slice(shown);
                push_fmt(&mut out, format_args!("({id}): {}\n", strerror(&e)));
            }
        }
    }
    if !has(b'q') {
        for (n, f) in names.iter().zip(&found) {
            if !f {
                out.extend_from_slice(n);
                out.extend_from_slice(b": no process found\n");
            }
        }
    }
    io::write_all(io::stderr_fd(), &out).ok();
    let ok = if names.is_empty() {
        !killed.is_empty()
    } else {
        found.iter().all(|&f| f)
    };
    // -w: look again every second until every signalled process is gone.
    while has(b'w') && !killed.is_empty() {
        killed.retain(|&id| {
            let t = if has(b'g') { -id } else { id };
            !matches!(sp::kill(t, 0), Err(e) if e.raw_os_error() == Some(libc::ESRCH))
        });
        if !killed.is_empty() {
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
    }
    if ok {
        Ok(())
    } else {
        Err(Error::silent(1))
    }
}
