//! `printenv`: print all or part of the environment.
//!
//! GNU coreutils 9 `printenv`: no operand prints every `NAME=VALUE`; with names, the value of
//! each one that is set, status 1 when one is not (a name holding `=` never matches); `-0`/
//! `--null` ends lines with NUL. Usage errors and write errors exit 2, as GNU's. Deviation:
//! none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::exec::environ;
use crate::common::help::help_text;
use crate::common::{Ctx, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("null", Some(b'0'), Some("null")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: printenv [OPTION]... [VARIABLE]...
Print the values of the specified environment VARIABLE(s).
If no VARIABLE is specified, print name and value pairs for them all.

  -0, --null     end each output line with NUL, not newline
      --help        display this help and exit
      --version     output version information and exit
"
    ),
)
.code(2);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    // Every error out of `run` is a write error: GNU's exit_failure, 2 (a missing name is 1).
    let r = run(argv, ctx).map_err(|mut e| {
        e.code = e.code.max(2);
        e
    });
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let end = if m.flag("null") { b'\0' } else { b'\n' };
    let env = environ();
    if m.operands.is_empty() {
        for e in &env {
            ctx.out.write_all(e)?;
            ctx.out.byte(end)?;
        }
        ctx.out.flush()?;
        return Ok(());
    }
    let mut missing = false;
    for name in &m.operands {
        let n = name.as_bytes();
        let mut found = false;
        if !n.contains(&b'=') {
            for e in &env {
                if let Some(v) = e.strip_prefix(n).and_then(|r| r.strip_prefix(b"=")) {
                    ctx.out.write_all(v)?;
                    ctx.out.byte(end)?;
                    found = true;
                }
            }
        }
        missing |= !found;
    }
    if missing {
        ctx.fail(1);
    }
    ctx.out.flush()?;
    Ok(())
}
