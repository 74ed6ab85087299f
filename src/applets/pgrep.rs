//! `pgrep`, `pkill`: find or signal processes by name and other attributes.
//!
//! procps-ng 4's (Debian's /usr/bin/pgrep and pkill): the pattern is a POSIX extended regex
//! (`common::regex`) searched in the command name, or with `-f` in the command line as `ps`
//! shows it; `-x` anchors it, `-i` ignores case; selection by `-g -G -P -s -t -u -U -r -O -F`,
//! `-n`/`-o` the newest/oldest, `-v` negates, `-A` leaves out our ancestors; never itself.
//! pgrep prints pids (`-d` between them), `-l` with the name, `-a` with the command line, or
//! `-c` the count; pkill sends `-SIG`/`--signal SIG` (TERM by default), `-e` echoes each kill.
//! Status 0 when something matched (pkill: when something was signalled), 1 when nothing, 2
//! for a bad command line (the usage on stderr), 3 for a fatal error. Deviations: no `-w`
//! threads (pgrep lists processes), no `--ns`, `--nslist`, `--cgroup`, `-q` (sigqueue), and
//! `-L` (the pid file's lock is not checked).

use crate::common::io::push_fmt;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::Opt;
use crate::common::fs::Names;
use crate::common::help::{help_text, Help};
use crate::common::proc::{self, Proc};
use crate::common::regex::{Flags, Regex};
use crate::common::sys::process as sp;
use crate::common::{ctx::strerror, io, signals, Ctx, Error, Result};

const PGREP: Help = help_text!(
    "
Usage:
 pgrep [options] <pattern>

Options:
 -d, --delimiter <string>  specify output delimiter
 -l, --list-name           list PID and process name
 -a, --list-full           list PID and full command line
 -v, --inverse             negates the matching
 -w, --lightweight         list all TID
 -c, --count               count of matching processes
 -f, --full                use full process name to match
 -g, --pgroup <PGID,...>   match listed process group IDs
 -G, --group <GID,...>     match real group IDs
 -i, --ignore-case         match case insensitively
 -n, --newest              select most recently started
 -o, --oldest              select least recently started
 -O, --older <seconds>     select where older than seconds
 -P, --parent <PPID,...>   match only child processes of the given parent
 -s, --session <SID,...>   match session IDs
 -t, --terminal <tty,...>  match by controlling terminal
 -u, --euid <ID,...>       match by effective IDs
 -U, --uid <ID,...>        match by real IDs
 -x, --exact               match exactly with the command name
 -F, --pidfile <file>      read PIDs from file
 -L, --logpidfile          fail if PID file is not locked
 -r, --runstates <state>   match runstates [D,S,Z,...]
 -A, --ignore-ancestors    exclude our ancestors from results

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see pgrep(1).
"
);

const PKILL: Help = help_text!(
    "
Usage:
 pkill [options] <pattern>

Options:
 -<sig>, --signal <sig>    signal to send (either number or name)
 -e, --echo                display what is killed
 -c, --count               count of matching processes
 -f, --full                use full process name to match
 -g, --pgroup <PGID,...>   match listed process group IDs
 -G, --group <GID,...>     match real group IDs
 -i, --ignore-case         match case insensitively
 -n, --newest              select most recently started
 -o, --oldest              select least recently started
 -O, --older <seconds>     select where older than seconds
 -P, --parent <PPID,...>   match only child processes of the given parent
 -s, --session <SID,...>   match session IDs
 -t, --terminal <tty,...>  match by controlling terminal
 -u, --euid <ID,...>       match by effective IDs
 -U, --uid <ID,...>        match by real IDs
 -x, --exact               match exactly with the command name
 -F, --pidfile <file>      read PIDs from file
 -L, --logpidfile          fail if PID file is not locked
 -r, --runstates <state>   match runstates [D,S,Z,...]
 -A, --ignore-ancestors    exclude our ancestors from results

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see pgrep(1).
"
);

/// The tools' options: the other tool's letters are unknown, its long names accepted (as
/// procps's).
static PGREP_OPTS: &[Opt] = &[
    Opt::arg("signal", None, Some("signal")),
    Opt::flag("A", Some(b'A'), Some("ignore-ancestors")),
    Opt::flag("c", Some(b'c'), Some("count")),
    Opt::arg("d", Some(b'd'), Some("delimiter")),
    Opt::flag("l", Some(b'l'), Some("list-name")),
    Opt::flag("a", Some(b'a'), Some("list-full")),
    Opt::flag("f", Some(b'f'), Some("full")),
    Opt::arg("g", Some(b'g'), Some("pgroup")),
    Opt::arg("G", Some(b'G'), Some("group")),
    Opt::flag("i", Some(b'i'), Some("ignore-case")),
    Opt::flag("n", Some(b'n'), Some("newest")),
    Opt::flag("o", Some(b'o'), Some("oldest")),
    Opt::arg("O", Some(b'O'), Some("older")),
    Opt::arg("P", Some(b'P'), Some("parent")),
    Opt::arg("s", Some(b's'), Some("session")),
    Opt::arg("t", Some(b't'), Some("terminal")),
    Opt::arg("u", Some(b'u'), Some("euid")),
    Opt::arg("U", Some(b'U'), Some("uid")),
    Opt::flag("v", Some(b'v'), Some("inverse")),
    Opt::flag("w", Some(b'w'), Some("lightweight")),
    Opt::flag("x", Some(b'x'), Some("exact")),
    Opt::arg("F", Some(b'F'), Some("pidfile")),
    Opt::flag("L", Some(b'L'), Some("logpidfile")),
    Opt::flag("e", None, Some("echo")),
    Opt::arg("r", Some(b'r'), Some("runstates")),
    Opt::flag("help", Some(b'h'), Some("help")),
    Opt::flag("version", Some(b'V'), Some("version")),
];

static PKILL_OPTS: &[Opt] = &[
    Opt::arg("signal", None, Some("signal")),
    Opt::flag("A", Some(b'A'), Some("ignore-ancestors")),
    Opt::flag("c", Some(b'c'), Some("count")),
    Opt::arg("d", None, Some("delimiter")),
    Opt::flag("l", None, Some("list-name")),
    Opt::flag("a", None, Some("list-full")),
    Opt::flag("f", Some(b'f'), Some("full")),
    Opt::arg("g", Some(b'g'), Some("pgroup")),
    Opt::arg("G", Some(b'G'), Some("group")),
    Opt::flag("i", Some(b'i'), Some("ignore-case")),
    Opt::flag("n", Some(b'n'), Some("newest")),
    Opt::flag("o", Some(b'o'), Some("oldest")),
    Opt::arg("O", Some(b'O'), Some("older")),
    Opt::arg("P", Some(b'P'), Some("parent")),
    Opt::arg("s", Some(b's'), Some("session")),
    Opt::arg("t", Some(b't'), Some("terminal")),
    Opt::arg("u", Some(b'u'), Some("euid")),
    Opt::arg("U", Some(b'U'), Some("uid")),
    Opt::flag("v", None, Some("inverse")),
    Opt::flag("w", None, Some("lightweight")),
    Opt::flag("x", Some(b'x'), Some("exact")),
    Opt::arg("F", Some(b'F'), Some("pidfile")),
    Opt::flag("L", Some(b'L'), Some("logpidfile")),
    Opt::flag("e", Some(b'e'), Some("echo")),
    Opt::arg("r", Some(b'r'), Some("runstates")),
    Opt::flag("help", Some(b'h'), Some("help")),
    Opt::flag("version", Some(b'V'), Some("version")),
];

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx, false);
    ctx.finish(r)
}

pub fn pkill(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx, true);
    ctx.finish(r)
}

fn usage(ctx: &mut Ctx, kill: bool) -> Error {
    let _ = ctx.out.flush();
    let u = if kill { PKILL } else { PGREP };
    io::write_all(io::stderr_fd(), &u.bytes()).ok();
    Error::silent(2)
}

/// procps's strict_atol: an optional sign, then digits only.
fn strict(s: &[u8]) -> Option<i64> {
    let d = s.strip_prefix(b"+").unwrap_or(s);
    std::str::from_utf8(d).ok()?.parse().ok()
}

fn run(mut argv: Vec<OsString>, ctx: &mut Ctx, kill: bool) -> Result<()> {
    let mut sig = libc::SIGTERM;
    // pkill's -SIGNAL: the first word `-X` whose X names a signal, taken out of the line.
    if kill {
        let at = argv.iter().skip(1).position(|a| {
            let a = a.as_bytes();
            a.len() > 1 && a[0] == b'-' && signals::signal_number(&a[1..]).is_some()
        });
        if let Some(i) = at {
            let a = argv.remove(i + 1);
            sig = signals::signal_number(&a.as_bytes()[1..]).unwrap_or(sig);
        }
    }
    let m = match crate::common::args::getopt(&argv, if kill { PKILL_OPTS } else { PGREP_OPTS }) {
        Ok(m) => m,
        Err(msg) => {
            ctx.msg(&msg);
            return Err(usage(ctx, kill));
        }
    };
    let mut names = Names::new();
    let mut lists: Vec<(&str, Vec<i64>)> = Vec::new();
    let mut ttys: Option<Vec<Vec<u8>>> = None;
    let mut criteria = 0;
    let (mut newest, mut oldest, mut negate) = (false, false, false);
    let mut older = None;
    let mut states = None;
    for (id, v) in &m.opts {
        let v = v.as_ref().map(|v| v.as_bytes()).unwrap_or_default();
        match *id {
            "help" => {
                ctx.out
                    .write_all(&if kill { PKILL } else { PGREP }.bytes())?;
                return Ok(());
            }
            "version" => {
                let v = format!("{} (rbox) {}\n", ctx.name, env!("CARGO_PKG_VERSION"));
                ctx.out.write_all(v.as_bytes())?;
                return Ok(());
            }
            "signal" => {
                sig = match signals::signal_number(v) {
                    Some(s) => s,
                    None if v.first().is_some_and(u8::is_ascii_digit) => {
                        strict(&v[..v.iter().take_while(|b| b.is_ascii_digit()).count()])
                            .unwrap_or(0) as i32
                    }
                    None => -1,
                }
            }
            "n" | "o" | "v" => {
                if newest || oldest || negate {
                    return Err(usage(ctx, kill));
                }
                match *id {
                    "n" => newest = true,
                    "o" => oldest = true,
                    _ => negate = true,
                }
                criteria += (*id != "v") as usize;
            }
            "O" => {
                older = Some(strict(v).unwrap_or(0));
                criteria += 1;
            }
            "r" => {
                states = Some(v.to_vec());
                criteria += 1;
            }
            "F" => criteria += 1,
            "t" => {
                if v.is_empty() {
                    return Err(usage(ctx, kill));
                }
                ttys.get_or_insert_with(Vec::new)
                    .extend(v.split(|&b| b == b',').map(<[u8]>::to_vec));
                criteria += 1;
            }
            "g" | "G" | "P" | "s" | "u" | "U" => {
                if v.is_empty() {
                    return Err(usage(ctx, kill));
                }
                let mut l = Vec::new();
                for x in v.split(|&b| b == b',') {
                    let n = match (*id, strict(x)) {
                        ("g", Some(0)) => Some(sp::getpgrp() as i64),
                        ("s", Some(0)) => Some(Proc::read(0).map_or(0, |p| p.sid as i64)),
                        (_, Some(n)) => Some(n),
                        ("u" | "U", None) => names.users().id(x).map(i64::from),
                        ("G", None) => names.groups().id(x).map(i64::from),
                        _ => None,
                    };
                    let Some(n) = n else {
                        let what = match *id {
                            "u" | "U" => "invalid user name",
                            "G" => "invalid group name",
                            "g" => "invalid process group",
                            "s" => "invalid session id",
                            _ => "not a number",
                        };
                        let mut msg = format!("{what}: ").into_bytes();
                        msg.extend_from_slice(x);
                        ctx.msg(&msg);
                        return Err(Error::silent(2));
                    };
                    l.push(n);
                }
                lists.push((id, l));
                criteria += 1;
            }
            _ => {}
        }
    }
    if m.flag("L") && !m.flag("F") {
        let msg = format!(
            "-L without -F makes no sense\nTry `{} --help' for more information.",
            ctx.name
        );
        return Err(Error::new(2, msg));
    }
    if let Some(f) = m.last("F") {
        let pid = std::fs::read(f).ok().and_then(|d| {
            let d = d.trim_ascii_start();
            let n = d.iter().take_while(|b| b.is_ascii_digit()).count();
            strict(&d[..n]).filter(|&p| p > 0)
        });
        let Some(pid) = pid else {
            let msg = format!(
                "pidfile not valid\nTry `{} --help' for more information.",
                ctx.name
            );
            return Err(Error::new(1, msg));
        };
        lists.push(("p", vec![pid]));
    }
    let pattern = match m.operands.len() {
        0 if criteria == 0 => {
            let msg = format!(
                "no matching criteria specified\nTry `{} --help' for more information.",
                ctx.name
            );
            return Err(Error::new(2, msg));
        }
        0 => None,
        1 => Some(m.operands[0].as_bytes()),
        _ => {
            let msg = format!(
                "only one pattern can be provided\nTry `{} --help' for more information.",
                ctx.name
            );
            return Err(Error::new(2, msg));
        }
    };
    let re = match pattern {
        Some(p) => {
            let p = if m.flag("x") {
                [b"^(", p, b")$"].concat()
            } else {
                p.to_vec()
            };
            let flags = Flags::EXTENDED | Flags::NOSUB | if m.flag("i") { Flags::ICASE } else { 0 };
            match Regex::new(&p, Flags(flags)) {
                Ok(r) => Some(r),
                Err(e) => return Err(Error::new(2, format!("regex error: {}", e.0.message()))),
            }
        }
        None => None,
    };
    let me = Proc::read(0).unwrap_or_default();
    let mut ancestors = Vec::new();
    if m.flag("A") {
        let mut p = me.clone();
        while p.pid > 0 {
            ancestors.push(p.pid);
            match Proc::read(p.ppid) {
                Some(q) if p.ppid > 0 => p = q,
                _ => break,
            }
        }
    }
    let (full, long, longlong) = (m.flag("f"), m.flag("l"), m.flag("a"));
    let uptime = proc::uptime();
    let hz = sp::clock_ticks() as f64;
    let mut found: Vec<(Proc, Vec<u8>)> = Vec::new();
    for p in proc::all() {
        if p.pid == me.pid || ancestors.contains(&p.pid) {
            continue;
        }
        let mut yes = lists.iter().all(|(id, l)| {
            l.contains(&match *id {
                "g" => p.pgrp as i64,
                "G" => p.gid[0] as i64,
                "P" => p.ppid as i64,
                "s" => p.sid as i64,
                "u" => p.uid[1] as i64,
                "U" => p.uid[0] as i64,
                _ => p.pid as i64,
            })
        });
        yes = yes && older.is_none_or(|o| ((uptime - p.start as f64 / hz) as i64) >= o);
        yes = yes
            && ttys
                .as_ref()
                .is_none_or(|t| t.contains(&proc::tty_name(p.tty)));
        yes = yes && states.as_ref().is_none_or(|s| s.contains(&p.state));
        let args = if full || longlong {
            p.args()
        } else {
            Vec::new()
        };
        if let (true, Some(re)) = (yes, &re) {
            yes = re.is_match(if full { &args } else { &p.comm });
        }
        if yes != negate {
            let shown = if longlong { args } else { p.comm.clone() };
            found.push((p, shown));
        }
    }
    if newest || oldest {
        // Latest (earliest) start; among equals the larger (smaller) pid, as procps's scan.
        let best = found.iter().enumerate().max_by(|a, b| {
            let k = |p: &Proc| (p.start, p.pid);
            let o = k(&a.1 .0).cmp(&k(&b.1 .0));
            if newest {
                o
            } else {
                o.reverse()
            }
        });
        found = best
            .map(|(i, _)| i)
            .map(|i| found.swap_remove(i))
            .into_iter()
            .collect();
    }
    if pattern.is_some_and(|p| p.len() > 15) && found.is_empty() && !full {
        let msg = format!(
            "pattern that searches for process name longer than 15 characters will result in \
             zero matches\nTry `{} -f' option to match against the complete command line.",
            ctx.name
        );
        ctx.msg(msg.as_bytes());
    }
    let mut out = Vec::new();
    if kill {
        let mut killed = 0;
        for (p, shown) in &found {
            match sp::kill(p.pid, sig) {
                Ok(()) => {
                    killed += 1;
                    if m.flag("e") {
                        out.extend_from_slice(shown);
                        push_fmt(&mut out, format_args!(" killed (pid {})\n", p.pid));
                    }
                }
                Err(e) if e.raw_os_error() == Some(libc::ESRCH) => {}
                Err(e) => ctx.msgf(format_args!(
                    "killing pid {} failed: {}",
                    p.pid,
                    strerror(&e)
                )),
            }
        }
        if m.flag("c") {
            push_fmt(&mut out, format_args!("{}\n", found.len()));
        }
        ctx.out.write_all(&out)?;
        return if killed > 0 {
            Ok(())
        } else {
            Err(Error::silent(1))
        };
    }
    if m.flag("c") {
        push_fmt(&mut out, format_args!("{}\n", found.len()));
    } else {
        let delim = m.last("d").map_or(&b"\n"[..], |d| d.as_bytes());
        for (i, (p, shown)) in found.iter().enumerate() {
            out.extend_from_slice(p.pid.to_string().as_bytes());
            if long || longlong {
                out.push(b' ');
                out.extend_from_slice(shown);
            }
            out.extend_from_slice(if i + 1 == found.len() { b"\n" } else { delim });
        }
    }
    ctx.out.write_all(&out)?;
    if found.is_empty() {
        return Err(Error::silent(1));
    }
    Ok(())
}
