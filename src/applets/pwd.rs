//! `pwd`: print the name of the working directory.
//!
//! GNU coreutils 9: `-L` prints `$PWD` when it is an absolute name of the working directory
//! without `.` or `..` components, else what `-P` prints (getcwd: symlinks resolved); the last
//! of `-L`/`-P` wins; without either, `-P` unless `POSIXLY_CORRECT` is set. Operands draw
//! "ignoring non-option arguments". A working directory that was removed: GNU's "couldn't
//! find directory entry in '..' with matching i-node", status 1. Deviation: none known.

use std::ffi::OsString;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::path::{cwd, names_cwd};
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("logical", Some(b'L'), Some("logical")),
        Opt::flag("physical", Some(b'P'), Some("physical")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: pwd [OPTION]...
Print the full filename of the current working directory.

  -L, --logical   use PWD from environment, even if it contains symlinks
  -P, --physical  avoid all symlinks
      --help        display this help and exit
      --version     output version information and exit

If no option is specified, -P is assumed.

NOTE: your shell may have its own version of pwd, which usually supersedes
the version described here.  Please refer to your shell's documentation
for details about the options it supports.
"
    ),
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

/// GNU's logical_getcwd: `$PWD` without a `.` or `..` component.
fn logical(pwd: &[u8]) -> bool {
    let dots = pwd.split(|&c| c == b'/').any(|c| c == b"." || c == b"..");
    !dots && names_cwd(pwd)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let mut want_logical = std::env::var_os("POSIXLY_CORRECT").is_some();
    for (id, _) in &m.opts {
        match *id {
            "logical" => want_logical = true,
            "physical" => want_logical = false,
            _ => {}
        }
    }
    if !m.operands.is_empty() {
        ctx.msg(b"ignoring non-option arguments");
    }
    if want_logical {
        if let Some(p) = std::env::var_os("PWD") {
            let p = p.into_encoded_bytes();
            if logical(&p) {
                let b = ctx.out.buf_mut();
                b.extend_from_slice(&p);
                b.push(b'\n');
                return Ok(());
            }
        }
    }
    match cwd() {
        Ok(p) => {
            let b = ctx.out.buf_mut();
            b.extend_from_slice(&p);
            b.push(b'\n');
            Ok(())
        }
        // getcwd fails this way only for a removed directory; GNU's fallback walk then finds
        // no entry for it in its parent.
        Err(e) if e.raw_os_error() == Some(libc::ENOENT) => Err(Error::new(
            1,
            "couldn't find directory entry in '..' with matching i-node",
        )),
        Err(e) => Err(Error::io(1, "cannot determine current directory", &e)),
    }
}
