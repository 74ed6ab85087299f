//! `rmdir`: remove empty directories.
//!
//! GNU coreutils 9 `rmdir`: `-p`/`--parents` (then each parent, stopping at the first that
//! cannot go: `failed to remove directory 'a': Directory not empty`), `-v`/`--verbose`
//! (`rmdir: removing directory, 'a'` on standard output, before each attempt),
//! `--ignore-fail-on-non-empty` (also when EACCES/EPERM/EROFS/EBUSY hide a non-empty
//! directory), the "Symbolic link not followed" message for `link/`. Messages and statuses
//! are GNU's. Deviation: none known.

use std::ffi::OsString;
use std::io;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::quote::quote_always;
use crate::common::sys::{dir, fd as sfd, fs as sfs};
use crate::common::{Ctx, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("ignore", None, Some("ignore-fail-on-non-empty")),
        Opt::flag("parents", Some(b'p'), Some("parents")),
        Opt::flag("verbose", Some(b'v'), Some("verbose")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: rmdir [OPTION]... DIRECTORY...
Remove the DIRECTORY(ies), if they are empty.

      --ignore-fail-on-non-empty
                    ignore each failure to remove a non-empty directory
  -p, --parents     remove DIRECTORY and its ancestors; e.g., 'rmdir -p a/b'
                    is similar to 'rmdir a/b a'

  -v, --verbose     output a diagnostic for every directory processed
      --help        display this help and exit
      --version     output version information and exit
"
    ),
);

struct Rmdir {
    ignore: bool,
    verbose: bool,
}

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
    let r = Rmdir {
        ignore: m.flag("ignore"),
        verbose: m.flag("verbose"),
    };
    for d in &m.operands {
        let d = d.as_bytes();
        match r.remove(ctx, d)? {
            Ok(()) => {
                if m.flag("parents") {
                    r.parents(ctx, d)?;
                }
            }
            Err(e) => {
                if r.ignorable(&e, d) {
                    continue;
                }
                if e.raw_os_error() == Some(libc::ENOTDIR) && symlink_to_dir(d) {
                    let mut msg = b"failed to remove ".to_vec();
                    msg.extend_from_slice(&quote_always(d));
                    msg.extend_from_slice(b": Symbolic link not followed");
                    ctx.error(1, &msg);
                } else {
                    ctx.error_quoted(1, "failed to remove", d, &e);
                }
            }
        }
    }
    Ok(())
}

/// `link/` naming a symlink to a directory.
fn symlink_to_dir(d: &[u8]) -> bool {
    let mut n = d.len();
    while n > 1 && d[n - 1] == b'/' {
        n -= 1;
    }
    n < d.len()
        && sfd::lstat(&d[..n]).is_ok_and(|s| s.st_mode & libc::S_IFMT == libc::S_IFLNK)
        // A link to a directory, or one leading nowhere (dangling, a loop), as GNU: only a
        // link to a non-directory keeps "Not a directory".
        && sfd::stat(&d[..n]).map_or(true, |s| s.st_mode & libc::S_IFMT == libc::S_IFDIR)
}

impl Rmdir {
    /// Announce (with -v) and remove; the outer Result is an output error.
    fn remove(&self, ctx: &mut Ctx, d: &[u8]) -> Result<io::Result<()>> {
        if self.verbose {
            ctx.out.write_all(b"rmdir: removing directory, ")?;
            ctx.out.write_all(&quote_always(d))?;
            ctx.out.byte(b'\n')?;
        }
        Ok(sfs::unlinkat(sfd::cwd(), d, libc::AT_REMOVEDIR))
    }

    fn ignorable(&self, e: &io::Error, d: &[u8]) -> bool {
        if !self.ignore {
            return false;
        }
        match e.raw_os_error() {
            Some(libc::ENOTEMPTY | libc::EEXIST) => true,
            Some(libc::EACCES | libc::EPERM | libc::EROFS | libc::EBUSY) => non_empty(d),
            _ => false,
        }
    }

    /// `-p`: the parents of `d`, deepest first, until one fails.
    fn parents(&self, ctx: &mut Ctx, d: &[u8]) -> Result<()> {
        let mut n = d.len();
        while n > 1 && d[n - 1] == b'/' {
            n -= 1;
        }
        let mut d = &d[..n];
        loop {
            let Some(slash) = d.iter().rposition(|&c| c == b'/') else {
                return Ok(());
            };
            let mut end = slash;
            while end > 0 && d[end] == b'/' {
                end -= 1;
            }
            d = &d[..end + 1];
            if let Err(e) = self.remove(ctx, d)? {
                if !self.ignorable(&e, d) {
                    let what = if e.raw_os_error() == Some(libc::ENOTDIR) {
                        "failed to remove"
                    } else {
                        "failed to remove directory"
                    };
                    ctx.error_quoted(1, what, d, &e);
                }
                return Ok(());
            }
        }
    }
}

/// Whether `d` is a directory with entries (gnulib's DS_NONEMPTY).
fn non_empty(d: &[u8]) -> bool {
    let Ok(fd) = dir::open_dir(sfd::cwd(), d, true) else {
        return false;
    };
    let mut buf = dir::DirBuf::new();
    let mut any = false;
    let _ = dir::read_dir(std::os::fd::AsFd::as_fd(&fd), &mut buf, |e| {
        any |= !dir::is_dot_or_dotdot(e.name);
    });
    any
}
