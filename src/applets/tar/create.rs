//! `tar -c` (and the member-adding half of `-r`/`-u`): walks the operands with the one tree
//! walker (`common::walk`: directories opened relative to their parent's descriptor, read in
//! large getdents64 batches, children in `--sort` order), detects hard links by (device,
//! inode), and moves file data with sendfile into a plain archive or through the 256 KiB
//! output buffer otherwise.

use std::collections::HashMap;
use std::os::unix::ffi::OsStrExt;

use super::archive::{ArchiveFd, DataErr, Output};
use super::diag::{archive_write_error, diag_name, fatal_file, file_error, print_totals};
use super::header::{self, Diag, Entry, Format, Meta, WriteOpts, BLOCK};
use super::list::Lister;
use super::matching::Excluder;
use super::opts::{NameArg, Opts, Sort};
use super::pipeline::{safer_name, Msgs};
use super::transform;
use crate::common::fs::Names;
use crate::common::sys::fd::{self as sys, cwd, AsFd, AsRawFd, BorrowedFd, OwnedFd, Stat};
use crate::common::sys::fs;
use crate::common::walk::{self, Action, Children, Follow, Op, Order, Visit, Walker};
use crate::common::{Ctx, Error, Result};

pub struct Creator<'a> {
    pub o: &'a Opts,
    pub out: Output,
    pub msgs: Msgs,
    names: Names,
    last_user: Option<(u32, Vec<u8>)>,
    last_group: Option<(u32, Vec<u8>)>,
    links: HashMap<(u64, u64), Vec<u8>>,
    archive_id: Option<(u64, u64)>,
    excl: Excluder,
    hdr: Vec<u8>,
    lister: Lister,
    /// For -u: members already archived and their mtimes.
    pub newer_than: Option<HashMap<Vec<u8>, i64>>,
    /// The walker (its buffers kept from one operand to the next).
    walker: Option<Walker>,
    /// Per directory being walked: whether its `Post` may remove it (--remove-files); false
    /// once reading it failed.
    post_ok: Vec<bool>,
    /// The member name of the entry being visited.
    name: Vec<u8>,
    /// The operand being walked as given and as stored: a member's name as given (GNU's
    /// `orig_file_name`, which hard links point to) is the one with the first replaced by the
    /// second.
    top: (Vec<u8>, Vec<u8>),
    /// The names of uid 0 and gid 0 (GNU's `././@LongLink` headers carry them).
    root_names: (Vec<u8>, Vec<u8>),
    /// Our process id (`%p` in pax header names), asked once.
    pid: u32,
    /// The format written: `--format`, or for `-r`/`-u` without it the archive's own.
    pub format: Format,
    /// Non-directories seen more than once are hard links even with one link (GNU does so
    /// when given several names or -h: the same file may come twice).
    all_links: bool,
    /// The name the -v line of the member being written shows, when not its stored one: the
    /// name as given (GNU's `orig_file_name`) unless --show-transformed-names.
    shown: Option<Vec<u8>>,
    /// `--recursion`/`--no-recursion` as it stands at the name being added.
    recursion: bool,
    /// How many `-C`s are in force (0: none).
    cdir: usize,
    /// `--remove-files` of a `.` operand under the Nth `-C`: that directory itself, removed
    /// by its name when all is written (GNU's deferred unlinks), as later `-C`s may go through it.
    cdir_rmdir: Vec<usize>,
}

fn is_fmt(st: &Stat, fmt: libc::mode_t) -> bool {
    st.st_mode & libc::S_IFMT == fmt
}

/// `dir` + `/` + `name`, without the slash after an empty `dir` or one ending with `/`.
fn join(out: &mut Vec<u8>, dir: &[u8], name: &[u8]) {
    out.clear();
    out.extend_from_slice(dir);
    if !out.is_empty() && !out.ends_with(b"/") {
        out.push(b'/');
    }
    out.extend_from_slice(name);
}

impl<'a> Creator<'a> {
    pub fn new(o: &'a Opts, out: Output, excl: Excluder, verbose_to_stderr: bool) -> Creator<'a> {
        let archive_id = out.archive_id();
        Creator {
            o,
            out,
            msgs: Msgs::default(),
            names: Names::new(),
            last_user: None,
            last_group: None,
            links: HashMap::new(),
            archive_id,
            excl,
            hdr: Vec::with_capacity(2048),
            lister: Lister::new(o, verbose_to_stderr),
            newer_than: None,
            walker: None,
            post_ok: Vec::new(),
            name: Vec::new(),
            top: (Vec::new(), Vec::new()),
            root_names: (Vec::new(), Vec::new()),
            pid: std::process::id(),
            format: o.format,
            all_links: o.deref
                || o.names.iter().filter(|n| n.is_name()).nth(1).is_some()
                || o.names.iter().any(|n| matches!(n, NameArg::FilesFrom(_))),
            shown: None,
            recursion: true,
            cdir: 0,
            cdir_rmdir: Vec::new(),
        }
    }

    fn wopts(&self) -> WriteOpts<'_> {
        WriteOpts {
            format: self.format,
            pax: &self.o.pax,
            numeric_owner: self.o.numeric_owner,
            root_names: (&self.root_names.0, &self.root_names.1),
            pid: self.pid,
            absolute: self.o.absolute,
        }
    }

    /// A pax archive made with `--pax-option KEY=VALUE` starts with a global header.
    pub fn global_header(&mut self, ctx: &mut Ctx) -> Result<()> {
        if self.format != Format::Posix || self.o.pax.global.is_empty() {
            return Ok(());
        }
        let start = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let mut h = Vec::new();
        header::write_global(&mut h, &self.wopts(), start);
        self.out.write(&h).map_err(|e| self.write_error(ctx, &e))
    }

    /// Add every operand, honouring `-C` and `-T` in order.
    pub fn run(&mut self, ctx: &mut Ctx) -> Result<()> {
        if !self.o.numeric_owner {
            self.root_names = (self.user_name(0), self.group_name(0));
        }
        self.global_header(ctx)?;
        // The directories of the -Cs so far, each opened from the one before (the current one
        // before any).
        let mut bases: Vec<(OwnedFd, std::ffi::OsString)> = Vec::new();
        // The command line's names, then (in their place) what each -T list holds; whether
        // an item came from a list.
        let mut todo: std::collections::VecDeque<(NameArg, bool)> =
            self.o.names.iter().map(|n| (n.clone(), false)).collect();
        self.recursion = true;
        let mut operand = 0;
        let mut read_lists = std::collections::HashSet::new();
        while let Some((n, listed)) = todo.pop_front() {
            let at = bases.last().map_or(cwd(), |f| f.0.as_fd());
            if !listed {
                // Exclusions given after this name do not apply to it (GNU's positional options).
                self.excl.operand = operand;
                operand += n.is_name() as usize;
            }
            match n {
                NameArg::Recursion(r) => self.recursion = r,
                NameArg::Dir(d) => {
                    let fl = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC;
                    match sys::openat(at, d.as_bytes(), fl, 0) {
                        Ok(fd) => bases.push((fd, d)),
                        Err(e) => return Err(fatal_file(ctx, d.as_bytes(), "Cannot open", &e)),
                    }
                    self.cdir = bases.len();
                }
                NameArg::Name(p) => self.add_top(ctx, at, &p)?,
                // A list naming itself again (GNU refuses a second reading) is not reread.
                NameArg::FilesFrom(f) if !read_lists.insert((bases.len(), f.clone())) => {}
                NameArg::FilesFrom(f) => {
                    let list = super::opts::read_names_file_at(at.as_fd(), &f, self.o.null)
                        .map_err(|e| fatal_file(ctx, f.as_bytes(), "Cannot open", &e))?;
                    let items = super::opts::list_items(list, self.o.null);
                    for it in items.into_iter().rev() {
                        todo.push_front((it, true));
                    }
                }
            }
        }
        for &k in &self.cdir_rmdir {
            let parent = if k > 1 { bases[k - 2].0.as_fd() } else { cwd() };
            let name = bases[k - 1].1.as_bytes();
            match fs::unlinkat(parent, name, libc::AT_REMOVEDIR) {
                Err(e) if e.raw_os_error() != Some(libc::ENOENT) => {
                    file_error(ctx, name, "Cannot rmdir", &e, 2)
                }
                _ => {}
            }
        }
        if !self.o.unconsumed.is_empty() {
            ctx.error(2, b"The following options were used after any non-optional arguments in archive create or update mode.  These options are positional and affect only arguments that follow them.  Please, rearrange them properly.");
            for m in &self.o.unconsumed {
                ctx.error(2, m);
            }
        }
        Ok(())
    }

    fn add_top(&mut self, ctx: &mut Ctx, base: BorrowedFd, path: &[u8]) -> Result<()> {
        let p = crate::common::fs::strip_trailing_slashes(path);
        let mut stored = if self.o.absolute {
            p.to_vec()
        } else {
            safer_name(ctx, &mut self.msgs, p, false)
        };
        if stored.is_empty() {
            stored.push(b'.');
        }
        if self.excl.excluded(&stored) {
            return Ok(());
        }
        self.top = (p.to_vec(), stored.clone());
        if !self.recursion {
            return self.file(ctx, base, p, &stored, true, libc::DT_UNKNOWN, None);
        }
        // The children of "/" (stored as ".") are named relative: "etc", not "./etc".
        let prefix: &[u8] = if stored == b"." && p == b"/" {
            b""
        } else {
            &stored
        };
        self.top.1 = prefix.to_vec();
        let o = self.o;
        let mut w = self.walker.take().unwrap_or_else(|| {
            Walker::new(walk::Options {
                follow: if o.deref { Follow::All } else { Follow::Never },
                xdev: o.one_file_system,
                order: match o.sort {
                    Sort::None => Order::Raw,
                    Sort::Name => Order::Name,
                    Sort::Inode => Order::By(|a, b| a.ino.cmp(&b.ino)),
                },
                ..walk::Options::default()
            })
        });
        let mut name = std::mem::take(&mut self.name);
        let mut res = Ok(());
        self.post_ok.clear();
        w.walk(base, p, |e, v| {
            let top = e.depth() == 0;
            if top {
                name.clear();
                name.extend_from_slice(&stored);
            } else {
                let below = &e.path()[p.len()..];
                join(&mut name, prefix, below.strip_prefix(b"/").unwrap_or(below));
            }
            let r = match v {
                Visit::Pre => self.dir_pre(ctx, e, &name),
                Visit::Children(kids) => {
                    let dir = if top { prefix } else { &name[..] };
                    Ok(self.children(ctx, dir, &name, kids))
                }
                Visit::Post => {
                    self.dir_post(ctx, e, &name);
                    Ok(Action::Continue)
                }
                Visit::Leaf => {
                    let known = e.cached_stat().copied();
                    self.file(ctx, e.parent(), e.name(), &name, top, e.dtype(), known)
                        .map(|()| Action::Continue)
                }
                Visit::Error(op, err) => self.walk_error(ctx, e, &name, op, &err),
            };
            r.unwrap_or_else(|x| {
                res = Err(x);
                Action::Stop
            })
        });
        self.name = name;
        self.walker = Some(w);
        res
    }

    /// A directory, opened: its header; its children unless it is on another file system
    /// (--one-file-system) or is the archive.
    fn dir_pre(&mut self, ctx: &mut Ctx, e: &mut walk::Entry, name: &[u8]) -> Result<Action> {
        // A directory comes with the fstat of its descriptor.
        let Some(st) = e.cached_stat().copied() else {
            return Ok(Action::Skip);
        };
        if !self.put(ctx, e.parent(), e.name(), name, &st, None)? || e.other_device() {
            return Ok(Action::Skip);
        }
        self.post_ok.push(true);
        Ok(Action::Continue)
    }

    /// A directory's entries as read (in `--sort` order): none if reading failed (reported),
    /// the excluded ones left out.
    fn children(&mut self, ctx: &mut Ctx, dir: &[u8], name: &[u8], kids: &mut Children) -> Action {
        if let Some(err) = kids.take_error() {
            self.read_fail(ctx, name, "Cannot read", &err);
            if let Some(ok) = self.post_ok.last_mut() {
                *ok = false;
            }
            return Action::Skip;
        }
        if !self.excl.is_empty() {
            let excl = &self.excl;
            let mut child = Vec::new();
            kids.retain(|k| {
                join(&mut child, dir, k.name);
                !excl.excluded(&child)
            });
        }
        Action::Continue
    }

    /// After a directory's children: --remove-files removes it.
    fn dir_post(&mut self, ctx: &mut Ctx, e: &walk::Entry, name: &[u8]) {
        if self.post_ok.pop() == Some(true) && self.o.remove_files {
            if e.depth() == 0 && matches!(e.name(), b"." | b"") && self.cdir > 0 {
                if !self.cdir_rmdir.contains(&self.cdir) {
                    self.cdir_rmdir.push(self.cdir);
                }
                return;
            }
            if let Err(err) = fs::unlinkat(e.parent(), e.name(), libc::AT_REMOVEDIR) {
                file_error(ctx, name, "Cannot rmdir", &err, 2);
            }
        }
    }

    fn walk_error(
        &mut self,
        ctx: &mut Ctx,
        e: &mut walk::Entry,
        name: &[u8],
        op: Op,
        err: &std::io::Error,
    ) -> Result<Action> {
        let mut shown = if e.depth() == 0 { e.path() } else { name };
        let what = match op {
            Op::Stat => "Cannot stat",
            Op::Read => "Cannot read",
            // An ancestor moved under the walk: the rest of this operand is not reachable.
            Op::Parent => "Cannot open",
            // A directory that cannot be opened (or, under -h, is its own ancestor) still has
            // its header; put archives what is there now if it is no longer a directory.
            Op::Open | Op::Loop => match e.stat().copied() {
                Ok(st) => {
                    if !self.put(ctx, e.parent(), e.name(), name, &st, None)? {
                        return Ok(Action::Continue);
                    }
                    shown = name;
                    "Cannot open"
                }
                Err(serr) => {
                    self.read_fail(ctx, shown, "Cannot stat", &serr);
                    return Ok(Action::Continue);
                }
            },
        };
        self.read_fail(ctx, shown, what, err);
        Ok(Action::Continue)
    }

    fn stat(&self, dirfd: BorrowedFd, rel: &[u8], follow: bool) -> std::io::Result<Stat> {
        let fl = if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
        sys::fstatat(dirfd, rel, fl)
    }

    /// Archive the non-directory (or, without recursion, anything) `rel` relative to
    /// `dirfd` under the name `name`; `known` is its stat if the walker took one.
    #[allow(clippy::too_many_arguments)]
    fn file(
        &mut self,
        ctx: &mut Ctx,
        dirfd: BorrowedFd,
        rel: &[u8],
        name: &[u8],
        top: bool,
        dtype: u8,
        known: Option<Stat>,
    ) -> Result<()> {
        // A dangling symlink under -h comes with its lstat: GNU reports the failed stat.
        let known = known.filter(|st| !(self.o.deref && is_fmt(st, libc::S_IFLNK)));
        // A regular file (by d_type) is opened first and stat'ed through its descriptor:
        // one path look-up instead of two.
        let mut pre_fd: Option<OwnedFd> = None;
        if known.is_none() && dtype == libc::DT_REG {
            let fl = libc::O_RDONLY | libc::O_CLOEXEC | libc::O_NOFOLLOW | libc::O_NONBLOCK;
            pre_fd = sys::openat(dirfd, rel, fl, 0).ok();
        }
        let pre_st = pre_fd.as_ref().and_then(|fd| {
            sys::fstat(fd.as_fd())
                .ok()
                .filter(|st| is_fmt(st, libc::S_IFREG))
        });
        if pre_st.is_none() {
            pre_fd = None;
        }
        let st = match pre_st
            .or(known)
            .map(Ok)
            .unwrap_or_else(|| self.stat(dirfd, rel, self.o.deref))
        {
            Ok(s) => s,
            Err(e) => {
                let shown = if top { rel } else { name };
                self.read_fail(ctx, shown, "Cannot stat", &e);
                return Ok(());
            }
        };
        self.put(ctx, dirfd, rel, name, &st, pre_fd).map(|_| ())
    }

    /// Archive `rel` (relative to `dirfd`, stat'ed as `st`) under the name `name`. For a
    /// directory only its header: true when its children are to be walked (it is not the
    /// archive).
    fn put(
        &mut self,
        ctx: &mut Ctx,
        dirfd: BorrowedFd,
        rel: &[u8],
        name: &[u8],
        st: &Stat,
        mut pre_fd: Option<OwnedFd>,
    ) -> Result<bool> {
        if self.archive_id == Some((st.st_dev, st.st_ino)) {
            let mut m = crate::common::quote::quote_if_needed(name);
            m.extend_from_slice(b": file is the archive; not dumped");
            ctx.msg(&m);
            return Ok(false);
        }
        let fmt = st.st_mode & libc::S_IFMT;
        if let Some(map) = &self.newer_than {
            if fmt != libc::S_IFDIR {
                if let Some(&t) = map.get(name) {
                    if st.st_mtime <= t {
                        return Ok(false);
                    }
                }
            } else {
                // GNU's -u puts a directory the archive has already in place of its entries:
                // only they are looked at again, whatever the directory's own time.
                let mut slashed = name.to_vec();
                if !slashed.ends_with(b"/") {
                    slashed.push(b'/');
                }
                if map.contains_key(name) || map.contains_key(&slashed) {
                    return Ok(true);
                }
            }
        }
        let mut mode = st.st_mode & 0o7777;
        if let Some(spec) = &self.o.mode_change {
            mode = crate::common::fs::apply_mode(spec, mode, fmt == libc::S_IFDIR).unwrap_or(mode);
        }
        let numeric = self.o.numeric_owner;
        let (uid, uname) = match self.o.owner.clone() {
            Some(spec) => forced_id(spec, st.st_uid, numeric),
            None => (
                st.st_uid as u64,
                self.name_unless(numeric, |c| c.user_name(st.st_uid)),
            ),
        };
        let (gid, gname) = match self.o.group.clone() {
            Some(spec) => forced_id(spec, st.st_gid, numeric),
            None => (
                st.st_gid as u64,
                self.name_unless(numeric, |c| c.group_name(st.st_gid)),
            ),
        };
        let (mut mtime, mut mtime_nsec) = (st.st_mtime, st.st_mtime_nsec as u32);
        if let Some((t, ns)) = self.o.mtime {
            if !self.o.clamp_mtime || (mtime, mtime_nsec) > (t, ns) {
                mtime = t;
                mtime_nsec = ns;
            }
        }
        let xattrs = if self.o.xattrs {
            read_xattrs(dirfd, rel, fmt == libc::S_IFLNK)
        } else {
            Vec::new()
        };
        let dev = (fmt == libc::S_IFCHR || fmt == libc::S_IFBLK)
            .then(|| (libc::major(st.st_rdev), libc::minor(st.st_rdev)));
        // --transform, and the name -v shows (as given unless --show-transformed-names).
        let xf = &self.o.transform;
        let xname = xf.name(name, transform::REGFILE);
        let orig = self.orig_name(name);
        self.shown = None;
        if !self.o.show_transformed && (orig != name || !xf.is_empty()) {
            self.shown = Some(orig.clone());
        }
        let mut meta = Meta {
            name: &xname,
            xname: &orig,
            link: b"",
            typeflag: b'0',
            mode,
            dev,
            uid,
            gid,
            size: 0,
            mtime,
            mtime_nsec,
            atime: (st.st_atime, st.st_atime_nsec as u32),
            ctime: (st.st_ctime, st.st_ctime_nsec as u32),
            uname: &uname,
            gname: &gname,
            xattrs: &xattrs,
            pax: &[],
            sparse: None,
        };
        // A file seen before is archived as a hard link to its first name (GNU's
        // dump_hard_link): the name as given, made safe as a hard link target.
        let key = (st.st_dev, st.st_ino);
        let counted = fmt != libc::S_IFDIR && (st.st_nlink > 1 || self.all_links);
        if counted {
            if let Some(mut target) = self.links.get(&key).cloned() {
                if let Some(t) = xf.apply(&target, transform::LINK) {
                    target = if self.o.absolute {
                        t
                    } else {
                        safer_name(ctx, &mut self.msgs, &t, true)
                    };
                }
                meta.typeflag = b'1';
                meta.link = &target;
                let _ = self.emit(ctx, &meta)?;
                self.remove(ctx, dirfd, rel, name, false);
                return Ok(false);
            }
        }
        match fmt {
            libc::S_IFREG => {
                let nofollow = if self.o.deref { 0 } else { libc::O_NOFOLLOW };
                let fd = match pre_fd.take() {
                    Some(f) => Ok(f),
                    None => sys::openat(dirfd, rel, libc::O_RDONLY | libc::O_CLOEXEC | nofollow, 0),
                };
                let fd = match fd {
                    Ok(fd) => fd,
                    Err(e) => {
                        self.read_fail(ctx, name, "Cannot open", &e);
                        return Ok(false);
                    }
                };
                let size = st.st_size as u64;
                let sparse = self.o.sparse
                    && (st.st_blocks as u64) * 512 < size
                    && self.format != Format::V7
                    && self.format != Format::Ustar;
                let dumped = if sparse {
                    let map = sparse_map(fd.as_fd(), size, st.st_blocks as u64, self.o.hole_raw);
                    self.sparse_member(ctx, &meta, fd.as_fd(), &map, size)?
                } else {
                    meta.size = size;
                    self.emit(ctx, &meta)? && self.file_data(ctx, name, fd.as_fd(), st)?
                };
                if dumped {
                    self.count_link(ctx, counted, key, name);
                }
                drop(fd);
                if dumped {
                    self.remove(ctx, dirfd, rel, name, false);
                }
            }
            libc::S_IFDIR => {
                let mut dname = xname.to_vec();
                if !dname.ends_with(b"/") {
                    dname.push(b'/');
                }
                if let Some(s) = &mut self.shown {
                    if !s.ends_with(b"/") {
                        s.push(b'/');
                    }
                }
                let mut xname = orig.clone();
                if !xname.ends_with(b"/") {
                    xname.push(b'/');
                }
                meta.typeflag = b'5';
                meta.name = &dname;
                meta.xname = &xname;
                return self.emit(ctx, &meta);
            }
            libc::S_IFLNK => {
                let buf = match fs::readlinkat(dirfd, rel, st.st_size as usize) {
                    Ok(b) => b,
                    Err(e) => {
                        self.read_fail(ctx, name, "Cannot readlink", &e);
                        return Ok(false);
                    }
                };
                let buf = xf.name(&buf, transform::SYMLINK);
                meta.typeflag = b'2';
                meta.link = &buf;
                if self.emit(ctx, &meta)? {
                    self.count_link(ctx, counted, key, name);
                    self.remove(ctx, dirfd, rel, name, false);
                }
            }
            libc::S_IFCHR | libc::S_IFBLK | libc::S_IFIFO => {
                if self.format == Format::V7 {
                    self.unknown_type(ctx, name);
                    return Ok(false);
                }
                meta.typeflag = match fmt {
                    libc::S_IFCHR => b'3',
                    libc::S_IFBLK => b'4',
                    _ => b'6',
                };
                if self.emit(ctx, &meta)? {
                    self.count_link(ctx, counted, key, name);
                    self.remove(ctx, dirfd, rel, name, false);
                }
            }
            libc::S_IFSOCK => {
                let mut m = crate::common::quote::quote_if_needed(name);
                m.extend_from_slice(b": socket ignored");
                ctx.msg(&m);
            }
            _ => self.unknown_type(ctx, name),
        }
        Ok(false)
    }

    fn unknown_type(&self, ctx: &mut Ctx, name: &[u8]) {
        let mut m = diag_name(name);
        m.extend_from_slice(b": Unknown file type; file ignored");
        if self.o.ignore_failed_read {
            ctx.msg(&m);
        } else {
            ctx.error(2, &m);
        }
    }

    /// Remember a file archived under `name` for later hard links to it (by its name as
    /// given: GNU's `orig_file_name`).
    /// GNU makes the target safe then, reporting a removed prefix.
    fn count_link(&mut self, ctx: &mut Ctx, counted: bool, key: (u64, u64), name: &[u8]) {
        if !counted || self.links.contains_key(&key) {
            return;
        }
        let mut orig = self.orig_name(name);
        if !self.o.absolute {
            orig = safer_name(ctx, &mut self.msgs, &orig, true);
        }
        self.links.insert(key, orig);
    }

    /// A member's name as given (the operand's own part not made safe).
    fn orig_name(&self, name: &[u8]) -> Vec<u8> {
        let (given, stored) = &self.top;
        match name.strip_prefix(&stored[..]) {
            Some(rest) if !self.o.absolute && given != stored => [&given[..], rest].concat(),
            _ => name.to_vec(),
        }
    }

    /// A regular file's data after its header: `st.st_size` bytes, zeros if it shrank, then
    /// the padding. False when the data could not be read at all.
    fn file_data(&mut self, ctx: &mut Ctx, name: &[u8], fd: BorrowedFd, st: &Stat) -> Result<bool> {
        let want = st.st_size as u64;
        let got = match self.out.copy_from(fd, want) {
            Ok(n) => n,
            Err(DataErr::Write(e)) => return Err(self.write_error(ctx, &e)),
            Err(DataErr::Read(e)) => {
                self.read_fail(ctx, name, "Read error", &e);
                0
            }
            Err(DataErr::Eof) => 0,
        };
        if got < want {
            // Keep the archive consistent with the header: pad with zeros.
            self.out
                .zeros(want - got)
                .map_err(|e| self.write_error(ctx, &e))?;
            let m = format!(": File shrank by {} bytes; padding with zeros", want - got);
            let mut msg = crate::common::quote::quote_if_needed(name);
            msg.extend_from_slice(m.as_bytes());
            ctx.error(2, &msg);
        }
        self.out.pad(want).map_err(|e| self.write_error(ctx, &e))?;
        self.out
            .maybe_flush()
            .map_err(|e| self.write_error(ctx, &e))?;
        let changed = sys::fstat(fd).is_ok_and(|st2| {
            st2.st_mtime != st.st_mtime
                || st2.st_mtime_nsec != st.st_mtime_nsec
                || st2.st_size != st.st_size
        });
        if changed && got == want {
            let mut msg = crate::common::quote::quote_if_needed(name);
            msg.extend_from_slice(b": file changed as we read it");
            ctx.error(1, &msg);
        }
        Ok(true)
    }

    /// A sparse file as GNU writes it: in the GNU formats an `S` header with the old GNU map
    /// (and extension blocks); in pax `--sparse-version` 1.0 (the map at the start of the data,
    /// the member named `%d/GNUSparseFile.%p/%f`), 0.1 (the map in `GNU.sparse.map`) or 0.0
    /// (`GNU.sparse.offset`/`numbytes` pairs). The data segments follow one another.
    fn sparse_member(
        &mut self,
        ctx: &mut Ctx,
        m: &Meta,
        fd: BorrowedFd,
        map: &[(u64, u64)],
        real: u64,
    ) -> Result<bool> {
        let data: u64 = map.iter().map(|s| s.1).sum();
        let dec = |n: u64| n.to_string().into_bytes();
        let mut text = Vec::new();
        let mut pax: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        let mut hname = m.name.to_vec();
        let (absolute, pid) = (self.o.absolute, self.pid);
        let sparse_name = |m: &Meta| {
            header::format_name(b"%d/GNUSparseFile.%p/%f", Some(m.xname), pid, 0, absolute).0
        };
        let mut sm = Meta { size: data, ..*m };
        if self.format == Format::Posix {
            let (major, minor) = self.o.sparse_version;
            if major == 0 {
                pax.push((b"GNU.sparse.size".to_vec(), dec(real)));
                pax.push((b"GNU.sparse.numblocks".to_vec(), dec(map.len() as u64)));
                if minor == 0 || self.o.pax.delete.iter().any(|p| p == b"GNU.sparse.map") {
                    for &(o, l) in map {
                        pax.push((b"GNU.sparse.offset".to_vec(), dec(o)));
                        pax.push((b"GNU.sparse.numbytes".to_vec(), dec(l)));
                    }
                } else {
                    pax.push((b"GNU.sparse.name".to_vec(), m.name.to_vec()));
                    let mut v = Vec::new();
                    for (i, &(o, l)) in map.iter().enumerate() {
                        if i > 0 {
                            v.push(b',');
                        }
                        v.extend_from_slice(&dec(o));
                        v.push(b',');
                        v.extend_from_slice(&dec(l));
                    }
                    pax.push((b"GNU.sparse.map".to_vec(), v));
                    hname = sparse_name(m);
                }
            } else {
                text.extend_from_slice(&dec(map.len() as u64));
                text.push(b'\n');
                for &(o, l) in map {
                    text.extend_from_slice(&dec(o));
                    text.push(b'\n');
                    text.extend_from_slice(&dec(l));
                    text.push(b'\n');
                }
                header::pad_to_block(&mut text);
                pax.push((b"GNU.sparse.major".to_vec(), dec(major)));
                pax.push((b"GNU.sparse.minor".to_vec(), dec(minor)));
                pax.push((b"GNU.sparse.name".to_vec(), m.name.to_vec()));
                pax.push((b"GNU.sparse.realsize".to_vec(), dec(real)));
                hname = sparse_name(m);
                hname.truncate(100);
            }
            sm.size = data + text.len() as u64;
            sm.pax = &pax;
            sm.name = &hname;
        } else {
            sm.typeflag = b'S';
            sm.sparse = Some((map, real));
        }
        let mut h = std::mem::take(&mut self.hdr);
        h.clear();
        let mut diags = Vec::new();
        let ok = header::write_header(&mut h, &sm, &self.wopts(), &mut diags);
        self.report(ctx, diags);
        let r = self.out.write(&h);
        self.hdr = h;
        r.map_err(|e| self.write_error(ctx, &e))?;
        if !ok {
            return Ok(false);
        }
        if self.o.verbose > 0 {
            let mut e = Entry {
                name: self.shown.clone().unwrap_or_else(|| m.name.to_vec()),
                typeflag: b'0',
                mode: m.mode,
                uid: m.uid,
                gid: m.gid,
                size: real,
                mtime: m.mtime,
                uname: m.uname.to_vec(),
                gname: m.gname.to_vec(),
                ..Default::default()
            };
            e.mtime_nsec = m.mtime_nsec;
            self.lister.entry(ctx, &e, self.o.verbose >= 2)?;
        }
        self.out
            .write(&text)
            .map_err(|e| self.write_error(ctx, &e))?;
        for &(off, len) in map {
            if len == 0 {
                continue;
            }
            let _ = sys::lseek(fd, off as i64, libc::SEEK_SET);
            let got = match self.out.copy_from(fd, len) {
                Ok(n) => n,
                Err(DataErr::Write(e)) => return Err(self.write_error(ctx, &e)),
                Err(_) => 0,
            };
            if got < len {
                self.out
                    .zeros(len - got)
                    .map_err(|e| self.write_error(ctx, &e))?;
                let mut msg = crate::common::quote::quote_if_needed(m.name);
                msg.extend_from_slice(b": File shrank; padding with zeros");
                ctx.error(2, &msg);
            }
        }
        self.out.pad(data).map_err(|e| self.write_error(ctx, &e))?;
        self.out
            .maybe_flush()
            .map_err(|e| self.write_error(ctx, &e))?;
        Ok(true)
    }

    /// The writer's messages, and GNU's notice for a prefix removed from the directory in an
    /// extended header's name.
    fn report(&mut self, ctx: &mut Ctx, diags: Vec<Diag>) {
        for d in diags {
            match d {
                Diag::Error(m) => ctx.error(2, &m),
                Diag::Warn(m) => ctx.msg(&m),
                Diag::Unsafe(dir) => {
                    let _ = safer_name(ctx, &mut self.msgs, &dir, false);
                }
            }
        }
    }
    /// A file that cannot be read: an error (status 2), or with --ignore-failed-read a warning.
    fn read_fail(&self, ctx: &mut Ctx, name: &[u8], what: &str, e: &std::io::Error) {
        if self.o.ignore_failed_read {
            let w = format!("Warning: {what}");
            let mut m = diag_name(name);
            m.extend_from_slice(b": ");
            m.extend_from_slice(w.as_bytes());
            m.extend_from_slice(b": ");
            m.extend_from_slice(crate::common::ctx::strerror(e).as_bytes());
            ctx.msg(&m);
        } else {
            file_error(ctx, name, what, e, 2);
        }
    }

    /// Names by id, remembering the last one (trees are usually owned by one user).
    /// The owner name for the header: none with `--numeric-owner`.
    fn name_unless(
        &mut self,
        numeric: bool,
        look_up: impl FnOnce(&mut Self) -> Vec<u8>,
    ) -> Vec<u8> {
        if numeric {
            Vec::new()
        } else {
            look_up(self)
        }
    }

    fn user_name(&mut self, uid: u32) -> Vec<u8> {
        if let Some((id, n)) = &self.last_user {
            if *id == uid {
                return n.clone();
            }
        }
        let n = self.names.user(uid).map(|s| s.to_vec()).unwrap_or_default();
        self.last_user = Some((uid, n.clone()));
        n
    }

    fn group_name(&mut self, gid: u32) -> Vec<u8> {
        if let Some((id, n)) = &self.last_group {
            if *id == gid {
                return n.clone();
            }
        }
        let n = self
            .names
            .group(gid)
            .map(|s| s.to_vec())
            .unwrap_or_default();
        self.last_group = Some((gid, n.clone()));
        n
    }

    fn remove(&mut self, ctx: &mut Ctx, dirfd: BorrowedFd, rel: &[u8], name: &[u8], dir: bool) {
        if !self.o.remove_files {
            return;
        }
        let fl = if dir { libc::AT_REMOVEDIR } else { 0 };
        if let Err(e) = fs::unlinkat(dirfd, rel, fl) {
            file_error(ctx, name, "Cannot unlink", &e, 2);
        }
    }

    fn write_error(&self, ctx: &mut Ctx, e: &std::io::Error) -> Error {
        archive_write_error(ctx, self.o, e)
    }

    /// Write the header(s) of a member; Ok(false) when the format cannot hold it (reported,
    /// "not dumped": the caller writes no data).
    fn emit(&mut self, ctx: &mut Ctx, m: &Meta) -> Result<bool> {
        let mut h = std::mem::take(&mut self.hdr);
        h.clear();
        let mut diags = Vec::new();
        let ok = header::write_header(&mut h, m, &self.wopts(), &mut diags);
        self.report(ctx, diags);
        let r = self.out.write(&h);
        self.hdr = h;
        r.map_err(|e| self.write_error(ctx, &e))?;
        if !ok {
            return Ok(false);
        }
        if self.o.verbose > 0 {
            let e = Entry {
                name: self.shown.clone().unwrap_or_else(|| m.name.to_vec()),
                link: m.link.to_vec(),
                typeflag: m.typeflag,
                mode: m.mode,
                uid: m.uid,
                gid: m.gid,
                size: m.size,
                mtime: m.mtime,
                mtime_nsec: m.mtime_nsec,
                uname: m.uname.to_vec(),
                gname: m.gname.to_vec(),
                devmajor: m.dev.map_or(0, |d| d.0),
                devminor: m.dev.map_or(0, |d| d.1),
                ..Default::default()
            };
            self.lister.entry(ctx, &e, self.o.verbose >= 2)?;
        }
        Ok(true)
    }

    /// The end of the archive; the descriptor comes back when no compressor took it.
    pub fn finish(self, ctx: &mut Ctx) -> Result<Option<ArchiveFd>> {
        let o = self.o;
        let written = self.out.written;
        let mut lister = self.lister;
        lister.flush(ctx)?;
        let fd = self
            .out
            .finish()
            .map_err(|e| archive_write_error(ctx, o, &e))?;
        if o.totals {
            print_totals(
                ctx,
                o,
                "Total bytes written",
                written + 1024 + (o.record - (written + 1024) % o.record) % o.record,
            );
        }
        Ok(fd)
    }
}

/// The data segments of a sparse file as GNU's sparse.c finds them: a file with no blocks is
/// one empty segment at its end; otherwise SEEK_DATA/SEEK_HOLE, each segment as the file system
/// reports it and an empty one at the end; where the file system cannot tell (or claims a
/// file with fewer blocks than bytes is all data), and with `--hole-detection=raw`, 512-byte
/// blocks of zeros are holes.
fn sparse_map(fd: BorrowedFd, size: u64, blocks: u64, raw: bool) -> Vec<(u64, u64)> {
    if blocks == 0 {
        return vec![(size, 0)];
    }
    let mut map = Vec::new();
    let mut off = 0u64;
    let seek_ok = !raw
        && loop {
            let data = match fs::seek_data(fd, off) {
                Ok(Some(d)) => d,
                Ok(None) => {
                    map.push((size, 0));
                    break true;
                }
                Err(_) => break false,
            };
            let hole = match fs::seek_hole(fd, data) {
                Ok(Some(h)) => h,
                _ => break false,
            };
            if off == 0 && data == 0 && hole == size {
                break false;
            }
            map.push((data, hole - data));
            off = hole;
        };
    if seek_ok {
        return map;
    }
    map.clear();
    let _ = sys::lseek(fd, 0, libc::SEEK_SET);
    let mut buf = vec![0u8; 64 * 1024];
    let (mut seg_off, mut seg_len, mut pos) = (0u64, 0u64, 0u64);
    loop {
        let n = match sys::read(fd, &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        for blk in buf[..n].chunks(BLOCK) {
            if blk.iter().all(|&c| c == 0) {
                if seg_len > 0 {
                    map.push((seg_off, seg_len));
                    seg_len = 0;
                }
            } else {
                if seg_len == 0 {
                    seg_off = pos;
                }
                seg_len += blk.len() as u64;
            }
            pos += blk.len() as u64;
        }
    }
    if seg_len == 0 {
        seg_off = pos;
    }
    map.push((seg_off, seg_len));
    map
}

fn read_xattrs(dirfd: BorrowedFd, rel: &[u8], is_link: bool) -> Vec<(Vec<u8>, Vec<u8>)> {
    // xattrs have no *at calls: name the file through /proc/self/fd/N/ of its directory.
    let raw = dirfd.as_raw_fd();
    let mut path = format!("/proc/self/fd/{raw}/").into_bytes();
    if raw == libc::AT_FDCWD {
        path.clear();
    }
    path.extend_from_slice(rel);
    let mut out = Vec::new();
    let mut list = vec![0u8; 4096];
    let n = match fs::listxattr(&path, is_link, &mut list) {
        Ok(n) if n > 0 => n,
        _ => return out,
    };
    list.truncate(n);
    for key in list.split(|&c| c == 0).filter(|k| !k.is_empty()) {
        let mut val = vec![0u8; 65536];
        if let Ok(m) = fs::getxattr(&path, key, is_link, &mut val) {
            val.truncate(m);
            out.push((key.to_vec(), val));
        }
    }
    out
}

/// `--owner`/`--group` given: its id (or the file's, for a name-only spec) and its name, which
/// `--numeric-owner` drops.
fn forced_id((id, name): (u64, Vec<u8>), file_id: u32, numeric: bool) -> (u64, Vec<u8>) {
    let id = if id == super::opts::KEEP_ID {
        file_id as u64
    } else {
        id
    };
    (id, if numeric { Vec::new() } else { name })
}
