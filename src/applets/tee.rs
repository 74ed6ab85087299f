//! `tee`: copy standard input to standard output and to files.
//!
//! Follows GNU coreutils 9 tee: `-a`, `-i` (SIGINT ignored), `-p` (= `--output-error=warn-nopipe`),
//! `--output-error[=warn|warn-nopipe|exit|exit-nopipe]`. Data is written as it arrives
//! (no buffering beyond one read); an output that fails is reported (`tee: NAME: No space left
//! on device`, `tee: 'standard output': ...`) and dropped while the others go on; status 1.
//! `-` is a file name, as in GNU tee.
//! Deviation: by default a broken pipe on an output ends tee quietly with status 1 where GNU
//! tee dies of SIGPIPE (rbox applets never die of it, so the shell can run them in-process).

use std::ffi::OsString;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::ctx::strerror;
use crate::common::help::help_text;
use crate::common::io::{read, stdin_fd, stdout_fd, write_all};
use crate::common::quote::quote_if_needed;
use crate::common::sys::fd as sysfd;
use crate::common::sys::signal;
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("append", Some(b'a'), Some("append")),
        Opt::flag("ignore-interrupts", Some(b'i'), Some("ignore-interrupts")),
        Opt::flag("p", Some(b'p'), None),
        Opt::optional("output-error", None, Some("output-error")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: tee [OPTION]... [FILE]...
Copy standard input to each FILE, and also to standard output.

  -a, --append              append to the given FILEs, do not overwrite
  -i, --ignore-interrupts   ignore interrupt signals
  -p                        diagnose errors writing to non pipes
      --output-error[=MODE]   set behavior on write error.  See MODE below
      --help        display this help and exit
      --version     output version information and exit

MODE determines behavior with write errors on the outputs:
  warn           diagnose errors writing to any output
  warn-nopipe    diagnose errors writing to any output not a pipe
  exit           exit on error writing to any output
  exit-nopipe    exit on error writing to any output not a pipe
The default MODE for the -p option is 'warn-nopipe'.
The default operation when --output-error is not specified, is to
exit immediately on error writing to a pipe, and diagnose errors
writing to non pipe outputs.
"
    ),
);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// No --output-error: a broken pipe ends tee, other errors are diagnosed.
    Default,
    Warn,
    WarnNoPipe,
    Exit,
    ExitNoPipe,
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let mut mode = Mode::Default;
    for (id, v) in &m.opts {
        match *id {
            "p" => mode = Mode::WarnNoPipe,
            "output-error" => {
                mode = match v {
                    None => Mode::WarnNoPipe,
                    Some(v) => {
                        static K: &[(&str, Mode)] = &[
                            ("warn", Mode::Warn),
                            ("warn-nopipe", Mode::WarnNoPipe),
                            ("exit", Mode::Exit),
                            ("exit-nopipe", Mode::ExitNoPipe),
                        ];
                        args::argmatch(ctx, "--output-error", v.as_bytes(), K, 1)?
                    }
                }
            }
            _ => {}
        }
    }
    if m.flag("ignore-interrupts") {
        let _ = signal::set_handler(libc::SIGINT, signal::Handler::Ignore);
    }
    let flags = libc::O_WRONLY
        | libc::O_CREAT
        | libc::O_CLOEXEC
        | if m.flag("append") {
            libc::O_APPEND
        } else {
            libc::O_TRUNC
        };
    // (shown name, descriptor); stdout first. `None`: dropped after an error.
    let mut outs: Vec<(Vec<u8>, Option<OwnedFd>, bool)> = Vec::new();
    outs.push((b"standard output".to_vec(), None, true));
    for name in &m.operands {
        let nb = name.as_bytes();
        match sysfd::open(nb, flags, 0o666) {
            Ok(fd) => outs.push((nb.to_vec(), Some(fd), true)),
            Err(e) => {
                let mut msg = quote_if_needed(nb);
                msg.extend_from_slice(b": ");
                msg.extend_from_slice(strerror(&e).as_bytes());
                ctx.error(1, &msg);
            }
        }
    }
    let mut buf = vec![0u8; 128 * 1024];
    loop {
        let n = match read(stdin_fd(), &mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                ctx.errorf(1, format_args!("read error: {}", strerror(&e)));
                break;
            }
        };
        let mut live = 0;
        for (name, fd, alive) in outs.iter_mut() {
            if !*alive {
                continue;
            }
            let f: BorrowedFd = fd.as_ref().map_or(stdout_fd(), |f| f.as_fd());
            if let Err(e) = write_all(f, &buf[..n]) {
                *alive = false;
                let pipe = e.raw_os_error() == Some(libc::EPIPE);
                if pipe && mode == Mode::Default {
                    return Err(Error::silent(1));
                }
                if !(pipe && matches!(mode, Mode::WarnNoPipe | Mode::ExitNoPipe)) {
                    let mut msg = quote_if_needed(name);
                    msg.extend_from_slice(b": ");
                    msg.extend_from_slice(strerror(&e).as_bytes());
                    ctx.error(1, &msg);
                    if mode == Mode::Exit || mode == Mode::ExitNoPipe {
                        return Err(Error::silent(1));
                    }
                }
            } else {
                live += 1;
            }
        }
        if live == 0 {
            break;
        }
    }
    for (name, fd, _) in outs.into_iter() {
        if let Some(fd) = fd {
            if let Err(e) = sysfd::close_raw(std::os::fd::IntoRawFd::into_raw_fd(fd)) {
                let mut msg = quote_if_needed(&name);
                msg.extend_from_slice(b": ");
                msg.extend_from_slice(strerror(&e).as_bytes());
                ctx.error(1, &msg);
            }
        }
    }
    Ok(())
}
