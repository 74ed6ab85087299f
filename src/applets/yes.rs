//! `yes`: print a line over and over (GNU coreutils 9).
//!
//! The operands joined by spaces (or `y`) and a newline. Options as GNU's: only `--help` and
//! `--version` (abbreviable), `--` ends them, anything else dashed is an invalid option. The line
//! is repeated to fill a 128 KiB buffer that is written again and again with write(2), so a
//! pipe reader gets large writes. A write error ends it: `yes: standard output: No space left on
//! device`, status 1; a closed pipe ends it quietly (SIGPIPE, as GNU).

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::ctx::strerror;
use crate::common::help::help_text;
use crate::common::io::{stdout_fd, write_all, BUF_SIZE};
use crate::common::Ctx;

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: yes [STRING]...
  or:  yes OPTION
Repeatedly output a line with all specified STRING(s), or 'y'.

      --help        display this help and exit
      --version     output version information and exit
"
    ),
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let m = match args::get(ctx, &argv, &SPEC) {
        Ok(Some(m)) => m,
        Ok(None) => return ctx.finish(Ok(())),
        Err(e) => return ctx.finish(Err(e)),
    };
    let mut line = Vec::new();
    for (i, a) in m.operands.iter().enumerate() {
        if i > 0 {
            line.push(b' ');
        }
        line.extend_from_slice(a.as_bytes());
    }
    if m.operands.is_empty() {
        line.push(b'y');
    }
    line.push(b'\n');
    // Whole lines only, so every write ends at a line boundary.
    let copies = (BUF_SIZE / line.len()).max(1);
    let buf = line.repeat(copies);
    loop {
        if let Err(e) = write_all(stdout_fd(), &buf) {
            // EPIPE included: it only comes when SIGPIPE was ignored at start, and GNU says it.
            let msg = format!("standard output: {}", strerror(&e));
            ctx.msg(msg.as_bytes());
            return 1;
        }
    }
}
