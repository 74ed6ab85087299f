//! `dirname`: strip the last component from names.
//!
//! GNU coreutils 9: each NAME's last non-slash component and the slashes before it removed,
//! `.` when nothing is left, `/` kept; `-z` ends each name with NUL. Names are bytes.
//! Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::fs::dir_len;
use crate::common::help::help_text;
use crate::common::{Ctx, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("zero", Some(b'z'), Some("zero")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: dirname [OPTION] NAME...
Output each NAME with its last non-slash component and trailing slashes
removed; if NAME contains no /'s, output '.' (meaning the current directory).

  -z, --zero     end each output line with NUL, not newline
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
    if m.operands.is_empty() {
        return Err(args::usage_error(ctx, &SPEC, b"missing operand", 1));
    }
    let end = if m.flag("zero") { 0 } else { b'\n' };
    for n in &m.operands {
        let n = n.as_bytes();
        let len = dir_len(n);
        let buf = ctx.out.buf_mut();
        buf.extend_from_slice(if len == 0 { b"." } else { &n[..len] });
        buf.push(end);
        ctx.out.maybe_flush()?;
    }
    Ok(())
}
