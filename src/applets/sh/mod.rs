//! `sh`: a POSIX shell (XCU chapter 2, "Shell Command Language", issue 8) that behaves like
//! dash: same grammar, expansions, builtins, messages (`sh: 1: foo: not found`) and statuses.
//!
//! Invocation: `sh [-aCefnuvx] [-o name]... [-c string [name [arg...]] | -s [arg...] |
//! script [arg...]]`. Commands are parsed one complete command at a time and interpreted from
//! the tree. Commands that are not found on PATH but are rbox applets run from this binary
//! (never ahead of PATH). The last simple command of `sh -c` replaces the shell (no fork).
//!
//! Deviations from dash: `$'...'` quoting and `++`/`--` in arithmetic are accepted (POSIX 2024
//! and bash/ash).
//!
//! Layout: [`input`] (line sources), [`parser`] (lexer + parser) into [`ast`], [`state`] (the
//! shell's state: variables, options, traps, ...), [`exec`] (the interpreter), [`expand`] (word
//! expansions), [`arith`], [`pattern`] (matching and globbing), [`vars`], [`proc`] (children:
//! fork, wait, reaped statuses, the job table), [`builtins`]; interactive use: [`interactive`] (prompts, read-eval loop
//! over [`lineedit`]), [`jobctl`] (job control), [`pid1`] (the shell as a container's PID 1).

pub mod arith;
pub mod ast;
pub mod builtins;
pub mod cond;
pub mod exec;
pub mod expand;
pub mod input;
pub mod interactive;
pub mod jobctl;
pub mod lineedit;
pub mod parser;
pub mod pattern;
pub mod pid1;
pub mod proc;
pub mod state;
pub mod vars;

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use crate::common::Ctx;
use exec::{Flow, Shell};
use input::{FdSource, Input};

pub const USAGE: &str = "Usage: sh [-aCefnuvx] [-o OPTION]... [-c STRING [NAME [ARG]...] | -s [ARG]... | FILE [ARG]...]\n";

pub fn main(args: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let args: Vec<Vec<u8>> = args.into_iter().map(|a| a.into_vec()).collect();
    let argv0 = args.first().cloned().unwrap_or_else(|| b"sh".to_vec());
    let mut sh = Shell::new(argv0.clone());
    let _ = ctx.out.flush();

    if args.get(1).is_some_and(|a| a == b"--help") {
        let _ = ctx.out.write_all(USAGE.as_bytes());
        return ctx.finish(Ok(()));
    }
    // Options: -c, -s, -i and the `set` letters; `-o name`; stop at the first operand or `--`.
    let mut i = 1;
    let mut command: Option<Vec<u8>> = None;
    let mut want_c = false;
    let mut force_stdin = false;
    let mut login = false;
    let mut force_i = false;
    let mut no_monitor = false;
    while i < args.len() {
        let a = &args[i];
        if a == b"--" || a == b"-" {
            i += 1;
            break;
        }
        if a.len() < 2 || (a[0] != b'-' && a[0] != b'+') {
            break;
        }
        if a.starts_with(b"--") {
            // Long options as BusyBox ash takes them: `--login` is `-l`, any other (bash's
            // `--norc`, `--noprofile`, `--noediting`) is ignored.
            login |= a == b"--login";
            i += 1;
            continue;
        }
        let on = a[0] == b'-';
        let mut k = 1;
        while k < a.len() {
            let c = a[k];
            match c {
                b'c' if on => want_c = true,
                b's' if on => force_stdin = true,
                b'l' => login = true,
                b'i' => force_i = on,
                b'm' if !on => no_monitor = true,
                b'o' => {
                    i += 1;
                    match args.get(i) {
                        Some(name) => {
                            let n = String::from_utf8_lossy(name).into_owned();
                            match sh.opts.get_mut(&n) {
                                Some(f) => *f = on,
                                None => {
                                    sh.lineno = 0;
                                    let _ = crate::common::io::write_all(
                                        crate::common::io::stderr_fd(),
                                        &[&argv0[..], b": illegal option -o ", name, b"\n"]
                                            .concat(),
                                    );
                                    return 2;
                                }
                            }
                        }
                        None => {
                            let _ = crate::common::io::write_all(
                                crate::common::io::stderr_fd(),
                                &[&argv0[..], b": -o requires an argument\n"].concat(),
                            );
                            return 2;
                        }
                    }
                }
                _ => match sh.opts.by_letter(c) {
                    Some(f) => *f = on,
                    None => {
                        let _ = crate::common::io::write_all(
                            crate::common::io::stderr_fd(),
                            &[&argv0[..], b": illegal option ", &[a[0], c][..], b"\n"].concat(),
                        );
                        return 2;
                    }
                },
            }
            k += 1;
        }
        i += 1;
    }
    if want_c {
        match args.get(i) {
            Some(c) => {
                command = Some(c.clone());
                i += 1;
            }
            None => {
                let _ = crate::common::io::write_all(
                    crate::common::io::stderr_fd(),
                    &[&argv0[..], b": -c requires an argument\n"].concat(),
                );
                return 2;
            }
        }
        if let Some(name) = args.get(i) {
            sh.arg0 = name.clone();
            sh.cmdname = Some(name.clone().into());
            i += 1;
        }
        sh.pos = args[i..].to_vec();
    }

    // Interactive (issue 5): reading commands from a terminal, or -i.
    let reads_stdin = command.is_none() && (force_stdin || i >= args.len());
    let interactive = reads_stdin && (force_i || interactive::stdin_is_interactive());
    if interactive {
        interactive::setup(&mut sh, !no_monitor);
    } else if force_i {
        sh.opts.interactive = true;
    } else if sh.opts.monitor {
        jobctl::monitor_option(&mut sh, b"");
    }
    pid1::setup(&mut sh);

    // A login shell (`-sh` or `-l`) reads /etc/profile and $HOME/.profile first.
    if argv0.first() == Some(&b'-') || login {
        let mut files = vec![b"/etc/profile".to_vec()];
        if let Some(h) = sh.vars.get(b"HOME") {
            let mut p = h.to_vec();
            p.extend_from_slice(b"/.profile");
            files.push(p);
        }
        for f in files {
            if let Ok(data) = std::fs::read(os(&f)) {
                let mut inp = Input::from_bytes(&data);
                if let Err(Flow::Exit(s)) = sh.run_input(&mut inp, false) {
                    sh.status = s;
                    sh.run_exit_trap();
                    let _ = sh.out.flush();
                    return sh.status;
                }
            }
        }
    }

    if interactive {
        if let Err(Flow::Exit(s)) = interactive::source_env(&mut sh) {
            sh.status = s;
            sh.run_exit_trap();
            let _ = sh.out.flush();
            return sh.status;
        }
    }

    let result = if let Some(text) = command {
        sh.opts.command = true;
        // BusyBox ash numbers the lines of a `-c` string from 0 (dash from 1, bash from 1).
        let mut inp = Input::from_bytes(&text);
        inp.line = 0;
        sh.run_input(&mut inp, true)
    } else if !force_stdin && i < args.len() {
        let script = args[i].clone();
        sh.arg0 = script.clone();
        sh.cmdname = Some(script.clone().into());
        sh.pos = args[i + 1..].to_vec();
        let fd = crate::common::sys::fd::open(&script, libc::O_RDONLY | libc::O_CLOEXEC, 0);
        let fd = match fd {
            Ok(fd) => fd,
            Err(e) => return script_error(&argv0, &script, &e),
        };
        let fd = exec::move_script_fd(fd);
        let mut inp = Input::from_source(Box::new(FdSource::new(fd)));
        sh.run_input(&mut inp, false)
    } else {
        sh.opts.stdin = true;
        sh.pos = args[i..].to_vec();
        if interactive {
            Ok(interactive::run(&mut sh))
        } else {
            let mut inp = Input::from_source(Box::new(FdSource::stdin()));
            sh.run_input(&mut inp, false)
        }
    };
    sh.finish(result)
}

/// `sh: can't open 'SCRIPT': No such file or directory` as BusyBox words it; 127 when it does
/// not exist (POSIX; BusyBox says 2), 126 for another reason.
fn script_error(argv0: &[u8], script: &[u8], e: &std::io::Error) -> i32 {
    let m = crate::common::ctx::strerror(e);
    let msg = [
        argv0,
        b": can't open '",
        script,
        b"': ",
        m.as_bytes(),
        b"\n",
    ]
    .concat();
    let _ = crate::common::io::write_all(crate::common::io::stderr_fd(), &msg);
    if e.raw_os_error() == Some(libc::ENOENT) {
        127
    } else {
        126
    }
}

/// Fuzz entry: parse arbitrary bytes as a script (no execution), and run the pure parts of the
/// interpreter on them: arithmetic parsing and evaluation, pattern matching. Must never panic.
pub fn fuzz_one(data: &[u8]) {
    let _ = parser::parse_all(data);
    if let Ok(e) = arith::parse(data) {
        struct V(u32);
        impl arith::Vars for V {
            fn get(&mut self, n: &[u8]) -> Result<i64, String> {
                Ok(n.len() as i64 - 3)
            }
            fn set(&mut self, _: &[u8], _: i64) -> Result<(), String> {
                self.0 += 1;
                Ok(())
            }
        }
        let _ = arith::eval(&e, &mut V(0));
    }
    let half = data.len() / 2;
    let (p, s) = data.split_at(half);
    let _ = pattern::fnmatch(p, s, false);
    let _ = pattern::fnmatch(p, s, true);
    let _ = pattern::match_prefix(p, s, true);
    let _ = pattern::match_suffix(p, s, false);
}

#[allow(dead_code)]
fn os(b: &[u8]) -> &std::ffi::OsStr {
    std::ffi::OsStr::from_bytes(b)
}
