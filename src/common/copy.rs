//! The one file and tree copier (GNU coreutils' copy.c): what `cp` does, what `mv` does
//! across file systems, what `install` does for its data.
//!
//! Data: FICLONE (a reflink) first unless `--reflink=never`, then copy_file_range, then
//! sendfile, then pread/pwrite; a sparse source (fewer blocks than its size) is copied extent by
//! extent with SEEK_DATA/SEEK_HOLE so its holes stay holes. A kernel method that fails once
//! between two devices is not tried again for that pair. An existing destination is opened
//! and truncated (GNU's way: the inode, its links and owner stay); a destination this copier
//! created and then failed to fill is removed again, so no half-written new file is left.
//!
//! Trees: the source is walked with [`common::walk`](super::walk) (descriptor-relative, symlinks
//! followed only as `-L`/`-H` say); the destination directories are created with `mkdirat` and
//! opened with O_NOFOLLOW relative to their parent's descriptor, and every file is created
//! relative to its directory's descriptor: a directory of the destination swapped for a symlink
//! during the copy cannot lead it elsewhere. Inside a tree an existing destination symlink is
//! replaced, never written through (GNU writes through it: see `cp`'s deviations).
//!
//! Attributes (`--preserve=`): mode, ownership (failures as non-root ignored as GNU does unless
//! asked for explicitly), timestamps (nanoseconds), hard links within the copy, extended
//! attributes; directories get theirs after their contents are in place. Special files
//! (fifos, devices, sockets) and symlinks are recreated as such when copying recursively or
//! with `-d`/`-a`.

use std::collections::{HashMap, HashSet};
use std::io;
use std::os::fd::AsFd;

use super::backup::{self, Backup};
use super::ctx::{strerror, Ctx, Error};
use super::io::{yesno, BUF_SIZE};
use super::quote::{quote_always, quote_if_needed};
use super::sys::copy as kcopy;
use super::sys::dir;
use super::sys::fd::{self as sfd, BorrowedFd, OwnedFd, Stat};
use super::sys::fs::{self as sfs, Time};
use super::sys::{process, user};
use super::walk::{Action, Follow, Op, Options, Order, Visit, Walker};

/// Which symlinks in the source are followed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Deref {
    /// `-P` (and `-d`, `-a`, `mv`).
    Never,
    /// `-H`: those named on the command line.
    Args,
    /// `-L`.
    Always,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Reflink {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sparse {
    Auto,
    Always,
    Never,
}

/// What to copy and how (GNU's `struct cp_options`, the parts rbox implements).
#[derive(Clone, Copy, Debug)]
pub struct CopyOpts {
    pub recursive: bool,
    pub deref: Deref,
    pub mode: bool,
    /// `--no-preserve=mode`: new files get the default 0666 (directories 0777) less the
    /// umask, not the source's permissions.
    pub plain_mode: bool,
    pub owner: bool,
    pub time: bool,
    pub links: bool,
    pub xattr: bool,
    /// Preservation asked for explicitly (`--preserve=`): its failures are errors.
    pub require: bool,
    pub reflink: Reflink,
    pub sparse: Sparse,
    /// `-l`: hard links instead of copies.
    pub hard_link: bool,
    /// `-s`: symbolic links instead of copies.
    pub symbolic_link: bool,
    pub force: bool,
    pub interactive: bool,
    pub no_clobber: bool,
    pub update: bool,
    pub remove_dest: bool,
    pub verbose: bool,
    pub one_fs: bool,
    /// Copy special files (fifos, devices) as such: `-R` or `-a` without `--copy-contents`.
    pub special: bool,
    /// For mv: a copy that stands for a rename (messages and checks as mv's).
    pub move_mode: bool,
    /// cp under POSIXLY_CORRECT: a dangling destination symlink is written through (its
    /// target created), not refused.
    pub write_dangling: bool,
    /// `--attributes-only`: files made or kept, their data never copied nor truncated.
    pub attributes_only: bool,
}

impl Default for CopyOpts {
    fn default() -> Self {
        CopyOpts {
            recursive: false,
            deref: Deref::Always,
            mode: false,
            plain_mode: false,
            owner: false,
            time: false,
            links: false,
            xattr: false,
            require: false,
            reflink: Reflink::Auto,
            sparse: Sparse::Auto,
            hard_link: false,
            symbolic_link: false,
            force: false,
            interactive: false,
            no_clobber: false,
            update: false,
            remove_dest: false,
            verbose: false,
            one_fs: false,
            special: false,
            move_mode: false,
            write_dangling: false,
            attributes_only: false,
        }
    }
}

fn is_dir(st: &Stat) -> bool {
    st.st_mode & libc::S_IFMT == libc::S_IFDIR
}

fn errno(n: i32) -> io::Error {
    io::Error::from_raw_os_error(n)
}

fn code(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(0)
}

/// `TEXT 'NAME': strerror` (`cannot stat 'x': No such file or directory`).
fn fail(ctx: &mut Ctx, text: &str, name: &[u8], e: &io::Error) {
    let mut m = text.as_bytes().to_vec();
    m.push(b' ');
    m.extend_from_slice(&quote_always(name));
    m.extend_from_slice(b": ");
    m.extend_from_slice(strerror(e).as_bytes());
    ctx.msg(&m);
}

/// A message made of text and quoted names: `cannot overwrite directory 'd' with ...`.
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

/// One destination directory being filled.
struct DstDir {
    fd: OwnedFd,
    /// Length of the destination path of this directory.
    path_len: usize,
    /// The source directory's status (attributes applied at the end).
    st: Stat,
    /// Created by this copy (its mode is set at the end; -v said so).
    created: bool,
    /// setgid: new files get the directory's group.
    setgid: bool,
    dev: u64,
}

/// The copier; reused for every operand (buffers, the hard-link map, what the kernel refused).
pub struct Copier {
    pub o: CopyOpts,
    walker: Walker,
    umask: u32,
    euid: u32,
    egid: u32,
    /// (source dev, inode) → destination path, for files with several links.
    links: HashMap<(u64, u64), Vec<u8>>,
    /// Device pairs the kernel would not clone / copy_file_range between.
    no_clone: Vec<(u64, u64)>,
    no_cfr: Vec<(u64, u64)>,
    buf: Vec<u8>,
    /// The first error writing `-v` lines.
    pub write_error: Option<io::Error>,
    /// Back up replaced destinations (`--backup`).
    pub backup: Option<Backup>,
    /// The backup just made of the current destination, for `-v`.
    backed_up: Option<Vec<u8>>,
    /// A backup the caller made of the next (non-directory) destination, for its `-v` line.
    pub next_backup: Option<Vec<u8>>,
    /// Files made for command-line operands (device, inode).
    made: HashSet<(u64, u64)>,
    /// Non-directory operands copied: device, inode, last name component.
    sources: HashSet<(u64, u64, Vec<u8>)>,
}

/// A directory on the way of `cp --parents`: its source's status, and the mode to give it
/// back after the copy when it was made without some of its permissions.
struct ParentDir {
    path: Vec<u8>,
    st: Stat,
    restore: Option<u32>,
}

/// Where a file goes: a name in a directory, and the path for messages.
struct Dst<'a> {
    dir: BorrowedFd<'a>,
    name: &'a [u8],
    path: &'a [u8],
    /// The destination directory is setgid (new files get its group, not ours).
    setgid: bool,
    /// Follow a symlink at the destination (a command-line destination, as GNU does).
    follow: bool,
    /// The directory was made by this copy: nothing can be in the way (no look-up first).
    fresh: bool,
    /// The destination directory's device, when known.
    dev: Option<u64>,
}

/// Where a file comes from.
struct Src<'a> {
    dir: BorrowedFd<'a>,
    name: &'a [u8],
    path: &'a [u8],
    st: Stat,
    follow: bool,
}

impl Copier {
    pub fn new(o: CopyOpts) -> Copier {
        let follow = match o.deref {
            Deref::Never => Follow::Never,
            Deref::Args => Follow::Roots,
            Deref::Always => Follow::All,
        };
        Copier {
            o,
            walker: Walker::new(Options {
                follow,
                xdev: o.one_fs,
                // GNU's savedir sorts by inode number: same order, same messages.
                order: Order::By(|a, b| a.ino.cmp(&b.ino)),
                ..Options::default()
            }),
            umask: process::current_umask(),
            euid: user::geteuid(),
            egid: user::getegid(),
            links: HashMap::new(),
            no_clone: Vec::new(),
            no_cfr: Vec::new(),
            buf: Vec::new(),
            write_error: None,
            backup: None,
            backed_up: None,
            next_backup: None,
            made: HashSet::new(),
            sources: HashSet::new(),
        }
    }

    fn verbose(&mut self, ctx: &mut Ctx, src: &[u8], dst: &[u8]) {
        if !self.o.verbose {
            return;
        }
        let mut l = Vec::with_capacity(src.len() + dst.len() + 8);
        if self.o.move_mode {
            l.extend_from_slice(b"copied ");
        }
        l.extend_from_slice(&quote_always(src));
        l.extend_from_slice(b" -> ");
        l.extend_from_slice(&quote_always(dst));
        if let Some(b) = self.backed_up.take() {
            l.extend_from_slice(&backup::verbose_tail(&b));
        }
        l.push(b'\n');
        if let Err(e) = ctx.out.write_all(&l) {
            self.write_error.get_or_insert(e);
        }
    }

    /// `cp --parents`: copies `src` to `dest/src`, making the missing directories of `src`
    /// under `dest` as GNU does. Each is made with the source directory's mode (0777 with
    /// `--no-preserve=mode`) less what a `-p` copy sets later and the umask, and made usable
    /// (u+rwx) for the copy; after it, those directories, and with `-p` the existing ones on
    /// the way too, get the source's times, owner and mode, or their own mode back.
    pub fn copy_parents(&mut self, ctx: &mut Ctx, src: &[u8], dest: &[u8]) -> bool {
        let mut end = src.len();
        while end > 1 && src[end - 1] == b'/' {
            end -= 1;
        }
        let lead = src.iter().take_while(|&&c| c == b'/').count().min(end);
        let dst = join(dest, &src[lead..end]);
        let off = dst.len() - (end - lead);
        let mut made: Vec<ParentDir> = Vec::new();
        if !self.make_parents(ctx, &src[..end], &dst, off, &mut made) {
            return false;
        }
        let mut ok = self.copy(ctx, src, &dst);
        // Innermost first, as GNU's list is kept.
        for p in made.iter().rev() {
            if !self.parent_attrs(ctx, p) {
                ok = false;
                break;
            }
        }
        ok
    }

    fn make_parents(
        &mut self,
        ctx: &mut Ctx,
        src: &[u8],
        dst: &[u8],
        off: usize,
        made: &mut Vec<ParentDir>,
    ) -> bool {
        let cwd = sfd::cwd();
        let Some(last) = dst[off..].iter().rposition(|&c| c == b'/') else {
            return true;
        };
        let mut dirlen = off + last;
        while dirlen > off && dst[dirlen - 1] == b'/' {
            dirlen -= 1;
        }
        // All there already: nothing is made or changed (GNU's "XXX" case).
        match sfd::fstatat(cwd, &dst[..dirlen], 0) {
            Ok(st) if is_dir(&st) => return true,
            Ok(_) => {
                say(
                    ctx,
                    &[b"", &dst[..dirlen], b" exists but is not a directory"],
                );
                return false;
            }
            Err(_) => {}
        }
        // src and dst end alike: a prefix of one is the same length from the end in the other.
        let shift = dst.len() - src.len();
        let lead = src.iter().take_while(|&&c| c == b'/').count();
        let mut i = lead;
        while let Some(j) = src[i..].iter().position(|&c| c == b'/') {
            let sp = &src[..i + j];
            let dp = &dst[..i + j + shift];
            let existing = sfd::fstatat(cwd, dp, 0);
            let missing = existing.is_err();
            if missing || self.o.owner || self.o.mode || self.o.time {
                let st = match sfd::fstatat(cwd, sp, 0) {
                    Ok(st) if is_dir(&st) => st,
                    Ok(_) => {
                        fail(
                            ctx,
                            "failed to get attributes of",
                            sp,
                            &errno(libc::ENOTDIR),
                        );
                        return false;
                    }
                    Err(e) => {
                        fail(ctx, "failed to get attributes of", sp, &e);
                        return false;
                    }
                };
                let mut restore = None;
                if missing {
                    let omitted = self.omitted(st.st_mode);
                    let base = if self.o.plain_mode { 0o777 } else { st.st_mode };
                    if let Err(e) = sfs::mkdirat(cwd, dp, base & 0o7777 & !omitted) {
                        fail(ctx, "cannot make directory", dp, &e);
                        return false;
                    }
                    if self.o.verbose {
                        let mut l = sp.to_vec();
                        l.extend_from_slice(b" -> ");
                        l.extend_from_slice(dp);
                        l.push(b'\n');
                        if let Err(e) = ctx.out.write_all(&l) {
                            self.write_error.get_or_insert(e);
                        }
                    }
                    let now = match sfd::fstatat(cwd, dp, libc::AT_SYMLINK_NOFOLLOW) {
                        Ok(n) => n.st_mode & 0o7777,
                        Err(e) => {
                            fail(ctx, "failed to get attributes of", dp, &e);
                            return false;
                        }
                    };
                    if !self.o.mode {
                        let mut omitted = omitted & 0o7777;
                        if omitted & !now != 0 {
                            omitted &= !self.umask;
                        }
                        if omitted & !now != 0 || now & 0o700 != 0o700 {
                            restore = Some(now | omitted);
                        }
                    }
                    if now | 0o700 != now {
                        if let Err(e) = sfs::fchmodat(cwd, dp, now | 0o700, 0) {
                            fail(ctx, "setting permissions for", dp, &e);
                            return false;
                        }
                    }
                }
                made.push(ParentDir {
                    path: dp.to_vec(),
                    st,
                    restore,
                });
            } else if let Ok(st) = existing {
                if !is_dir(&st) {
                    say(ctx, &[b"", dp, b" exists but is not a directory"]);
                    return false;
                }
            }
            i += j + 1;
            while src.get(i) == Some(&b'/') {
                i += 1;
            }
        }
        true
    }

    /// GNU's re_protect: times, owner, then mode (a chown may clear set-id bits).
    fn parent_attrs(&mut self, ctx: &mut Ctx, p: &ParentDir) -> bool {
        let cwd = sfd::cwd();
        if self.o.time {
            if let Err(e) = sfs::utimensat(cwd, &p.path, times(&p.st), 0) {
                fail(ctx, "failed to preserve times for", &p.path, &e);
                return false;
            }
        }
        if self.o.owner {
            // re_protect gives the mode back whole, set-ID bits too, even without the owner.
            let mut keep = 0;
            let chown = |u, g| sfs::fchownat(cwd, &p.path, u, g, libc::AT_SYMLINK_NOFOLLOW);
            if !self.set_owner(ctx, &p.path, &p.st, &mut keep, chown) {
                return false;
            }
        }
        let (mode, text) = if self.o.mode {
            (Some(p.st.st_mode & 0o7777), "preserving permissions for")
        } else {
            (p.restore, "failed to preserve permissions for")
        };
        if let Some(m) = mode {
            if let Err(e) = sfs::fchmodat(cwd, &p.path, m, 0) {
                fail(ctx, text, &p.path, &e);
                return false;
            }
        }
        true
    }

    /// Copies the command-line `src` to `dst` (both relative to the current directory).
    /// Errors are reported; false if anything failed.
    pub fn copy(&mut self, ctx: &mut Ctx, src: &[u8], dst: &[u8]) -> bool {
        let follow = self.o.deref != Deref::Never;
        let fl = if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
        let cwd = sfd::cwd();
        let st = match sfd::fstatat(cwd, src, fl) {
            Ok(s) => s,
            Err(e) => {
                fail(ctx, "cannot stat", src, &e);
                return false;
            }
        };
        if is_dir(&st) && !self.o.recursive {
            say(ctx, &[b"-r not specified; omitting directory ", src]);
            return false;
        }
        if !is_dir(&st) {
            let s = Src {
                dir: cwd,
                name: src,
                path: src,
                st,
                follow,
            };
            let d = Dst {
                dir: cwd,
                name: dst,
                path: dst,
                setgid: false,
                follow: true,
                fresh: false,
                dev: None,
            };
            if self.o.move_mode {
                return self.copy_nondir(ctx, &s, &d);
            }
            // GNU's special case: `cp -f --backup F F` (the very same string) copies F to its
            // backup name.
            if self.o.force && self.backup.is_some() && src == dst {
                let b = self.backup.take();
                let name = b.as_ref().map(|b| b.name_for(cwd, dst).0);
                let ok = self.copy(ctx, src, name.as_deref().unwrap_or(dst));
                self.backup = b;
                return ok;
            }
            // The same source twice is copied once, with GNU's warning (backups made, it is
            // copied again, onto the first copy's backup).
            let base = super::fs::base_name(src).to_vec();
            if !self.sources.insert((st.st_dev, st.st_ino, base)) && self.backup.is_none() {
                say(
                    ctx,
                    &[b"warning: source file ", src, b" specified more than once"],
                );
                return true;
            }
            // A file an earlier operand made is not overwritten by a later one (`cp a/x b/x c`),
            // as GNU; only operands are remembered, not what a tree copy makes.
            let nofollow = libc::AT_SYMLINK_NOFOLLOW;
            let numbered = self
                .backup
                .as_ref()
                .is_some_and(|b| b.kind == super::backup::Kind::Numbered);
            if !self.made.is_empty() {
                if let Ok(l) = sfd::fstatat(cwd, dst, nofollow) {
                    if self.made.contains(&(l.st_dev, l.st_ino)) {
                        let as_link = st.st_mode & libc::S_IFMT == libc::S_IFLNK
                            || self.o.symbolic_link
                            || self.o.hard_link;
                        // Numbered backups keep the first copy: only the symlink case stops.
                        let through = l.st_mode & libc::S_IFMT == libc::S_IFLNK && !as_link;
                        if through {
                            say(
                                ctx,
                                &[
                                    b"will not copy ",
                                    src,
                                    b" through just-created symlink ",
                                    dst,
                                ],
                            );
                            return false;
                        }
                        if !numbered {
                            say(
                                ctx,
                                &[b"will not overwrite just-created ", dst, b" with ", src],
                            );
                            return false;
                        }
                    }
                }
            }
            let ok = self.copy_nondir(ctx, &s, &d);
            if ok {
                if let Ok(l) = sfd::fstatat(cwd, dst, nofollow) {
                    self.made.insert((l.st_dev, l.st_ino));
                }
            }
            return ok;
        }
        self.copy_tree(ctx, src, dst, st)
    }

    /// Checks an existing destination of a non-directory; Ok(true) go on, Ok(false) skip it
    /// (quietly: -n, -u, or the user said no), Err(()) reported.
    /// `-u` and a destination not older than the source.
    fn update_skips(&self, s: &Src, dst: &Stat) -> bool {
        self.o.update && (dst.st_mtime, dst.st_mtime_nsec) >= (s.st.st_mtime, s.st.st_mtime_nsec)
    }

    fn check_existing(&mut self, ctx: &mut Ctx, s: &Src, d: &Dst, dst: &Stat) -> Result<bool, ()> {
        // -n skips an existing destination before anything is compared (GNU).
        if self.o.no_clobber {
            return Ok(false);
        }
        match self.same_file_ok(s, d, dst) {
            Some(true) => {}
            Some(false) => return Ok(false),
            None => {
                say(ctx, &[b"", s.path, b" and ", d.path, b" are the same file"]);
                return Err(());
            }
        }
        if self.o.no_clobber {
            return Ok(false);
        }
        if self.update_skips(s, dst) {
            return Ok(false);
        }
        // Asked first, as GNU: a "no" (or -n) leaves a directory in the way quietly.
        if self.o.interactive {
            let _ = ctx.out.flush();
            let mut q = format!("{}: overwrite ", ctx.name).into_bytes();
            q.extend_from_slice(&quote_always(d.path));
            q.extend_from_slice(b"? ");
            let _ = super::io::write_all(super::io::stderr_fd(), &q);
            if !yesno() {
                return Ok(false);
            }
        }
        if is_dir(dst) {
            say(
                ctx,
                &[
                    b"cannot overwrite directory ",
                    d.path,
                    b" with non-directory",
                ],
            );
            return Err(());
        }
        Ok(true)
    }

    /// The bits of a new file's or directory's mode `perm` held back until its owner and mode
    /// are set: group and other while the owner is still ours, write bits while the mode is
    /// still to be kept (GNU's omitted_permissions), so nobody gets more in the meantime.
    fn omitted(&self, perm: u32) -> u32 {
        perm & if self.o.owner {
            0o077
        } else if self.o.mode {
            0o022
        } else {
            0
        }
    }

    /// Whether an existing destination may be replaced when it is, or leads to, the source
    /// itself: Some(true) go on, Some(false) nothing to do (a hard link already in place),
    /// None refused as the same file. GNU's same_file_ok rules (coreutils' cp/same-file table
    /// over -b -f -l -s -d --remove-destination, through hard links and symlinks): the copy
    /// must never truncate or unlink the only name of the data it reads, nor leave a link to
    /// itself in place of a file, unless a backup keeps the data.
    /// `dst` is the destination's status as looked up by the caller.
    fn same_file_ok(&self, s: &Src, d: &Dst, dst: &Stat) -> Option<bool> {
        let o = &self.o;
        let id = |st: &Stat| (st.st_dev, st.st_ino);
        let link = |st: &Stat| st.st_mode & libc::S_IFMT == libc::S_IFLNK;
        let stat_d = |fl| sfd::fstatat(d.dir, d.name, fl).ok();
        let stat_s = |fl| sfd::fstatat(s.dir, s.name, fl).ok();
        let nofollow = libc::AT_SYMLINK_NOFOLLOW;
        let mode = s.st.st_mode & libc::S_IFMT;
        let regular = mode == libc::S_IFREG || (!o.special && mode != libc::S_IFLNK);
        let backup = self.backup.is_some();
        // The destination is looked at without following it whenever it is replaced rather
        // than written through.
        let lstat_dst =
            !regular || o.move_mode || o.symbolic_link || o.hard_link || backup || o.remove_dest;
        let followed = d.follow && !o.hard_link && !o.symbolic_link;
        let dst = if lstat_dst == followed {
            stat_d(if lstat_dst { nofollow } else { 0 })?
        } else {
            *dst
        };
        let same = id(&s.st) == id(&dst);
        if same && o.hard_link {
            return Some(false);
        }
        let never = o.deref == Deref::Never;
        let same_name = || super::fs::same_entry(s.path, d.path);
        let (src_l, dst_l, same_link);
        if never {
            same_link = same;
            if link(&s.st) && link(&dst) {
                if same_name() {
                    return None;
                }
                // Two names of one symlink: nothing to copy (mv would rename one away).
                if !backup && same_link {
                    return (!o.move_mode).then_some(false);
                }
                return Some(true);
            }
            (src_l, dst_l) = (s.st, dst);
        } else {
            if !same {
                return Some(true);
            }
            dst_l = stat_d(nofollow)?;
            src_l = stat_s(nofollow)?;
            same_link = id(&src_l) == id(&dst_l);
            // Two symlinks to one file: fine when the destination goes before it is opened.
            if link(&src_l) && link(&dst_l) && o.remove_dest {
                return Some(true);
            }
        }
        if backup {
            if same_link {
                return (!same_name()).then_some(true);
            }
            // Moving a file aside that the source symlink leads to would leave the source
            // dangling: refused before anything is touched.
            let dangling = !o.move_mode && !never && link(&src_l) && !link(&dst_l);
            return (!dangling).then_some(true);
        }
        if o.move_mode || o.remove_dest {
            if link(&dst_l) {
                return Some(true);
            }
            if same_link && dst_l.st_nlink > 1 && !same_name() {
                return (!o.move_mode).then_some(true);
            }
        }
        if !link(&src_l) && !link(&dst_l) {
            if id(&src_l) != id(&dst_l) {
                return Some(true);
            }
            if o.hard_link {
                return Some(false);
            }
        }
        // A destination symlink is recreated.
        if o.symbolic_link && link(&dst_l) {
            return Some(true);
        }
        if never {
            // A dangling symlink on either side cannot be the other file.
            let sf = if link(&src_l) { stat_s(0) } else { Some(src_l) };
            let df = if link(&dst_l) { stat_d(0) } else { Some(dst_l) };
            let (Some(sf), Some(df)) = (sf, df) else {
                return Some(true);
            };
            if id(&sf) != id(&df) {
                return Some(true);
            }
            if o.hard_link {
                // Linking a file onto itself is done; onto a symlink to it, the link goes.
                return Some(link(&dst_l));
            }
        }
        None
    }

    /// A file that is not a directory (regular, symlink, special; or a link to make).
    fn copy_nondir(&mut self, ctx: &mut Ctx, s: &Src, d: &Dst) -> bool {
        self.backed_up = self.next_backup.take();
        let dfl = if d.follow && !self.o.hard_link && !self.o.symbolic_link {
            0
        } else {
            libc::AT_SYMLINK_NOFOLLOW
        };
        let mode = s.st.st_mode & libc::S_IFMT;
        let regular = mode == libc::S_IFREG || (!self.o.special && mode != libc::S_IFLNK);
        let looked = if d.fresh {
            Err(io::Error::from_raw_os_error(libc::ENOENT))
        } else {
            sfd::fstatat(d.dir, d.name, dfl)
        };
        let mut existing = match looked {
            Ok(st) => Some(st),
            Err(e) if code(&e) == libc::ENOENT && dfl == 0 => {
                // A dangling symlink as the destination.
                if let Ok(l) = sfd::fstatat(d.dir, d.name, libc::AT_SYMLINK_NOFOLLOW) {
                    // Even -f refuses (GNU): only a backup or --remove-destination replaces
                    // the link; POSIXLY_CORRECT writes through it.
                    let through =
                        self.o.write_dangling && self.backup.is_none() && !self.o.remove_dest;
                    if regular && !self.o.remove_dest && self.backup.is_none() && !through {
                        // GNU finds it when opening, after its -v line.
                        self.verbose(ctx, s.path, d.path);
                        say(ctx, &[b"not writing through dangling symlink ", d.path]);
                        return false;
                    }
                    if through && regular {
                        self.verbose(ctx, s.path, d.path);
                        return self.copy_reg(ctx, s, d, false, true);
                    }
                    Some(l)
                } else {
                    None
                }
            }
            Err(e) if code(&e) == libc::ENOENT => None,
            // A symlink loop in the way counts as an existing file with -f or
            // --remove-destination (GNU 8.30): the open fails, the loop is removed.
            Err(e) if code(&e) == libc::ELOOP && (self.o.remove_dest || self.o.force) => {
                sfd::fstatat(d.dir, d.name, libc::AT_SYMLINK_NOFOLLOW).ok()
            }
            Err(e) => {
                fail(ctx, "cannot stat", d.path, &e);
                return false;
            }
        };
        // Hard links within the copy. A file reached through a followed symlink may be
        // reached again by its own name (or another link), whatever its link count: GNU
        // remembers those too.
        let track = self.o.links && !self.o.hard_link && (s.st.st_nlink > 1 || s.follow);
        let mut backup_name = None;
        if let Some(dst) = existing {
            match self.check_existing(ctx, s, d, &dst) {
                Ok(true) => {}
                // A destination -u keeps still stands for its source: a later link of the
                // same source becomes a link to it, and a kept one is replaced by a link to
                // the first (GNU replaces it even when it is newer).
                Ok(false) if track && !self.o.no_clobber && self.update_skips(s, &dst) => {
                    let key = (s.st.st_dev, s.st.st_ino);
                    return match self.links.get(&key) {
                        Some(first) => {
                            let first = first.clone();
                            self.link_earlier(ctx, &first, d, true)
                        }
                        None => {
                            self.links.insert(key, d.path.to_vec());
                            true
                        }
                    };
                }
                Ok(false) => return true,
                Err(()) => return false,
            }
            if let Some(b) = &self.backup {
                // The backup would take the source's own name (`cp -b a~ a`): refused, as GNU.
                if b.takes_source(d.dir, d.name, d.path, s.path) {
                    let tail: &[u8] = if self.o.move_mode {
                        b" not moved"
                    } else {
                        b" not copied"
                    };
                    say(
                        ctx,
                        &[
                            b"backing up ",
                            d.path,
                            b" might destroy source;  ",
                            s.path,
                            tail,
                        ],
                    );
                    return false;
                }
                match b.make(d.dir, d.name) {
                    Ok(made) => {
                        backup_name.clone_from(&made);
                        self.backed_up = made.map(|n| backup::path_of(d.path, d.name, &n));
                        existing = None;
                    }
                    Err(e) => {
                        fail(ctx, "cannot backup", d.path, &e);
                        return false;
                    }
                }
            }
            // A link to make replaces what is there only with -f, as GNU's (else EEXIST).
            // Preserving links, a destination with other names is replaced, not rewritten:
            // those names keep the old data (GNU). Neither happens when no data is copied.
            // GNU says `removed` for these, even before a link is made.
            let said = self.o.remove_dest
                || (!self.o.attributes_only
                    && (!regular || (self.o.links && !self.o.move_mode && dst.st_nlink > 1)));
            let replace = existing.is_some()
                && (said
                    || ((self.o.hard_link || self.o.symbolic_link)
                        && self.o.force
                        && !self.outside_cwd(s, d))
                    || (dst.st_mode & libc::S_IFMT == libc::S_IFLNK
                        && dfl != 0
                        && !self.o.hard_link
                        && !self.o.symbolic_link));
            if replace {
                match sfs::unlinkat(d.dir, d.name, 0) {
                    // GNU says so, except where -f forces a link in.
                    Ok(())
                        if self.o.verbose
                            && (said || !(self.o.symbolic_link || self.o.hard_link)) =>
                    {
                        say_removed(ctx, d.path);
                    }
                    Err(e) if code(&e) != libc::ENOENT => {
                        fail(ctx, "cannot remove", d.path, &e);
                        return false;
                    }
                    _ => {}
                }
                existing = None;
            }
        }
        // mv across file systems: a file whose other names went with an earlier operand (and
        // were removed from the source, leaving it one link) joins their copy, as GNU's.
        let moved_earlier = self.o.move_mode && s.st.st_nlink == 1 && !self.links.is_empty();
        if track || moved_earlier {
            if let Some(first) = self.links.get(&(s.st.st_dev, s.st.st_ino)) {
                let first = first.clone();
                return self.link_earlier(ctx, &first, d, existing.is_some());
            }
        }
        // Said before the copy, as GNU: a copy that then fails still shows its line.
        self.verbose(ctx, s.path, d.path);
        // A relative symlink would point elsewhere outside the working directory (GNU).
        if self.outside_cwd(s, d) {
            let mut m = quote_if_needed(d.path);
            m.extend_from_slice(b": can make relative symbolic links only in current directory");
            ctx.msg(&m);
            return self.unbackup(ctx, d, backup_name.as_deref());
        }
        let link = if self.o.hard_link {
            let fl = if s.follow { libc::AT_SYMLINK_FOLLOW } else { 0 };
            Some(("hard", sfs::linkat(s.dir, s.name, d.dir, d.name, fl)))
        } else if self.o.symbolic_link {
            Some(("symbolic", sfs::symlinkat(s.path, d.dir, d.name)))
        } else {
            None
        };
        if let Some((kind, Err(e))) = &link {
            let mut m = format!("cannot create {kind} link ").into_bytes();
            m.extend_from_slice(&quote_always(d.path));
            m.extend_from_slice(b" to ");
            m.extend_from_slice(&quote_always(s.path));
            m.extend_from_slice(b": ");
            m.extend_from_slice(strerror(e).as_bytes());
            ctx.msg(&m);
            return self.unbackup(ctx, d, backup_name.as_deref());
        }
        let ok = if link.is_some() {
            true
        } else if mode == libc::S_IFLNK {
            self.copy_symlink(ctx, s, d)
        } else if !regular {
            self.copy_special(ctx, s, d)
        } else {
            self.copy_reg(ctx, s, d, existing.is_some(), false)
        };
        // GNU's copy_internal goes to un_backup from here too (`cp -b LINK .` whose target
        // the backup just renamed: the link comes back).
        if !ok {
            return self.unbackup(ctx, d, backup_name.as_deref());
        }
        if track {
            self.links
                .insert((s.st.st_dev, s.st.st_ino), d.path.to_vec());
        }
        ok
    }

    /// A relative symlink asked for outside the working directory: it would point elsewhere
    /// (GNU refuses it, leaving the destination as it was).
    fn outside_cwd(&self, s: &Src, d: &Dst) -> bool {
        if !self.o.symbolic_link || s.path.starts_with(b"/") {
            return false;
        }
        let dl = super::fs::dir_len(d.path);
        let here = |p: &[u8]| sfd::stat(p).map(|st| (st.st_dev, st.st_ino));
        dl > 0 && here(b".").is_ok_and(|a| here(&d.path[..dl]).is_ok_and(|b| a != b))
    }

    /// A failed copy puts the backup made for it back in place, as GNU's `(unbackup)`.
    /// Always false: the copy failed.
    fn unbackup(&mut self, ctx: &mut Ctx, d: &Dst, name: Option<&[u8]>) -> bool {
        let Some(name) = name else {
            return false;
        };
        match sfs::renameat2(d.dir, name, d.dir, d.name, 0) {
            Ok(()) if self.o.verbose => {
                let mut l = quote_always(&backup::path_of(d.path, d.name, name)).to_vec();
                l.extend_from_slice(b" -> ");
                l.extend_from_slice(&quote_always(d.path));
                l.extend_from_slice(b" (unbackup)\n");
                if let Err(e) = ctx.out.write_all(&l) {
                    self.write_error.get_or_insert(e);
                }
            }
            Ok(()) => {}
            Err(e) => fail(ctx, "cannot un-backup", d.path, &e),
        }
        false
    }

    /// The destination as a hard link to the copy made earlier of the same source (GNU says
    /// nothing with -v about it).
    fn link_earlier(&mut self, ctx: &mut Ctx, first: &[u8], d: &Dst, replace: bool) -> bool {
        if replace {
            let _ = sfs::unlinkat(d.dir, d.name, 0);
        }
        match sfs::linkat(sfd::cwd(), first, d.dir, d.name, 0) {
            Ok(()) => true,
            Err(e) => {
                let mut m = b"cannot create hard link ".to_vec();
                m.extend_from_slice(&quote_always(d.path));
                m.extend_from_slice(b" to ");
                m.extend_from_slice(&quote_always(first));
                m.extend_from_slice(b": ");
                m.extend_from_slice(strerror(&e).as_bytes());
                ctx.msg(&m);
                false
            }
        }
    }

    fn copy_symlink(&mut self, ctx: &mut Ctx, s: &Src, d: &Dst) -> bool {
        let target = match sfs::readlinkat(s.dir, s.name, s.st.st_size as usize) {
            Ok(t) => t,
            Err(e) => {
                fail(ctx, "cannot read symbolic link", s.path, &e);
                return false;
            }
        };
        if let Err(e) = sfs::symlinkat(&target, d.dir, d.name) {
            fail(ctx, "cannot create symbolic link", d.path, &e);
            return false;
        }
        let mut ok = true;
        if self.o.owner && (s.st.st_uid != self.euid || s.st.st_gid != self.egid || d.setgid) {
            if let Err(e) = sfs::fchownat(
                d.dir,
                d.name,
                s.st.st_uid,
                s.st.st_gid,
                libc::AT_SYMLINK_NOFOLLOW,
            ) {
                ok &= self.owner_failed(ctx, d.path, &e);
            }
        }
        if self.o.time {
            let _ = sfs::utimensat(d.dir, d.name, times(&s.st), libc::AT_SYMLINK_NOFOLLOW);
        }
        ok
    }

    fn copy_special(&mut self, ctx: &mut Ctx, s: &Src, d: &Dst) -> bool {
        let perm = s.st.st_mode & 0o7777;
        let r = sfs::mknodat(
            d.dir,
            d.name,
            (s.st.st_mode & libc::S_IFMT) | perm,
            s.st.st_rdev,
        );
        if let Err(e) = r {
            let what = if s.st.st_mode & libc::S_IFMT == libc::S_IFIFO {
                "cannot create fifo"
            } else {
                "cannot create special file"
            };
            fail(ctx, what, d.path, &e);
            return false;
        }
        self.attrs_at(ctx, s, d, true)
    }

    /// Ownership, mode and times of a non-regular file, by name.
    fn attrs_at(&mut self, ctx: &mut Ctx, s: &Src, d: &Dst, created: bool) -> bool {
        let mut ok = true;
        let st = &s.st;
        let mut keep = 0o7777;
        if self.o.owner && (st.st_uid != self.euid || st.st_gid != self.egid || d.setgid) {
            ok &= self.set_owner(ctx, d.path, st, &mut keep, |u, g| {
                sfs::fchownat(d.dir, d.name, u, g, 0)
            });
        }
        let want = if self.o.mode {
            Some(st.st_mode & keep)
        } else if created && self.o.plain_mode {
            Some(0o666 & !self.umask)
        } else if created {
            Some(st.st_mode & 0o777 & !self.umask)
        } else {
            None
        };
        if let Some(m) = want {
            if self.o.mode || self.o.plain_mode || m != st.st_mode & 0o777 & !self.umask {
                if let Err(e) = sfs::fchmodat(d.dir, d.name, m, 0) {
                    fail(ctx, "preserving permissions for", d.path, &e);
                    ok = false;
                }
            }
        }
        if self.o.time {
            if let Err(e) = sfs::utimensat(d.dir, d.name, times(st), 0) {
                fail(ctx, "preserving times for", d.path, &e);
                ok = false;
            }
        }
        ok
    }

    /// GNU's set_owner: the source's owner and group, or when that is refused the group
    /// alone (quietly). A copy that could not get its owner loses the set-user-ID,
    /// set-group-ID and sticky bits (`keep`): they would mean something else for its owner.
    fn set_owner(
        &mut self,
        ctx: &mut Ctx,
        path: &[u8],
        st: &Stat,
        keep: &mut u32,
        chown: impl Fn(u32, u32) -> io::Result<()>,
    ) -> bool {
        let Err(e) = chown(st.st_uid, st.st_gid) else {
            return true;
        };
        if matches!(code(&e), libc::EPERM | libc::EINVAL) {
            let _ = chown(u32::MAX, st.st_gid);
        }
        *keep = 0o777;
        self.owner_failed(ctx, path, &e)
    }

    /// A chown that failed: as non-root EPERM/EINVAL is quiet unless asked for explicitly.
    fn owner_failed(&mut self, ctx: &mut Ctx, path: &[u8], e: &io::Error) -> bool {
        // gnulib's chown_failure_ok: EPERM/EINVAL without the privilege to chown is expected.
        if (!self.o.require || self.euid != 0) && matches!(code(e), libc::EPERM | libc::EINVAL) {
            return true;
        }
        fail(ctx, "failed to preserve ownership for", path, e);
        false
    }

    /// `through`: the destination is a dangling symlink whose target is created.
    fn copy_reg(&mut self, ctx: &mut Ctx, s: &Src, d: &Dst, existing: bool, through: bool) -> bool {
        let nofollow = if s.follow { 0 } else { libc::O_NOFOLLOW };
        let src = match sfd::openat(
            s.dir,
            s.name,
            libc::O_RDONLY | libc::O_CLOEXEC | nofollow,
            0,
        ) {
            Ok(f) => f,
            Err(e) => {
                let mut m = b"cannot open ".to_vec();
                m.extend_from_slice(&quote_always(s.path));
                m.extend_from_slice(b" for reading: ");
                m.extend_from_slice(strerror(&e).as_bytes());
                ctx.msg(&m);
                return false;
            }
        };
        let dnofollow = if d.follow { 0 } else { libc::O_NOFOLLOW };
        let mut created = false;
        let mut dst = None;
        let trunc = if self.o.attributes_only {
            0
        } else {
            libc::O_TRUNC
        };
        if existing {
            match sfd::openat(
                d.dir,
                d.name,
                libc::O_WRONLY | trunc | libc::O_CLOEXEC | dnofollow,
                0,
            ) {
                Ok(f) => dst = Some(f),
                Err(e) => {
                    if !self.o.force {
                        fail(ctx, "cannot create regular file", d.path, &e);
                        return false;
                    }
                    if let Err(e) = sfs::unlinkat(d.dir, d.name, 0) {
                        fail(ctx, "cannot remove", d.path, &e);
                        return false;
                    }
                }
            }
        }
        let perm = if self.o.plain_mode {
            0o666
        } else {
            s.st.st_mode & 0o777
        };
        let omitted = self.omitted(perm);
        if dst.is_none() {
            let excl = if through { 0 } else { libc::O_EXCL };
            match sfd::openat(
                d.dir,
                d.name,
                libc::O_WRONLY | libc::O_CREAT | excl | libc::O_CLOEXEC,
                perm & !omitted,
            ) {
                Ok(f) => {
                    dst = Some(f);
                    // Made through a link: a failed copy leaves it (the name is the link's).
                    created = !through;
                }
                Err(e) => {
                    // `cp f missing/`: the kernel says EISDIR for the trailing slash; GNU says
                    // what is wrong, that no directory is there.
                    let e = if code(&e) == libc::EISDIR && d.name.ends_with(b"/") {
                        io::Error::from_raw_os_error(libc::ENOTDIR)
                    } else {
                        e
                    };
                    fail(ctx, "cannot create regular file", d.path, &e);
                    return false;
                }
            }
        }
        let dst = dst.unwrap_or_else(|| unreachable!());
        let (sf, df) = (src.as_fd(), dst.as_fd());
        let copied = if self.o.attributes_only {
            Ok(())
        } else {
            self.data(ctx, s, d, sf, df)
        };
        if let Err(err) = copied {
            if let Some(e) = err {
                match e {
                    DataError::Read(e) => fail(ctx, "error reading", s.path, &e),
                    DataError::Write(e) => fail(ctx, "error writing", d.path, &e),
                    DataError::Clone(e) => {
                        let mut m = b"failed to clone ".to_vec();
                        m.extend_from_slice(&quote_always(d.path));
                        m.extend_from_slice(b" from ");
                        m.extend_from_slice(&quote_always(s.path));
                        m.extend_from_slice(b": ");
                        m.extend_from_slice(strerror(&e).as_bytes());
                        ctx.msg(&m);
                    }
                }
            }
            drop(dst);
            if created {
                let _ = sfs::unlinkat(d.dir, d.name, 0);
            }
            return false;
        }
        let mut ok = true;
        let st = &s.st;
        let mut keep = 0o7777;
        if self.o.owner && (st.st_uid != self.euid || st.st_gid != self.egid || d.setgid) {
            ok &= self.set_owner(ctx, d.path, st, &mut keep, |u, g| sfs::fchown(df, u, g));
        }
        if self.o.xattr {
            ok &= self.xattrs(ctx, sf, df, d.path);
        }
        if self.o.mode {
            let want = st.st_mode & keep;
            if !created || want != perm & !omitted & !self.umask {
                if let Err(e) = sfs::fchmod(df, want) {
                    fail(ctx, "preserving permissions for", d.path, &e);
                    ok = false;
                }
            }
        } else if created && perm & omitted & !self.umask != 0 {
            // The bits left out at creation, as the umask allows them.
            if let Err(e) = sfs::fchmod(df, perm & !self.umask) {
                fail(ctx, "setting permissions for", d.path, &e);
                ok = false;
            }
        }
        if self.o.time {
            if let Err(e) = sfs::futimens(df, times(st)) {
                fail(ctx, "preserving times for", d.path, &e);
                ok = false;
            }
        }
        ok
    }

    /// Extended attributes from one open file to another. Unsupported is quiet unless asked.
    fn xattrs(&mut self, ctx: &mut Ctx, sf: BorrowedFd, df: BorrowedFd, path: &[u8]) -> bool {
        let mut names = vec![0u8; 1024];
        let n = match sfs::flistxattr(sf, &mut names) {
            Ok(0) => return true,
            Ok(n) => n,
            Err(e) if code(&e) == libc::ERANGE => {
                let need = sfs::flistxattr(sf, &mut []).unwrap_or(0);
                names.resize(need + 1, 0);
                match sfs::flistxattr(sf, &mut names) {
                    Ok(n) => n,
                    Err(_) => return !self.o.require,
                }
            }
            Err(e) => {
                if self.o.require && code(&e) != libc::ENOTSUP {
                    fail(ctx, "failed to preserve extended attributes for", path, &e);
                    return false;
                }
                return true;
            }
        };
        let mut ok = true;
        let mut val = vec![0u8; 4096];
        for name in names[..n].split(|&c| c == 0).filter(|n| !n.is_empty()) {
            let len = match sfs::fgetxattr(sf, name, &mut val) {
                Ok(l) => l,
                Err(e) if code(&e) == libc::ERANGE => {
                    let need = sfs::fgetxattr(sf, name, &mut []).unwrap_or(0);
                    val.resize(need, 0);
                    match sfs::fgetxattr(sf, name, &mut val) {
                        Ok(l) => l,
                        Err(_) => continue,
                    }
                }
                Err(_) => continue,
            };
            if let Err(e) = sfs::fsetxattr(df, name, &val[..len], 0) {
                if self.o.require && code(&e) != libc::ENOTSUP {
                    fail(ctx, "failed to preserve extended attributes for", path, &e);
                    ok = false;
                }
            }
        }
        ok
    }

    /// The data of a regular file. Err(None): already reported.
    fn data(
        &mut self,
        _ctx: &mut Ctx,
        s: &Src,
        d: &Dst,
        sf: BorrowedFd,
        df: BorrowedFd,
    ) -> Result<(), Option<DataError>> {
        let ddev = match d.dev {
            Some(v) => v,
            None => sfd::fstat(df).map(|st| st.st_dev).unwrap_or(0),
        };
        let pair = (s.st.st_dev, ddev);
        if self.o.reflink != Reflink::Never && !self.no_clone.contains(&pair) {
            match sfs::ficlone(df, sf) {
                Ok(()) => return Ok(()),
                Err(e) => {
                    if self.o.reflink == Reflink::Always {
                        return Err(Some(DataError::Clone(e)));
                    }
                    if matches!(
                        code(&e),
                        libc::EXDEV | libc::EOPNOTSUPP | libc::EINVAL | libc::ENOTTY | libc::ENOSYS
                    ) {
                        self.no_clone.push(pair);
                    }
                }
            }
        }
        let size = s.st.st_size.max(0) as u64;
        let dst_regular =
            || sfd::fstat(df).is_ok_and(|st| st.st_mode & libc::S_IFMT == libc::S_IFREG);
        // --sparse=always: runs of zero blocks become holes, whatever the source holds.
        if self.o.sparse == Sparse::Always && s.st.st_mode & libc::S_IFMT == libc::S_IFREG {
            if let Ok(st) = sfd::fstat(df).map(|st| (st.st_mode & libc::S_IFMT, st.st_blksize)) {
                if st.0 == libc::S_IFREG {
                    return self.punching(sf, df, (st.1 as usize).clamp(512, BUF_SIZE));
                }
            }
        }
        // Holes are kept only in a regular file, as GNU does: a FIFO, a terminal or /dev/null
        // gets them as zeros, in order (fstat is asked only for a sparse source).
        let sparse = match self.o.sparse {
            Sparse::Never => false,
            _ => size > 0 && (s.st.st_blocks as u64) * 512 < size && dst_regular(),
        };
        if sparse {
            let mut off = 0u64;
            loop {
                let start = match sfs::seek_data(sf, off) {
                    Ok(Some(p)) => p,
                    Ok(None) => break,
                    Err(_) => {
                        // No SEEK_DATA: all of it.
                        self.range(pair, sf, df, off, None)?;
                        return Ok(());
                    }
                };
                let end = sfs::seek_hole(sf, start)
                    .map_err(|e| Some(DataError::Read(e)))?
                    .unwrap_or(size);
                off = self.range(pair, sf, df, start, Some(end - start))?;
                if off < end {
                    // The data ended before its extent did: the file is shorter than it
                    // said (sysfs reports a page, /sys/kernel/profiling holds 2 bytes) or
                    // shrank. It ends here, as GNU's copy does, not at the size first seen.
                    sfs::ftruncate(df, off).map_err(|e| Some(DataError::Write(e)))?;
                    return Ok(());
                }
            }
            let end = sfd::lseek(sf, 0, libc::SEEK_END).map_err(|e| Some(DataError::Read(e)))?;
            sfs::ftruncate(df, end.max(off)).map_err(|e| Some(DataError::Write(e)))?;
            return Ok(());
        }
        self.range(pair, sf, df, 0, None)?;
        Ok(())
    }

    /// The whole of regular file `sf` into regular file `df`, every all-zero block of `blk`
    /// bytes skipped (a hole) and the size set at the end: GNU's `--sparse=always`.
    fn punching(
        &mut self,
        sf: BorrowedFd,
        df: BorrowedFd,
        blk: usize,
    ) -> Result<(), Option<DataError>> {
        if self.buf.is_empty() {
            self.buf = vec![0u8; BUF_SIZE];
        }
        let mut off = 0u64;
        loop {
            let k = sfd::pread(sf, &mut self.buf, off).map_err(|e| Some(DataError::Read(e)))?;
            if k == 0 {
                break;
            }
            for (i, b) in self.buf[..k].chunks(blk).enumerate() {
                if b.iter().any(|&c| c != 0) {
                    let at = off + (i * blk) as u64;
                    sfs::pwrite_all(df, b, at).map_err(|e| Some(DataError::Write(e)))?;
                }
            }
            off += k as u64;
        }
        sfs::ftruncate(df, off).map_err(|e| Some(DataError::Write(e)))
    }

    /// Copies `len` bytes (None: to the end) from offset `off` of `sf` to the same offset of
    /// `df`. Returns the offset reached.
    fn range(
        &mut self,
        pair: (u64, u64),
        sf: BorrowedFd,
        df: BorrowedFd,
        mut off: u64,
        len: Option<u64>,
    ) -> Result<u64, Option<DataError>> {
        let end = len.map(|l| off + l);
        let left = |off: u64| end.map_or(1 << 30, |e| (e - off).min(1 << 30)) as usize;
        if !self.no_cfr.contains(&pair) {
            loop {
                let n = left(off);
                if n == 0 {
                    return Ok(off);
                }
                let (mut so, mut dof) = (off as i64, off as i64);
                match kcopy::copy_file_range(sf, Some(&mut so), df, Some(&mut dof), n) {
                    Ok(0) => {
                        if off == 0 {
                            // Some file systems (procfs, sysfs) report 0 for files that do
                            // have data: read them to be sure.
                            break;
                        }
                        return Ok(off);
                    }
                    Ok(k) => off += k as u64,
                    Err(e) => {
                        if matches!(
                            code(&e),
                            libc::EXDEV | libc::EOPNOTSUPP | libc::EINVAL | libc::ENOSYS
                        ) && off == 0
                        {
                            self.no_cfr.push(pair);
                        }
                        break;
                    }
                }
            }
        }
        // sendfile: the destination's own offset is used.
        if off == 0 || sfd::lseek(df, off as i64, libc::SEEK_SET).is_ok() {
            loop {
                let n = left(off);
                if n == 0 {
                    return Ok(off);
                }
                let mut so = off as i64;
                match kcopy::sendfile(df, sf, Some(&mut so), n) {
                    Ok(0) => return Ok(off),
                    Ok(k) => off += k as u64,
                    Err(_) => break,
                }
            }
        }
        if self.buf.is_empty() {
            self.buf = vec![0u8; BUF_SIZE];
        }
        // A source that cannot seek (a fifo read with --copy-contents or named as a file)
        // is read in order from where it is.
        let mut seekable = true;
        loop {
            let n = left(off).min(self.buf.len());
            if n == 0 {
                return Ok(off);
            }
            let buf = &mut self.buf[..n];
            let got = if seekable {
                match sfd::pread(sf, buf, off) {
                    Err(e) if code(&e) == libc::ESPIPE => {
                        seekable = false;
                        sfd::read(sf, buf)
                    }
                    r => r,
                }
            } else {
                sfd::read(sf, buf)
            };
            let k = got.map_err(|e| Some(DataError::Read(e)))?;
            if k == 0 {
                return Ok(off);
            }
            let data = &self.buf[..k];
            match sfs::pwrite_all(df, data, off) {
                // Not seekable (a pipe or a terminal; copy_file_range and sendfile refused it
                // too): everything goes in order from the start, so plain writes are right.
                Err(e) if code(&e) == libc::ESPIPE => sfd::write_all(df, data),
                r => r,
            }
            .map_err(|e| Some(DataError::Write(e)))?;
            off += k as u64;
        }
    }

    /// A directory and everything in it.
    fn copy_tree(&mut self, ctx: &mut Ctx, src: &[u8], dst: &[u8], _st: Stat) -> bool {
        let mut ok = true;
        let mut stack: Vec<DstDir> = Vec::new();
        let mut dpath = dst.to_vec();
        let root_len = src.len();
        let mut top: Option<(u64, u64)> = None;
        let mut into_self = false;
        let mut walker = std::mem::replace(&mut self.walker, Walker::new(Options::default()));
        walker.walk(sfd::cwd(), src, |e, v| {
            // The destination path: dst + the source path below the root.
            let rel = &e.path()[root_len.min(e.path().len())..];
            let depth = e.depth();
            match v {
                Visit::Pre => {
                    dpath.truncate(dst.len());
                    if depth > 0 {
                        let rel = match (dpath.ends_with(b"/"), rel.first()) {
                            (true, Some(b'/')) => &rel[1..],
                            (false, Some(c)) if *c != b'/' => {
                                dpath.push(b'/');
                                rel
                            }
                            _ => rel,
                        };
                        dpath.extend_from_slice(rel);
                    }
                    let st = match e.stat() {
                        Ok(s) => *s,
                        Err(err) => {
                            fail(ctx, "cannot stat", e.path(), &err);
                            ok = false;
                            return Action::Skip;
                        }
                    };
                    if into_self {
                        return Action::Skip;
                    }
                    if top == Some((st.st_dev, st.st_ino)) {
                        say(
                            ctx,
                            &[b"cannot copy a directory, ", src, b", into itself, ", dst],
                        );
                        into_self = true;
                        ok = false;
                        return Action::Skip;
                    }
                    let (pdir, name, setgid) = match stack.last() {
                        Some(p) => (p.fd.as_fd(), e.name(), p.setgid),
                        None => (sfd::cwd(), dst, false),
                    };
                    let mut created = false;
                    match sfd::fstatat(pdir, name, libc::AT_SYMLINK_NOFOLLOW) {
                        Ok(d) if is_dir(&d) => {
                            // The operand onto itself is GNU's same-file case (-n: skipped).
                            let same = (d.st_dev, d.st_ino) == (st.st_dev, st.st_ino);
                            if same && depth == 0 {
                                if !self.o.no_clobber && !self.o.hard_link {
                                    say(ctx, &[b"", src, b" and ", dst, b" are the same file"]);
                                    ok = false;
                                }
                                return Action::Skip;
                            }
                            if same {
                                say(
                                    ctx,
                                    &[
                                        b"cannot copy a directory, ",
                                        src,
                                        b", into itself, ",
                                        &dpath,
                                    ],
                                );
                                ok = false;
                                return Action::Skip;
                            }
                        }
                        Ok(_) => {
                            say(
                                ctx,
                                &[
                                    b"cannot overwrite non-directory ",
                                    &dpath,
                                    b" with directory ",
                                    e.path(),
                                ],
                            );
                            ok = false;
                            return Action::Skip;
                        }
                        Err(_) => {
                            let perm = st.st_mode & 0o777;
                            let perm = (perm | 0o700) & !self.omitted(perm);
                            if let Err(err) = sfs::mkdirat(pdir, name, perm) {
                                fail(ctx, "cannot create directory", &dpath, &err);
                                ok = false;
                                return Action::Skip;
                            }
                            created = true;
                        }
                    }
                    let fd = match dir::open_dir(pdir, name, false) {
                        Ok(f) => f,
                        Err(err) => {
                            fail(ctx, "cannot access", &dpath, &err);
                            ok = false;
                            return Action::Skip;
                        }
                    };
                    let dst_st = sfd::fstat(fd.as_fd()).ok();
                    if created && top.is_none() {
                        top = dst_st.map(|d| (d.st_dev, d.st_ino));
                    }
                    if created && self.o.move_mode && self.o.verbose {
                        let mut l = b"created directory ".to_vec();
                        l.extend_from_slice(&quote_always(&dpath));
                        l.push(b'\n');
                        if let Err(err) = ctx.out.write_all(&l) {
                            self.write_error.get_or_insert(err);
                        }
                    } else if created {
                        self.verbose(ctx, e.path(), &dpath);
                    }
                    if self.o.xattr {
                        if let Some(sfd_) = e.fd() {
                            ok &= self.xattrs(ctx, sfd_, fd.as_fd(), &dpath);
                        }
                    }
                    let sg = dst_st
                        .map(|d| d.st_mode & libc::S_ISGID != 0)
                        .unwrap_or(setgid);
                    stack.push(DstDir {
                        fd,
                        path_len: dpath.len(),
                        st,
                        created,
                        setgid: sg,
                        dev: dst_st.map(|d| d.st_dev).unwrap_or(0),
                    });
                    Action::Continue
                }
                Visit::Children(_) if into_self => Action::Skip,
                Visit::Children(_) => Action::Continue,
                Visit::Leaf | Visit::Error(Op::Stat, _) if into_self => Action::Continue,
                Visit::Leaf => {
                    let st = match e.stat() {
                        Ok(s) => *s,
                        Err(err) => {
                            fail(ctx, "cannot stat", e.path(), &err);
                            ok = false;
                            return Action::Continue;
                        }
                    };
                    let Some(p) = stack.last() else {
                        return Action::Continue;
                    };
                    dpath.truncate(p.path_len);
                    if !dpath.ends_with(b"/") {
                        dpath.push(b'/');
                    }
                    dpath.extend_from_slice(e.name());
                    let s = Src {
                        dir: e.parent(),
                        name: e.name(),
                        path: e.path(),
                        st,
                        follow: e.follows(),
                    };
                    let d = Dst {
                        dir: p.fd.as_fd(),
                        name: e.name(),
                        path: &dpath,
                        setgid: p.setgid,
                        follow: false,
                        fresh: p.created,
                        dev: Some(p.dev),
                    };
                    ok &= self.copy_nondir(ctx, &s, &d);
                    Action::Continue
                }
                Visit::Post => {
                    let Some(p) = stack.pop() else {
                        return Action::Continue;
                    };
                    dpath.truncate(p.path_len);
                    ok &= self.dir_attrs(ctx, &p, &dpath);
                    Action::Continue
                }
                Visit::Error(Op::Loop, _) => {
                    say(ctx, &[b"cannot copy cyclic symbolic link ", e.path()]);
                    ok = false;
                    Action::Continue
                }
                Visit::Error(Op::Open, err) if !into_self => {
                    // GNU makes the directory, then finds it cannot read the source.
                    let st = e.stat().ok().copied();
                    if let Some(st) = st.filter(is_dir) {
                        let (pdir, name) = match stack.last() {
                            Some(p) => (p.fd.as_fd(), e.name()),
                            None => (sfd::cwd(), dst),
                        };
                        let _ = sfs::mkdirat(pdir, name, st.st_mode & 0o777);
                    }
                    fail(ctx, "cannot access", e.path(), &err);
                    ok = false;
                    Action::Continue
                }
                Visit::Error(op, err) => {
                    let what = match op {
                        Op::Stat => "cannot stat",
                        _ => "cannot access",
                    };
                    fail(ctx, what, e.path(), &err);
                    ok = false;
                    Action::Continue
                }
            }
        });
        self.walker = walker;
        ok
    }

    fn dir_attrs(&mut self, ctx: &mut Ctx, p: &DstDir, path: &[u8]) -> bool {
        let mut ok = true;
        let st = &p.st;
        let fd = p.fd.as_fd();
        let mut keep = 0o7777;
        if self.o.owner && (st.st_uid != self.euid || st.st_gid != self.egid) {
            ok &= self.set_owner(ctx, path, st, &mut keep, |u, g| sfs::fchown(fd, u, g));
        }
        let want = if self.o.mode {
            Some(st.st_mode & keep)
        } else if p.created && self.o.plain_mode {
            Some(0o777 & !self.umask)
        } else if p.created
            && (st.st_mode & 0o700 != 0o700 || self.omitted(st.st_mode & 0o777) & !self.umask != 0)
        {
            Some(st.st_mode & 0o777 & !self.umask)
        } else {
            None
        };
        if let Some(m) = want {
            if let Err(e) = sfs::fchmod(fd, m) {
                fail(ctx, "preserving permissions for", path, &e);
                ok = false;
            }
        }
        if self.o.time {
            if let Err(e) = sfs::futimens(fd, times(st)) {
                fail(ctx, "preserving times for", path, &e);
                ok = false;
            }
        }
        ok
    }
}

enum DataError {
    Read(io::Error),
    Write(io::Error),
    Clone(io::Error),
}

fn times(st: &Stat) -> [Time; 2] {
    [
        Time::At(st.st_atime, st.st_atime_nsec as u32),
        Time::At(st.st_mtime, st.st_mtime_nsec as u32),
    ]
}

/// The last component of a name, trailing slashes ignored (`a/b/` → `b`).
pub fn base_name(p: &[u8]) -> &[u8] {
    let mut end = p.len();
    while end > 1 && p[end - 1] == b'/' {
        end -= 1;
    }
    let p = &p[..end];
    match p.iter().rposition(|&c| c == b'/') {
        Some(i) if p.len() > 1 => &p[i + 1..],
        _ => p,
    }
}

/// gnulib's file_name_concat as cp, mv and ln use it: `dir/name` (no doubled slash).
pub fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut v = dir.to_vec();
    if !v.ends_with(b"/") {
        v.push(b'/');
    }
    v.extend_from_slice(name);
    v
}

fn say_removed(ctx: &mut Ctx, path: &[u8]) {
    let mut l = b"removed ".to_vec();
    l.extend_from_slice(&quote_always(path));
    l.push(b'\n');
    let _ = ctx.out.write_all(&l);
}

fn usage(ctx: &mut Ctx, msg: &[u8]) -> Error {
    ctx.msg(msg);
    ctx.try_help();
    Error::silent(1)
}

/// GNU's operand rules of cp, mv and install: (sources, destination, into a directory).
pub fn operands(
    ctx: &mut Ctx,
    mut files: Vec<Vec<u8>>,
    target: Option<Vec<u8>>,
    no_target: bool,
) -> super::ctx::Result<(Vec<Vec<u8>>, Vec<u8>, bool)> {
    // GNU's order: the operands counted first, then -t with -T (no usage hint), then -T's
    // extra operand (the third).
    if files.is_empty() {
        return Err(usage(ctx, b"missing file operand"));
    }
    if target.is_none() && files.len() == 1 {
        let mut m = b"missing destination file operand after ".to_vec();
        m.extend_from_slice(&quote_always(&files[0]));
        return Err(usage(ctx, &m));
    }
    if no_target {
        if target.is_some() {
            return Err(Error::new(
                1,
                b"cannot combine --target-directory (-t) and --no-target-directory (-T)".to_vec(),
            ));
        }
        if files.len() > 2 {
            let mut m = b"extra operand ".to_vec();
            m.extend_from_slice(&quote_always(&files[2]));
            return Err(usage(ctx, &m));
        }
    }
    if let Some(t) = target {
        match sfd::stat(&t) {
            Ok(st) if st.st_mode & libc::S_IFMT == libc::S_IFDIR => {}
            Ok(_) => {
                let mut m = b"target directory ".to_vec();
                m.extend_from_slice(&quote_always(&t));
                m.extend_from_slice(b": Not a directory");
                return Err(Error::new(1, m));
            }
            Err(e) => {
                let mut m = b"target directory ".to_vec();
                m.extend_from_slice(&quote_always(&t));
                m.extend_from_slice(b": ");
                m.extend_from_slice(strerror(&e).as_bytes());
                return Err(Error::new(1, m));
            }
        }
        return Ok((files, t, true));
    }
    let dest = files.pop().unwrap_or_default();
    if no_target {
        return Ok((files, dest, false));
    }
    let st = sfd::stat(&dest);
    let is_dir = matches!(&st, Ok(s) if s.st_mode & libc::S_IFMT == libc::S_IFDIR);
    if files.len() > 1 && !is_dir {
        let mut m = b"target ".to_vec();
        m.extend_from_slice(&quote_always(&dest));
        match st {
            Ok(_) => m.extend_from_slice(b": Not a directory"),
            Err(e) => {
                m.extend_from_slice(b": ");
                m.extend_from_slice(strerror(&e).as_bytes());
            }
        }
        return Err(Error::new(1, m));
    }
    Ok((files, dest, is_dir))
}
