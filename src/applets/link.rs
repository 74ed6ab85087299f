//! `link` and `unlink`: the bare link(2) and unlink(2) calls.
//!
//! GNU coreutils 9: `link FILE1 FILE2` makes the hard link FILE2 to FILE1 (a symlink FILE1 is
//! linked itself, not followed, as Linux's link(2) does); `unlink FILE` removes one name,
//! never a directory. Exactly those operands (`missing operand`, `missing operand after 'a'`,
//! `extra operand 'c'`), GNU's messages (`link: cannot create link 'b' to 'a': File exists`,
//! `unlink: cannot unlink 'x': Is a directory`), status 1. Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::quote::{quote_always, quote_locale};
use crate::common::sys::{fd as sfd, fs as sfs};
use crate::common::{ctx::strerror, Ctx, Error, Result};

static LINK: Spec = Spec::new(
    &[
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: link FILE1 FILE2
  or:  link OPTION
Call the link function to create a link named FILE2 to an existing FILE1.

      --help        display this help and exit
      --version     output version information and exit
"
    ),
);

static UNLINK: Spec = Spec::new(
    &[
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: unlink FILE
  or:  unlink OPTION
Call the unlink function to remove the specified FILE.

      --help        display this help and exit
      --version     output version information and exit
"
    ),
);

pub fn link(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx, &LINK, 2);
    ctx.finish(r)
}

pub fn unlink(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx, &UNLINK, 1);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx, spec: &Spec, want: usize) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, spec)? else {
        return Ok(());
    };
    let ops: Vec<&[u8]> = m.operands.iter().map(|o| o.as_bytes()).collect();
    if ops.len() < want {
        let msg = match ops.last() {
            None => b"missing operand".to_vec(),
            Some(a) => [&b"missing operand after "[..], &quote_locale(a)].concat(),
        };
        return Err(args::usage_error(ctx, spec, &msg, 1));
    }
    if let Some(x) = ops.get(want) {
        return Err(args::extra_operand(ctx, spec, x, 1));
    }
    let (r, mut msg) = if want == 2 {
        let r = sfs::linkat(sfd::cwd(), ops[0], sfd::cwd(), ops[1], 0);
        let mut msg = b"cannot create link ".to_vec();
        msg.extend_from_slice(&quote_always(ops[1]));
        msg.extend_from_slice(b" to ");
        msg.extend_from_slice(&quote_always(ops[0]));
        (r, msg)
    } else {
        let r = sfs::unlinkat(sfd::cwd(), ops[0], 0);
        let mut msg = b"cannot unlink ".to_vec();
        msg.extend_from_slice(&quote_always(ops[0]));
        (r, msg)
    };
    if let Err(e) = r {
        msg.extend_from_slice(b": ");
        msg.extend_from_slice(strerror(&e).as_bytes());
        return Err(Error::new(1, msg));
    }
    Ok(())
}
