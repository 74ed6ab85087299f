//! `chmod`: change file mode bits.
//!
//! GNU coreutils 9 `chmod`: modes octal or symbolic through the one mode parser
//! (`common::fs::mode_compile`/`mode_adjust`: the umask masks clauses without a who, `X`,
//! copies such as `g=u`, GNU 9's rule that octal modes of fewer than 5 digits keep a
//! directory's setuid/setgid), modes that look like options (`chmod -w f`, `chmod -R -x+X d`)
//! with GNU's "new permissions are ..., not ..." warning when the umask kept a bit, `-R`,
//! `-c`/`--changes`, `-v`/`--verbose` (GNU's `mode of 'f' changed from 0644 (rw-r--r--) to
//! ...` lines), `-f`/`--silent`/`--quiet`, `--reference=RFILE`, `--preserve-root` and
//! `--no-preserve-root` (the default, as GNU). Operands that are symlinks are followed;
//! symlinks met inside a tree under `-R` are never followed nor changed (`neither symbolic
//! link ... nor referent has been changed`). The tree is walked by `common::walk`
//! (descriptor-relative); a directory is changed through its open descriptor, other entries
//! with fchmodat2(AT_SYMLINK_NOFOLLOW) relative to their parent, so a file swapped for a
//! symlink mid-walk cannot redirect the change. Messages and statuses are GNU's.
//! Deviation: a directory that cannot be opened is changed, then entered if the change made
//! that possible (GNU changes it before reading it; same result).

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::fs::{mode_adjust, mode_compile, mode_string, ModeChange};
use crate::common::help::help_text;
use crate::common::quote::{quote_always, quote_if_needed};
use crate::common::sys::fd::{self as sfd, BorrowedFd};
use crate::common::sys::{fs as sfs, process};
use crate::common::walk::{
    walk_split, Action, Entry, Follow, Op, Options, Order, Split, Visit, Walker,
};
use crate::common::{Ctx, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("changes", Some(b'c'), Some("changes")),
        Opt::flag("recursive", Some(b'R'), Some("recursive")),
        Opt::flag("no-preserve-root", None, Some("no-preserve-root")),
        Opt::flag("preserve-root", None, Some("preserve-root")),
        Opt::flag("silent", None, Some("quiet")),
        Opt::arg("reference", None, Some("reference")),
        Opt::flag("silent", Some(b'f'), Some("silent")),
        Opt::flag("verbose", Some(b'v'), Some("verbose")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: chmod [OPTION]... MODE[,MODE]... FILE...
  or:  chmod [OPTION]... OCTAL-MODE FILE...
  or:  chmod [OPTION]... --reference=RFILE FILE...
Change the mode of each FILE to MODE.
With --reference, change the mode of each FILE to that of RFILE.

  -c, --changes          like verbose but report only when a change is made
  -f, --silent, --quiet  suppress most error messages
  -v, --verbose          output a diagnostic for every file processed
      --no-preserve-root  do not treat '/' specially (the default)
      --preserve-root    fail to operate recursively on '/'
      --reference=RFILE  use RFILE's mode instead of MODE values
  -R, --recursive        change files and directories recursively
      --help        display this help and exit
      --version     output version information and exit

Each MODE is of the form '[ugoa]*([-+=]([rwxXst]*|[ugo]))+|[-+=][0-7]+'.
"
    ),
);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Off,
    Changes,
    High,
}

struct Chmod {
    changes: Vec<ModeChange>,
    umask: u32,
    verbosity: Verbosity,
    silent: bool,
    surprises: bool,
    recurse: bool,
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

/// GNU chmod accepts modes that look like options (`-w`, `-rwx`, `-755`, `-x,+X`): a word
/// that getopt would read as short options and whose first letter that is not `R c f v`
/// belongs to a mode is taken whole as a mode. Returns the remaining argv and the modes, in
/// order, joined with commas.
fn take_mode_words(argv: Vec<OsString>) -> (Vec<OsString>, Option<Vec<u8>>) {
    let posix = std::env::var_os("POSIXLY_CORRECT").is_some();
    let mut rest = Vec::with_capacity(argv.len());
    let mut mode: Option<Vec<u8>> = None;
    let mut it = argv.into_iter();
    if let Some(a0) = it.next() {
        rest.push(a0);
    }
    let mut done = false;
    let mut skip_next = false;
    for a in it {
        let b = a.as_bytes();
        if done || skip_next {
            skip_next = false;
            rest.push(a);
            continue;
        }
        if b == b"--" {
            done = true;
            rest.push(a);
            continue;
        }
        if b.starts_with(b"--") {
            // `--reference FILE`: the next word is its argument.
            let name = &b[2..];
            if !name.contains(&b'=') && name.len() >= 3 && b"reference".starts_with(name) {
                skip_next = true;
            }
            rest.push(a);
            continue;
        }
        if b.len() < 2 || b[0] != b'-' {
            done = posix;
            rest.push(a);
            continue;
        }
        let first_mode = b[1..]
            .iter()
            .find(|c| !matches!(c, b'R' | b'c' | b'f' | b'v'));
        if first_mode.is_some_and(|c| b"rwxXstugoa,+=01234567".contains(c)) {
            let m = mode.get_or_insert_with(Vec::new);
            if !m.is_empty() {
                m.push(b',');
            }
            m.extend_from_slice(b);
            continue;
        }
        rest.push(a);
    }
    (rest, mode)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let (argv, opt_mode) = take_mode_words(argv);
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let mut operands = m.operands.iter();
    let reference = m.last("reference");
    let (mode_text, surprises) = match (&opt_mode, reference) {
        (_, Some(_)) => (None, false),
        (Some(t), None) => (Some(t.clone()), true),
        (None, None) => match operands.next() {
            Some(t) => (Some(t.as_bytes().to_vec()), false),
            None => return Err(args::usage_error(ctx, &SPEC, b"missing operand", 1)),
        },
    };
    let files: Vec<&OsString> = operands.collect();
    if files.is_empty() {
        let msg = match (&mode_text, reference) {
            (Some(t), None) if opt_mode.is_none() => {
                let mut v = b"missing operand after ".to_vec();
                v.extend_from_slice(&quote_always(t));
                v
            }
            _ => b"missing operand".to_vec(),
        };
        return Err(args::usage_error(ctx, &SPEC, &msg, 1));
    }
    let changes = if let Some(r) = reference {
        match sfd::stat(r.as_bytes()) {
            // Five digits: every bit named, a directory's setgid included.
            Ok(st) => {
                mode_compile(format!("{:05o}", st.st_mode & 0o7777).as_bytes()).unwrap_or_default()
            }
            Err(e) => {
                ctx.error_quoted(1, "failed to get attributes of", r.as_bytes(), &e);
                return Ok(());
            }
        }
    } else {
        let t = mode_text.unwrap_or_default();
        match mode_compile(&t) {
            Some(c) => c,
            None => {
                let mut v = b"invalid mode: ".to_vec();
                v.extend_from_slice(&quote_always(&t));
                return Err(args::usage_error(ctx, &SPEC, &v, 1));
            }
        }
    };
    let preserve_root = m
        .opts
        .iter()
        .rev()
        .find(|o| o.0 == "preserve-root" || o.0 == "no-preserve-root")
        .is_some_and(|o| o.0 == "preserve-root");
    let verbosity = match m
        .opts
        .iter()
        .rev()
        .find(|o| o.0 == "changes" || o.0 == "verbose")
    {
        Some(o) if o.0 == "verbose" => Verbosity::High,
        Some(_) => Verbosity::Changes,
        None => Verbosity::Off,
    };
    let c = Chmod {
        changes,
        umask: process::current_umask(),
        verbosity,
        silent: m.flag("silent"),
        surprises,
        recurse: m.flag("recursive"),
    };
    let mut walker = c.recurse.then(|| {
        Walker::new(Options {
            follow: Follow::Roots,
            order: Order::Raw,
            ..Options::default()
        })
    });
    for f in files {
        let f = f.as_bytes();
        if c.recurse && preserve_root && is_root_dir(f) {
            root_refusal(ctx, f);
            continue;
        }
        match walker.as_mut() {
            Some(w) => c.tree(ctx, w, sfd::cwd(), f, &[], false)?,
            None => c.one(ctx, f)?,
        }
    }
    Ok(())
}

/// Whether `name` resolves to `/` (GNU's --preserve-root compares device and inode).
fn is_root_dir(name: &[u8]) -> bool {
    match (sfd::stat(name), sfd::stat(b"/")) {
        (Ok(a), Ok(b)) => (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino),
        _ => false,
    }
}

fn root_refusal(ctx: &mut Ctx, name: &[u8]) {
    let mut m = b"it is dangerous to operate recursively on ".to_vec();
    if name == b"/" {
        m.extend_from_slice(&quote_always(name));
    } else {
        m.extend_from_slice(&quote_always(name));
        m.extend_from_slice(b" (same as '/')");
    }
    ctx.error(1, &m);
    ctx.msg(b"use --no-preserve-root to override this failsafe");
}

/// What became of one file, for -v/-c.
enum Outcome {
    NoStat,
    Symlink,
    Failed,
    Done,
}

impl Chmod {
    fn new_mode(&self, old: u32) -> u32 {
        let dir = old & libc::S_IFMT == libc::S_IFDIR;
        mode_adjust(old, dir, self.umask, &self.changes).0
    }

    /// A file named on the command line without -R: stat through symlinks, fchmodat.
    fn one(&self, ctx: &mut Ctx, name: &[u8]) -> Result<()> {
        let cwd = sfd::cwd();
        match sfd::fstatat(cwd, name, 0) {
            Ok(st) => {
                let new = self.new_mode(st.st_mode);
                let r = sfs::fchmodat(cwd, name, new, 0);
                self.after(ctx, cwd, name, name, st.st_mode, new, r, true)
            }
            Err(e) => self.no_stat(ctx, cwd, name, name, &e, true),
        }
    }

    fn no_stat(
        &self,
        ctx: &mut Ctx,
        at: BorrowedFd,
        name: &[u8],
        path: &[u8],
        e: &std::io::Error,
        root: bool,
    ) -> Result<()> {
        if !self.silent {
            let dangling = root
                && e.raw_os_error() == Some(libc::ENOENT)
                && sfd::fstatat(at, name, libc::AT_SYMLINK_NOFOLLOW).is_ok();
            if dangling {
                let mut m = b"cannot operate on dangling symlink ".to_vec();
                m.extend_from_slice(&quote_always(path));
                ctx.msg(&m);
            } else {
                ctx.error_quoted(1, "cannot access", path, e);
            }
        }
        ctx.fail(1);
        self.describe(ctx, path, 0, 0, Outcome::NoStat)
    }

    /// After the change: errors, -v/-c lines, the umask warning.
    #[allow(clippy::too_many_arguments)]
    fn after(
        &self,
        ctx: &mut Ctx,
        at: BorrowedFd,
        name: &[u8],
        path: &[u8],
        old: u32,
        new: u32,
        r: std::io::Result<()>,
        follow: bool,
    ) -> Result<()> {
        let ok = match r {
            Ok(()) => true,
            Err(e) => {
                if !self.silent {
                    ctx.error_quoted(1, "changing permissions of", path, &e);
                }
                ctx.fail(1);
                false
            }
        };
        if self.verbosity != Verbosity::Off {
            let outcome = if ok { Outcome::Done } else { Outcome::Failed };
            self.describe_at(ctx, at, name, path, old, new, outcome, follow)?;
        }
        if ok && self.surprises {
            let dir = old & libc::S_IFMT == libc::S_IFDIR;
            let naive = mode_adjust(old, dir, 0, &self.changes).0;
            if new & !naive != 0 {
                let mut m = quote_if_needed(path);
                m.extend_from_slice(b": new permissions are ");
                m.extend_from_slice(&mode_string(new)[1..]);
                m.extend_from_slice(b", not ");
                m.extend_from_slice(&mode_string(naive)[1..]);
                ctx.error(1, &m);
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn describe_at(
        &self,
        ctx: &mut Ctx,
        at: BorrowedFd,
        name: &[u8],
        path: &[u8],
        old: u32,
        new: u32,
        outcome: Outcome,
        follow: bool,
    ) -> Result<()> {
        if let Outcome::Done = outcome {
            // Whether it changed: special bits may be refused silently by the kernel.
            let changed = if new & 0o7000 != 0 {
                let fl = if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
                sfd::fstatat(at, name, fl).map_or(true, |st| st.st_mode & 0o7777 != old & 0o7777)
            } else {
                new != old & 0o7777
            };
            if !changed {
                if self.verbosity == Verbosity::High {
                    return self.retained(ctx, path, new);
                }
                return Ok(());
            }
        }
        self.describe(ctx, path, old, new, outcome)
    }

    fn retained(&self, ctx: &mut Ctx, path: &[u8], mode: u32) -> Result<()> {
        let out = &mut ctx.out;
        out.write_all(b"mode of ")?;
        out.write_all(&quote_always(path))?;
        out.write_all(b" retained as ")?;
        write_mode(out, mode)?;
        out.byte(b'\n')?;
        Ok(())
    }

    fn describe(&self, ctx: &mut Ctx, path: &[u8], old: u32, new: u32, o: Outcome) -> Result<()> {
        if self.verbosity != Verbosity::High && !matches!(o, Outcome::Done) {
            return Ok(());
        }
        let out = &mut ctx.out;
        match o {
            Outcome::NoStat => {
                out.write_all(&quote_always(path))?;
                out.write_all(b" could not be accessed\n")?;
            }
            Outcome::Symlink => {
                out.write_all(b"neither symbolic link ")?;
                out.write_all(&quote_always(path))?;
                out.write_all(b" nor referent has been changed\n")?;
            }
            Outcome::Failed | Outcome::Done => {
                out.write_all(if matches!(o, Outcome::Done) {
                    b"mode of "
                } else {
                    b"failed to change mode of "
                })?;
                out.write_all(&quote_always(path))?;
                out.write_all(if matches!(o, Outcome::Done) {
                    &b" changed from "[..]
                } else {
                    &b" from "[..]
                })?;
                write_mode(out, old)?;
                out.write_all(b" to ")?;
                write_mode(out, new)?;
                out.byte(b'\n')?;
            }
        }
        Ok(())
    }

    /// `-R` over the tree at `root` (relative to `base`); `prefix` is prepended to the paths
    /// shown (a directory entered again after its mode was changed); `skip_root`: that
    /// directory was changed already. Without -v/-c nothing depends on the order
    /// subdirectories are changed in: the walk uses a second thread.
    fn tree(
        &self,
        ctx: &mut Ctx,
        w: &mut Walker,
        base: BorrowedFd,
        root: &[u8],
        prefix: &[u8],
        skip_root: bool,
    ) -> Result<()> {
        let t = Tree {
            c: self,
            prefix,
            skip_root,
        };
        let split = self.verbosity == Verbosity::Off;
        let (p, _) = walk_split(w, ctx, base, root, &t, split);
        if let Some(x) = p.err {
            return Err(x);
        }
        // Directories that could not be opened: changed, then walked again (paths as shown).
        for (shown, path) in p.retry {
            // Paths from the walk are relative to `base`; show them as before.
            let cut = shown.len() - path.len();
            let mut w2 = Walker::new(w.opts);
            w2.opts.follow = Follow::Never;
            self.tree(ctx, &mut w2, base, &path, &shown[..cut], true)?;
        }
        Ok(())
    }

    fn read_error(&self, ctx: &mut Ctx, path: &[u8], e: &std::io::Error) {
        if !self.silent {
            ctx.error_quoted(1, "cannot read directory", path, e);
        }
        ctx.fail(1);
    }
}

/// One `-R` walk.
struct Tree<'a> {
    c: &'a Chmod,
    prefix: &'a [u8],
    skip_root: bool,
}

/// What the walk of one subtree keeps.
#[derive(Default)]
struct TreePart {
    /// Directories that could not be opened but were changed: walked again afterwards.
    retry: Vec<(Vec<u8>, Vec<u8>)>,
    err: Option<crate::common::Error>,
    /// The path shown, reused.
    show: Vec<u8>,
}

impl Split for Tree<'_> {
    type Part = TreePart;

    fn part(&self, _depth: usize) -> TreePart {
        TreePart::default()
    }

    fn join(&self, into: &mut TreePart, sub: TreePart, _depth: usize) {
        into.retry.extend(sub.retry);
        if into.err.is_none() {
            into.err = sub.err;
        }
    }

    fn visit(&self, ctx: &mut Ctx, p: &mut TreePart, e: &mut Entry, v: Visit) -> Action {
        let c = self.c;
        let show = &mut p.show;
        show.clear();
        show.extend_from_slice(self.prefix);
        show.extend_from_slice(e.path());
        let root_entry = e.depth() == 0;
        let r = match v {
            Visit::Pre => {
                if self.skip_root && root_entry {
                    return Action::Continue;
                }
                let old = e.cached_stat().map_or(0, |s| s.st_mode);
                let new = c.new_mode(old);
                let fd = e
                    .fd()
                    .unwrap_or_else(|| unreachable!("a directory is open"));
                let r = sfs::fchmod(fd, new);
                c.after(ctx, fd, b".", show, old, new, r, true)
            }
            Visit::Leaf => match e.stat() {
                Ok(st) => {
                    let old = st.st_mode;
                    if old & libc::S_IFMT == libc::S_IFLNK {
                        if c.verbosity == Verbosity::High {
                            c.describe(ctx, show, 0, 0, Outcome::Symlink)
                        } else {
                            Ok(())
                        }
                    } else {
                        let new = c.new_mode(old);
                        let follow = e.follows();
                        let r = if follow {
                            sfs::fchmodat(e.parent(), e.name(), new, 0)
                        } else {
                            sfs::fchmodat_nofollow(e.parent(), e.name(), new)
                        };
                        c.after(ctx, e.parent(), e.name(), show, old, new, r, follow)
                    }
                }
                Err(er) => c.no_stat(ctx, e.parent(), e.name(), show, &er, root_entry),
            },
            Visit::Error(Op::Stat, er) => {
                c.no_stat(ctx, e.parent(), e.name(), show, &er, root_entry)
            }
            Visit::Error(Op::Open, er) => {
                // Change it now; enter it afterwards if that made it readable.
                let fl = if e.follows() {
                    0
                } else {
                    libc::AT_SYMLINK_NOFOLLOW
                };
                match sfd::fstatat(e.parent(), e.name(), fl) {
                    Ok(st) if st.st_mode & libc::S_IFMT == libc::S_IFDIR => {
                        let old = st.st_mode;
                        let new = c.new_mode(old);
                        let r = sfs::fchmodat(e.parent(), e.name(), new, 0);
                        let changed = r.is_ok();
                        let res = c.after(ctx, e.parent(), e.name(), show, old, new, r, true);
                        if changed
                            && sfs::open_nofollow_walk(
                                e.parent(),
                                e.name(),
                                libc::O_RDONLY | libc::O_DIRECTORY,
                            )
                            .is_ok()
                        {
                            p.retry.push((show.clone(), e.path().to_vec()));
                        } else {
                            c.read_error(ctx, show, &er);
                        }
                        res
                    }
                    _ => {
                        c.read_error(ctx, show, &er);
                        Ok(())
                    }
                }
            }
            Visit::Error(Op::Read, er) => {
                c.read_error(ctx, show, &er);
                Ok(())
            }
            Visit::Error(_, er) => {
                if !c.silent {
                    let mut m = quote_if_needed(show);
                    m.extend_from_slice(b": ");
                    m.extend_from_slice(crate::common::ctx::strerror(&er).as_bytes());
                    ctx.msg(&m);
                }
                ctx.fail(1);
                Ok(())
            }
            Visit::Children(_) | Visit::Post => Ok(()),
        };
        match r {
            Ok(()) => Action::Continue,
            Err(x) => {
                p.err = Some(x);
                Action::Stop
            }
        }
    }
}

/// `0644 (rw-r--r--)`.
fn write_mode(out: &mut crate::common::io::Out, mode: u32) -> std::io::Result<()> {
    let m = mode & 0o7777;
    let digits = [
        b'0' + ((m >> 9) & 7) as u8,
        b'0' + ((m >> 6) & 7) as u8,
        b'0' + ((m >> 3) & 7) as u8,
        b'0' + (m & 7) as u8,
    ];
    out.write_all(&digits)?;
    out.write_all(b" (")?;
    out.write_all(&mode_string(m)[1..])?;
    out.byte(b')')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(v: &[&str]) -> (Vec<String>, Option<String>) {
        let argv = v.iter().map(OsString::from).collect();
        let (rest, m) = take_mode_words(argv);
        (
            rest.into_iter().map(|s| s.into_string().unwrap()).collect(),
            m.map(|m| String::from_utf8(m).unwrap()),
        )
    }

    #[test]
    fn mode_words_like_gnu() {
        assert_eq!(words(&["chmod", "-w", "f"]).1.as_deref(), Some("-w"));
        assert_eq!(
            words(&["chmod", "-R", "-x+X", "d"]).1.as_deref(),
            Some("-x+X")
        );
        assert_eq!(words(&["chmod", "-Rw", "d"]).1.as_deref(), Some("-Rw"));
        assert_eq!(words(&["chmod", "-v", "755", "f"]).1, None);
        assert_eq!(words(&["chmod", "--", "-w", "f"]).1, None);
        assert_eq!(words(&["chmod", "--reference", "-w", "f"]).1, None);
        assert_eq!(
            words(&["chmod", "-s", "-t", "f"]).1.as_deref(),
            Some("-s,-t")
        );
    }
}
