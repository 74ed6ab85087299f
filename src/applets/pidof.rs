//! `pidof`: the pids of running programs.
//!
//! procps-ng 4's `pidof` (sysvinit's on Debian, which agrees on what scripts use): a program
//! matches by its first argument (a login shell's `-` dropped), that argument's base name, the
//! executable's path or base name (/proc/PID/exe), or its command name when the first argument
//! holds a space (setproctitle); `-x` also matches scripts (the second argument, when the
//! command name begins it); `-w` includes kernel threads (by command name). Pids print newest
//! first on one line; `-s` one per program, `-q` none (status only), `-S`/`-d SEP` between
//! them, `-o PID,...` (`%PPID` for our parent) omits, `-c` keeps processes with our root
//! directory; pidof never lists itself. Status 0 when something matched, else 1; a bad option
//! prints the usage, status 1. `-n` and `-m` are accepted and ignored, as procps's.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::Opt;
use crate::common::help::{help_text, Help};
use crate::common::proc;
use crate::common::sys::{fs, process as sp};
use crate::common::{Ctx, Error, Result};

const USAGE: Help = help_text!(
    "
Usage:
 pidof [options] [program [...]]

Options:
 -s, --single-shot         return one PID only
 -c, --check-root          omit processes with different root
 -q,                       quiet mode, only set the exit code
 -w, --with-workers        show kernel workers too
 -x                        also find shells running the named scripts
 -o, --omit-pid <PID,...>  omit processes with PID
 -S, --separator SEP       use SEP as separator put between PIDs
 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see pidof(1).
"
);

static OPTS: &[Opt] = &[
    Opt::flag("c", Some(b'c'), Some("check-root")),
    Opt::flag("s", Some(b's'), Some("single-shot")),
    Opt::arg("o", Some(b'o'), Some("omit-pid")),
    Opt::arg("S", Some(b'S'), Some("separator")),
    Opt::arg("S", Some(b'd'), None),
    Opt::flag("q", Some(b'q'), Some("quiet")),
    Opt::flag("w", Some(b'w'), Some("with-workers")),
    Opt::flag("x", Some(b'x'), None),
    Opt::flag("n", Some(b'n'), None),
    Opt::flag("m", Some(b'm'), None),
    Opt::flag("help", Some(b'h'), Some("help")),
    Opt::flag("version", Some(b'V'), Some("version")),
];

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn base(p: &[u8]) -> &[u8] {
    p.rsplit(|&b| b == b'/').next().unwrap_or(p)
}

fn link(pid: i32, name: &str) -> Vec<u8> {
    fs::readlinkat(
        crate::common::sys::fd::cwd(),
        if pid == 0 {
            format!("/proc/self/{name}")
        } else {
            format!("/proc/{pid}/{name}")
        }
        .as_bytes(),
        64,
    )
    .unwrap_or_default()
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = proc::getopt(ctx, &argv, OPTS, USAGE)? else {
        return Ok(());
    };
    let mut omit = vec![sp::getpid()];
    for v in m.values("o") {
        for x in v.as_bytes().split(|&b| b == b',' || b == b';' || b == b':') {
            let n = if x == b"%PPID" {
                sp::getppid()
            } else {
                let d = x.iter().take_while(|b| b.is_ascii_digit()).count();
                std::str::from_utf8(&x[..d])
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0)
            };
            omit.push(n);
        }
    }
    let root = (m.flag("c") && crate::common::sys::user::geteuid() == 0).then(|| link(0, "root"));
    let (single, quiet, scripts, workers) = (
        m.flag("s") || m.flag("q"),
        m.flag("q"),
        m.flag("x"),
        m.flag("w"),
    );
    let sep = m.last("S").map_or(&b" "[..], |s| s.as_bytes());
    let procs: Vec<(proc::Proc, Vec<u8>)> = proc::all()
        .into_iter()
        .filter(|p| !omit.contains(&p.pid))
        .filter(|p| root.as_ref().is_none_or(|r| link(p.pid, "root") == *r))
        .map(|p| {
            let c = p.cmdline();
            (p, c)
        })
        .collect();
    let mut out = Vec::new();
    let mut found = false;
    for prog in &m.operands {
        let prog = prog.as_bytes();
        if prog.is_empty() {
            continue;
        }
        let pbase = base(prog);
        for (p, cmd) in procs.iter().rev() {
            if cmd.is_empty() && !workers {
                continue;
            }
            let mut args = cmd.split(|&b| b == 0);
            let a0 = args.next().unwrap_or_default();
            let a0 = a0.strip_prefix(b"-").unwrap_or(a0);
            let exe = link(p.pid, "exe");
            let mut hit = prog == base(a0)
                || pbase == a0
                || prog == a0
                || (workers && prog == p.comm.as_slice())
                || prog == base(&exe)
                || prog == exe.as_slice();
            if !hit && scripts {
                if let Some(a1) = args.next().filter(|a| !a.is_empty()) {
                    hit = base(a1).starts_with(&p.comm)
                        && (prog == base(a1) || pbase == a1 || prog == a1);
                }
            }
            if !hit && a0.contains(&b' ') {
                hit = prog == p.comm.as_slice();
            }
            if hit {
                if !quiet {
                    if found {
                        out.extend_from_slice(sep);
                    }
                    out.extend_from_slice(p.pid.to_string().as_bytes());
                }
                found = true;
                if single {
                    break;
                }
            }
        }
    }
    if !found {
        return Err(Error::silent(1));
    }
    if !quiet {
        out.push(b'\n');
    }
    ctx.out.write_all(&out)?;
    Ok(())
}
