//! `mkdir`: make directories.
//!
//! GNU coreutils 9 `mkdir`: `-p`/`--parents`, `-m`/`--mode` (octal or symbolic through the
//! one mode parser, `common::fs::mode_compile`, relative to `a=rwx` with the umask applied to
//! clauses without a who, as GNU does), `-v`/`--verbose` (`mkdir: created directory 'x'`),
//! `-Z`/`--context` accepted (no SELinux: `--context=CTX` warns as GNU does without it).
//! `-p` goes down the path one component at a time through directory descriptors (mkdirat,
//! then openat of what is there), so each ancestor is created where it was checked; ancestors
//! are made `u+wx` whatever the umask; an existing directory at the end is not an error.
//! A mode with bits the umask or mkdir(2) would drop (`777`, `g+s`, `1777`) is set afterwards
//! on the opened directory with fchmod, keeping the bits the mode does not name (a setgid
//! inherited from the parent stays unless the mode says otherwise: GNU 9's rule).
//! Messages and statuses are GNU's. Deviation: none known.

use std::ffi::OsString;
use std::io;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::fs::{mode_adjust, mode_compile};
use crate::common::help::help_text;
use crate::common::quote::quote_always;
use crate::common::sys::fd::{self as sfd, AsFd, AsRawFd, BorrowedFd, OwnedFd};
use crate::common::sys::{fs as sfs, process};
use crate::common::{Ctx, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::optional("context", None, Some("context")),
        Opt::arg("mode", Some(b'm'), Some("mode")),
        Opt::flag("parents", Some(b'p'), Some("parents")),
        Opt::flag("verbose", Some(b'v'), Some("verbose")),
        Opt::flag("Z", Some(b'Z'), None),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: mkdir [OPTION]... DIRECTORY...
Create the DIRECTORY(ies), if they do not already exist.

Mandatory arguments to long options are mandatory for short options too.
  -m, --mode=MODE   set file mode (as in chmod), not a=rwx - umask
  -p, --parents     no error if existing, make parent directories as needed,
                    with their file modes unaffected by any -m option.
  -v, --verbose     print a message for each created directory
  -Z                   set SELinux security context of each created directory
                         to the default type (ignored: no SELinux)
      --context[=CTX]  like -Z, or if CTX is specified then set the SELinux
                         or SMACK security context to CTX (ignored)
      --help        display this help and exit
      --version     output version information and exit
"
    ),
);

struct Opts {
    parents: bool,
    verbose: bool,
    /// With -m: the mode and the bits it names.
    mode: Option<(u32, u32)>,
    umask: u32,
}

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
    let umask = process::current_umask();
    let mut o = Opts {
        parents: m.flag("parents"),
        verbose: m.flag("verbose"),
        mode: None,
        umask,
    };
    if let Some(spec) = m.last("mode") {
        let Some(ch) = mode_compile(spec.as_bytes()) else {
            let mut msg = b"invalid mode ".to_vec();
            msg.extend_from_slice(&quote_always(spec.as_bytes()));
            ctx.error(1, &msg);
            return Ok(());
        };
        o.mode = Some(mode_adjust(0o777, true, umask, &ch));
    }
    for d in &m.operands {
        let d = d.as_bytes();
        if o.parents {
            make_parents(ctx, &o, d)?;
        } else {
            make_one(ctx, &o, sfd::cwd(), d, d)?;
        }
    }
    Ok(())
}

fn announce(ctx: &mut Ctx, path: &[u8]) -> Result<()> {
    let out = &mut ctx.out;
    out.write_all(b"mkdir: created directory ")?;
    out.write_all(&quote_always(path))?;
    out.byte(b'\n')?;
    Ok(())
}

/// The final directory: mkdirat, then the explicit mode if one was asked. With -p, an
/// existing directory there is fine.
fn make_one(ctx: &mut Ctx, o: &Opts, at: BorrowedFd, name: &[u8], path: &[u8]) -> Result<()> {
    let perm = o.mode.map_or(0o777, |(m, _)| m & 0o777);
    if let Err(e) = sfs::mkdirat(at, name, perm) {
        if o.parents {
            if let Ok(st) = sfd::fstatat(at, name, 0) {
                if st.st_mode & libc::S_IFMT == libc::S_IFDIR {
                    return Ok(());
                }
            }
        }
        return fail(ctx, at, path, &e);
    }
    if o.verbose {
        announce(ctx, path)?;
    }
    if let Some(mb) = o.mode {
        set_mode(ctx, at, name, path, mb);
    }
    Ok(())
}

/// After mkdir -m: the permission bits are the mode's, whatever the umask; of the special
/// bits, those the mode does not name (a setgid inherited from the parent) stay.
fn set_mode(ctx: &mut Ctx, at: BorrowedFd, name: &[u8], path: &[u8], (mode, bits): (u32, u32)) {
    let r = open_dir(at, name, false).and_then(|fd| {
        let st = sfd::fstat(fd.as_fd())?;
        let cur = st.st_mode & 0o7777;
        let want = (cur & 0o7000 & !bits) | (mode & bits & 0o7000) | (mode & 0o777);
        if want != cur {
            sfs::fchmod(fd.as_fd(), want)?;
        }
        Ok(())
    });
    if let Err(e) = r {
        ctx.error_quoted(1, "cannot set permissions of", path, &e);
    }
}

/// `cannot create directory 'PATH': ERR`. An EACCES that comes from lacking search permission
/// in the directory it was made in names that directory, as GNU's fchdir into it would.
fn fail(ctx: &mut Ctx, at: BorrowedFd, path: &[u8], e: &io::Error) -> Result<()> {
    let mut name = path;
    if e.raw_os_error() == Some(libc::EACCES) && at.as_raw_fd() != sfd::cwd().as_raw_fd() {
        if let Err(se) = sfd::fstatat(at, b".", 0) {
            if se.raw_os_error() == Some(libc::EACCES) {
                name = parent_prefix(path);
            }
        }
    }
    ctx.error_quoted(1, "cannot create directory", name, e);
    Ok(())
}

/// `a/b//c/` → `a/b`: the path up to the end of the component before the last.
fn parent_prefix(path: &[u8]) -> &[u8] {
    let mut end = path.len();
    while end > 1 && path[end - 1] == b'/' {
        end -= 1;
    }
    while end > 0 && path[end - 1] != b'/' {
        end -= 1;
    }
    while end > 1 && path[end - 1] == b'/' {
        end -= 1;
    }
    &path[..end]
}

fn open_dir(at: BorrowedFd, name: &[u8], follow: bool) -> io::Result<OwnedFd> {
    let nf = if follow { 0 } else { libc::O_NOFOLLOW };
    sfd::openat(
        at,
        name,
        libc::O_RDONLY
            | libc::O_DIRECTORY
            | libc::O_CLOEXEC
            | libc::O_NOCTTY
            | libc::O_NONBLOCK
            | nf,
        0,
    )
}

/// `mkdir -p`: each ancestor made (0777 under the umask, then u+wx if the umask took those)
/// and entered by descriptor; the last made as [`make_one`] does.
fn make_parents(ctx: &mut Ctx, o: &Opts, path: &[u8]) -> Result<()> {
    // The usual cases first, in one or two calls: the parents exist (made now), or the whole
    // path is a directory already. Anything else takes the component walk and its messages.
    match sfs::mkdirat(sfd::cwd(), path, o.mode.map_or(0o777, |(m, _)| m & 0o777)) {
        Ok(()) => {
            if o.verbose {
                announce(ctx, path)?;
            }
            if let Some(mb) = o.mode {
                set_mode(ctx, sfd::cwd(), path, path, mb);
            }
            return Ok(());
        }
        Err(e) if e.raw_os_error() == Some(libc::EEXIST) => {
            if sfd::stat(path).is_ok_and(|st| st.st_mode & libc::S_IFMT == libc::S_IFDIR) {
                return Ok(());
            }
        }
        Err(_) => {}
    }
    // Components and where each ends in `path`.
    let mut comps: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < path.len() {
        if path[i] == b'/' {
            i += 1;
            continue;
        }
        let s = i;
        while i < path.len() && path[i] != b'/' {
            i += 1;
        }
        comps.push((s, i));
    }
    let Some((&(ls, le), ancestors)) = comps.split_last() else {
        // "/" or "": what mkdir(2) says of the whole.
        return make_one(ctx, o, sfd::cwd(), path, path);
    };
    let mut cur: Option<OwnedFd> = None;
    if path[0] == b'/' {
        match open_dir(sfd::cwd(), b"/", true) {
            Ok(fd) => cur = Some(fd),
            Err(e) => return fail(ctx, sfd::cwd(), b"/", &e),
        }
    }
    for &(s, e) in ancestors {
        let at = cur.as_ref().map_or(sfd::cwd(), |f| f.as_fd());
        let name = &path[s..e];
        let prefix = &path[..e];
        let made = sfs::mkdirat(at, name, 0o777);
        if made.is_ok() {
            if o.verbose {
                announce(ctx, prefix)?;
            }
            if o.umask & 0o300 != 0 {
                if let Ok(fd) = open_dir(at, name, false) {
                    if let Ok(st) = sfd::fstat(fd.as_fd()) {
                        let _ = sfs::fchmod(fd.as_fd(), (st.st_mode & 0o7777) | 0o300);
                    }
                }
            }
        }
        match open_dir(at, name, true) {
            Ok(fd) => cur = Some(fd),
            Err(oe) => {
                // As gnulib's mkancesdirs: a name that is not there (a dangling symlink) reports
                // why mkdir failed.
                let err = match made {
                    Err(me) if oe.raw_os_error() == Some(libc::ENOENT) => me,
                    _ => oe,
                };
                return fail(ctx, at, prefix, &err);
            }
        }
    }
    let at = cur.as_ref().map_or(sfd::cwd(), |f| f.as_fd());
    make_one(ctx, o, at, &path[ls..le], path)
}

#[cfg(test)]
mod tests {
    use super::parent_prefix;

    #[test]
    fn prefixes() {
        assert_eq!(parent_prefix(b"a/b"), b"a");
        assert_eq!(parent_prefix(b"a//b//"), b"a");
        assert_eq!(parent_prefix(b"/a"), b"/");
        assert_eq!(parent_prefix(b"a"), b"");
    }
}
