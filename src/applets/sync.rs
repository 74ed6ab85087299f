//! `sync`: synchronize cached writes to persistent storage.
//!
//! GNU coreutils 9 `sync`: no operand: sync(2); with files: fsync each, `-d`/`--data`
//! fdatasync, `-f`/`--file-system` syncfs of the file system holding each. Files are opened
//! read-only and non-blocking (write-only when that fails, as GNU). Messages as GNU's
//! (`sync: error opening 'x': No such file or directory`). Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::sys::fd::{self as sfd, AsFd};
use crate::common::sys::fs as sfs;
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("data", Some(b'd'), Some("data")),
        Opt::flag("file-system", Some(b'f'), Some("file-system")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: sync [OPTION] [FILE]...
Synchronize cached writes to persistent storage

If one or more files are specified, sync only them,
or their containing file systems.

  -d, --data             sync only file data, no unneeded metadata
  -f, --file-system      sync the file systems that contain the files
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
    let data = m.flag("data");
    let fs = m.flag("file-system");
    if data && fs {
        ctx.msg(b"cannot specify both --data and --file-system");
        return Err(Error::silent(1));
    }
    if data && m.operands.is_empty() {
        ctx.msg(b"--data needs at least one argument");
        return Err(Error::silent(1));
    }
    if m.operands.is_empty() {
        sfs::sync_all();
        return Ok(());
    }
    for f in &m.operands {
        let f = f.as_bytes();
        let fl = libc::O_NONBLOCK | libc::O_CLOEXEC | libc::O_NOCTTY;
        let fd = match sfd::open(f, libc::O_RDONLY | fl, 0) {
            Ok(fd) => fd,
            Err(e) => match sfd::open(f, libc::O_WRONLY | fl, 0) {
                Ok(fd) => fd,
                Err(_) => {
                    ctx.error_quoted(1, "error opening", f, &e);
                    continue;
                }
            },
        };
        let r = if fs {
            sfs::syncfs(fd.as_fd())
        } else if data {
            sfs::fdatasync(fd.as_fd())
        } else {
            sfs::fsync(fd.as_fd())
        };
        if let Err(e) = r {
            ctx.error_quoted(1, "error syncing", f, &e);
        }
    }
    Ok(())
}
