//! `nohup`: run a command immune to hangups.
//!
//! GNU coreutils 9 `nohup COMMAND [ARG]...`: SIGHUP ignored, then the command replaces nohup
//! (found as execvp finds it, rbox applets as the fallback). A terminal on standard input is
//! replaced by an unreadable descriptor (/dev/null opened write-only); a terminal on standard
//! output by `nohup.out` (else `$HOME/nohup.out`), opened for appending with mode 0600; a
//! terminal on standard error by standard output. GNU's notes on standard error (`nohup:
//! ignoring input and appending output to 'nohup.out'`, `redirecting stderr to stdout`).
//! Statuses: 125 for nohup's own failures (`missing operand`, nohup.out not writable), 126
//! for a command found but not runnable, 127 for one not found. In a container (no terminal)
//! it only ignores SIGHUP, as entrypoints running `nohup "$@" &` expect. Deviation: none known.

use std::ffi::OsString;
use std::io;
use std::os::unix::ffi::OsStringExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::exec;
use crate::common::help::help_text;
use crate::common::io::{stderr_fd, stdin_fd, stdout_fd};
use crate::common::sys::fd::{self as sfd, AsFd};
use crate::common::sys::signal::{self as ss, Handler};
use crate::common::{ctx::strerror, quote, Ctx, Error, Result};

/// nohup's own failures.
const FAIL: i32 = 125;

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: nohup COMMAND [ARG]...
  or:  nohup OPTION
Run COMMAND, ignoring hangup signals.

      --help        display this help and exit
      --version     output version information and exit

If standard input is a terminal, redirect it from an unreadable file.
If standard output is a terminal, append output to 'nohup.out' if possible,
'$HOME/nohup.out' otherwise.
If standard error is a terminal, redirect it to standard output.
To save output to FILE, use 'nohup COMMAND > FILE'.
"
    ),
)
.code(FAIL)
.require_order();

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    match run(argv, ctx) {
        Ok(st) => st,
        Err(e) => ctx.finish(Err(e)),
    }
}

fn open_append(name: &[u8]) -> io::Result<sfd::OwnedFd> {
    sfd::open(
        name,
        libc::O_CREAT | libc::O_WRONLY | libc::O_APPEND | libc::O_CLOEXEC,
        0o600,
    )
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<i32> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(ctx.finish(Ok(())));
    };
    if m.operands.is_empty() {
        return Err(args::usage_error(ctx, &SPEC, b"missing operand", FAIL));
    }
    let ignoring_input = sfd::isatty(stdin_fd());
    let redirecting_stdout = sfd::isatty(stdout_fd());
    let stdout_closed = !redirecting_stdout && sfd::fstat(stdout_fd()).is_err();
    let redirecting_stderr = sfd::isatty(stderr_fd());

    if ignoring_input {
        let null = sfd::open(b"/dev/null", libc::O_WRONLY | libc::O_CLOEXEC, 0)
            .and_then(|f| sfd::dup2(f.as_fd(), 0));
        if let Err(e) = null {
            let m = format!("failed to render standard input unusable: {}", strerror(&e));
            return Err(Error::new(FAIL, m));
        }
        if !redirecting_stdout && !redirecting_stderr {
            ctx.msg(b"ignoring input");
        }
    }
    // Where stdout goes when it is a terminal (or closed while stderr is one).
    let mut out_fd: Option<sfd::OwnedFd> = None;
    if redirecting_stdout || (stdout_closed && redirecting_stderr) {
        let mut name = b"nohup.out".to_vec();
        let f = match open_append(&name) {
            Ok(f) => f,
            Err(first) => {
                let home = std::env::var_os("HOME").map(OsString::into_vec);
                let alt = home.map(|mut h| {
                    h.extend_from_slice(b"/nohup.out");
                    h
                });
                match alt.as_deref().map(|a| (a, open_append(a))) {
                    Some((a, Ok(f))) => {
                        name = a.to_vec();
                        f
                    }
                    Some((a, Err(e))) => {
                        let mut m = b"failed to open ".to_vec();
                        m.extend_from_slice(&quote::quote_locale(a));
                        m.extend_from_slice(b": ");
                        m.extend_from_slice(strerror(&e).as_bytes());
                        return Err(Error::new(FAIL, m));
                    }
                    None => {
                        let mut m = b"failed to open ".to_vec();
                        m.extend_from_slice(&quote::quote_locale(&name));
                        m.extend_from_slice(b": ");
                        m.extend_from_slice(strerror(&first).as_bytes());
                        return Err(Error::new(FAIL, m));
                    }
                }
            }
        };
        let mut m = if ignoring_input {
            b"ignoring input and appending output to ".to_vec()
        } else {
            b"appending output to ".to_vec()
        };
        m.extend_from_slice(&quote::quote_locale(&name));
        ctx.msg(&m);
        if let Err(e) = sfd::dup2(f.as_fd(), 1) {
            return Err(Error::new(FAIL, strerror(&e)));
        }
        out_fd = Some(f);
    }
    // Messages about running the command go to the original stderr, even once 2 is moved.
    let saved_err = sfd::dup_min(stderr_fd(), 3).ok();
    if redirecting_stderr {
        if !redirecting_stdout {
            ctx.msg(if ignoring_input {
                b"ignoring input and redirecting stderr to stdout"
            } else {
                b"redirecting stderr to stdout"
            });
        }
        if let Err(e) = sfd::dup2(stdout_fd(), 2) {
            return Err(Error::new(FAIL, strerror(&e)));
        }
    }
    drop(out_fd);
    if let Err(e) = ss::set_handler(libc::SIGHUP, Handler::Ignore) {
        return Err(Error::new(FAIL, strerror(&e)));
    }
    let cmd: Vec<Vec<u8>> = m.operands.into_iter().map(OsString::into_vec).collect();
    match exec::exec(&cmd, &exec::environ()).status() {
        Ok(st) => Ok(st),
        Err((code, e)) => {
            if let Some(fd) = &saved_err {
                let _ = sfd::dup2(fd.as_fd(), 2);
            }
            Err(Error::new(code, exec::failed_to_run(&cmd[0], &e)))
        }
    }
}
