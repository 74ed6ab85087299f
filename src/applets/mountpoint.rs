//! `mountpoint`: see whether a directory or file is a mount point.
//!
//! util-linux 2.38: `mountpoint [-qd] PATH` looks the path, symlinks resolved, up in the mount
//! table (/proc/self/mountinfo through `common::mounts`: bind mounts count, files bind-mounted
//! into a container too); without the table, a directory whose parent is on another device
//! (or is itself: `/`). `PATH is a mountpoint` (status 0) or `PATH is not a mountpoint` (32);
//! `-d`/`--fs-devno` prints the mounted file system's `MAJOR:MINOR` instead, `-x`/`--devno`
//! that of a block device (a file bind-mounted counts for both); `-q` says nothing (but `-d`
//! still prints); `--nofollow` takes a
//! symlink as it is (not a mount point). A path that cannot be stat'ed: `mountpoint: PATH:
//! ERROR`, status 1. Messages as util-linux's. Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::mounts;
use crate::common::path::{canonicalize, Missing};
use crate::common::sys::fd::{self as sfd, Stat};
use crate::common::{ctx::strerror, Ctx, Error, Result};

/// util-linux's MOUNTPOINT_EXIT_NOMNT.
const NOT_MOUNTED: i32 = 32;

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("quiet", Some(b'q'), Some("quiet")),
        Opt::flag("nofollow", None, Some("nofollow")),
        Opt::flag("fs-devno", Some(b'd'), Some("fs-devno")),
        Opt::flag("devno", Some(b'x'), Some("devno")),
        Opt::flag("help", Some(b'h'), Some("help")),
        Opt::flag("version", Some(b'V'), Some("version")),
    ],
    help_text!(
        "
Usage:
 mountpoint [-qd] /path/to/directory
 mountpoint -x /dev/device

Check whether a directory or file is a mountpoint.

Options:
 -q, --quiet        quiet mode - don't print anything
     --nofollow     do not follow symlink
 -d, --fs-devno     print maj:min device number of the filesystem
 -x, --devno        print maj:min device number of the block device

 -h, --help         display this help
 -V, --version      display version
"
    ),
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    match run(argv, ctx) {
        Ok(st) => ctx.finish(Ok(())).max(st),
        Err(e) => ctx.finish(Err(e)),
    }
}

fn major_minor(dev: u64) -> String {
    format!("{}:{}", libc::major(dev), libc::minor(dev))
}

/// The device of the file system mounted at `path`, if something is mounted there.
fn mounted_dev(path: &[u8], st: &Stat, nofollow: bool) -> Option<u64> {
    if nofollow && st.st_mode & libc::S_IFMT == libc::S_IFLNK {
        return None;
    }
    let Ok(table) = mounts::read() else {
        // No /proc: a directory on another device than its parent, or `/` itself.
        if st.st_mode & libc::S_IFMT != libc::S_IFDIR {
            return None;
        }
        let parent = sfd::stat(&[path, b"/.."].concat()).ok()?;
        let top = parent.st_dev != st.st_dev || parent.st_ino == st.st_ino;
        return top.then_some(st.st_dev);
    };
    let name = canonicalize(path, Missing::None, true).ok()?;
    table.iter().rev().find(|m| m.dir == name).map(|m| m.dev)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<i32> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(0);
    };
    if m.operands.len() != 1 {
        return Err(args::usage_error(ctx, &SPEC, b"bad usage", 1));
    }
    let (quiet, nofollow) = (m.flag("quiet"), m.flag("nofollow"));
    let (fs_devno, devno) = (m.flag("fs-devno"), m.flag("devno"));
    if nofollow && devno {
        return Err(Error::new(
            1,
            "--devno and --nofollow are mutually exclusive",
        ));
    }
    let path = m.operands[0].as_bytes();
    let st = if nofollow {
        sfd::lstat(path)
    } else {
        sfd::stat(path)
    };
    let st = match st {
        Ok(st) => st,
        Err(e) => {
            if !quiet {
                let mut msg = path.to_vec();
                msg.extend_from_slice(b": ");
                msg.extend_from_slice(strerror(&e).as_bytes());
                ctx.msg(&msg);
            }
            return Ok(1);
        }
    };
    let out = ctx.out.buf_mut();
    if devno {
        if st.st_mode & libc::S_IFMT != libc::S_IFBLK {
            if !quiet {
                let mut msg = path.to_vec();
                msg.extend_from_slice(b": not a block device");
                ctx.msg(&msg);
            }
            return Ok(NOT_MOUNTED);
        }
        out.extend_from_slice(major_minor(st.st_rdev).as_bytes());
        out.push(b'\n');
        return Ok(0);
    }
    match mounted_dev(path, &st, nofollow) {
        None => {
            if !quiet {
                out.extend_from_slice(path);
                out.extend_from_slice(b" is not a mountpoint\n");
            }
            Ok(NOT_MOUNTED)
        }
        Some(d) if fs_devno => {
            out.extend_from_slice(major_minor(d).as_bytes());
            out.push(b'\n');
            Ok(0)
        }
        Some(_) => {
            if !quiet {
                out.extend_from_slice(path);
                out.extend_from_slice(b" is a mountpoint\n");
            }
            Ok(0)
        }
    }
}
