//! `mkfifo`: make FIFOs (named pipes).
//!
//! GNU coreutils 9 `mkfifo`: `-m`/`--mode` (the one mode parser, relative to `a=rw`; set
//! exactly after creation, whatever the umask; special bits refused: `mode must specify only
//! file permission bits`), `-Z`/`--context` accepted (no SELinux). Messages as GNU's
//! (`mkfifo: cannot create fifo 'p': File exists`). Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::fs::node_mode_opt;
use crate::common::help::help_text;
use crate::common::sys::{fd as sfd, fs as sfs};
use crate::common::{Ctx, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::optional("context", None, Some("context")),
        Opt::arg("mode", Some(b'm'), Some("mode")),
        Opt::flag("Z", Some(b'Z'), None),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: mkfifo [OPTION]... NAME...
Create named pipes (FIFOs) with the given NAMEs.

Mandatory arguments to long options are mandatory for short options too.
  -m, --mode=MODE    set file permission bits to MODE, not a=rw - umask
  -Z                   set the SELinux security context to default type (ignored)
      --context[=CTX]  like -Z, or set the context to CTX (ignored)
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
    m.warn_context(ctx, "SELinux/SMACK");
    if m.operands.is_empty() {
        return Err(args::usage_error(ctx, &SPEC, b"missing operand", 1));
    }
    let mode = node_mode_opt(ctx, m.last("mode"))?;
    for n in &m.operands {
        let n = n.as_bytes();
        match sfs::mkfifoat(sfd::cwd(), n, mode.unwrap_or(0o666)) {
            Ok(()) => {
                if let Some(md) = mode {
                    if let Err(e) = sfs::fchmodat(sfd::cwd(), n, md, 0) {
                        ctx.error_quoted(1, "cannot set permissions of", n, &e);
                    }
                }
            }
            Err(e) => ctx.error_quoted(1, "cannot create fifo", n, &e),
        }
    }
    Ok(())
}
