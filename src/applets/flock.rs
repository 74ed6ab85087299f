//! `flock`: manage advisory file locks from shell scripts.
//!
//! util-linux 2.38's flock: `flock [OPTIONS] FILE|DIR COMMAND [ARG]...`,
//! `flock [OPTIONS] FILE|DIR -c|--command COMMAND` (through `$SHELL`, else /bin/sh), and
//! `flock [OPTIONS] FD`. Options (ending at the first operand): `-s/--shared`,
//! `-x/-e/--exclusive` (the default), `-u/--unlock`, `-n/--nb/--nonblock`,
//! `-w/--wait/--timeout SECS` (fractions allowed; 0 means -n), `-E/--conflict-exit-code N`,
//! `-o/--close` (the command does not inherit the lock descriptor), `-F/--no-fork` (exec the
//! command in place of flock), `--verbose`. The lock file is opened with O_CREAT (mode 0666
//! less the umask), a directory read-only. The wait under `-w` is bounded by a one-shot
//! ITIMER_REAL: SIGALRM interrupts the blocking flock(2) — no polling. Statuses as util-linux:
//! 1 (or `-E N`) on conflict or timeout, 64 for usage, 65 for a bad descriptor, 66 when the
//! lock file cannot be opened, 69 when the command cannot be run, 128+N when it is killed by
//! signal N, else its status. Messages as util-linux's. Deviation: no NFS re-open on EIO.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::common::args::{self, Arg, Getopt, Opt, Order, Spec};
use crate::common::exec::{self, Ran};
use crate::common::help::help_text;
use crate::common::sys::fd::{self, AsFd, BorrowedFd, OwnedFd};
use crate::common::sys::fs::{alarm_after, flock};
use crate::common::sys::process::{exit_now, fork, waitpid, Fork};
use crate::common::sys::signal::{set_handler, Handler};
use crate::common::{ctx::strerror, Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("shared", Some(b's'), Some("shared")),
        Opt::flag("exclusive", Some(b'x'), Some("exclusive")),
        Opt::flag("exclusive", Some(b'e'), None),
        Opt::flag("unlock", Some(b'u'), Some("unlock")),
        Opt::flag("nonblock", Some(b'n'), Some("nonblock")),
        Opt::flag("nonblock", None, Some("nb")),
        Opt::arg("timeout", Some(b'w'), Some("timeout")),
        Opt::arg("timeout", None, Some("wait")),
        Opt::arg("conflict-exit-code", Some(b'E'), Some("conflict-exit-code")),
        Opt::flag("close", Some(b'o'), Some("close")),
        Opt::flag("no-fork", Some(b'F'), Some("no-fork")),
        Opt::flag("verbose", None, Some("verbose")),
        Opt::flag("help", Some(b'h'), Some("help")),
        Opt::flag("version", Some(b'V'), Some("version")),
    ],
    help_text!(
        "
Usage:
 flock [options] <file>|<directory> <command> [<argument>...]
 flock [options] <file>|<directory> -c <command>
 flock [options] <file descriptor number>

Manage file locks from shell scripts.

Options:
 -s, --shared             get a shared lock
 -x, --exclusive          get an exclusive lock (default)
 -u, --unlock             remove a lock
 -n, --nonblock           fail rather than wait
 -w, --timeout <secs>     wait for a limited amount of time
 -E, --conflict-exit-code <number>  exit code after conflict or timeout
 -o, --close              close file descriptor before running command
 -c, --command <command>  run a single command string through the shell
 -F, --no-fork            execute command without forking
     --verbose            increase verbosity

 -h, --help               display this help
 -V, --version            display version
"
    ),
)
.code(64)
.require_order();

const EX_USAGE: i32 = 64;
const EX_DATAERR: i32 = 65;
const EX_NOINPUT: i32 = 66;
const EX_UNAVAILABLE: i32 = 69;
const EX_OSERR: i32 = 71;
const EX_CANTCREAT: i32 = 73;

static EXPIRED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_alarm(_: libc::c_int) {
    EXPIRED.store(true, Ordering::SeqCst);
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    match run(argv, ctx) {
        Ok(st) => st,
        Err(e) => ctx.finish(Err(e)),
    }
}

fn usage(m: impl Into<Vec<u8>>) -> Error {
    Error::new(EX_USAGE, m)
}

/// `1.5`, `10`, `.25`: seconds, as strtotimeval reads them.
fn seconds(v: &[u8]) -> Option<Duration> {
    let s = std::str::from_utf8(v).ok()?.trim_start();
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
        return None;
    }
    Duration::try_from_secs_f64(crate::common::num::parse_f64(s)?).ok()
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<i32> {
    if argv.len() < 2 {
        ctx.msg(b"not enough arguments");
        ctx.try_help();
        return Err(Error::silent(EX_USAGE));
    }
    let mut op = libc::LOCK_EX;
    let mut nonblock = false;
    let mut timeout: Option<Duration> = None;
    let mut conflict = 1;
    let mut close = false;
    let mut no_fork = false;
    let mut verbose = false;
    let mut ops: Vec<OsString> = Vec::new();
    for a in Getopt::new(&argv, SPEC.opts, Order::RequireOrder) {
        let a = a.map_err(|m| args::usage_error(ctx, &SPEC, &m, EX_USAGE))?;
        let (id, v) = match a {
            Arg::Operand(v) => {
                ops.push(v);
                continue;
            }
            Arg::Opt(o, v) => (o.id(), v.map(OsString::into_vec).unwrap_or_default()),
        };
        match Id::of(id.as_bytes()) {
            Some(Id::Help) | Some(Id::Version) => {
                args::answer(ctx, &SPEC, id)?;
                return Ok(ctx.finish(Ok(())));
            }
            Some(Id::Shared) => op = libc::LOCK_SH,
            Some(Id::Exclusive) => op = libc::LOCK_EX,
            Some(Id::Unlock) => op = libc::LOCK_UN,
            Some(Id::Nonblock) => nonblock = true,
            Some(Id::Close) => close = true,
            Some(Id::NoFork) => no_fork = true,
            Some(Id::Verbose) => verbose = true,
            Some(Id::Timeout) => {
                if v.first() == Some(&b'-') && seconds(&v[1..]).is_some() {
                    // util-linux hands a negative value to setitimer, which refuses it.
                    return Err(Error::new(
                        EX_OSERR,
                        "cannot set up timer: Invalid argument",
                    ));
                }
                let d = seconds(&v).ok_or_else(|| {
                    let mut m = b"invalid timeout value: '".to_vec();
                    m.extend_from_slice(&v);
                    m.push(b'\'');
                    usage(m)
                })?;
                timeout = Some(d);
            }
            _ => {
                let n: i64 = std::str::from_utf8(&v)
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| {
                        let mut m = b"invalid exit code: '".to_vec();
                        m.extend_from_slice(&v);
                        m.push(b'\'');
                        usage(m)
                    })?;
                if !(0..=255).contains(&n) {
                    return Err(usage("exit code out of range (expected 0 to 255)"));
                }
                conflict = n as i32;
            }
        }
    }
    if no_fork && close {
        return Err(usage("the --no-fork and --close options are incompatible"));
    }
    if timeout == Some(Duration::ZERO) {
        timeout = None;
        nonblock = true;
    }
    // The lock's descriptor: a file we open, or one the caller holds.
    let mut cmd: Vec<Vec<u8>> = Vec::new();
    let owned: Option<OwnedFd>;
    let num: i32;
    let name: Vec<u8>;
    if ops.len() > 1 {
        let second = ops[1].as_bytes();
        if second == b"-c" || second == b"--command" {
            if ops.len() != 3 {
                let mut m = second.to_vec();
                m.extend_from_slice(b" requires exactly one command argument");
                return Err(usage(m));
            }
            let shell = std::env::var_os("SHELL")
                .map(OsString::into_vec)
                .unwrap_or_else(|| b"/bin/sh".to_vec());
            cmd = vec![shell, b"-c".to_vec(), ops[2].as_bytes().to_vec()];
        } else {
            cmd = ops[1..].iter().map(|a| a.as_bytes().to_vec()).collect();
        }
        name = ops[0].as_bytes().to_vec();
        let f = open_lock(&name).map_err(|e| {
            let mut m = b"cannot open lock file ".to_vec();
            m.extend_from_slice(&name);
            m.extend_from_slice(b": ");
            m.extend_from_slice(strerror(&e).as_bytes());
            let code = match e.raw_os_error() {
                Some(libc::ENOMEM | libc::EMFILE | libc::ENFILE) => EX_OSERR,
                Some(libc::EROFS | libc::ENOSPC) => EX_CANTCREAT,
                _ => EX_NOINPUT,
            };
            Error::new(code, m)
        })?;
        num = std::os::fd::AsRawFd::as_raw_fd(&f);
        owned = Some(f);
    } else if let Some(n) = ops.first() {
        let v = n.as_bytes();
        let n: i32 = std::str::from_utf8(v)
            .ok()
            .and_then(|s| s.trim_start().parse().ok())
            .ok_or_else(|| {
                let mut m = b"bad file descriptor: '".to_vec();
                m.extend_from_slice(v);
                m.push(b'\'');
                usage(m)
            })?;
        name = n.to_string().into_bytes();
        owned = None;
        if n < 0 {
            return Err(Error::new(EX_DATAERR, format!("{n}: Bad file descriptor")));
        }
        num = n;
    } else {
        return Err(usage("requires file descriptor, file or directory"));
    }
    let raw: BorrowedFd = fd::borrow_raw(num);
    let started = Instant::now();
    if let Some(d) = timeout {
        EXPIRED.store(false, Ordering::SeqCst);
        set_handler(libc::SIGALRM, Handler::Catch(on_alarm))
            .and_then(|_| alarm_after(d))
            .map_err(|e| Error::new(EX_OSERR, format!("cannot set up timer: {}", strerror(&e))))?;
    }
    let flags = op | if nonblock { libc::LOCK_NB } else { 0 };
    let got = loop {
        match flock(raw, flags) {
            Ok(()) => break Ok(()),
            Err(e) => match e.raw_os_error() {
                Some(libc::EWOULDBLOCK) => break Err("failed to get lock"),
                Some(libc::EINTR) if EXPIRED.load(Ordering::SeqCst) => {
                    break Err("timeout while waiting to get lock")
                }
                Some(libc::EINTR) => continue,
                _ => {
                    if timeout.is_some() {
                        disarm();
                    }
                    let mut m = name.clone();
                    m.extend_from_slice(b": ");
                    m.extend_from_slice(strerror(&e).as_bytes());
                    let code = match e.raw_os_error() {
                        Some(libc::ENOLCK | libc::ENOMEM) => EX_OSERR,
                        _ => EX_DATAERR,
                    };
                    return Err(Error::new(code, m));
                }
            },
        }
    };
    if timeout.is_some() {
        disarm();
    }
    if let Err(why) = got {
        if verbose {
            ctx.msg(why.as_bytes());
        }
        return Err(Error::silent(conflict));
    }
    if verbose {
        let t = started.elapsed();
        ctx.msgf(format_args!(
            "getting lock took {}.{:06} seconds",
            t.as_secs(),
            t.subsec_micros()
        ));
    }
    if cmd.is_empty() {
        return Ok(ctx.finish(Ok(())));
    }
    if verbose {
        let mut m = b"executing ".to_vec();
        m.extend_from_slice(&cmd[0]);
        ctx.msg(&m);
    }
    let env = exec::environ();
    let _ = ctx.out.flush();
    if no_fork {
        // The lock descriptor stays open across the exec: the command holds the lock.
        if let Some(f) = owned {
            let _ = fd::set_cloexec(f.as_fd(), false);
            std::mem::forget(f);
        }
        return Ok(run_command(ctx, &cmd, &env));
    }
    let _ = set_handler(libc::SIGCHLD, Handler::Default);
    match fork().map_err(|e| Error::new(EX_OSERR, format!("fork failed: {}", strerror(&e))))? {
        Fork::Child => {
            match owned {
                Some(f) if !close => {
                    let _ = fd::set_cloexec(f.as_fd(), false);
                    std::mem::forget(f);
                }
                Some(f) => drop(f),
                None if close => {
                    let _ = fd::close_raw(num);
                }
                None => {}
            }
            let st = run_command(ctx, &cmd, &env);
            let _ = ctx.out.flush();
            exit_now(st);
        }
        Fork::Parent(pid) => loop {
            match waitpid(pid, 0) {
                Ok(Some((_, ws))) => {
                    return Ok(match (ws.exit_code(), ws.term_signal()) {
                        (Some(c), _) => c,
                        (None, Some(s)) => 128 + s,
                        _ => EX_OSERR,
                    });
                }
                Ok(None) => continue,
                Err(e) if e.raw_os_error() == Some(libc::EINTR) => continue,
                Err(e) => {
                    ctx.msgf(format_args!("waitpid failed: {}", strerror(&e)));
                    return Ok(1);
                }
            }
        },
    }
}

crate::common::args::named! {
    /// The option ids the match above knows: one search of their names instead of a
    /// comparison with each.
    enum Id {
        Help = "help",
        Version = "version",
        Shared = "shared",
        Exclusive = "exclusive",
        Unlock = "unlock",
        Nonblock = "nonblock",
        Close = "close",
        NoFork = "no-fork",
        Verbose = "verbose",
        Timeout = "timeout",
    }
}

fn disarm() {
    let _ = alarm_after(Duration::ZERO);
    let _ = set_handler(libc::SIGALRM, Handler::Default);
}

/// Exec the command (an applet runs here when it is on no PATH directory); its status, or
/// 69 after `failed to execute CMD: ...`.
fn run_command(ctx: &mut Ctx, cmd: &[Vec<u8>], env: &[Vec<u8>]) -> i32 {
    match exec::exec(cmd, env) {
        Ran::Applet(st) => st,
        Ran::Failed(e) => {
            let mut m = b"failed to execute ".to_vec();
            m.extend_from_slice(&cmd[0]);
            m.extend_from_slice(b": ");
            m.extend_from_slice(strerror(&e).as_bytes());
            ctx.msg(&m);
            if e.raw_os_error() == Some(libc::ENOMEM) {
                EX_OSERR
            } else {
                EX_UNAVAILABLE
            }
        }
    }
}

/// util-linux's open_file: read-only with O_CREAT (0666 less the umask); a directory, which
/// refuses O_CREAT, read-only without it.
fn open_lock(name: &[u8]) -> std::io::Result<OwnedFd> {
    let fl = libc::O_RDONLY | libc::O_NOCTTY | libc::O_CLOEXEC;
    match fd::open(name, fl | libc::O_CREAT, 0o666) {
        Err(e) if e.raw_os_error() == Some(libc::EISDIR) => fd::open(name, fl, 0),
        r => r,
    }
}
