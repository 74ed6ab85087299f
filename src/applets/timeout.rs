//! `timeout`: run a command with a time limit.
//!
//! GNU coreutils 9 `timeout`: `-s`/`--signal=SIG` (names and numbers from `common::signals`),
//! `-k`/`--kill-after=DURATION`, `-v`/`--verbose`, `--preserve-status`, `--foreground`;
//! DURATION as `sleep`'s (fractions, `s m h d` suffixes; 0 means no limit). Without
//! `--foreground`, timeout puts itself and the command in a new process group and signals the
//! whole group (then SIGCONT, so a stopped command sees it), as GNU does; INT, QUIT, HUP, TERM
//! and the chosen signal sent to timeout are passed on the same way. The waiting is a
//! `sigtimedwait` on the blocked signals (no handlers, no timers). Statuses: 124 on timeout
//! (unless `--preserve-status`), 125 timeout's own errors, 126/127 when the command cannot
//! be run or found (it is found as execvp finds it, rbox applets as the fallback), 137 when
//! KILL was needed; a command killed by another signal makes timeout die of the same signal
//! (core dumps off). Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::time::{Duration, Instant};

use crate::common::args::{self, Opt, Spec};
use crate::common::exec;
use crate::common::help::help_text;
use crate::common::sys::process::{self as sp, Fork, Pid};
use crate::common::sys::signal::{self as ss, Handler, SigSet};
use crate::common::{ctx::strerror, num, quote, signals, Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("foreground", None, Some("foreground")),
        Opt::arg("kill-after", Some(b'k'), Some("kill-after")),
        Opt::flag("preserve-status", None, Some("preserve-status")),
        Opt::arg("signal", Some(b's'), Some("signal")),
        Opt::flag("verbose", Some(b'v'), Some("verbose")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: timeout [OPTION] DURATION COMMAND [ARG]...
  or:  timeout [OPTION]
Start COMMAND, and kill it if still running after DURATION.

Mandatory arguments to long options are mandatory for short options too.
      --preserve-status
                 exit with the same status as COMMAND, even when the
                   command times out
      --foreground
                 when not running timeout directly from a shell prompt,
                   allow COMMAND to read from the TTY and get TTY signals;
                   in this mode, children of COMMAND will not be timed out
  -k, --kill-after=DURATION
                 also send a KILL signal if COMMAND is still running
                   this long after the initial signal was sent
  -s, --signal=SIGNAL
                 specify the signal to be sent on timeout;
                   SIGNAL may be a name like 'HUP' or a number;
                   see 'kill -l' for a list of signals
  -v, --verbose  diagnose to stderr any signal sent upon timeout
      --help        display this help and exit
      --version     output version information and exit

DURATION is a floating point number with an optional suffix:
's' for seconds (the default), 'm' for minutes, 'h' for hours or 'd' for days.
A duration of 0 disables the associated timeout.

Upon timeout, send the TERM signal to COMMAND, if no other SIGNAL specified.
The TERM signal kills any process that does not block or catch that signal.
It may be necessary to use the KILL signal, since this signal can't be caught.

EXIT status:
  124  if COMMAND times out, and --preserve-status is not specified
  125  if the timeout command itself fails
  126  if COMMAND is found but cannot be invoked
  127  if COMMAND cannot be found
  137  if COMMAND (or timeout itself) is sent the KILL (9) signal (128+9)
  -    the exit status of COMMAND otherwise
"
    ),
)
.code(125)
.require_order();

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    match run(argv, ctx) {
        Ok(st) => st,
        Err(e) => ctx.finish(Err(e)),
    }
}

fn duration(ctx: &mut Ctx, s: &OsString) -> Result<Option<Duration>> {
    let Some(secs) = num::duration(s.as_bytes()) else {
        let mut m = b"invalid time interval ".to_vec();
        m.extend_from_slice(&quote::quote_locale(s.as_bytes()));
        return Err(args::usage_error(ctx, &SPEC, &m, 125));
    };
    if secs == 0.0 {
        return Ok(None);
    }
    // Beyond what a timespec holds: no limit in practice.
    Ok(Some(
        Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX),
    ))
}

struct Monitor {
    pid: Pid,
    foreground: bool,
    verbose: bool,
    command: Vec<u8>,
}

impl Monitor {
    fn send(&self, ctx: &mut Ctx, sig: i32) {
        if self.verbose {
            let name = signals::signal_name(sig).unwrap_or_else(|| sig.to_string());
            let mut m = format!("sending signal {name} to command ").into_bytes();
            m.extend_from_slice(&quote::quote_locale(&self.command));
            ctx.msg(&m);
        }
        let _ = sp::kill(self.pid, sig);
        if !self.foreground {
            // The group includes timeout: ignore the signal so it does not come back.
            let _ = ss::set_handler(sig, Handler::Ignore);
            let _ = sp::kill(0, sig);
            if sig != libc::SIGKILL && sig != libc::SIGCONT {
                let _ = sp::kill(self.pid, libc::SIGCONT);
                let _ = sp::kill(0, libc::SIGCONT);
            }
        }
    }
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<i32> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(ctx.finish(Ok(())));
    };
    let mut term = libc::SIGTERM;
    if let Some(s) = m.last("signal") {
        match signals::signal_number(s.as_bytes()) {
            Some(n) => term = n,
            None => {
                let mut msg = quote::quote_locale(s.as_bytes());
                msg.extend_from_slice(b": invalid signal");
                return Err(args::usage_error(ctx, &SPEC, &msg, 125));
            }
        }
    }
    let mut kill_after = match m.last("kill-after") {
        Some(k) => duration(ctx, k)?,
        None => None,
    };
    if m.operands.len() < 2 {
        ctx.try_help();
        return Err(Error::silent(125));
    }
    let limit = duration(ctx, &m.operands[0])?;
    let cmd: Vec<Vec<u8>> = m.operands[1..]
        .iter()
        .cloned()
        .map(OsString::into_vec)
        .collect();
    let foreground = m.flag("foreground");
    let mut preserve = m.flag("preserve-status");
    ctx.out.flush()?;

    if !foreground {
        let _ = sp::setpgid(0, 0);
    }
    let mut set = SigSet::empty();
    for s in [
        libc::SIGALRM,
        libc::SIGINT,
        libc::SIGQUIT,
        libc::SIGHUP,
        libc::SIGTERM,
        libc::SIGCHLD,
        term,
    ] {
        if s > 0 {
            set.add(s);
        }
    }
    let _ = ss::set_handler(libc::SIGTTIN, Handler::Ignore);
    let _ = ss::set_handler(libc::SIGTTOU, Handler::Ignore);
    let _ = ss::set_handler(libc::SIGCHLD, Handler::Default);
    let old = ss::sigprocmask(libc::SIG_BLOCK, &set)
        .map_err(|e| Error::new(125, format!("cannot block signals: {}", strerror(&e))))?;
    let pid = match sp::fork() {
        Ok(Fork::Child) => {
            let _ = ss::sigprocmask(libc::SIG_SETMASK, &old);
            let _ = ss::set_handler(libc::SIGTTIN, Handler::Default);
            let _ = ss::set_handler(libc::SIGTTOU, Handler::Default);
            let st = match exec::exec(&cmd, &exec::environ()).status() {
                Ok(st) => st,
                Err((code, e)) => {
                    ctx.msg(&exec::failed_to_run(&cmd[0], &e));
                    code
                }
            };
            sp::exit_now(st)
        }
        Ok(Fork::Parent(pid)) => pid,
        Err(e) => {
            return Err(Error::new(
                125,
                format!("fork system call failed: {}", strerror(&e)),
            ))
        }
    };
    let mon = Monitor {
        pid,
        foreground,
        verbose: m.flag("verbose"),
        command: cmd[0].clone(),
    };
    let mut deadline = limit.and_then(|d| Instant::now().checked_add(d));
    let mut timed_out = false;
    // Signals sent to our own group: ignored from then on (GNU sets SIG_IGN; a blocked signal
    // is still queued, so its echo is dropped here).
    let mut ignored = 0u128;
    let status = loop {
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        let got = match left {
            Some(l) if l.is_zero() => None,
            _ => match ss::sigtimedwait(&set, left) {
                Ok(s) => s,
                Err(_) => continue,
            },
        };
        let sig = match got {
            Some(libc::SIGCHLD) => match sp::waitpid(pid, libc::WNOHANG) {
                Ok(Some((_, st))) => break st,
                Ok(None) => continue,
                Err(e) => {
                    ctx.msgf(format_args!("error waiting for child: {}", strerror(&e)));
                    return Ok(125);
                }
            },
            Some(s) if ignored & (1 << s) != 0 => continue,
            Some(s) if s != libc::SIGALRM => s,
            _ => {
                timed_out = true;
                term
            }
        };
        if let Some(k) = kill_after.take() {
            term = libc::SIGKILL;
            deadline = Instant::now().checked_add(k);
        } else if got.is_none() {
            deadline = None;
        }
        mon.send(ctx, sig);
        if !foreground && (0..128).contains(&sig) {
            ignored |= 1 << sig;
        }
    };
    let code = if let Some(c) = status.exit_code() {
        c
    } else if let Some(sig) = status.term_signal() {
        if status.core_dumped() {
            ctx.msg(b"the monitored command dumped core");
        }
        if !timed_out && ss::disable_core_dumps() {
            // Die of the same signal, as the command did.
            let _ = ss::set_handler(sig, Handler::Default);
            let mut one = SigSet::empty();
            one.add(sig);
            let _ = ss::sigprocmask(libc::SIG_UNBLOCK, &one);
            let _ = sp::kill(sp::getpid(), sig);
        }
        if timed_out && sig == libc::SIGKILL {
            preserve = true;
        }
        128 + sig
    } else {
        1
    };
    Ok(if timed_out && !preserve { 124 } else { code })
}
