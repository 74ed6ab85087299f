//! `basename`: strip the directory and, optionally, a suffix from names.
//!
//! GNU coreutils 9: `basename NAME [SUFFIX]` or `basename -a|-s SUFFIX NAME...`, `-z` ends each
//! name with NUL; a suffix is removed only when it is not the whole remaining name, and never
//! from `/`. Names are bytes. Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::fs::base_name;
use crate::common::help::help_text;
use crate::common::{Ctx, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("multiple", Some(b'a'), Some("multiple")),
        Opt::arg("suffix", Some(b's'), Some("suffix")),
        Opt::flag("zero", Some(b'z'), Some("zero")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: basename NAME [SUFFIX]
  or:  basename OPTION... NAME...
Print NAME with any leading directory components removed.
If specified, also remove a trailing SUFFIX.

Mandatory arguments to long options are mandatory for short options too.
  -a, --multiple       support multiple arguments and treat each as a NAME
  -s, --suffix=SUFFIX  remove a trailing SUFFIX; implies -a
  -z, --zero           end each output line with NUL, not newline
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
    let ops = &m.operands;
    let mut suffix = m.last("suffix").map(|s| s.as_bytes());
    let multiple = m.flag("multiple") || suffix.is_some();
    if ops.is_empty() {
        return Err(args::usage_error(ctx, &SPEC, b"missing operand", 1));
    }
    let names: &[OsString] = if multiple {
        ops
    } else {
        if ops.len() > 2 {
            return Err(args::extra_operand(ctx, &SPEC, ops[2].as_bytes(), 1));
        }
        if ops.len() == 2 {
            suffix = Some(ops[1].as_bytes());
        }
        &ops[..1]
    };
    let end = if m.flag("zero") { 0 } else { b'\n' };
    for n in names {
        let mut b = base_name(n.as_bytes());
        if let Some(s) = suffix {
            if b.first() != Some(&b'/') && b.len() > s.len() && b.ends_with(s) {
                b = &b[..b.len() - s.len()];
            }
        }
        let buf = ctx.out.buf_mut();
        buf.extend_from_slice(b);
        buf.push(end);
        ctx.out.maybe_flush()?;
    }
    Ok(())
}
