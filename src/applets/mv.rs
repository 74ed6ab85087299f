//! `mv`: move (rename) files.
//!
//! GNU coreutils 9 `mv`: `-f -i -n -u -v -t -T --strip-trailing-slashes`; the last of `-f`,
//! `-i`, `-n` wins. A move is one `renameat2` (RENAME_NOREPLACE with `-n`, so no race with a
//! file appearing meanwhile); across file systems (EXDEV) the source is copied with everything
//! kept, as `cp -a` does ([`common::copy`](crate::common::copy)), then removed with the
//! descriptor-relative remover ([`common::remove`](crate::common::remove)); the source stays if
//! the copy failed. GNU's messages (`mv: cannot move 'a' to a subdirectory of itself, 'a/b'`,
//! `cannot overwrite directory ...`, `cannot move 'd' to 'e/d': Directory not empty`) and `-v`
//! lines (`renamed 'a' -> 'b'`; across devices `created directory`, `copied`, `removed`).
//! `--backup[=CONTROL]`/`-b`/`-S` through [`common::backup`](crate::common::backup): the
//! destination renamed aside before the move (`renamed 'x' -> 'a' (backup: 'a~')`).
//! Deviations: no SELinux `-Z`; the target directory is named again for each operand where
//! GNU 9 opens it once, so `mv -t LINK LINK FILE` (the link to the target moved into it first)
//! cannot find `LINK/FILE` where GNU still moves FILE into the directory.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::backup::{self, Backup};
use crate::common::copy::{base_name, join, operands, Copier, CopyOpts, Deref};
use crate::common::ctx::strerror;
use crate::common::fs::strip_trailing_slashes;
use crate::common::help::{help_text, Help};
use crate::common::io::{stdin_fd, yesno};
use crate::common::quote::quote_always;
use crate::common::remove::{Interactive, Remover, RmOptions, Status};
use crate::common::sys::fd::{self as sfd, Stat};
use crate::common::sys::{fs as sfs, user};
use crate::common::{Ctx, Error, Result};

pub const USAGE: Help = help_text!(
    "\
Usage: mv [OPTION]... [-T] SOURCE DEST
  or:  mv [OPTION]... SOURCE... DIRECTORY
  or:  mv [OPTION]... -t DIRECTORY SOURCE...
Rename SOURCE to DEST, or move SOURCE(s) to DIRECTORY.

Mandatory arguments to long options are mandatory for short options too.
      --backup[=CONTROL]       make a backup of each existing destination file
  -b                           like --backup but does not accept an argument
  -f, --force                  do not prompt before overwriting
  -i, --interactive            prompt before overwrite
  -n, --no-clobber             do not overwrite an existing file
If you specify more than one of -i, -f, -n, only the final one takes effect.
      --strip-trailing-slashes  remove any trailing slashes from each SOURCE
                                 argument
  -S, --suffix=SUFFIX          override the usual backup suffix
  -t, --target-directory=DIRECTORY  move all SOURCE arguments into DIRECTORY
  -T, --no-target-directory    treat DEST as a normal file
  -u, --update                 move only when the SOURCE file is newer
                                 than the destination file or when the
                                 destination file is missing
  -v, --verbose                explain what is being done
  -Z, --context                set SELinux security context of destination
                                 file to default type
      --help        display this help and exit
      --version     output version information and exit

The backup suffix is '~', unless set with --suffix or SIMPLE_BACKUP_SUFFIX.
The version control method may be selected via the --backup option or through
the VERSION_CONTROL environment variable.  Here are the values:

  none, off       never make backups (even if --backup is given)
  numbered, t     make numbered backups
  existing, nil   numbered if numbered backups exist, simple otherwise
  simple, never   always make simple backups
"
);

static SPEC: Spec = Spec::new(
    &[
        backup::OPTS[0],
        backup::OPTS[1],
        backup::OPTS[2],
        Opt::flag("force", Some(b'f'), Some("force")),
        Opt::flag("interactive", Some(b'i'), Some("interactive")),
        Opt::flag("no-clobber", Some(b'n'), Some("no-clobber")),
        Opt::flag(
            "strip-trailing-slashes",
            None,
            Some("strip-trailing-slashes"),
        ),
        Opt::arg("target-directory", Some(b't'), Some("target-directory")),
        Opt::flag(
            "no-target-directory",
            Some(b'T'),
            Some("no-target-directory"),
        ),
        Opt::flag("update", Some(b'u'), Some("update")),
        Opt::flag("verbose", Some(b'v'), Some("verbose")),
        // No SELinux labels to set: accepted and ignored, as GNU does without SELinux
        // (Debian's add-shell runs `mv -Z`).
        Opt::flag("context", Some(b'Z'), Some("context")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    USAGE,
);

#[derive(Clone, Copy, PartialEq)]
enum Clobber {
    Force,
    Ask,
    Never,
    /// No option: ask only about a write-protected file when stdin is a terminal.
    Default,
}

struct Mv {
    clobber: Clobber,
    update: bool,
    verbose: bool,
    backup: Option<Backup>,
    tty: bool,
    copier: Option<Copier>,
    remover: Option<Remover>,
    /// The first error writing a `-v` line.
    werr: Option<std::io::Error>,
    /// Two operands, the destination's trailing slash stripped by --strip-trailing-slashes.
    slash_dest: bool,
    /// Directories refused as moved into themselves (device, inode, destination): GNU warns
    /// about the same one again instead of repeating the error.
    dirs_tried: Vec<(u64, u64, Vec<u8>)>,
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let mut mv = Mv {
        clobber: Clobber::Default,
        update: false,
        verbose: false,
        backup: None,
        tty: sfd::isatty(stdin_fd()),
        copier: None,
        remover: None,
        werr: None,
        slash_dest: false,
        dirs_tried: Vec::new(),
    };
    let mut target = None;
    let (mut no_target, mut strip) = (false, false);
    for (id, v) in &m.opts {
        match Id::of(id.as_bytes()) {
            Some(Id::Force) => mv.clobber = Clobber::Force,
            Some(Id::Interactive) => mv.clobber = Clobber::Ask,
            Some(Id::NoClobber) => mv.clobber = Clobber::Never,
            Some(Id::StripTrailingSlashes) => strip = true,
            Some(Id::TargetDirectory) => target = v.as_ref().map(|t| t.as_bytes().to_vec()),
            Some(Id::NoTargetDirectory) => no_target = true,
            Some(Id::Update) => mv.update = true,
            Some(Id::Verbose) => mv.verbose = true,
            _ => {}
        }
    }
    // GNU's order: the operands and the target checked first, then their slashes stripped
    // (the destination's too when it is not the directory moved into), then the options.
    let files: Vec<Vec<u8>> = m.operands.iter().map(|f| f.as_bytes().to_vec()).collect();
    let (mut srcs, mut dest, into) = operands(ctx, files, target, no_target)?;
    if strip {
        let strip = |f: &mut Vec<u8>| f.truncate(strip_trailing_slashes(f).len());
        srcs.iter_mut().for_each(strip);
        mv.slash_dest = !into && !no_target && dest.ends_with(b"/");
        if !into {
            strip(&mut dest);
        }
    }
    if mv.clobber == Clobber::Never && backup::requested(&m) {
        ctx.msg(b"options --backup and --no-clobber are mutually exclusive");
        ctx.try_help();
        return Err(Error::silent(1));
    }
    mv.backup = backup::from_matches(ctx, &m)?;
    let mut ok = true;
    for s in &srcs {
        let d = if into {
            join(&dest, base_name(s))
        } else {
            dest.clone()
        };
        ok &= mv.one(ctx, s, &d);
        let werr = mv.copier.as_mut().and_then(|c| c.write_error.take());
        let werr = werr.or_else(|| mv.remover.as_mut().and_then(|r| r.write_error.take()));
        let werr = werr.or_else(|| mv.werr.take());
        if let Some(e) = werr {
            return Err(Error::write(&e));
        }
    }
    if !ok {
        ctx.fail(1);
    }
    Ok(())
}

crate::common::args::named! {
    /// The option ids the match above knows: one search of their names instead of a
    /// comparison with each.
    enum Id {
        Force = "force",
        Interactive = "interactive",
        NoClobber = "no-clobber",
        StripTrailingSlashes = "strip-trailing-slashes",
        TargetDirectory = "target-directory",
        NoTargetDirectory = "no-target-directory",
        Update = "update",
        Verbose = "verbose",
    }
}

fn is_dir(st: &Stat) -> bool {
    st.st_mode & libc::S_IFMT == libc::S_IFDIR
}

/// `mv: cannot move 'a' to 'b': ERROR`.
fn cannot_move(ctx: &mut Ctx, src: &[u8], dst: &[u8], e: &std::io::Error) {
    let mut m = b"cannot move ".to_vec();
    m.extend_from_slice(&quote_always(src));
    m.extend_from_slice(b" to ");
    m.extend_from_slice(&quote_always(dst));
    m.extend_from_slice(b": ");
    m.extend_from_slice(strerror(e).as_bytes());
    ctx.msg(&m);
}

/// `mv: TEXT 'a' TEXT2 'b'...`: text and quoted names alternating.
fn say(ctx: &mut Ctx, parts: &[&[u8]]) {
    let mut m = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        if i % 2 == 1 {
            m.extend_from_slice(&quote_always(p));
        } else {
            m.extend_from_slice(p);
        }
    }
    ctx.msg(&m);
}

fn ask(ctx: &mut Ctx, q: &[u8]) -> bool {
    let _ = ctx.out.flush();
    let mut l = format!("{}: ", ctx.name).into_bytes();
    l.extend_from_slice(q);
    let _ = crate::common::io::write_all(crate::common::io::stderr_fd(), &l);
    yesno()
}

impl Mv {
    fn one(&mut self, ctx: &mut Ctx, src: &[u8], dst: &[u8]) -> bool {
        let cwd = sfd::cwd();
        let sst = match sfd::fstatat(cwd, src, libc::AT_SYMLINK_NOFOLLOW) {
            Ok(s) => s,
            Err(e) => {
                let mut m = b"cannot stat ".to_vec();
                m.extend_from_slice(&quote_always(src));
                m.extend_from_slice(b": ");
                m.extend_from_slice(strerror(&e).as_bytes());
                ctx.msg(&m);
                return false;
            }
        };
        let mut dst_st = sfd::fstatat(cwd, dst, libc::AT_SYMLINK_NOFOLLOW).ok();
        // GNU's first rename of two operands is made before their slashes are stripped: a
        // file is not moved to a missing `NAME/`.
        if dst_st.is_none() && self.slash_dest && !is_dir(&sst) {
            cannot_move(
                ctx,
                src,
                dst,
                &std::io::Error::from_raw_os_error(libc::ENOTDIR),
            );
            return false;
        }
        let mut backed_up = None;
        if let Some(d) = &dst_st {
            // GNU's -n: an existing destination ends it, before any other check.
            if self.clobber == Clobber::Never {
                return true;
            }
            // Also a symlink onto the file it points to: the rename would leave a link to
            // itself in place of the file. As GNU, allowed when the file has another name and
            // the link resolves to that one (the data stays reachable).
            let link_to_dst = sst.st_mode & libc::S_IFMT == libc::S_IFLNK
                && d.st_mode & libc::S_IFMT != libc::S_IFLNK
                && sfd::stat(src).is_ok_and(|t| (t.st_dev, t.st_ino) == (d.st_dev, d.st_ino))
                && (d.st_nlink == 1 || same_entry(src, dst));
            // With a backup, another name of the same file is moved aside, not refused: the
            // data stays in the backup (GNU's same_file_ok).
            let kept = self.backup.is_some() && !crate::common::fs::same_entry(src, dst);
            if ((d.st_dev, d.st_ino) == (sst.st_dev, sst.st_ino) || link_to_dst) && !kept {
                say(ctx, &[b"", src, b" and ", dst, b" are the same file"]);
                return false;
            }
            // As GNU's, -u weighs files only: a directory goes on to the kind checks.
            if self.update
                && !is_dir(&sst)
                && (d.st_mtime, d.st_mtime_nsec) >= (sst.st_mtime, sst.st_mtime_nsec)
            {
                return true;
            }
            let lnk = d.st_mode & libc::S_IFMT == libc::S_IFLNK;
            if self.clobber == Clobber::Ask
                || (self.clobber == Clobber::Default
                    && self.tty
                    && !lnk
                    && user::eaccess(dst, libc::W_OK).is_err())
            {
                let mut q = Vec::new();
                if self.clobber == Clobber::Default {
                    q.extend_from_slice(b"replace ");
                    q.extend_from_slice(&quote_always(dst));
                    let mode = d.st_mode & 0o7777;
                    let ms = crate::common::fs::mode_string(d.st_mode);
                    q.extend_from_slice(
                        format!(
                            ", overriding mode {mode:04o} ({})? ",
                            String::from_utf8_lossy(&ms[1..])
                        )
                        .as_bytes(),
                    );
                } else {
                    q.extend_from_slice(b"overwrite ");
                    q.extend_from_slice(&quote_always(dst));
                    q.extend_from_slice(b"? ");
                }
                if !ask(ctx, &q) {
                    return true;
                }
            }
            // GNU asks before it finds the kinds do not match. With a backup the kinds may
            // differ (`mv -T -b f dir`: the directory is moved aside), as GNU's; not through a
            // trailing slash, where GNU backs up and then fails the rename, half done.
            let ddir = is_dir(d)
                || (sfd::stat(dst).map(|s| is_dir(&s)).unwrap_or(false) && dst.ends_with(b"/"));
            let aside = self.backup.is_some() && !dst.ends_with(b"/");
            if is_dir(&sst) && !ddir && !aside {
                say(
                    ctx,
                    &[
                        b"cannot overwrite non-directory ",
                        dst,
                        b" with directory ",
                        src,
                    ],
                );
                return false;
            }
            if !is_dir(&sst) && ddir && !aside {
                say(
                    ctx,
                    &[b"cannot overwrite directory ", dst, b" with non-directory"],
                );
                return false;
            }
            // No backup for a source named `.` or `..` (GNU): its rename fails anyway.
            let dots = matches!(base_name(src), b"." | b"..");
            if let Some(b) = self.backup.as_ref().filter(|_| !dots) {
                if b.takes_source(cwd, dst, dst, src) {
                    say(
                        ctx,
                        &[
                            b"backing up ",
                            dst,
                            b" might destroy source;  ",
                            src,
                            b" not moved",
                        ],
                    );
                    return false;
                }
                match b.make(cwd, dst) {
                    Ok(made) => {
                        backed_up = made;
                        dst_st = None;
                    }
                    Err(e) => {
                        let mut m = b"cannot backup ".to_vec();
                        m.extend_from_slice(&quote_always(dst));
                        m.extend_from_slice(b": ");
                        m.extend_from_slice(strerror(&e).as_bytes());
                        ctx.msg(&m);
                        return false;
                    }
                }
            }
        }
        let key = (sst.st_dev, sst.st_ino, dst.to_vec());
        if is_dir(&sst) && self.dirs_tried.contains(&key) {
            say(
                ctx,
                &[
                    b"warning: source directory ",
                    src,
                    b" specified more than once",
                ],
            );
            return true;
        }
        let flags = if self.clobber == Clobber::Never {
            libc::RENAME_NOREPLACE
        } else {
            0
        };
        match sfs::renameat2(cwd, src, cwd, dst, flags) {
            Ok(()) => {
                if self.verbose {
                    let mut l = b"renamed ".to_vec();
                    l.extend_from_slice(&quote_always(src));
                    l.extend_from_slice(b" -> ");
                    l.extend_from_slice(&quote_always(dst));
                    if let Some(b) = &backed_up {
                        l.extend_from_slice(&backup::verbose_tail(b));
                    }
                    l.push(b'\n');
                    if let Err(e) = ctx.out.write_all(&l) {
                        self.werr.get_or_insert(e);
                    }
                }
                true
            }
            Err(e) => match e.raw_os_error() {
                Some(libc::EEXIST) if flags != 0 => true,
                Some(libc::EXDEV) => self.across(ctx, src, dst, &sst, dst_st.as_ref(), backed_up),
                Some(libc::EINVAL) if is_dir(&sst) => {
                    self.dirs_tried.push(key);
                    say(
                        ctx,
                        &[b"cannot move ", src, b" to a subdirectory of itself, ", dst],
                    );
                    false
                }
                _ => {
                    cannot_move(ctx, src, dst, &e);
                    false
                }
            },
        }
    }

    /// Across file systems: replace the destination, copy everything, remove the source.
    fn across(
        &mut self,
        ctx: &mut Ctx,
        src: &[u8],
        dst: &[u8],
        sst: &Stat,
        dst_st: Option<&Stat>,
        backed_up: Option<Vec<u8>>,
    ) -> bool {
        let cwd = sfd::cwd();
        if let Some(d) = dst_st {
            let fl = if is_dir(d) { libc::AT_REMOVEDIR } else { 0 };
            if let Err(e) = sfs::unlinkat(cwd, dst, fl) {
                let mut m = b"inter-device move failed: ".to_vec();
                m.extend_from_slice(&quote_always(src));
                m.extend_from_slice(b" to ");
                m.extend_from_slice(&quote_always(dst));
                m.extend_from_slice(b"; unable to remove target: ");
                m.extend_from_slice(strerror(&e).as_bytes());
                ctx.msg(&m);
                return false;
            }
        }
        let verbose = self.verbose;
        let c = self.copier.get_or_insert_with(|| {
            Copier::new(CopyOpts {
                recursive: true,
                deref: Deref::Never,
                mode: true,
                owner: true,
                time: true,
                links: true,
                xattr: true,
                special: true,
                move_mode: true,
                verbose,
                ..CopyOpts::default()
            })
        });
        // The `copied` line of a file names the backup made before the rename failed, as GNU.
        if !is_dir(sst) {
            c.next_backup = backed_up;
        }
        if !c.copy(ctx, src, dst) {
            return false;
        }
        let r = self.remover.get_or_insert_with(|| {
            Remover::new(RmOptions {
                recursive: true,
                dirs: true,
                interactive: Interactive::Never,
                preserve_root: false,
                verbose,
                ..RmOptions::default()
            })
        });
        r.remove(ctx, cwd, src) != Status::Error
    }
}

/// Does the symlink `link`, resolved, name the directory entry `name` (same directory, same
/// last component)?
fn same_entry(link: &[u8], name: &[u8]) -> bool {
    crate::common::path::canonicalize(link, crate::common::path::Missing::None, true)
        .is_ok_and(|real| crate::common::fs::same_entry(&real, name))
}
