//! `ps`: report a snapshot of the processes.
//!
//! procps-ng 4's `ps` (Debian's /usr/bin/ps), read from /proc through `common::proc`: UNIX
//! options (`-e -A -a -d -N -f -F -l -j -y -H -o -p -C -u -U -g -G -s -t -q -w`), BSD ones (`a x
//! u l j r h w c f`, `o p t U k` lists, a bare pid), and `--pid --ppid --sid --tty --user --User
//! --group --Group --format --sort --no-headers --headers --cols/--width --deselect --forest --help
//! --version`. The default selection is procps's: this effective user's processes on this
//! terminal (all the user's terminal-less processes when ps has none, as in a container). Columns
//! use procps's names, headers, widths and layout (a wide value pushes the next column right
//! and the line catches up later); `NAME=HEADER` and `NAME:WIDTH` as procps; the width is the
//! terminal's, unlimited without one on stdout, then `COLUMNS`, `--cols`, `-w` (132), `-ww`.
//! Status 1 when nothing was selected. The forest orders and draws as procps's show_tree.
//! Deviations: no thread views (`-L -T m H`), no `-O`/`O`, no AIX `%` descriptors, no security
//! labels; BSD `e` and `n` do nothing; `wchan` is the kernel's name from /proc/PID/wchan; text
//! is printed as the bytes it is, control characters as `?`; a terminal is named from its
//! device number (pts, tty, ttyS, console), others as `MAJOR,MINOR`.

use crate::common::io::push_fmt;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::named;
use crate::common::fs::Names;
use crate::common::help::{help_text, Help};
use crate::common::proc::{self, Proc};
use crate::common::sys::{fd, process as sp, term};
use crate::common::time::{strftime, Zone};
use crate::common::{io, Ctx, Error, Result};

const USAGE: Help = help_text!(
    "
Usage:
 ps [options]

 Try 'ps --help <simple|list|output|threads|misc|all>'
  or 'ps --help <s|l|o|t|m|a>'
 for additional help text.

For more details see ps(1).
"
);

named! {
    /// The columns (`-o` names); aliases share a variant, headers and widths are in `spec`.
    enum K {
        Pid = "pid", Tgid = "tgid", Lwp = "lwp", Tid = "tid", Spid = "spid", Ppid = "ppid",
        Pgid = "pgid", Pgrp = "pgrp", Sid = "sid", Sess = "sess", Session = "session",
        Tpgid = "tpgid", User = "user", Euser = "euser", Uname = "uname", UidHack = "uid_hack",
        Ruser = "ruser", Uid = "uid", Euid = "euid", Ruid = "ruid", Group = "group",
        Egroup = "egroup", Rgroup = "rgroup", Gid = "gid", Egid = "egid", Rgid = "rgid",
        Comm = "comm", Ucmd = "ucmd", Ucomm = "ucomm", Args = "args", Cmd = "cmd",
        Command = "command", Etime = "etime", Etimes = "etimes", Time = "time",
        Cputime = "cputime", Times = "times", Cputimes = "cputimes", Bsdtime = "bsdtime",
        Stat = "stat", S = "s", State = "state", Tty = "tty", Tt = "tt", Tname = "tname",
        Rss = "rss", Rssize = "rssize", Rsz = "rsz", Vsz = "vsz", Vsize = "vsize", Sz = "sz",
        Pcpu = "pcpu", PcpuS = "%cpu", Pmem = "pmem", PmemS = "%mem", C = "c", Nice = "nice",
        Ni = "ni", Pri = "pri", Opri = "opri", Priority = "priority", Start = "start",
        Stime = "stime", StartTime = "start_time", Lstart = "lstart", Bsdstart = "bsdstart",
        Wchan = "wchan", F = "f", Flags = "flags", Nlwp = "nlwp", Thcount = "thcount",
        Addr = "addr", Addr1 = "addr_1", Psr = "psr",
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Just {
    Left,
    Right,
    /// User and group names: left, cut with `+` when too wide.
    Name,
    /// Left, cut to the column's width unless last (wchan).
    Cut,
    /// Command names and lines: the last column takes the rest of the line.
    Unlimited,
}

/// Header, width and justification of a column (0 width: the pid width).
fn spec(k: K) -> (&'static str, usize, Just) {
    use Just::*;
    use K::*;
    match k {
        Pid => ("PID", 0, Right),
        Tgid => ("TGID", 0, Right),
        Lwp => ("LWP", 0, Right),
        Tid => ("TID", 0, Right),
        Spid => ("SPID", 0, Right),
        Ppid => ("PPID", 0, Right),
        Pgid => ("PGID", 0, Right),
        Pgrp => ("PGRP", 0, Right),
        Sid => ("SID", 0, Right),
        Sess | Session => ("SESS", 0, Right),
        Tpgid => ("TPGID", 0, Right),
        User | Uname => ("USER", 8, Name),
        Euser => ("EUSER", 8, Name),
        UidHack => ("UID", 8, Name),
        Ruser => ("RUSER", 8, Name),
        Uid => ("UID", 5, Right),
        Euid => ("EUID", 5, Right),
        Ruid => ("RUID", 5, Right),
        Group => ("GROUP", 8, Name),
        Egroup => ("EGROUP", 8, Name),
        Rgroup => ("RGROUP", 8, Name),
        Gid => ("GID", 5, Right),
        Egid => ("EGID", 5, Right),
        Rgid => ("RGID", 5, Right),
        Comm | Ucomm => ("COMMAND", 15, Unlimited),
        Ucmd => ("CMD", 15, Unlimited),
        Args | Command => ("COMMAND", 27, Unlimited),
        Cmd => ("CMD", 27, Unlimited),
        Etime => ("ELAPSED", 11, Right),
        Etimes => ("ELAPSED", 7, Right),
        Time | Cputime | Times | Cputimes => ("TIME", 8, Right),
        Bsdtime => ("TIME", 6, Right),
        Stat => ("STAT", 4, Left),
        S | State => ("S", 1, Left),
        Tty | Tt => ("TT", 8, Left),
        Tname => ("TTY", 8, Left),
        Rss | Rssize => ("RSS", 5, Right),
        Rsz => ("RSZ", 5, Right),
        Vsz | Vsize => ("VSZ", 6, Right),
        Sz => ("SZ", 5, Right),
        Pcpu | PcpuS => ("%CPU", 4, Right),
        Pmem | PmemS => ("%MEM", 4, Right),
        C => ("C", 2, Right),
        Nice | Ni => ("NI", 3, Right),
        Pri | Opri | Priority => ("PRI", 3, Right),
        Start | Lstart => ("STARTED", if k == Start { 8 } else { 24 }, Right),
        Stime => ("STIME", 5, Right),
        StartTime => ("START", 5, Right),
        Bsdstart => ("START", 6, Right),
        Wchan => ("WCHAN", 6, Cut),
        F | Flags => ("F", 1, Right),
        Nlwp => ("NLWP", 4, Right),
        Thcount => ("THCNT", 5, Right),
        Addr => ("ADDR", 4, Right),
        Addr1 => ("ADDR", 1, Right),
        Psr => ("PSR", 3, Right),
    }
}

struct Col {
    k: K,
    head: Vec<u8>,
    width: usize,
    just: Just,
}

fn col(k: K, head: Option<&[u8]>, pidw: usize) -> Col {
    let (h, w, just) = spec(k);
    let w = if w == 0 { pidw.max(h.len()) } else { w };
    let (head, width) = match head {
        Some(o) => (o.to_vec(), w.max(o.len())),
        None => (h.as_bytes().to_vec(), w),
    };
    Col {
        k,
        head,
        width,
        just,
    }
}

/// A selection list (`-p 1,2`, `-u root`, `-t pts/0`, `-C sh`).
enum Sel {
    Pid(Vec<i64>),
    Ppid(Vec<i64>),
    Sid(Vec<i64>),
    Ruid(Vec<i64>),
    Euid(Vec<i64>),
    Rgid(Vec<i64>),
    Egid(Vec<i64>),
    Tty(Vec<Vec<u8>>),
    Comm(Vec<Vec<u8>>),
}

#[derive(Default)]
struct Opts {
    all: bool,
    bsd: bool,
    bsd_a: bool,
    bsd_x: bool,
    unix_a: bool,
    unix_d: bool,
    negate: bool,
    running: bool,
    full: bool,
    long: bool,
    jobs: bool,
    extra: bool,
    y: bool,
    bsd_u: bool,
    bsd_l: bool,
    bsd_j: bool,
    /// BSD `c`: the command name where the command line would be.
    bsd_c: bool,
    /// BSD letters accepted without effect (`e`, `n`).
    ignored: bool,
    /// Forest: BSD's (`f`, `--forest`) or UNIX's (`-H`).
    forest: bool,
    unix_forest: bool,
    no_head: bool,
    wide: usize,
    cols: Option<usize>,
    formats: Vec<Vec<u8>>,
    sort: Vec<(K, bool)>,
    sel: Vec<Sel>,
}

fn usage_err(ctx: &mut Ctx, msg: &str) -> Error {
    let _ = ctx.out.flush();
    let mut m = format!("error: {msg}\n").into_bytes();
    m.extend_from_slice(&USAGE.bytes());
    io::write_all(io::stderr_fd(), &m).ok();
    Error::silent(1)
}

fn list(arg: &[u8]) -> impl Iterator<Item = &[u8]> {
    arg.split(|&b| b == b',' || b == b' ')
        .filter(|s| !s.is_empty())
}

fn numbers(arg: &[u8], what: &'static str) -> std::result::Result<Vec<i64>, &'static str> {
    list(arg)
        .map(|s| {
            std::str::from_utf8(s)
                .ok()
                .and_then(|s| s.parse::<i64>().ok())
                .ok_or(what)
                .and_then(|n| {
                    if (1..=0x7fff_ffff).contains(&n) {
                        Ok(n)
                    } else {
                        Err("process ID out of range")
                    }
                })
        })
        .collect()
}

/// A terminal list: each name must be a character device under /dev (`?` and `-` stand for
/// no terminal).
fn ttys(arg: &[u8]) -> std::result::Result<Vec<Vec<u8>>, &'static str> {
    list(arg)
        .map(|t| {
            if t == b"?" || t == b"-" {
                return Ok(b"-".to_vec());
            }
            let t = t.strip_prefix(b"/dev/").unwrap_or(t);
            for pre in [&b"/dev/"[..], b"/dev/tty", b"/dev/pts/"] {
                let path = [pre, t].concat();
                if let Ok(st) = fd::stat(&path) {
                    if st.st_mode & libc::S_IFMT != libc::S_IFCHR {
                        return Err("list member was not a TTY");
                    }
                    return Ok(proc::tty_name(st.st_rdev as i32));
                }
            }
            Err("TTY could not be found")
        })
        .collect()
}

fn ids(arg: &[u8], names: &mut Names, user: bool) -> std::result::Result<Vec<i64>, &'static str> {
    list(arg)
        .map(|s| {
            let id = if user {
                names.users().id(s)
            } else {
                names.groups().id(s)
            };
            id.map(i64::from)
                .or_else(|| {
                    std::str::from_utf8(s)
                        .ok()?
                        .parse::<u32>()
                        .ok()
                        .map(i64::from)
                })
                .ok_or(if user {
                    "user name does not exist"
                } else {
                    "group name does not exist"
                })
        })
        .collect()
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

/// What an option that takes a list does with it.
#[derive(Clone, Copy)]
enum L {
    Pid,
    Ppid,
    Sid,
    Ruid,
    Euid,
    Rgid,
    Egid,
    /// `-g`: session ids, else effective group names.
    SidOrEgid,
    Tty,
    Comm,
    Format,
    Sort,
    Cols,
    Rows,
}

/// The options that take an argument: how they are written (`-p` UNIX, `p` BSD, `--pid`),
/// what they do, and the complaint when the argument is missing.
static LISTS: &[(&str, L, &str)] = &[
    ("-p", L::Pid, "list of process IDs must follow -p"),
    ("-q", L::Pid, "list of process IDs must follow -p"),
    ("p", L::Pid, "list of process IDs must follow p"),
    ("--pid", L::Pid, "list of process IDs must follow --pid"),
    ("--ppid", L::Ppid, "list of process IDs must follow --ppid"),
    ("-s", L::Sid, "list of session IDs must follow -s"),
    ("--sid", L::Sid, "some sid thing(s) must follow --sid"),
    ("-U", L::Ruid, "list of real users must follow -U"),
    ("--User", L::Ruid, "list of real users must follow --User"),
    ("-u", L::Euid, "list of users must follow -u"),
    ("U", L::Euid, "list of users must follow U"),
    (
        "--user",
        L::Euid,
        "list of effective users must follow --user",
    ),
    ("-G", L::Rgid, "list of real groups must follow -G"),
    (
        "--Group",
        L::Rgid,
        "list of real groups must follow --Group",
    ),
    (
        "--group",
        L::Egid,
        "list of effective groups must follow --group",
    ),
    (
        "-g",
        L::SidOrEgid,
        "list of session leaders OR effective group names must follow -g",
    ),
    (
        "-t",
        L::Tty,
        "list of terminals (pty, tty...) must follow -t",
    ),
    ("t", L::Tty, ""),
    ("--tty", L::Tty, "list of ttys must follow --tty"),
    ("-C", L::Comm, "list of command names must follow -C"),
    ("-o", L::Format, "format specification must follow -o"),
    ("o", L::Format, "format specification must follow o"),
    (
        "--format",
        L::Format,
        "format specification must follow --format",
    ),
    (
        "--sort",
        L::Sort,
        "long sort specification must follow --sort",
    ),
    ("k", L::Sort, "long sort specification must follow 'k'"),
    (
        "--cols",
        L::Cols,
        "number of columns must follow --cols, --width, or --columns",
    ),
    (
        "--columns",
        L::Cols,
        "number of columns must follow --cols, --width, or --columns",
    ),
    (
        "--width",
        L::Cols,
        "number of columns must follow --cols, --width, or --columns",
    ),
    (
        "--rows",
        L::Rows,
        "number of rows must follow --rows or --lines",
    ),
    (
        "--lines",
        L::Rows,
        "number of rows must follow --rows or --lines",
    ),
];

type Msg = &'static str;

fn apply(
    o: &mut Opts,
    names: &mut Names,
    l: L,
    v: &[u8],
    missing: Msg,
) -> std::result::Result<(), Msg> {
    let pids = || numbers(v, "process ID list syntax error");
    let sel = match l {
        L::Pid => Sel::Pid(pids()?),
        L::Ppid => Sel::Ppid(pids()?),
        L::Sid => Sel::Sid(pids()?),
        L::Ruid => Sel::Ruid(ids(v, names, true)?),
        L::Euid => Sel::Euid(ids(v, names, true)?),
        L::Rgid => Sel::Rgid(ids(v, names, false)?),
        L::Egid => Sel::Egid(ids(v, names, false)?),
        L::SidOrEgid => match pids() {
            Ok(n) => Sel::Sid(n),
            Err(_) => Sel::Egid(
                ids(v, names, false)
                    .map_err(|_| "list of session leaders OR effective group IDs was invalid")?,
            ),
        },
        L::Tty => Sel::Tty(ttys(v)?),
        L::Comm => Sel::Comm(list(v).map(<[u8]>::to_vec).collect()),
        L::Format => {
            o.formats.push(v.to_vec());
            return Ok(());
        }
        L::Sort => return sort_spec(o, v),
        L::Cols => {
            let n = std::str::from_utf8(v)
                .ok()
                .and_then(|s| s.parse::<usize>().ok());
            o.cols = Some(n.filter(|&n| n > 0).ok_or(missing)?);
            return Ok(());
        }
        L::Rows => return Ok(()),
    };
    o.sel.push(sel);
    Ok(())
}

/// procps's parser: `--long[=VALUE]`, `-UNIX` letters, BSD letters (a word without a dash), a
/// bare pid; an option's argument is the rest of its word, else the next word. `Ok(true)`:
/// `--help` or `--version` was asked for.
fn parse(
    argv: &[OsString],
    o: &mut Opts,
    names: &mut Names,
    force_bsd: bool,
) -> std::result::Result<bool, Msg> {
    let args: Vec<&[u8]> = argv.iter().skip(1).map(|a| a.as_bytes()).collect();
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        i += 1;
        if let Some(long) = a.strip_prefix(b"--") {
            let (name, val) = match long.iter().position(|&b| b == b'=') {
                Some(p) => (&long[..p], Some(&long[p + 1..])),
                None => (long, None),
            };
            let key = [b"--", name].concat();
            if let Some(&(_, l, missing)) = LISTS.iter().find(|e| e.0.as_bytes() == key) {
                let v = match val {
                    Some(v) => v,
                    None => {
                        i += 1;
                        args.get(i - 1).copied().ok_or(missing)?
                    }
                };
                apply(o, names, l, v, missing)?;
                continue;
            }
            match name {
                b"help" | b"version" | b"info" => return Ok(true),
                b"deselect" => o.negate = true,
                b"forest" => o.forest = true,
                b"no-headers" | b"no-heading" => o.no_head = true,
                b"headers" | b"heading" => {}
                _ => return Err("unknown gnu long option"),
            }
            continue;
        }
        if !a.is_empty() && a.iter().all(u8::is_ascii_digit) {
            o.bsd = true;
            o.sel
                .push(Sel::Pid(numbers(a, "process ID list syntax error")?));
            continue;
        }
        let dash = a.len() > 1 && a[0] == b'-';
        let unix = dash && !force_bsd;
        o.bsd |= !unix;
        let letters = if dash { &a[1..] } else { a };
        for (j, &c) in letters.iter().enumerate() {
            let rest = &letters[j + 1..];
            let key: &[u8] = if unix { &[b'-', c] } else { &[c] };
            if let Some(&(_, l, missing)) = LISTS.iter().find(|e| e.0.as_bytes() == key) {
                // `t` alone: our own terminal.
                let v = if !rest.is_empty() {
                    rest
                } else if c == b't' && args.get(i).is_none_or(|v| v.starts_with(b"-")) {
                    o.sel.push(Sel::Tty(vec![proc::tty_name(
                        Proc::read(0).map_or(0, |p| p.tty),
                    )]));
                    o.bsd = true;
                    break;
                } else {
                    i += 1;
                    Some(*args.get(i - 1).ok_or(missing)?)
                        .filter(|v| !v.is_empty())
                        .ok_or(missing)?
                };
                apply(o, names, l, v, missing)?;
                break;
            }
            let flag = match (unix, c) {
                (true, b'e' | b'A') | (false, b'A') => &mut o.all,
                (true, b'a') => &mut o.unix_a,
                (true, b'd') => &mut o.unix_d,
                (true, b'N') => &mut o.negate,
                (true, b'f') => &mut o.full,
                (true, b'F') => {
                    o.full = true;
                    &mut o.extra
                }
                (true, b'l') => &mut o.long,
                (true, b'j') => &mut o.jobs,
                (true, b'y') => &mut o.y,
                (false, b'a') => &mut o.bsd_a,
                (false, b'x') => &mut o.bsd_x,
                (false, b'u') => &mut o.bsd_u,
                (false, b'l') => &mut o.bsd_l,
                (false, b'j') => &mut o.bsd_j,
                (false, b'r') => &mut o.running,
                (false, b'h') => &mut o.no_head,
                (false, b'c') => &mut o.bsd_c,
                (false, b'e' | b'n') => &mut o.ignored,
                (false, b'f') => &mut o.forest,
                (true, b'H') => &mut o.unix_forest,
                (_, b'w') => {
                    o.wide += 1;
                    continue;
                }
                (_, b'V') => return Ok(true),
                (_, b'-') if unix => return Err("embedded '-' among SysV options makes no sense"),
                (_, b'-') => return Err("embedded '-' among BSD options makes no sense"),
                (true, _) => return Err("unsupported SysV option"),
                (false, _) => return Err("unsupported option (BSD syntax)"),
            };
            *flag = true;
        }
    }
    Ok(false)
}

fn sort_spec(o: &mut Opts, v: &[u8]) -> std::result::Result<(), Msg> {
    for s in list(v) {
        let (desc, name) = match s.first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        o.sort
            .push((K::of(name).ok_or("unknown sort specifier")?, desc));
    }
    Ok(())
}

/// procps's `-o` list: names split at commas and blanks; `NAME=HEADER` (the last item's
/// header takes the rest of the word, commas included) and `NAME:WIDTH`.
fn formats(spec: &[u8], pidw: usize, out: &mut Vec<Col>) -> std::result::Result<(), String> {
    let sep = |b: &u8| matches!(b, b' ' | b',' | b'\t' | b'\n');
    let items = spec.split(sep).filter(|s| !s.is_empty()).count();
    if items == 0 {
        return Err("empty format list".into());
    }
    if spec.first().is_some_and(sep) || spec.windows(2).any(|w| sep(&w[0]) && sep(&w[1])) {
        return Err("improper format list".into());
    }
    let mut walk = spec;
    for n in (0..items).rev() {
        let item = match walk.iter().position(sep) {
            Some(p) if n > 0 => {
                let it = &walk[..p];
                walk = &walk[p + 1..];
                it
            }
            _ => {
                let it = walk;
                walk = b"";
                it.strip_suffix(b",").unwrap_or(it)
            }
        };
        let (name, head) = match item.iter().position(|&b| b == b'=') {
            Some(p) => (&item[..p], Some(&item[p + 1..])),
            None => (item, None),
        };
        let (name, width) = match name.iter().position(|&b| b == b':') {
            Some(p) => {
                let w = &name[p + 1..];
                let n = std::str::from_utf8(w)
                    .ok()
                    .and_then(|s| s.parse::<usize>().ok());
                match n {
                    Some(n) if n > 0 && w[0] != b'0' && w.iter().all(u8::is_ascii_digit) => {
                        (&name[..p], Some(n))
                    }
                    _ => return Err("column widths must be unsigned decimal numbers".into()),
                }
            }
            None => (name, None),
        };
        let Some(k) = K::of(name) else {
            return Err(format!(
                "unknown user-defined format specifier \"{}\"",
                String::from_utf8_lossy(name)
            ));
        };
        let mut c = col(k, head, pidw);
        if let Some(w) = width {
            c.width = w;
        }
        out.push(c);
    }
    Ok(())
}

fn fixed(o: &Opts) -> &'static [K] {
    use K::*;
    if o.bsd && o.formats.is_empty() && !(o.full || o.long || o.jobs) {
        if o.bsd_u {
            return &[
                User, Pid, Pcpu, Pmem, Vsz, Rss, Tname, Stat, StartTime, Bsdtime, Args,
            ];
        }
        if o.bsd_l {
            return &[
                F, Uid, Pid, Ppid, Priority, Ni, Vsz, Rss, Wchan, Stat, Tname, Bsdtime, Args,
            ];
        }
        if o.bsd_j {
            return &[Ppid, Pid, Pgid, Sid, Tname, Tpgid, Stat, Uid, Bsdtime, Args];
        }
        return &[Pid, Tname, Stat, Bsdtime, Args];
    }
    match (o.full, o.long, o.jobs) {
        _ if o.extra => &[UidHack, Pid, Ppid, C, Sz, Rss, Psr, Stime, Tname, Time, Cmd],
        (true, true, _) if o.y => &[
            S, UidHack, Pid, Ppid, C, Pri, Ni, Rss, Sz, Wchan, Stime, Tname, Time, Cmd,
        ],
        (true, true, _) => &[
            F, S, UidHack, Pid, Ppid, C, Opri, Ni, Addr1, Sz, Wchan, Stime, Tname, Time, Cmd,
        ],
        (false, true, _) if o.y => &[
            S, Uid, Pid, Ppid, C, Opri, Ni, Rss, Sz, Wchan, Tname, Time, Ucmd,
        ],
        (false, true, _) => &[
            F, S, Uid, Pid, Ppid, C, Opri, Ni, Addr1, Sz, Wchan, Tname, Time, Ucmd,
        ],
        (true, _, true) => &[UidHack, Pid, Ppid, Pgid, Sid, C, Stime, Tname, Time, Cmd],
        (true, _, _) => &[UidHack, Pid, Ppid, C, Stime, Tname, Time, Cmd],
        (_, _, true) => &[Pid, Pgid, Sid, Tname, Time, Ucmd],
        _ => &[Pid, Tname, Time, Ucmd],
    }
}

/// What the values are computed from: read once per run.
struct World {
    me: Proc,
    now: i64,
    uptime: f64,
    boot: i64,
    hz: u64,
    mem_total: u64,
    page_kb: u64,
    zone: Zone,
    names: Names,
    full: bool,
    bsd_c: bool,
}

/// A sort key: numbers compare as numbers, text as bytes.
type SortKey = (i64, Vec<u8>);

fn two(out: &mut Vec<u8>, n: u64) {
    push_fmt(out, format_args!("{n:02}"));
}

impl World {
    fn elapsed(&self, p: &Proc) -> f64 {
        (self.uptime - p.start as f64 / self.hz as f64).max(0.0)
    }
    fn started(&self, p: &Proc) -> i64 {
        self.boot + (p.start / self.hz) as i64
    }
    fn per_mille(&self, p: &Proc, scale: u64) -> u64 {
        let jiffies = (self.elapsed(p) * self.hz as f64) as u64;
        (p.ticks * scale).checked_div(jiffies).unwrap_or(0)
    }
    fn strf(&self, fmt: &str, t: i64) -> Vec<u8> {
        let mut v = Vec::new();
        strftime(&mut v, fmt.as_bytes(), &self.zone.to_tm(t), 0, t);
        v
    }
    fn name(&mut self, user: bool, id: u32) -> Vec<u8> {
        let n = if user {
            self.names.user(id)
        } else {
            self.names.group(id)
        };
        n.map_or_else(|| id.to_string().into_bytes(), <[u8]>::to_vec)
    }

    fn value(&mut self, p: &Proc, k: K) -> Vec<u8> {
        use K::*;
        let n = |v: i64| v.to_string().into_bytes();
        match k {
            Pid | Tgid | Lwp | Tid | Spid => n(p.pid as i64),
            Ppid => n(p.ppid as i64),
            Pgid | Pgrp => n(p.pgrp as i64),
            Sid | Sess | Session => n(p.sid as i64),
            Tpgid => n(p.tpgid as i64),
            User | Euser | Uname | UidHack => self.name(true, p.uid[1]),
            Ruser => self.name(true, p.uid[0]),
            Uid | Euid => n(p.uid[1] as i64),
            Ruid => n(p.uid[0] as i64),
            Group | Egroup => self.name(false, p.gid[1]),
            Rgroup => self.name(false, p.gid[0]),
            Gid | Egid => n(p.gid[1] as i64),
            Rgid => n(p.gid[0] as i64),
            Comm | Ucmd | Ucomm if !self.full => p.comm.clone(),
            Args | Cmd | Command if self.bsd_c => p.comm.clone(),
            Comm | Ucmd | Ucomm | Args | Cmd | Command => p.args(),
            Etime => {
                let t = self.elapsed(p) as u64;
                let (d, h, m, s) = (t / 86400, t / 3600 % 24, t / 60 % 60, t % 60);
                let mut v = Vec::new();
                if d > 0 {
                    push_fmt(&mut v, format_args!("{d}-"));
                }
                if d > 0 || h > 0 {
                    two(&mut v, h);
                    v.push(b':');
                }
                two(&mut v, m);
                v.push(b':');
                two(&mut v, s);
                v
            }
            Etimes => n(self.elapsed(p) as i64),
            Time | Cputime => {
                let t = p.ticks / self.hz;
                let mut v = Vec::new();
                if t >= 86400 {
                    push_fmt(&mut v, format_args!("{}-", t / 86400));
                }
                v.extend_from_slice(
                    format!("{:02}:{:02}:{:02}", t / 3600 % 24, t / 60 % 60, t % 60).as_bytes(),
                );
                v
            }
            Times | Cputimes => n((p.ticks / self.hz) as i64),
            Bsdtime => {
                let t = p.ticks / self.hz;
                format!("{:3}:{:02}", t / 60, t % 60).into_bytes()
            }
            Stat => {
                let mut v = vec![p.state];
                if p.nice < 0 {
                    v.push(b'<');
                }
                if p.nice > 0 {
                    v.push(b'N');
                }
                if p.locked > 0 {
                    v.push(b'L');
                }
                if p.sid == p.pid {
                    v.push(b's');
                }
                if p.threads > 1 {
                    v.push(b'l');
                }
                if p.pgrp == p.tpgid {
                    v.push(b'+');
                }
                v
            }
            S | State => vec![p.state],
            Tty | Tt | Tname => proc::tty_name(p.tty),
            Rss | Rssize | Rsz => n(p.rss as i64),
            Vsz | Vsize => n(p.vsz as i64),
            Sz => n((p.vsz / self.page_kb) as i64),
            Pcpu | PcpuS => {
                let m = self.per_mille(p, 1000);
                if m > 999 {
                    n((m / 10) as i64)
                } else {
                    format!("{}.{}", m / 10, m % 10).into_bytes()
                }
            }
            Pmem | PmemS => {
                let m = (p.rss * 1000 / self.mem_total.max(1)).min(999);
                format!("{:2}.{}", m / 10, m % 10).into_bytes()
            }
            C => format!("{:2}", self.per_mille(p, 100).min(99)).into_bytes(),
            Nice | Ni if ![0, 3].contains(&p.policy) => b"-".to_vec(),
            Nice | Ni => n(p.nice),
            Pri => n(39 - p.priority),
            Opri => n(60 + p.priority),
            Priority => n(p.priority),
            Start => {
                let t = self.started(p);
                if t + 86400 > self.now {
                    self.strf("%H:%M:%S", t)
                } else {
                    self.strf("  %b %d", t)
                }
            }
            Lstart => self.strf("%a %b %e %H:%M:%S %Y", self.started(p)),
            Stime | StartTime => {
                let t = self.started(p);
                let (a, b) = (self.zone.to_tm(t), self.zone.to_tm(self.now));
                let f = if a.year != b.year {
                    "%Y"
                } else if a.yday != b.yday {
                    "%b%d"
                } else {
                    "%H:%M"
                };
                self.strf(f, t)
            }
            Bsdstart => {
                let t = self.started(p);
                self.strf(
                    if self.now - t > 86400 {
                        "%b %e"
                    } else {
                        " %H:%M"
                    },
                    t,
                )
            }
            Wchan => {
                let w = proc::file(p.pid, "wchan").unwrap_or_default();
                if w.is_empty() || w == b"0" {
                    b"-".to_vec()
                } else {
                    w
                }
            }
            F | Flags => n(((p.flags >> 6) & 7) as i64),
            Nlwp | Thcount => n(p.threads),
            Addr | Addr1 => b"-".to_vec(),
            Psr => {
                let s = proc::file(p.pid, "stat").unwrap_or_default();
                let c = s.iter().rposition(|&b| b == b')').unwrap_or(0);
                let f = s[c..].split(|&b| b == b' ').nth(37).unwrap_or(b"0");
                f.to_vec()
            }
        }
    }

    fn key(&mut self, p: &Proc, k: K) -> SortKey {
        use K::*;
        match k {
            User | Euser | Uname | UidHack | Ruser | Group | Egroup | Rgroup | Comm | Ucmd
            | Ucomm | Args | Cmd | Command | Stat | S | State | Tty | Tt | Tname | Wchan => {
                (0, self.value(p, k))
            }
            Pcpu | PcpuS | C => (self.per_mille(p, 1000) as i64, Vec::new()),
            Pmem | PmemS => (p.rss as i64, Vec::new()),
            Etime | Etimes => (-(p.start as i64), Vec::new()),
            Time | Cputime | Times | Cputimes | Bsdtime => (p.ticks as i64, Vec::new()),
            Start | Lstart | Stime | StartTime | Bsdstart => (p.start as i64, Vec::new()),
            _ => {
                let v = self.value(p, k);
                (
                    std::str::from_utf8(&v)
                        .ok()
                        .and_then(|s| s.trim().parse().ok())
                        .unwrap_or(0),
                    Vec::new(),
                )
            }
        }
    }
}

fn selected(o: &Opts, w: &World, p: &Proc) -> bool {
    let mut yes = o.all || (o.bsd_a && o.bsd_x);
    if !yes {
        let (euid, tty, leader) = (p.uid[1] == w.me.uid[1], p.tty != 0, p.sid == p.pid);
        let simple = o.bsd_a || o.bsd_x || o.unix_a || o.unix_d;
        if simple || o.sel.is_empty() {
            yes = if o.unix_a || o.unix_d {
                (o.unix_d && !leader) || (o.unix_a && tty && !leader)
            } else if o.bsd_a {
                tty
            } else if o.bsd_x {
                euid
            } else if o.bsd {
                euid && tty
            } else {
                euid && p.tty == w.me.tty
            };
        }
        let has = |v: &Vec<i64>, x: i64| v.contains(&x);
        yes = yes
            || o.sel.iter().any(|s| match s {
                Sel::Pid(v) => has(v, p.pid as i64),
                Sel::Ppid(v) => has(v, p.ppid as i64),
                Sel::Sid(v) => has(v, p.sid as i64),
                Sel::Ruid(v) => has(v, p.uid[0] as i64),
                Sel::Euid(v) => has(v, p.uid[1] as i64),
                Sel::Rgid(v) => has(v, p.gid[0] as i64),
                Sel::Egid(v) => has(v, p.gid[1] as i64),
                Sel::Tty(v) => v.iter().any(|t| proc::tty_matches(t, p.tty)),
                // comm is cut to 15 bytes: a longer name matches on its first 15.
                Sel::Comm(v) => v.iter().any(|c| {
                    c.as_slice() == p.comm.as_slice()
                        || (p.comm.len() == 15 && c.len() >= 15 && c[..15] == p.comm[..])
                }),
            });
    }
    if o.running && !matches!(p.state, b'R' | b'D') {
        yes = false;
    }
    yes != o.negate
}

/// Control characters print as `?`, as procps's escape_str does.
fn clean(v: &mut [u8]) {
    for b in v.iter_mut() {
        if *b < b' ' || *b == 0x7f {
            *b = b'?';
        }
    }
}

/// One line, laid out as procps's show_one_proc: each column where it should start unless a
/// wider value before it pushed it right; the last column takes what is left of the screen.
fn line(out: &mut Vec<u8>, cols: &[Col], cells: &mut [Vec<u8>], screen: usize) {
    let (mut correct, mut actual, mut dospace) = (0usize, 0usize, 0usize);
    let n = cells.len();
    for (i, (c, v)) in cols.iter().zip(cells.iter_mut()).enumerate() {
        let last = i + 1 == n;
        let room = if !last {
            c.width
        } else if correct > actual {
            screen.saturating_sub(correct)
        } else {
            screen.saturating_sub(actual + dospace)
        };
        clean(v);
        let mut leftpad = 0;
        match c.just {
            Just::Right => leftpad = c.width.saturating_sub(v.len()),
            Just::Left => {}
            Just::Name => {
                if v.len() > room {
                    v.truncate(room.saturating_sub(1));
                    v.push(b'+');
                }
            }
            Just::Unlimited | Just::Cut => v.truncate(room),
        }
        let space = (correct + leftpad).saturating_sub(actual);
        let space = if space < 1 { dospace } else { space.min(144) };
        out.resize(out.len() + space, b' ');
        out.extend_from_slice(v);
        actual += space + v.len();
        correct += c.width + 1;
        dospace = 1;
    }
    out.push(b'\n');
}

/// procps's show_tree: `procs[at]` with its prefix, then its children (consecutive after the
/// sort by parent); the prefix draws ` \_ ` and ` |  ` (BSD) or two spaces a level (UNIX).
/// BSD's forest leaves init's children at init's level.
fn tree(
    procs: &[Proc],
    at: usize,
    level: usize,
    sibling: bool,
    unix: bool,
    prefix: &mut Vec<u8>,
    order: &mut Vec<(usize, Vec<u8>)>,
) {
    prefix.truncate(level);
    if level > 0 {
        prefix[level - 1] = if sibling { b'+' } else { b'L' };
    }
    let draw = |p: &[u8]| -> Vec<u8> {
        p.iter()
            .flat_map(|&c| match (unix, c) {
                (true, _) => &b"  "[..],
                (_, b'+' | b'L') => b" \\_ ",
                (_, b'|') => b" |  ",
                _ => b"    ",
            })
            .copied()
            .collect()
    };
    order.push((at, draw(prefix)));
    let pid = procs[at].pid;
    let Some(mut i) = procs.iter().position(|p| p.ppid == pid) else {
        return;
    };
    if level > 0 {
        prefix[level - 1] = if sibling { b'|' } else { b' ' };
    }
    loop {
        let more = procs.get(i + 1).is_some_and(|p| p.ppid == pid);
        let next = if pid == 1 && !unix { level } else { level + 1 };
        prefix.resize(next.max(level), 0);
        tree(procs, i, next, more, unix, prefix, order);
        prefix.truncate(level);
        if !more {
            break;
        }
        i += 1;
    }
}

/// The options and the `-o` columns, or procps's complaint; `true`: help or version asked.
fn setup(
    argv: &[OsString],
    names: &mut Names,
    force_bsd: bool,
    pidw: usize,
) -> std::result::Result<(Opts, Vec<Col>, bool), String> {
    let mut o = Opts::default();
    let asked = parse(argv, &mut o, names, force_bsd)?;
    let mut cols = Vec::new();
    for f in &o.formats {
        formats(f, pidw, &mut cols)?;
    }
    Ok((o, cols, asked))
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let mut names = Names::new();
    let pidw = proc::pid_width();
    // As procps: a line that does not parse is read again with every dashed word as BSD
    // letters (`ps -aux` is `ps aux`); if that fails too, the first complaint stands.
    let (o, mut cols, asked) = match setup(&argv, &mut names, false, pidw) {
        Ok(x) => x,
        Err(m) => match setup(&argv, &mut names, true, pidw) {
            Ok(x) => x,
            Err(_) => return Err(usage_err(ctx, &m)),
        },
    };
    if asked {
        let version = argv.iter().skip(1).any(|a| {
            let a = a.as_bytes();
            a == b"-V" || a == b"V" || a.starts_with(b"--v") || a == b"--info"
        });
        if version {
            let v = format!("ps (rbox) {}\n", env!("CARGO_PKG_VERSION"));
            ctx.out.write_all(v.as_bytes())?;
        } else {
            ctx.out.write_all(&USAGE.bytes())?;
        }
        return Ok(());
    }
    if cols.is_empty() {
        cols = fixed(&o).iter().map(|&k| col(k, None, pidw)).collect();
    }
    // procps's screen width: the terminal's (80 without one), unlimited when stdout is not a
    // terminal, then COLUMNS, then --cols; -w makes it at least 132, -ww unlimited.
    const UNLIMITED: usize = 128 * 1024;
    let mut screen = if fd::isatty(io::stdout_fd()) {
        [io::stdout_fd(), io::stderr_fd(), io::stdin_fd()]
            .iter()
            .find_map(|&f| term::window_size(f).ok().filter(|w| w.cols > 0))
            .map_or(80, |w| w.cols as usize)
    } else {
        UNLIMITED
    };
    let env = std::env::var("COLUMNS")
        .ok()
        .and_then(|s| s.parse::<usize>().ok());
    if let Some(n) = env.filter(|n| (1..UNLIMITED).contains(n)) {
        screen = n;
    }
    screen = o.cols.unwrap_or(screen);
    if o.wide > 0 {
        screen = if o.wide > 1 {
            UNLIMITED
        } else {
            screen.max(132)
        };
    }
    let info = std::fs::read("/proc/meminfo").unwrap_or_default();
    let me = Proc::read(0).unwrap_or_default();
    let mut w = World {
        me,
        now: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
        uptime: proc::uptime(),
        boot: proc::boot_time(),
        hz: sp::clock_ticks(),
        mem_total: proc::meminfo(&info, "MemTotal").unwrap_or(1),
        page_kb: (crate::common::sys::user::sysconf(libc::_SC_PAGESIZE).unwrap_or(4096) as u64
            / 1024)
            .max(1),
        zone: Zone::local(),
        names,
        full: o.full,
        bsd_c: o.bsd_c,
    };
    let mut procs: Vec<Proc> = proc::all()
        .into_iter()
        .filter(|p| selected(&o, &w, p))
        .collect();
    if !o.sort.is_empty() {
        let mut keyed: Vec<(Vec<SortKey>, Proc)> = procs
            .into_iter()
            .map(|p| (o.sort.iter().map(|&(k, _)| w.key(&p, k)).collect(), p))
            .collect();
        crate::common::sort::sort_by(&mut keyed, |a, b| {
            for (i, &(_, desc)) in o.sort.iter().enumerate() {
                let c = a.0[i].cmp(&b.0[i]);
                if c != std::cmp::Ordering::Equal {
                    return if desc { c.reverse() } else { c };
                }
            }
            std::cmp::Ordering::Equal
        });
        procs = keyed.into_iter().map(|(_, p)| p).collect();
    }
    // The forest: each process, then its children, as procps's show_tree walks them.
    let mut order: Vec<(usize, Vec<u8>)> = (0..procs.len()).map(|i| (i, Vec::new())).collect();
    if o.forest || o.unix_forest {
        crate::common::sort::sort_by(&mut procs, |a, b| (a.ppid, a.start).cmp(&(b.ppid, b.start)));
        order.clear();
        let mut prefix = Vec::new();
        for i in (0..procs.len()).rev() {
            if !procs.iter().any(|p| p.pid == procs[i].ppid) {
                tree(&procs, i, 0, false, o.unix_forest, &mut prefix, &mut order);
            }
        }
    }
    let mut out = Vec::new();
    if !o.no_head && cols.iter().any(|c| !c.head.is_empty()) {
        let mut heads: Vec<Vec<u8>> = cols.iter().map(|c| c.head.clone()).collect();
        line(&mut out, &cols, &mut heads, screen);
    }
    for (i, prefix) in &order {
        let p = &procs[*i];
        let mut cells: Vec<Vec<u8>> = cols
            .iter()
            .map(|c| {
                let v = w.value(p, c.k);
                if c.just == Just::Unlimited && !prefix.is_empty() {
                    [prefix, &v[..]].concat()
                } else {
                    v
                }
            })
            .collect();
        line(&mut out, &cols, &mut cells, screen);
        if out.len() > 64 * 1024 {
            ctx.out.write_all(&out)?;
            out.clear();
        }
    }
    ctx.out.write_all(&out)?;
    if procs.is_empty() {
        return Err(Error::silent(1));
    }
    Ok(())
}
