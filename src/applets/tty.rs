//! `tty`: print the file name of the terminal on standard input.
//!
//! GNU coreutils 9: the name from ttyname(3), or `not a tty` on standard output and status 1;
//! `-s`/`--silent`/`--quiet` print nothing, the status says. Status 2 for a bad command line,
//! 3 for a write error. Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::io::stdin_fd;
use crate::common::sys::{fd as sfd, term};
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("silent", Some(b's'), Some("silent")),
        Opt::flag("silent", None, Some("quiet")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: tty [OPTION]...
Print the file name of the terminal connected to standard input.

  -s, --silent, --quiet   print nothing, only return an exit status
      --help        display this help and exit
      --version     output version information and exit
"
    ),
)
.code(2);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    // GNU's TTY_WRITE_ERROR: 3, not finish's 1.
    if let Err(e) = ctx.out.flush() {
        ctx.msg(&Error::write(&e).msg);
        return 3;
    }
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    if let Some(x) = m.operands.first() {
        return Err(args::extra_operand(ctx, &SPEC, x.as_bytes(), 2));
    }
    if m.flag("silent") {
        return if sfd::isatty(stdin_fd()) {
            Ok(())
        } else {
            Err(Error::silent(1))
        };
    }
    match term::ttyname(stdin_fd()) {
        Ok(name) => {
            let b = ctx.out.buf_mut();
            b.extend_from_slice(&name);
            b.push(b'\n');
            Ok(())
        }
        Err(_) => {
            ctx.out.buf_mut().extend_from_slice(b"not a tty\n");
            Err(Error::silent(1))
        }
    }
}
