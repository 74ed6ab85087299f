//! `ln`: make links between files.
//!
//! GNU coreutils 9 `ln`: the four forms (`ln TARGET LINK`, `ln TARGET`, `ln TARGET... DIR`,
//! `ln -t DIR TARGET...`), `-s`/`--symbolic`, `-f`/`--force`, `-i`/`--interactive`,
//! `-n`/`--no-dereference`, `-r`/`--relative` (through `common::path`, as GNU's
//! canonicalize + relpath), `-v`/`--verbose` (`'link' -> 'target'`, `=>` for hard links),
//! `-t`/`--target-directory`, `-T`/`--no-target-directory`, `-L`/`--logical` and
//! `-P`/`--physical` (the default) for hard links to symlinks, `-d`/`-F`/`--directory`.
//! `-f` replaces an existing name atomically, as GNU 9 does: the link is made under a
//! temporary name in the same directory and renamed over the old one, so the name never
//! disappears. Messages and statuses are GNU's.
//! `--backup[=CONTROL]`/`-b`/`-S` through [`common::backup`](crate::common::backup): the old
//! name renamed aside, then the link made (`-v`: `'a~' ~ 'a' => 'x'`).

use std::ffi::OsString;
use std::io;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::backup::{self, Backup};
use crate::common::fs::{base_name, dir_len};
use crate::common::help::help_text;
use crate::common::path::{canonicalize, relative, Missing};
use crate::common::quote::{quote_always, quote_if_needed};
use crate::common::sys::{fd as sfd, fs as sfs, process};
use crate::common::{io as cio, Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        backup::OPTS[0],
        backup::OPTS[1],
        backup::OPTS[2],
        Opt::flag("d", Some(b'd'), Some("directory")),
        Opt::flag("d", Some(b'F'), None),
        Opt::flag("force", Some(b'f'), Some("force")),
        Opt::flag("interactive", Some(b'i'), Some("interactive")),
        Opt::flag("no-dereference", Some(b'n'), Some("no-dereference")),
        Opt::flag(
            "no-target-directory",
            Some(b'T'),
            Some("no-target-directory"),
        ),
        Opt::flag("logical", Some(b'L'), Some("logical")),
        Opt::flag("physical", Some(b'P'), Some("physical")),
        Opt::flag("relative", Some(b'r'), Some("relative")),
        Opt::flag("symbolic", Some(b's'), Some("symbolic")),
        Opt::arg("target-directory", Some(b't'), Some("target-directory")),
        Opt::flag("verbose", Some(b'v'), Some("verbose")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: ln [OPTION]... [-T] TARGET LINK_NAME
  or:  ln [OPTION]... TARGET
  or:  ln [OPTION]... TARGET... DIRECTORY
  or:  ln [OPTION]... -t DIRECTORY TARGET...
In the 1st form, create a link to TARGET with the name LINK_NAME.
In the 2nd form, create a link to TARGET in the current directory.
In the 3rd and 4th forms, create links to each TARGET in DIRECTORY.
Create hard links by default, symbolic links with --symbolic.
By default, each destination (name of new link) should not already exist.
When creating hard links, each TARGET must exist.  Symbolic links
can hold arbitrary text; if later resolved, a relative link is
interpreted in relation to its parent directory.

Mandatory arguments to long options are mandatory for short options too.
      --backup[=CONTROL]      make a backup of each existing destination file
  -b                          like --backup but does not accept an argument
  -d, -F, --directory         allow the superuser to attempt to hard link
                                directories (note: will probably fail due to
                                system restrictions, even for the superuser)
  -f, --force                 remove existing destination files
  -i, --interactive           prompt whether to remove destinations
  -L, --logical               dereference TARGETs that are symbolic links
  -n, --no-dereference        treat LINK_NAME as a normal file if
                                it is a symbolic link to a directory
  -P, --physical              make hard links directly to symbolic links
  -r, --relative              with -s, create links relative to link location
  -s, --symbolic              make symbolic links instead of hard links
  -S, --suffix=SUFFIX         override the usual backup suffix
  -t, --target-directory=DIRECTORY  specify the DIRECTORY in which to create
                                the links
  -T, --no-target-directory   treat LINK_NAME as a normal file always
  -v, --verbose               print name of each linked file
      --help        display this help and exit
      --version     output version information and exit

The backup suffix is '~', unless set with --suffix or SIMPLE_BACKUP_SUFFIX.
The version control method may be selected via the --backup option or through
the VERSION_CONTROL environment variable.  Here are the values:

  none, off       never make backups (even if --backup is given)
  numbered, t     make numbered backups
  existing, nil   numbered if numbered backups exist, simple otherwise
  simple, never   always make simple backups

Using -s ignores -L and -P.  Otherwise, the last option specified controls
behavior when a TARGET is a symbolic link, defaulting to -P.
"
    ),
);

struct Ln {
    symbolic: bool,
    force: bool,
    interactive: bool,
    relative: bool,
    logical: bool,
    dirs: bool,
    verbose: bool,
    backup: Option<Backup>,
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn die(ctx: &mut Ctx, msg: &[u8]) -> Error {
    ctx.msg(msg);
    Error::silent(1)
}

fn with_name(what: &str, name: &[u8]) -> Vec<u8> {
    let mut m = what.as_bytes().to_vec();
    m.push(b' ');
    m.extend_from_slice(&quote_always(name));
    m
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let last_of = |ids: &[&str]| {
        m.opts
            .iter()
            .rev()
            .find(|o| ids.contains(&o.0))
            .map(|o| o.0)
    };
    let fi = last_of(&["force", "interactive"]);
    let ln = Ln {
        symbolic: m.flag("symbolic"),
        force: fi == Some("force"),
        interactive: fi == Some("interactive"),
        relative: m.flag("relative"),
        logical: last_of(&["logical", "physical"]) == Some("logical"),
        dirs: m.flag("d"),
        verbose: m.flag("verbose"),
        backup: backup::from_matches(ctx, &m)?,
    };
    let no_deref = m.flag("no-dereference");
    let no_target = m.flag("no-target-directory");
    let target_dir = m.last("target-directory").map(|t| t.as_bytes().to_vec());
    let ops: Vec<&[u8]> = m.operands.iter().map(|o| o.as_bytes()).collect();
    // GNU's order: -t is checked as it is parsed, then the operands are counted, then the
    // other combinations.
    if let Some(t) = &target_dir {
        match sfd::stat(t) {
            Ok(st) if st.st_mode & libc::S_IFMT == libc::S_IFDIR => {}
            Ok(_) => {
                let mut m = with_name("target", t);
                m.extend_from_slice(b" is not a directory");
                return Err(die(ctx, &m));
            }
            Err(e) => {
                ctx.error_quoted(1, "failed to access", t, &e);
                return Err(Error::silent(1));
            }
        }
    }
    if ops.is_empty() {
        return Err(args::usage_error(ctx, &SPEC, b"missing file operand", 1));
    }
    if ln.relative && !ln.symbolic {
        return Err(die(ctx, b"cannot do --relative without --symbolic"));
    }
    // Why a name cannot be the directory to link into: with -n a symlink is not followed.
    let not_dir = |d: &[u8]| {
        if no_deref && sfd::lstat(d).is_ok_and(|s| s.st_mode & libc::S_IFMT == libc::S_IFLNK) {
            return Some(io::Error::from_raw_os_error(libc::ENOTDIR));
        }
        match sfd::stat(d) {
            Ok(st) if st.st_mode & libc::S_IFMT == libc::S_IFDIR => None,
            Ok(_) => Some(io::Error::from_raw_os_error(libc::ENOTDIR)),
            Err(e) => Some(e),
        }
    };
    let (sources, dir): (&[&[u8]], Option<Vec<u8>>) = if no_target {
        if target_dir.is_some() {
            return Err(die(
                ctx,
                b"cannot combine --target-directory and --no-target-directory",
            ));
        }
        if ops.len() > 2 {
            let m = with_name("extra operand", ops[2]);
            return Err(args::usage_error(ctx, &SPEC, &m, 1));
        }
        if ops.len() < 2 {
            let m = with_name("missing destination file operand after", ops[0]);
            return Err(args::usage_error(ctx, &SPEC, &m, 1));
        }
        (&ops[..1], None)
    } else if let Some(t) = target_dir {
        if let Some(e) = not_dir(&t) {
            ctx.error_quoted(1, "target", &t, &e);
            return Err(Error::silent(1));
        }
        (&ops[..], Some(t))
    } else if ops.len() == 1 {
        (&ops[..], Some(b".".to_vec()))
    } else {
        let last = ops[ops.len() - 1];
        match not_dir(last) {
            None => (&ops[..ops.len() - 1], Some(last.to_vec())),
            Some(e) if ops.len() > 2 => {
                ctx.error_quoted(1, "target", last, &e);
                return Err(Error::silent(1));
            }
            Some(_) => (&ops[..1], None),
        }
    };
    match dir {
        Some(d) => {
            // A hard link this run made is not replaced by a later operand's (GNU), unless
            // numbered backups keep it.
            let guard = sources.len() > 1
                && ln.force
                && !ln.symbolic
                && ln
                    .backup
                    .as_ref()
                    .is_none_or(|b| b.kind != backup::Kind::Numbered);
            let mut made = std::collections::HashSet::new();
            for s in sources {
                let dest = crate::common::copy::join(&d, base_name(s));
                if guard {
                    if let Ok(st) = sfd::lstat(&dest) {
                        if made.contains(&(st.st_dev, st.st_ino)) {
                            let mut m = with_name("will not overwrite just-created", &dest);
                            m.extend_from_slice(b" with ");
                            m.extend_from_slice(&quote_always(s));
                            ctx.error(1, &m);
                            continue;
                        }
                    }
                }
                ln.link(ctx, s, &dest)?;
                if guard {
                    if let Ok(st) = sfd::lstat(&dest) {
                        made.insert((st.st_dev, st.st_ino));
                    }
                }
            }
        }
        None => ln.link(ctx, ops[0], ops[1])?,
    }
    Ok(())
}

impl Ln {
    fn link(&self, ctx: &mut Ctx, source: &[u8], dest: &[u8]) -> Result<()> {
        if !self.symbolic {
            let st = if self.logical {
                sfd::stat(source)
            } else {
                sfd::lstat(source)
            };
            match st {
                Ok(st) if st.st_mode & libc::S_IFMT == libc::S_IFDIR && !self.dirs => {
                    let mut msg = quote_if_needed(source);
                    msg.extend_from_slice(b": hard link not allowed for directory");
                    ctx.error(1, &msg);
                    return Ok(());
                }
                Ok(_) => {}
                Err(e) => {
                    ctx.error_quoted(1, "failed to access", source, &e);
                    return Ok(());
                }
            }
        }
        let text: Vec<u8> = if self.relative {
            let dl = dir_len(dest);
            let ddir: &[u8] = if dl == 0 { b"." } else { &dest[..dl] };
            match (
                canonicalize(ddir, Missing::Any, true),
                canonicalize(source, Missing::Any, true),
            ) {
                (Ok(d), Ok(s)) => relative(&d, &s),
                _ => source.to_vec(),
            }
        } else {
            source.to_vec()
        };
        let cwd = sfd::cwd();
        let make = |name: &[u8]| {
            if self.symbolic {
                sfs::symlinkat(&text, cwd, name)
            } else {
                let fl = if self.logical {
                    libc::AT_SYMLINK_FOLLOW
                } else {
                    0
                };
                sfs::linkat(cwd, source, cwd, name, fl)
            }
        };
        let mut r = make(dest);
        let mut backed_up = None;
        if matches!(&r, Err(e) if e.raw_os_error() == Some(libc::EEXIST))
            && (self.force || self.interactive || self.backup.is_some())
        {
            if let Ok(dst) = sfd::lstat(dest) {
                if self.interactive {
                    let q = [b"ln: replace ".as_slice(), &quote_always(dest), b"? "].concat();
                    let _ = ctx.out.flush();
                    let _ = cio::write_all(cio::stderr_fd(), &q);
                    if !cio::yesno() {
                        return Ok(());
                    }
                }
                // The same file: a hard link to itself, or (GNU's check) a symlink whose text,
                // read from the working directory as GNU reads it, names it.
                let src_path = if self.symbolic {
                    text.clone()
                } else {
                    source.to_vec()
                };
                let same_src = if self.symbolic || self.logical {
                    sfd::stat(&src_path).ok()
                } else {
                    sfd::lstat(&src_path).ok()
                };
                // Refused only when replacing the destination would remove the source, as GNU:
                // the same entry, or the inode's only link. Another name of the file is
                // replaced (`ln -f a b` run twice), or kept aside by a backup; a lone link
                // reached through -L is refused even with a backup (its backup would take the
                // source away).
                // A symlink with a backup is always made (`ln -sfb f f`: f~ and a link to itself).
                let checked = !(self.symbolic && self.backup.is_some());
                if checked
                    && same_src.is_some_and(|s| {
                        (s.st_dev, s.st_ino) == (dst.st_dev, dst.st_ino)
                            && (crate::common::fs::same_entry(&src_path, dest) || s.st_nlink == 1)
                    })
                {
                    let mut msg = quote_always(source);
                    msg.extend_from_slice(b" and ");
                    msg.extend_from_slice(&quote_always(dest));
                    msg.extend_from_slice(b" are the same file");
                    ctx.error(1, &msg);
                    return Ok(());
                }
                if dst.st_mode & libc::S_IFMT == libc::S_IFDIR {
                    let mut msg = quote_if_needed(dest);
                    msg.extend_from_slice(b": cannot overwrite directory");
                    ctx.error(1, &msg);
                    return Ok(());
                }
                r = match &self.backup {
                    Some(b) => match b.make(cwd, dest) {
                        Ok(made) => {
                            backed_up = made;
                            // A backup name that was already another link of the destination:
                            // the rename changed nothing and the name is still there (GNU's
                            // "unusual case"), replaced as with -f.
                            match make(dest) {
                                Err(e) if e.raw_os_error() == Some(libc::EEXIST) => {
                                    self.replace(dest, &make)
                                }
                                r => r,
                            }
                        }
                        Err(e) => {
                            ctx.error_quoted(1, "cannot backup", dest, &e);
                            return Ok(());
                        }
                    },
                    None => self.replace(dest, &make),
                };
            }
        }
        match r {
            Ok(()) => {
                if self.verbose {
                    let out = &mut ctx.out;
                    if let Some(b) = &backed_up {
                        out.write_all(&quote_always(b))?;
                        out.write_all(b" ~ ")?;
                    }
                    out.write_all(&quote_always(dest))?;
                    out.write_all(if self.symbolic { b" -> " } else { b" => " })?;
                    out.write_all(&quote_always(&text))?;
                    out.byte(b'\n')?;
                }
            }
            Err(e) => {
                let code = e.raw_os_error().unwrap_or(0);
                let mut msg = if self.symbolic {
                    with_name("failed to create symbolic link", dest)
                } else {
                    with_name("failed to create hard link", dest)
                };
                let arrow: Option<&[u8]> = if self.symbolic {
                    (code == libc::ENAMETOOLONG || text.is_empty()).then_some(b" -> ")
                } else {
                    (![libc::EDQUOT, libc::EEXIST, libc::ENOSPC, libc::EROFS].contains(&code))
                        .then_some(b" => ")
                };
                if let Some(a) = arrow {
                    msg.extend_from_slice(a);
                    msg.extend_from_slice(&quote_always(if self.symbolic {
                        &text
                    } else {
                        source
                    }));
                }
                msg.extend_from_slice(b": ");
                msg.extend_from_slice(crate::common::ctx::strerror(&e).as_bytes());
                ctx.error(1, &msg);
            }
        }
        Ok(())
    }

    /// The link made under a temporary name beside `dest`, then renamed over it.
    fn replace(&self, dest: &[u8], make: &dyn Fn(&[u8]) -> io::Result<()>) -> io::Result<()> {
        let dl = dir_len(dest);
        let mut prefix = dest[..dl].to_vec();
        if !prefix.is_empty() && !prefix.ends_with(b"/") {
            prefix.push(b'/');
        }
        let seed = process::getpid() as u64;
        let mut n = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        for _ in 0..100 {
            n = n
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let mut tmp = prefix.clone();
            tmp.extend_from_slice(b"CuXXXXXX");
            let l = tmp.len();
            const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            for (i, c) in tmp[l - 6..].iter_mut().enumerate() {
                *c = ALNUM[((n >> (i * 6)) % 62) as usize];
            }
            match make(&tmp) {
                Ok(()) => {
                    let cwd = sfd::cwd();
                    let r = sfs::renameat(cwd, &tmp, cwd, dest);
                    // Also after a success, as GNU: when `dest` already was a link to the same
                    // file, rename does nothing (POSIX) and the temporary name would stay.
                    let _ = sfs::unlinkat(cwd, &tmp, 0);
                    return r;
                }
                Err(e) if e.raw_os_error() == Some(libc::EEXIST) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::from_raw_os_error(libc::EEXIST))
    }
}
