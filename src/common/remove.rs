//! The one recursive remover: GNU coreutils' remove.c (what `rm` does, and `mv` after a copy
//! across file systems) on top of [`common::walk`](super::walk).
//!
//! Every name is removed with `unlinkat` relative to the descriptor of the directory holding
//! it, which the walker opened with O_NOFOLLOW relative to its own parent: a directory swapped
//! for a symlink during the walk is unlinked as the symlink it now is, never followed, so a
//! planted link cannot lead the removal outside the tree. Symlinks in the tree are removed
//! themselves (never followed).
//!
//! Behaviour is GNU's, message for message: `cannot remove 'x': Is a directory` without `-r`
//! (`Directory not empty` with `-d`), `refusing to remove '.' or '..' directory: skipping 'x'`
//! for a command-line `.`/`..`, the `--preserve-root` refusal of `/`, `--one-file-system`'s
//! `skipping 'x', since it's on a different device`, the `-i` questions (`descend into
//! directory`, `remove regular empty file`, `remove write-protected ...` when standard input
//! is a terminal), and a directory left in place silently when something below it could not
//! be removed or the user said no to descending into it (GNU's marked ancestors).

use std::io;

use super::ctx::{strerror, Ctx};
use super::fs::type_name;
use super::io::yesno;
use super::quote::quote_always;
use super::sys::dir;
use super::sys::fd::{self as sfd, BorrowedFd, Stat};
use super::sys::fs as sfs;
use super::sys::user;
use super::walk::{walk_split, Action, Entry, Op, Options, Order, Split, Visit, Walker};

/// When to ask (GNU's `RMI_*`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Interactive {
    /// `-f`: never.
    Never,
    /// The default: about write-protected files when standard input is a terminal.
    Sometimes,
    /// `-i`: about everything.
    Always,
}

/// What to remove and how (GNU's `struct rm_options`).
#[derive(Clone, Copy, Debug)]
pub struct RmOptions {
    /// `-r`: directories and their contents.
    pub recursive: bool,
    /// `-d`: empty directories.
    pub dirs: bool,
    /// `-f`: a missing file is not an error.
    pub ignore_missing: bool,
    pub interactive: Interactive,
    /// Standard input is a terminal (write-protected files are asked about).
    pub stdin_tty: bool,
    /// `--one-file-system`.
    pub one_fs: bool,
    /// `--preserve-root`: refuse `/` when recursive.
    pub preserve_root: bool,
    /// `--preserve-root=all`: also refuse a command-line argument on another device than its
    /// parent.
    pub preserve_all: bool,
    /// `-v`: `removed 'x'`, `removed directory 'd'` on standard output.
    pub verbose: bool,
}

impl Default for RmOptions {
    fn default() -> Self {
        RmOptions {
            recursive: false,
            dirs: false,
            ignore_missing: false,
            interactive: Interactive::Sometimes,
            stdin_tty: false,
            one_fs: false,
            preserve_root: true,
            preserve_all: false,
            verbose: false,
        }
    }
}

/// How one removal went (GNU's `RM_*`, in order of precedence).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Status {
    Ok,
    /// The user said no somewhere: not an error.
    Declined,
    Error,
}

impl Status {
    fn update(&mut self, s: Status) {
        if s > *self {
            *self = s;
        }
    }
}

/// A reusable remover (the walker's buffers are kept from one operand to the next).
pub struct Remover {
    pub opts: RmOptions,
    walker: Walker,
    root: Option<(u64, u64)>,
    /// The first error writing `-v` lines to standard output.
    pub write_error: Option<io::Error>,
}

/// Marks the directories at depths below `upto` on the current path.
fn mark(marked: &mut [bool], upto: usize) {
    let n = upto.min(marked.len());
    for m in &mut marked[..n] {
        *m = true;
    }
}

/// The last component of a name without its trailing slashes is `.` or `..`.
fn dot_or_dotdot(path: &[u8]) -> bool {
    let mut end = path.len();
    while end > 1 && path[end - 1] == b'/' {
        end -= 1;
    }
    let p = &path[..end];
    let last = match p.iter().rposition(|&c| c == b'/') {
        Some(i) => &p[i + 1..],
        None => p,
    };
    last == b"." || last == b".."
}

/// gnulib fts's trim: two or more trailing slashes become one (names longer than 2 only).
fn trim_slashes(path: &[u8]) -> &[u8] {
    let mut len = path.len();
    if len > 2 && path[len - 1] == b'/' {
        while len > 1 && path[len - 2] == b'/' {
            len -= 1;
        }
    }
    &path[..len]
}

/// `cannot remove 'PATH': strerror`.
fn cannot(ctx: &mut Ctx, path: &[u8], e: &io::Error) {
    let mut m = b"cannot remove ".to_vec();
    m.extend_from_slice(&quote_always(path));
    m.extend_from_slice(b": ");
    m.extend_from_slice(strerror(e).as_bytes());
    ctx.msg(&m);
}

fn errno(n: i32) -> io::Error {
    io::Error::from_raw_os_error(n)
}

/// Whether `name` in `parent` is a directory with no entries (false when it cannot be read).
fn is_empty_dir(parent: BorrowedFd, name: &[u8]) -> bool {
    use std::os::fd::AsFd;
    let Ok(d) = dir::open_dir(parent, name, false) else {
        return false;
    };
    let mut buf = dir::DirBuf::new();
    let mut empty = true;
    let r = dir::read_dir(d.as_fd(), &mut buf, |e| {
        if !dir::is_dot_or_dotdot(e.name) {
            empty = false;
        }
    });
    r.is_ok() && empty
}

/// Writes the question `PROGRAM: TEXT` on stderr (standard output flushed first).
fn ask(ctx: &mut Ctx, text: &[u8]) {
    let _ = ctx.out.flush();
    let mut line = ctx.name.as_bytes().to_vec();
    line.extend_from_slice(b": ");
    line.extend_from_slice(text);
    let _ = super::io::write_all(super::io::stderr_fd(), &line);
}

/// What is asked about.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ask {
    /// A directory on the way in (`descend into directory`, or `remove directory` if empty).
    Descend,
    /// The removal itself.
    Remove,
}

/// The name of one entry and how to reach it.
struct Target<'a> {
    parent: BorrowedFd<'a>,
    name: &'a [u8],
    path: &'a [u8],
}

/// GNU's `prompt()`: Ok to go on, Declined, or Error (reported).
fn prompt(
    ctx: &mut Ctx,
    o: &RmOptions,
    t: &Target,
    is_dir: bool,
    mode: Ask,
    empty: bool,
) -> Status {
    if o.interactive == Interactive::Never {
        return Status::Ok;
    }
    let mut dtype = if is_dir {
        libc::DT_DIR
    } else {
        libc::DT_UNKNOWN
    };
    let mut st: Option<Stat> = None;
    // 1 write-protected, 0 not, -1 failed to tell (the error in wp_err).
    let mut wp = 0;
    let mut wp_err = errno(0);
    if !o.ignore_missing && (o.interactive == Interactive::Always || o.stdin_tty) {
        // write_protected_non_symlink: root can write anything.
        if user::geteuid() != 0 {
            match sfd::fstatat(t.parent, t.name, libc::AT_SYMLINK_NOFOLLOW) {
                Err(e) => {
                    wp = -1;
                    wp_err = e;
                }
                Ok(s) => {
                    st = Some(s);
                    if s.st_mode & libc::S_IFMT != libc::S_IFLNK {
                        match user::eaccessat(t.parent, t.name, libc::W_OK) {
                            Ok(()) => {}
                            Err(e) if e.raw_os_error() == Some(libc::EACCES) => wp = 1,
                            Err(e) => {
                                wp = -1;
                                wp_err = e;
                            }
                        }
                    }
                }
            }
        }
    }
    if wp == 0 && o.interactive != Interactive::Always {
        return Status::Ok;
    }
    if wp >= 0 && dtype == libc::DT_UNKNOWN {
        match lstat_cached(&mut st, t) {
            Ok(s) => match s.st_mode & libc::S_IFMT {
                libc::S_IFLNK => dtype = libc::DT_LNK,
                libc::S_IFDIR => dtype = libc::DT_DIR,
                _ => {}
            },
            Err(e) => {
                wp = -1;
                wp_err = e;
            }
        }
    }
    if wp >= 0 {
        if dtype == libc::DT_LNK && o.interactive != Interactive::Always {
            return Status::Ok;
        }
        if dtype == libc::DT_DIR && !(o.recursive || (o.dirs && empty)) {
            wp = -1;
            wp_err = errno(libc::EISDIR);
        }
    }
    if wp < 0 {
        cannot(ctx, t.path, &wp_err);
        return Status::Error;
    }
    let mut q = Vec::new();
    let prot: &[u8] = if wp > 0 { b"write-protected " } else { b"" };
    if dtype == libc::DT_DIR && mode == Ask::Descend && !empty {
        q.extend_from_slice(b"descend into ");
        q.extend_from_slice(prot);
        q.extend_from_slice(b"directory ");
    } else {
        let s = match lstat_cached(&mut st, t) {
            Ok(s) => s,
            Err(e) => {
                cannot(ctx, t.path, &e);
                return Status::Error;
            }
        };
        q.extend_from_slice(b"remove ");
        q.extend_from_slice(prot);
        q.extend_from_slice(type_name(s.st_mode, s.st_size).as_bytes());
        q.push(b' ');
    }
    q.extend_from_slice(&quote_always(t.path));
    q.extend_from_slice(b"? ");
    ask(ctx, &q);
    if yesno() {
        Status::Ok
    } else {
        Status::Declined
    }
}

fn lstat_cached(st: &mut Option<Stat>, t: &Target) -> io::Result<Stat> {
    if let Some(s) = st {
        return Ok(*s);
    }
    let s = sfd::fstatat(t.parent, t.name, libc::AT_SYMLINK_NOFOLLOW)?;
    *st = Some(s);
    Ok(s)
}

impl Remover {
    pub fn new(opts: RmOptions) -> Remover {
        let root = if opts.recursive && opts.preserve_root {
            sfd::stat(b"/").ok().map(|s| (s.st_dev, s.st_ino))
        } else {
            None
        };
        Remover {
            opts,
            walker: Walker::new(Options {
                order: Order::Raw,
                xdev: opts.one_fs,
                ..Options::default()
            }),
            root,
            write_error: None,
        }
    }

    /// Removes `path` (relative to `base`, `sys::cwd()` for a command-line name), reporting
    /// errors on stderr as `ctx.name`. Without questions or `-v` lines, nothing depends on the
    /// order subdirectories are removed in: the walk uses a second thread.
    pub fn remove(&mut self, ctx: &mut Ctx, base: BorrowedFd, path: &[u8]) -> Status {
        let path = trim_slashes(path);
        let o = &self.opts;
        let quiet = !o.verbose
            && (o.interactive == Interactive::Never
                || (o.interactive == Interactive::Sometimes && !o.stdin_tty));
        let split = o.recursive && quiet;
        let rm = Rm {
            o: self.opts,
            root: self.root,
        };
        let (p, _) = walk_split(&mut self.walker, ctx, base, path, &rm, split);
        if let Some(e) = p.werr {
            self.write_error.get_or_insert(e);
        }
        p.status
    }
}

/// The removal as a walk visitor.
struct Rm {
    o: RmOptions,
    root: Option<(u64, u64)>,
}

/// What the removal of one subtree keeps between visits.
struct RmPart {
    /// Per directory depth on the current path: something below failed or was declined, so
    /// the directory is left alone (GNU's `mark_ancestor_dirs`).
    marked: Vec<bool>,
    /// Per depth: the user already agreed to remove this (empty) directory.
    asked: Vec<bool>,
    status: Status,
    werr: Option<io::Error>,
}

impl Split for Rm {
    type Part = RmPart;

    fn part(&self, depth: usize) -> RmPart {
        RmPart {
            marked: vec![false; depth],
            asked: vec![false; depth],
            status: Status::Ok,
            werr: None,
        }
    }

    fn join(&self, into: &mut RmPart, sub: RmPart, depth: usize) {
        into.status.update(sub.status);
        if sub.marked[..depth.min(sub.marked.len())].iter().any(|&m| m) {
            mark(&mut into.marked, depth);
        }
        if into.werr.is_none() {
            into.werr = sub.werr;
        }
    }

    fn visit(&self, ctx: &mut Ctx, p: &mut RmPart, e: &mut Entry, v: Visit) -> Action {
        let o = &self.o;
        let d = e.depth();
        match v {
            Visit::Leaf | Visit::Error(Op::Stat, _) => {
                let t = target(e);
                let mut s = prompt(ctx, o, &t, false, Ask::Remove, false);
                if s == Status::Ok {
                    s = excise(ctx, o, &t, false, None, &mut p.werr);
                    if s == Status::Error {
                        mark(&mut p.marked, d);
                    }
                }
                p.status.update(s);
                Action::Continue
            }
            Visit::Pre => {
                p.marked.truncate(d);
                p.marked.push(false);
                p.asked.truncate(d);
                p.asked.push(false);
                if let Some(s) = pre_checks(ctx, o, self.root, e, None) {
                    if s == Status::Error && d > 0 {
                        mark(&mut p.marked, d);
                    }
                    p.status.update(s);
                    return Action::Skip;
                }
                Action::Continue
            }
            Visit::Children(kids) => {
                let empty = kids.is_empty();
                let t = target(e);
                let s = prompt(ctx, o, &t, true, Ask::Descend, empty);
                if s != Status::Ok {
                    mark(&mut p.marked, d + 1);
                    p.status.update(s);
                    return Action::Skip;
                }
                if empty && o.interactive == Interactive::Always {
                    p.asked[d] = true;
                }
                Action::Continue
            }
            Visit::Post => {
                let m = p.marked.get(d).copied().unwrap_or(false);
                let done_asking = p.asked.get(d).copied().unwrap_or(false);
                p.marked.truncate(d);
                p.asked.truncate(d);
                if m {
                    mark(&mut p.marked, d);
                    return Action::Continue;
                }
                if e.other_device() && d > 0 {
                    mark(&mut p.marked, d);
                    let mut m = b"skipping ".to_vec();
                    m.extend_from_slice(&quote_always(e.path()));
                    m.extend_from_slice(b", since it's on a different device");
                    ctx.msg(&m);
                    p.status.update(Status::Error);
                    return Action::Continue;
                }
                let t = target(e);
                let mut s = Status::Ok;
                if !done_asking {
                    s = prompt(ctx, o, &t, true, Ask::Remove, false);
                }
                if s == Status::Ok {
                    s = excise(ctx, o, &t, true, None, &mut p.werr);
                    if s == Status::Error {
                        mark(&mut p.marked, d);
                    }
                }
                p.status.update(s);
                Action::Continue
            }
            Visit::Error(Op::Open, err) => {
                // A directory that cannot be read (GNU's FTS_D then FTS_DNR).
                p.marked.truncate(d);
                p.asked.truncate(d);
                if let Some(s) = pre_checks(ctx, o, self.root, e, Some(&err)) {
                    if s == Status::Error {
                        mark(&mut p.marked, d);
                    }
                    p.status.update(s);
                    return Action::Continue;
                }
                let t = target(e);
                let mut s = prompt(ctx, o, &t, true, Ask::Descend, false);
                if s == Status::Ok {
                    s = prompt(ctx, o, &t, true, Ask::Remove, false);
                    if s == Status::Ok {
                        s = excise(ctx, o, &t, true, Some(&err), &mut p.werr);
                    }
                }
                if s != Status::Ok {
                    mark(&mut p.marked, d);
                }
                p.status.update(s);
                Action::Continue
            }
            Visit::Error(Op::Loop, _) => {
                let mut m = b"WARNING: Circular directory structure.\nThis almost certainly means that you have a corrupted file system.\nNOTIFY YOUR SYSTEM MANAGER.\nThe following directory is part of the cycle:\n  ".to_vec();
                m.extend_from_slice(&super::quote::quote_if_needed(e.path()));
                m.push(b'\n');
                ctx.msg(&m);
                mark(&mut p.marked, d);
                p.status.update(Status::Error);
                Action::Continue
            }
            Visit::Error(_, err) => {
                // A read error in a directory, or an ancestor moved under the walk.
                let mut m = b"traversal failed: ".to_vec();
                m.extend_from_slice(&super::quote::quote_if_needed(e.path()));
                m.extend_from_slice(b": ");
                m.extend_from_slice(strerror(&err).as_bytes());
                ctx.msg(&m);
                mark(&mut p.marked, d + 1);
                p.status.update(Status::Error);
                Action::Continue
            }
        }
    }
}

fn target<'a>(e: &Entry<'a>) -> Target<'a> {
    Target {
        parent: e.parent(),
        name: e.name(),
        path: e.path(),
    }
}

/// The checks GNU makes on a directory before descending: not recursive (`Is a directory`, or
/// with `-d` `Directory not empty`), then for a command-line argument `.`/`..`, `/` and
/// `--preserve-root=all`. `Some(status)`: the directory is not to be entered.
fn pre_checks(
    ctx: &mut Ctx,
    o: &RmOptions,
    root: Option<(u64, u64)>,
    e: &mut Entry,
    unreadable: Option<&io::Error>,
) -> Option<Status> {
    if !o.recursive {
        let empty = o.dirs && unreadable.is_none() && is_empty_dir(e.parent(), e.name());
        if !empty {
            let n = if o.dirs {
                libc::ENOTEMPTY
            } else {
                libc::EISDIR
            };
            cannot(ctx, e.path(), &errno(n));
            return Some(Status::Error);
        }
    }
    if e.depth() != 0 {
        return None;
    }
    let path = e.path();
    if dot_or_dotdot(path) {
        let mut m = b"refusing to remove '.' or '..' directory: skipping ".to_vec();
        m.extend_from_slice(&quote_always(path));
        ctx.msg(&m);
        return Some(Status::Error);
    }
    let st = e.stat().ok().copied();
    if let (Some(r), Some(st)) = (root, st) {
        if (st.st_dev, st.st_ino) == r {
            let mut m = b"it is dangerous to operate recursively on ".to_vec();
            m.extend_from_slice(&quote_always(path));
            if path != b"/" {
                m.extend_from_slice(b" (same as '/')");
            }
            ctx.msg(&m);
            ctx.msg(b"use --no-preserve-root to override this failsafe");
            return Some(Status::Error);
        }
    }
    if o.preserve_all {
        if let Some(st) = st {
            let mut up = path.to_vec();
            up.extend_from_slice(b"/..");
            if let Ok(p) = sfd::fstatat(e.parent(), &up, 0) {
                if p.st_dev != st.st_dev {
                    let mut m = b"skipping ".to_vec();
                    m.extend_from_slice(&quote_always(path));
                    m.extend_from_slice(b", since it's on a different device");
                    ctx.msg(&m);
                    ctx.msg(b"and --preserve-root=all is in effect");
                    return Some(Status::Error);
                }
            }
        }
    }
    None
}

/// GNU's `excise()`: the unlinkat itself, the `-v` line, the error.
fn excise(
    ctx: &mut Ctx,
    o: &RmOptions,
    t: &Target,
    is_dir: bool,
    unreadable: Option<&io::Error>,
    werr: &mut Option<io::Error>,
) -> Status {
    let flag = if is_dir { libc::AT_REMOVEDIR } else { 0 };
    match sfs::unlinkat(t.parent, t.name, flag) {
        Ok(()) => {
            if o.verbose {
                let mut l: Vec<u8> = if is_dir {
                    b"removed directory ".to_vec()
                } else {
                    b"removed ".to_vec()
                };
                l.extend_from_slice(&quote_always(t.path));
                l.push(b'\n');
                if let Err(e) = ctx.out.write_all(&l) {
                    werr.get_or_insert(e);
                }
            }
            Status::Ok
        }
        Err(mut e) => {
            let mut code = e.raw_os_error().unwrap_or(0);
            if code == libc::EROFS {
                if let Err(s) = sfd::fstatat(t.parent, t.name, libc::AT_SYMLINK_NOFOLLOW) {
                    if s.raw_os_error() == Some(libc::ENOENT) {
                        code = libc::ENOENT;
                        e = s;
                    }
                }
            }
            if o.ignore_missing && code == libc::ENOENT {
                return Status::Ok;
            }
            if let Some(u) = unreadable {
                if matches!(
                    code,
                    libc::ENOTEMPTY | libc::EISDIR | libc::ENOTDIR | libc::EEXIST
                ) {
                    e = errno(u.raw_os_error().unwrap_or(libc::EACCES));
                }
            }
            cannot(ctx, t.path, &e);
            Status::Error
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_and_slashes() {
        for p in [&b"."[..], b"..", b"./.", b"a/..", b"a/.//", b"/.."] {
            assert!(dot_or_dotdot(p), "{p:?}");
        }
        for p in [&b".a"[..], b"a.", b"...", b"/", b"a/b"] {
            assert!(!dot_or_dotdot(p), "{p:?}");
        }
        assert_eq!(trim_slashes(b"a//"), b"a/");
        assert_eq!(trim_slashes(b"//"), b"//");
        assert_eq!(trim_slashes(b"ab///"), b"ab/");
        assert_eq!(trim_slashes(b"a/"), b"a/");
    }
}
