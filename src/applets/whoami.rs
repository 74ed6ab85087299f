//! `whoami`: print the user name of the effective user id.
//!
//! GNU coreutils 9: the name from /etc/passwd; without one, `cannot find name for user ID N`
//! and status 1. Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::fs::Names;
use crate::common::help::help_text;
use crate::common::sys::user;
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: whoami [OPTION]...
Print the user name associated with the current effective user ID.
Same as id -un.

      --help        display this help and exit
      --version     output version information and exit
"
    ),
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    if let Some(x) = m.operands.first() {
        return Err(args::extra_operand(ctx, &SPEC, x.as_bytes(), 1));
    }
    let uid = user::geteuid();
    let mut names = Names::new();
    let Some(name) = names.user(uid) else {
        return Err(Error::new(1, format!("cannot find name for user ID {uid}")));
    };
    let b = ctx.out.buf_mut();
    b.extend_from_slice(name);
    b.push(b'\n');
    Ok(())
}
