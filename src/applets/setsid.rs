//! `setsid`: run a program in a new session.
//!
//! util-linux 2.38's `setsid [-c] [-f] [-w] PROGRAM [ARG]...`: a process-group leader (a
//! shell's job, PID 1) cannot start a session, so it forks first (`-f`: always); the parent
//! then exits 0 at once, or with `-w` waits and exits with the program's status. `-c` makes
//! standard input's terminal the controlling terminal. The program is found as execvp finds
//! it (rbox applets as the fallback); `failed to execute NAME: ...` with 126, or 127 when not
//! found. Messages and statuses as util-linux's. Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::ctx::{errno_text, strerror};
use crate::common::exec;
use crate::common::help::help_text;
use crate::common::io::stdin_fd;
use crate::common::sys::process::{self as sp, Fork};
use crate::common::sys::term;
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("ctty", Some(b'c'), Some("ctty")),
        Opt::flag("fork", Some(b'f'), Some("fork")),
        Opt::flag("wait", Some(b'w'), Some("wait")),
        Opt::flag("help", Some(b'h'), Some("help")),
        Opt::flag("version", Some(b'V'), Some("version")),
    ],
    help_text!(
        "
Usage:
 setsid [options] <program> [arguments ...]

Run a program in a new session.

Options:
 -c, --ctty     set the controlling terminal to the current one
 -f, --fork     always fork
 -w, --wait     wait program to exit, and use the same return
 -h, --help     display this help
 -V, --version  display version
"
    ),
)
.require_order();

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    match run(argv, ctx) {
        Ok(st) => st,
        Err(e) => ctx.finish(Err(e)),
    }
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<i32> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(ctx.finish(Ok(())));
    };
    if m.operands.is_empty() {
        return Err(args::usage_error(ctx, &SPEC, b"no command specified", 1));
    }
    let wait = m.flag("wait");
    if m.flag("fork") || sp::getpgrp() == sp::getpid() {
        ctx.out.flush()?;
        match sp::fork() {
            Err(e) => return Err(Error::io(1, "fork", &e)),
            Ok(Fork::Parent(pid)) => {
                if !wait {
                    return Ok(0);
                }
                let st = loop {
                    match sp::waitpid(pid, 0) {
                        Ok(Some((_, st))) => break st,
                        Ok(None) => continue,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        Err(e) => return Err(Error::io(1, "wait", &e)),
                    }
                };
                if let Some(c) = st.exit_code() {
                    return Ok(c);
                }
                // util-linux exits with the raw wait status (the signal number).
                let m = format!("child {pid} did not exit normally: {}", errno_text(0));
                return Err(Error::new(st.0 & 0xff, m));
            }
            Ok(Fork::Child) => {}
        }
    }
    if let Err(e) = sp::setsid() {
        return Err(Error::io(1, "setsid failed", &e));
    }
    if m.flag("ctty") {
        if let Err(e) = term::set_controlling_terminal(stdin_fd(), true) {
            return Err(Error::io(1, "failed to set the controlling terminal", &e));
        }
    }
    let cmd: Vec<Vec<u8>> = m.operands.into_iter().map(OsString::into_vec).collect();
    match exec::exec(&cmd, &exec::environ()).status() {
        Ok(st) => Ok(st),
        Err((code, e)) => {
            let mut msg = b"failed to execute ".to_vec();
            msg.extend_from_slice(&cmd[0]);
            msg.extend_from_slice(b": ");
            msg.extend_from_slice(strerror(&e).as_bytes());
            Err(Error::new(code, msg))
        }
    }
}
