//! The one tree walker: descriptor-relative, as GNU's fts and toybox's dirtree are.
//!
//! Each directory is opened with `openat` relative to its parent's descriptor (O_NOFOLLOW
//! unless symlinks are followed there) and its children are named relative to it: no path is
//! ever re-resolved from the top, so a directory swapped for a symlink mid-walk cannot lead the
//! walk (or an `unlinkat` made from a visit) elsewhere. A child that was a directory when its
//! parent was read but is a symlink when opened is visited as a [`Visit::Leaf`] (its fresh
//! lstat cached in the entry); a directory whose device/inode changed between a stat and the
//! open is an [`Op::Open`] error.
//!
//! What a walk gives the visitor, `f(&mut Entry, Visit) -> Action`, per entry:
//! - a directory: [`Visit::Pre`] (opened, not read yet: [`Action::Skip`] leaves it unread
//!   and gives no `Post`), then [`Visit::Children`] with its entries read and ordered (the
//!   visitor may reorder, filter or list them; `Skip` visits none), each child in turn, then
//!   [`Visit::Post`] (after its children: rm -r removes it there, du sums there);
//! - anything else (or a symlink not followed): [`Visit::Leaf`];
//! - a failure: [`Visit::Error`] with the [`Op`] that failed and the error; the walk goes on
//!   with the next entry. A directory that is its own ancestor (only possible with symlinks
//!   followed, or bind mounts) is `Error(Op::Loop, ELOOP)` and is not entered.
//!
//! [`Entry`] holds the path (built in one reused buffer: for messages), the name relative to
//! [`Entry::parent`] (the descriptor to use for `fstatat`/`unlinkat`/`openat`), the directory's
//! own descriptor in `Pre`/`Children`/`Post`, `d_type`, `d_ino`, the depth (roots are 0) and a
//! lazily taken stat ([`Entry::stat`]: fstatat relative to the parent, once; directories come
//! with the `fstat` of their open descriptor, free).
//!
//! Options ([`Options`]): which symlinks to follow ([`Follow`]: none, roots only as `-H`, all as
//! `-L`), `xdev` (a directory on another device than its root is visited, `Pre` and `Post`, with
//! [`Entry::other_device`] set, but not read), the order of children ([`Order`]: directory order,
//! bytes, or a comparator), whether `.`/`..` appear in the `Children` list (ls -a; never visited),
//! whether the walker reads directories or the visitor does ([`Options::read`]), the path
//! joining rule and the descriptor budget.
//!
//! Descriptor budget: at most `max_open` (at least 2) directory descriptors are open at once.
//! Going deeper than that closes the shallowest open ancestor (its device/inode are kept);
//! coming back up to it, it is reopened as `..` of its child, with O_NOFOLLOW, and its
//! device/inode compared with the saved ones (fts's scheme). If they differ (the tree was moved
//! under the walk) the rest of that root is abandoned with an `Error(Op::Parent, ..)`: nothing
//! can be reached safely from there. The walk needs no recursion (the stack is a `Vec` of
//! levels), so depth is bounded only by memory.
//!
//! ```ignore
//! use crate::common::walk::{Action, Follow, Op, Options, Visit, Walker};
//! // find -L . -name '*.rs'
//! let mut w = Walker::new(Options { follow: Follow::All, ..Options::default() });
//! w.walk(sys::cwd(), b".", |e, v| {
//!     match v {
//!         Visit::Pre | Visit::Leaf if e.name().ends_with(b".rs") => println!("{:?}", e.path()),
//!         Visit::Error(Op::Loop, _) => eprintln!("File system loop detected"),
//!         Visit::Error(_, err) => eprintln!("{:?}: {err}", e.path()),
//!         _ => {}
//!     }
//!     Action::Continue
//! });
//! // rm -r DIR: unlink leaves, remove directories after their children.
//! w.walk(sys::cwd(), b"DIR", |e, v| {
//!     match v {
//!         Visit::Leaf => { let _ = fs::unlinkat(e.parent(), e.name(), 0); }
//!         Visit::Post => { let _ = fs::unlinkat(e.parent(), e.name(), libc::AT_REMOVEDIR); }
//!         _ => {}
//!     }
//!     Action::Continue
//! });
//! // du: sum st_blocks, a total per directory in Post (a stack of sums indexed by depth).
//! let mut sums = vec![0u64];
//! w.walk(sys::cwd(), b".", |e, v| {
//!     let blocks = e.stat().map(|s| s.st_blocks as u64).unwrap_or(0);
//!     match v {
//!         Visit::Pre => sums.push(blocks),
//!         Visit::Leaf => *sums.last_mut().unwrap() += blocks,
//!         Visit::Post => { let s = sums.pop().unwrap(); println!("{s}\t{:?}", e.path());
//!                          *sums.last_mut().unwrap() += s; }
//!         _ => {}
//!     }
//!     Action::Continue
//! });
//! ```
//!
//! Multiple roots: call [`Walker::walk`] once per root; the buffers (256 KiB getdents buffer,
//! path, per-level child lists) are reused.

use std::any::Any;
use std::cmp::Ordering;
use std::collections::VecDeque;
use std::io;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering as Mem};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use super::ctx::Ctx;

use super::sys::dir::{self, DirBuf};
use super::sys::fd::{self, AsFd, BorrowedFd, OwnedFd, Stat};

/// Which symlinks lead into the directories they name.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Follow {
    /// None (`-P`): a symlink is a leaf.
    #[default]
    Never,
    /// The roots only (`-H`).
    Roots,
    /// All of them (`-L`); loops are detected.
    All,
}

/// A child as the ordering sees it.
#[derive(Clone, Copy, Debug)]
pub struct Kid<'a> {
    pub name: &'a [u8],
    pub dtype: u8,
    pub ino: u64,
}

/// The order children are visited in.
#[derive(Clone, Copy, Default)]
pub enum Order {
    /// As the directory returns them.
    Raw,
    /// Names in byte order.
    #[default]
    Name,
    /// By a comparator.
    By(fn(&Kid, &Kid) -> Ordering),
}

/// How a child's path is made from its parent's.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Join {
    /// fts's rule (find, du, rm): `/` added unless the parent ends with one: `a//` → `a//b`.
    #[default]
    Fts,
    /// gnulib's file_name_concat (ls): trailing slashes of the parent dropped, one `/` added,
    /// `a//` → `a/b` (`/` stays `/b`).
    Gnulib,
}

#[derive(Clone, Copy)]
pub struct Options {
    pub follow: Follow,
    /// Do not read directories on another device than their root (`-xdev`).
    pub xdev: bool,
    pub order: Order,
    /// Keep `.` and `..` in the [`Children`] lists (they are never visited).
    pub dots: bool,
    /// Read each directory (true), or leave it to the visitor: its `Children` visit gets an
    /// empty list and [`Children::push`]es the children to visit (ls reads straight into its
    /// own list and hands back only the subdirectories for -R: no second copy of 100k names).
    pub read: bool,
    pub join: Join,
    /// Directory descriptors held open at once (2 at least).
    pub max_open: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            follow: Follow::Never,
            xdev: false,
            order: Order::Name,
            dots: false,
            read: true,
            join: Join::Fts,
            max_open: 64,
        }
    }
}

/// What the visitor says after a visit.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Action {
    Continue,
    /// From `Pre`: do not read the directory, no `Post`. From `Children`: visit none of them.
    Skip,
    /// End the walk now (the visitor keeps its reason).
    Stop,
}

/// What failed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Op {
    /// stat of the entry (a root, a `DT_UNKNOWN` child, a symlink followed) or fstat of an
    /// opened directory.
    Stat,
    /// Opening a directory (EACCES, ...), or it changed between the stat and the open.
    Open,
    /// Reading a directory (after the `Children` visit with what was read).
    Read,
    /// The directory is one of its ancestors (ELOOP); not entered.
    Loop,
    /// Reopening an ancestor whose descriptor was closed for the budget failed, or it is no
    /// longer where it was: the rest of this root is not walked. The entry is `DIR/..`
    /// relative to DIR, the deepest directory still open.
    Parent,
}

/// The visit.
#[derive(Debug)]
pub enum Visit<'a> {
    Pre,
    Children(&'a mut Children),
    Post,
    Leaf,
    Error(Op, io::Error),
}

/// A directory's entries, in the order they will be visited.
#[derive(Default, Debug)]
pub struct Children {
    arena: Vec<u8>,
    kids: Vec<KidRec>,
    error: Option<io::Error>,
}

#[derive(Clone, Copy, Debug)]
struct KidRec {
    off: u32,
    len: u32,
    ino: u64,
    dtype: u8,
}

impl Children {
    pub fn len(&self) -> usize {
        self.kids.len()
    }
    pub fn is_empty(&self) -> bool {
        self.kids.is_empty()
    }
    /// The `i`th child.
    #[inline]
    pub fn get(&self, i: usize) -> Kid<'_> {
        let k = &self.kids[i];
        Kid {
            name: &self.arena[k.off as usize..(k.off + k.len) as usize],
            dtype: k.dtype,
            ino: k.ino,
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = Kid<'_>> {
        (0..self.kids.len()).map(|i| self.get(i))
    }
    /// Keeps the children `f` says yes to, in their order.
    pub fn retain(&mut self, mut f: impl FnMut(&Kid) -> bool) {
        let arena = &self.arena;
        self.kids.retain(|k| {
            f(&Kid {
                name: &arena[k.off as usize..(k.off + k.len) as usize],
                dtype: k.dtype,
                ino: k.ino,
            })
        });
    }
    /// Reorders by `cmp`.
    pub fn sort_by(&mut self, mut cmp: impl FnMut(&Kid, &Kid) -> Ordering) {
        self.sort_dyn(&mut cmp);
    }
    /// One sort routine in the binary for every order (names in a directory are distinct, so
    /// an unstable sort gives one result).
    fn sort_dyn(&mut self, cmp: &mut dyn FnMut(&Kid, &Kid) -> Ordering) {
        let arena = &self.arena;
        let kid = |k: &KidRec| Kid {
            name: &arena[k.off as usize..(k.off + k.len) as usize],
            dtype: k.dtype,
            ino: k.ino,
        };
        self.kids.sort_unstable_by(|a, b| cmp(&kid(a), &kid(b)));
    }
    /// Keeps only the children at `idx` (positions in the current order), in that order.
    pub fn select(&mut self, idx: &[u32]) {
        let picked: Vec<KidRec> = idx
            .iter()
            .filter_map(|&i| self.kids.get(i as usize).copied())
            .collect();
        self.kids = picked;
    }
    /// The error that ended reading the directory early, if any: taken, it is not visited as
    /// `Error(Op::Read, ..)`.
    pub fn take_error(&mut self) -> Option<io::Error> {
        self.error.take()
    }

    fn clear(&mut self) {
        self.arena.clear();
        self.kids.clear();
        self.error = None;
    }

    /// Adds a child to visit (after those already listed): its name in the directory,
    /// `d_type` (`DT_DIR` for a directory to enter, `DT_UNKNOWN` to have it stat'ed) and inode.
    pub fn push(&mut self, name: &[u8], dtype: u8, ino: u64) {
        let off = self.arena.len() as u32;
        self.arena.extend_from_slice(name);
        self.kids.push(KidRec {
            off,
            len: name.len() as u32,
            ino,
            dtype,
        });
    }

    fn order(&mut self, o: Order) {
        match o {
            Order::Raw => {}
            Order::Name => self.sort_dyn(&mut |a, b| a.name.cmp(b.name)),
            Order::By(mut f) => self.sort_dyn(&mut f),
        }
    }
}

/// The entry being visited.
pub struct Entry<'w> {
    path: &'w [u8],
    name_at: usize,
    parent: BorrowedFd<'w>,
    fd: Option<BorrowedFd<'w>>,
    depth: usize,
    dtype: u8,
    ino: u64,
    follow: bool,
    other_device: bool,
    stat: Option<Stat>,
}

impl<'w> Entry<'w> {
    /// The path from the root as given, for messages.
    pub fn path(&self) -> &'w [u8] {
        self.path
    }
    /// The name relative to [`Entry::parent`] (a root: the root as given).
    pub fn name(&self) -> &'w [u8] {
        &self.path[self.name_at..]
    }
    /// The directory holding the entry (a root: the base given to [`Walker::walk`]).
    pub fn parent(&self) -> BorrowedFd<'w> {
        self.parent
    }
    /// The directory's own descriptor (`Pre`, `Children`, `Post`).
    pub fn fd(&self) -> Option<BorrowedFd<'w>> {
        self.fd
    }
    /// 0 for a root.
    pub fn depth(&self) -> usize {
        self.depth
    }
    /// `d_type` from the parent's listing (`DT_UNKNOWN` for a root).
    pub fn dtype(&self) -> u8 {
        self.dtype
    }
    /// `d_ino` from the parent's listing (0 for a root).
    pub fn ino(&self) -> u64 {
        self.ino
    }
    /// Whether symlinks are followed at this entry (its stat is stat rather than lstat).
    pub fn follows(&self) -> bool {
        self.follow
    }
    /// A directory on another device than its root, not read because of `xdev`.
    pub fn other_device(&self) -> bool {
        self.other_device
    }
    /// The entry's status: lstat, or stat where symlinks are followed; taken once, relative to
    /// the parent. A directory's is the fstat of its open descriptor.
    pub fn stat(&mut self) -> io::Result<&Stat> {
        if self.stat.is_none() {
            let fl = if self.follow {
                0
            } else {
                libc::AT_SYMLINK_NOFOLLOW
            };
            let (parent, name) = (self.parent, self.name());
            // Into its place in the entry: no copy of the result.
            let r = fd::fstatat_into(parent, name, fl, self.stat.insert(fd::stat_zeroed()));
            if let Err(e) = r {
                self.stat = None;
                return Err(e);
            }
        }
        Ok(self.stat.as_ref().unwrap_or_else(|| unreachable!()))
    }
    /// The stat if one was taken already.
    pub fn cached_stat(&self) -> Option<&Stat> {
        self.stat.as_ref()
    }
}

struct Level {
    /// None while closed for the descriptor budget (shared with subtrees handed to the other
    /// thread, which name their root relative to it).
    fd: Option<Arc<OwnedFd>>,
    st: Stat,
    path_len: usize,
    /// Where a child's path is joined on: the path cut there, then a `/` if `sep`.
    join_at: usize,
    sep: bool,
    name_at: usize,
    dtype: u8,
    ino: u64,
    follow: bool,
    other_device: bool,
    kids: Children,
    pos: usize,
    /// Subtrees of this directory handed to the other thread, joined before its `Post`.
    pending: Vec<u64>,
    /// How many of the children are directories (by `d_type`).
    subdirs: usize,
}

/// The visitor as the walker's internals call it: the visits, and (in a split walk) the
/// subtrees handed to the other thread.
trait Visits {
    fn visit(&mut self, e: &mut Entry, v: Visit) -> Action;
    /// The subtree `id` went to the other thread: its messages belong here in walk order.
    fn handed(&mut self, _id: u64) {}
    /// The subtree `id` (rooted at `depth`) is done: its result, before its parent's `Post`.
    fn joined(&mut self, _id: u64, _depth: usize, _r: Done) {}
}

/// A closure as a visitor.
struct Plain<F>(F);

impl<F: FnMut(&mut Entry, Visit) -> Action> Visits for Plain<F> {
    fn visit(&mut self, e: &mut Entry, v: Visit) -> Action {
        (self.0)(e, v)
    }
}

type Visitor<'f> = dyn Visits + 'f;

/// A reusable walker (buffers kept between walks).
pub struct Walker {
    pub opts: Options,
    dents: DirBuf,
    path: Vec<u8>,
    levels: Vec<Level>,
    /// Levels below this index have their descriptor closed.
    lowest_open: usize,
    /// Spare child lists, reused.
    spare: Vec<Children>,
    peak_open: usize,
    root_dev: u64,
    /// Depth of the first level (a subtree walked for a split walk starts below its root).
    depth0: usize,
    /// Device/inode of the directories above the first level (a subtree's), for loops.
    ancestors: Vec<(u64, u64)>,
    /// The walker for a subtree run while this one waits for its own (split walks).
    nested: Option<Box<Walker>>,
    /// How many walkers wait below this one on this thread.
    nest: usize,
    /// Entries read so far (split walks start their second thread after enough).
    seen: usize,
    /// When `seen` reaches this, a split walk asks again whether a CPU is idle.
    ask_at: usize,
}

/// Where the children of the directory at `path` have their paths joined on, and whether a
/// `/` goes there: fts's rule adds one unless the path ends with one (`a//` → `a//b`);
/// gnulib's drops the trailing slashes and adds one (`a//` → `a/b`; `/` stays `/b`).
fn join_point(path: &[u8], join: Join) -> (usize, bool) {
    match join {
        Join::Fts => (path.len(), !path.ends_with(b"/")),
        Join::Gnulib => {
            let end = path.len() - path.iter().rev().take_while(|&&b| b == b'/').count();
            if end > 0 {
                (end, true)
            } else {
                (path.len(), false)
            }
        }
    }
}

fn is_dir_mode(st: &Stat) -> bool {
    st.st_mode & libc::S_IFMT == libc::S_IFDIR
}

impl Walker {
    /// Out of line: the buffers' set-up was inlined into each of a dozen applets.
    #[inline(never)]
    pub fn new(opts: Options) -> Walker {
        Walker {
            opts,
            dents: DirBuf::new(),
            path: Vec::new(),
            levels: Vec::new(),
            lowest_open: 0,
            spare: Vec::new(),
            peak_open: 0,
            root_dev: 0,
            depth0: 0,
            ancestors: Vec::new(),
            nested: None,
            nest: 0,
            seen: 0,
            ask_at: START_AFTER,
        }
    }

    /// The most directory descriptors the walker has held open at once.
    pub fn peak_open(&self) -> usize {
        self.peak_open
    }

    fn follows_at(&self, depth: usize) -> bool {
        match self.opts.follow {
            Follow::Never => false,
            Follow::Roots => depth == 0,
            Follow::All => true,
        }
    }

    /// Walks the tree at `root` (resolved relative to `base`: `sys::cwd()` for a path). Returns
    /// false when the visitor said [`Action::Stop`].
    pub fn walk<F>(&mut self, base: BorrowedFd, root: &[u8], mut f: F) -> bool
    where
        F: FnMut(&mut Entry, Visit) -> Action,
    {
        self.walk_dyn(base, root, &mut Plain(&mut f), None)
    }

    /// The walk itself, one copy in the binary whatever the visitors (each visitor's closure
    /// type would otherwise instantiate the whole walker again).
    fn walk_dyn(
        &mut self,
        base: BorrowedFd,
        root: &[u8],
        f: &mut Visitor,
        par: Option<Team>,
    ) -> bool {
        self.path.clear();
        self.path.extend_from_slice(root);
        self.lowest_open = 0;
        self.depth0 = 0;
        self.ancestors.clear();
        while let Some(l) = self.levels.pop() {
            self.recycle(l);
        }
        let follow = self.follows_at(0);
        let fl = if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
        let st = match fd::fstatat(base, root, fl) {
            Ok(st) => st,
            Err(e) => {
                let mut ent = self.entry(base, None, 0, 0, libc::DT_UNKNOWN, 0, follow, None);
                return f.visit(&mut ent, Visit::Error(Op::Stat, e)) != Action::Stop;
            }
        };
        self.root_dev = st.st_dev;
        if !is_dir_mode(&st) {
            let mut ent = self.entry(base, None, 0, 0, libc::DT_UNKNOWN, 0, follow, Some(st));
            return f.visit(&mut ent, Visit::Leaf) != Action::Stop;
        }
        if !self.enter(base, 0, libc::DT_UNKNOWN, 0, follow, Some(st), f) {
            return false;
        }
        self.run(base, f, par)
    }

    /// Walks a subtree handed over by a split walk: its root is a directory named relative to
    /// the job's parent descriptor, as the walker that listed it would have entered it.
    fn walk_job(&mut self, job: &Job, f: &mut Visitor, par: &Par) -> bool {
        let team = Team {
            par,
            start: None,
            always: false,
        };
        self.path.clear();
        self.path.extend_from_slice(&job.path);
        self.lowest_open = 0;
        self.depth0 = job.depth;
        self.ancestors.clear();
        self.ancestors.extend_from_slice(&job.ancestors);
        self.root_dev = job.root_dev;
        while let Some(l) = self.levels.pop() {
            self.recycle(l);
        }
        let base = job.parent.as_fd();
        if !self.enter(base, job.name_at, job.dtype, job.ino, false, None, f) {
            return false;
        }
        self.run(base, f, Some(team))
    }

    #[allow(clippy::too_many_arguments)]
    fn entry<'w>(
        &'w self,
        parent: BorrowedFd<'w>,
        fd: Option<BorrowedFd<'w>>,
        name_at: usize,
        depth: usize,
        dtype: u8,
        ino: u64,
        follow: bool,
        stat: Option<Stat>,
    ) -> Entry<'w> {
        Entry {
            path: &self.path,
            name_at,
            parent,
            fd,
            depth: self.depth0 + depth,
            dtype,
            ino,
            follow,
            other_device: false,
            stat,
        }
    }

    fn recycle(&mut self, mut l: Level) {
        l.kids.clear();
        self.spare.push(std::mem::take(&mut l.kids));
    }

    /// The descriptor of the directory holding level `k`'s entries' parent: the base for 0.
    fn parent_fd<'a>(&'a self, base: BorrowedFd<'a>, k: usize) -> Option<BorrowedFd<'a>> {
        if k == 0 {
            Some(base)
        } else {
            self.levels[k - 1].fd.as_deref().map(|f| f.as_fd())
        }
    }

    /// Opens the directory whose path is in `self.path` (name from `name_at`), relative to
    /// `parent`, and visits it (Pre, then Children). Returns false on Stop.
    #[allow(clippy::too_many_arguments)]
    fn enter(
        &mut self,
        base: BorrowedFd,
        name_at: usize,
        dtype: u8,
        ino: u64,
        follow: bool,
        known: Option<Stat>,
        f: &mut Visitor,
    ) -> bool {
        let depth = self.levels.len();
        let parent = self
            .parent_fd(base, depth)
            .unwrap_or_else(|| unreachable!("the current level is open"));
        let name = &self.path[name_at..];
        let dfd = match dir::open_dir(parent, name, follow) {
            Ok(d) => d,
            Err(e) => {
                let code = e.raw_os_error();
                // A directory replaced by something else (a symlink) since it was listed: visit
                // what is there now, without following it.
                if !follow && (code == Some(libc::ELOOP) || code == Some(libc::ENOTDIR)) {
                    if let Ok(st) = fd::fstatat(parent, name, libc::AT_SYMLINK_NOFOLLOW) {
                        if !is_dir_mode(&st) {
                            let mut ent = self.entry(
                                parent,
                                None,
                                name_at,
                                depth,
                                dtype,
                                ino,
                                follow,
                                Some(st),
                            );
                            return f.visit(&mut ent, Visit::Leaf) != Action::Stop;
                        }
                    }
                }
                let mut ent = self.entry(parent, None, name_at, depth, dtype, ino, follow, known);
                return f.visit(&mut ent, Visit::Error(Op::Open, e)) != Action::Stop;
            }
        };
        let st = match fd::fstat(dfd.as_fd()) {
            Ok(st) => st,
            Err(e) => {
                let mut ent = self.entry(parent, None, name_at, depth, dtype, ino, follow, known);
                return f.visit(&mut ent, Visit::Error(Op::Stat, e)) != Action::Stop;
            }
        };
        if let Some(k) = &known {
            if (k.st_dev, k.st_ino) != (st.st_dev, st.st_ino) {
                let e = io::Error::other("directory changed during the walk");
                let mut ent = self.entry(parent, None, name_at, depth, dtype, ino, follow, known);
                return f.visit(&mut ent, Visit::Error(Op::Open, e)) != Action::Stop;
            }
        }
        let id = (st.st_dev, st.st_ino);
        if self.levels.iter().any(|l| (l.st.st_dev, l.st.st_ino) == id)
            || self.ancestors.contains(&id)
        {
            let e = io::Error::from_raw_os_error(libc::ELOOP);
            let mut ent = self.entry(parent, None, name_at, depth, dtype, ino, follow, Some(st));
            return f.visit(&mut ent, Visit::Error(Op::Loop, e)) != Action::Stop;
        }
        let other_device = self.opts.xdev && st.st_dev != self.root_dev;
        let (join_at, sep) = join_point(&self.path, self.opts.join);
        let kids = self.spare.pop().unwrap_or_default();
        self.levels.push(Level {
            fd: Some(Arc::new(dfd)),
            st,
            path_len: self.path.len(),
            join_at,
            sep,
            name_at,
            dtype,
            ino,
            follow,
            other_device,
            kids,
            pos: 0,
            pending: Vec::new(),
            subdirs: 0,
        });
        self.budget();
        // Pre.
        let a = self.visit_level(base, depth, Visit::Pre, f);
        match a {
            Action::Stop => return false,
            Action::Skip => {
                if let Some(l) = self.levels.pop() {
                    self.recycle(l);
                }
                return true;
            }
            Action::Continue => {}
        }
        if other_device {
            return true;
        }
        // Read the children.
        let lv = self.levels.len() - 1;
        let mut kids = std::mem::take(&mut self.levels[lv].kids);
        kids.clear();
        if self.opts.read {
            let dfd = self.levels[lv]
                .fd
                .as_ref()
                .unwrap_or_else(|| unreachable!("the current level is open"));
            let dots = self.opts.dots;
            let r = dir::read_dir(dfd.as_fd(), &mut self.dents, |e| {
                if dots || !dir::is_dot_or_dotdot(e.name) {
                    kids.push(e.name, e.dtype, e.ino);
                }
            });
            if let Err(e) = r {
                kids.error = Some(e);
            }
            self.seen += kids.len();
            self.levels[lv].subdirs = kids.kids.iter().filter(|k| k.dtype == libc::DT_DIR).count();
        }
        kids.order(self.opts.order);
        let a = self.visit_level(base, depth, Visit::Children(&mut kids), f);
        let err = kids.error.take();
        if a == Action::Skip {
            kids.kids.clear();
        }
        self.levels[lv].kids = kids;
        if a == Action::Stop {
            return false;
        }
        if let Some(e) = err {
            if self.visit_level(base, depth, Visit::Error(Op::Read, e), f) == Action::Stop {
                return false;
            }
        }
        true
    }

    /// Closes the shallowest open directories beyond the budget.
    fn budget(&mut self) {
        let max = self.opts.max_open.max(2);
        while self.levels.len() - self.lowest_open > max {
            self.levels[self.lowest_open].fd = None;
            self.lowest_open += 1;
        }
        self.peak_open = self.peak_open.max(self.levels.len() - self.lowest_open);
    }

    /// Visits level `k` itself (Pre, Children, Post, or an error about it).
    fn visit_level(&mut self, base: BorrowedFd, k: usize, v: Visit, f: &mut Visitor) -> Action {
        self.path.truncate(self.levels[k].path_len);
        let parent = self
            .parent_fd(base, k)
            .unwrap_or_else(|| unreachable!("the parent is open"));
        let l = &self.levels[k];
        let mut ent = Entry {
            path: &self.path,
            name_at: l.name_at,
            parent,
            fd: l.fd.as_deref().map(|d| d.as_fd()),
            depth: self.depth0 + k,
            dtype: l.dtype,
            ino: l.ino,
            follow: l.follow,
            other_device: l.other_device,
            stat: Some(l.st),
        };
        f.visit(&mut ent, v)
    }

    /// Reopens level `k` as `..` of level `k + 1`, checking it is the same directory.
    fn reopen(&mut self, base: BorrowedFd, k: usize) -> io::Result<()> {
        let c = &self.levels[k + 1];
        let child =
            c.fd.as_ref()
                .unwrap_or_else(|| unreachable!("the child is open"));
        // `..` of a directory reached through a symlink is its physical parent, not the
        // directory the walk came from: that one is reopened by its whole name (symlinks are
        // followed below the roots only in a walk of one thread, whose paths start at `base`).
        let d = if c.follow && c.dtype != libc::DT_DIR {
            dir::open_dir(base, &self.path[..self.levels[k].path_len], true)?
        } else {
            dir::open_dir(child.as_fd(), b"..", false)?
        };
        let st = fd::fstat(d.as_fd())?;
        let want = &self.levels[k].st;
        if (st.st_dev, st.st_ino) != (want.st_dev, want.st_ino) {
            return Err(io::Error::other("directory moved during the walk"));
        }
        self.levels[k].fd = Some(Arc::new(d));
        self.lowest_open = k;
        Ok(())
    }

    fn run(&mut self, base: BorrowedFd, f: &mut Visitor, par: Option<Team>) -> bool {
        while let Some(k) = self.levels.len().checked_sub(1) {
            let l = &mut self.levels[k];
            if l.pos < l.kids.len() {
                let kid = l.kids.kids[l.pos];
                l.pos += 1;
                let name = &l.kids.arena[kid.off as usize..(kid.off + kid.len) as usize];
                if dir::is_dot_or_dotdot(name) {
                    continue;
                }
                // The child's path.
                let (join_at, sep) = (l.join_at, l.sep);
                self.path.truncate(join_at);
                if sep {
                    self.path.push(b'/');
                }
                let name_at = self.path.len();
                let l = &self.levels[k];
                self.path.extend_from_slice(
                    &l.kids.arena[kid.off as usize..(kid.off + kid.len) as usize],
                );
                if !self.child(base, name_at, kid.dtype, kid.ino, f, par) {
                    return false;
                }
            } else {
                if !l.pending.is_empty() {
                    let pending = std::mem::take(&mut l.pending);
                    self.join(&pending, self.depth0 + k + 1, f, par);
                }
                // Post: the parent must be open for it.
                if k > 0 && self.levels[k - 1].fd.is_none() {
                    if let Err(e) = self.reopen(base, k - 1) {
                        // Reported on `DIR/..` relative to DIR's descriptor: the ancestor has no
                        // descriptor to name it from any more.
                        let l = &self.levels[k];
                        self.path.truncate(l.path_len);
                        self.path.extend_from_slice(b"/..");
                        let mut ent = Entry {
                            path: &self.path,
                            name_at: l.path_len + 1,
                            parent: l
                                .fd
                                .as_ref()
                                .unwrap_or_else(|| unreachable!("the current level is open"))
                                .as_fd(),
                            fd: None,
                            depth: self.depth0 + k + 1,
                            dtype: libc::DT_DIR,
                            ino: 0,
                            follow: false,
                            other_device: false,
                            stat: None,
                        };
                        let a = f.visit(&mut ent, Visit::Error(Op::Parent, e));
                        while let Some(l) = self.levels.pop() {
                            self.settle(&l, f, par);
                            self.recycle(l);
                        }
                        return a != Action::Stop;
                    }
                }
                let a = self.visit_level(base, k, Visit::Post, f);
                if let Some(l) = self.levels.pop() {
                    self.recycle(l);
                }
                if a == Action::Stop {
                    return false;
                }
            }
        }
        true
    }

    /// A child of the current level, its path in `self.path`.
    fn child(
        &mut self,
        base: BorrowedFd,
        name_at: usize,
        dtype: u8,
        ino: u64,
        f: &mut Visitor,
        par: Option<Team>,
    ) -> bool {
        let depth = self.levels.len();
        let follow = self.follows_at(self.depth0 + depth);
        if dtype == libc::DT_DIR && !follow {
            if let Some(p) = par.filter(|t| self.helper_wanted(t)) {
                if let Some(id) = self.hand_over(p.par, name_at, dtype, ino) {
                    self.levels[depth - 1].pending.push(id);
                    f.handed(id);
                    return true;
                }
            }
        }
        let parent = self.levels[depth - 1]
            .fd
            .as_deref()
            .unwrap_or_else(|| unreachable!("the current level is open"))
            .as_fd();
        let mut known = None;
        let is_dir = match dtype {
            libc::DT_DIR => true,
            libc::DT_LNK | libc::DT_UNKNOWN if follow || dtype == libc::DT_UNKNOWN => {
                let name = &self.path[name_at..];
                let fl = if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
                // A symlink followed below the roots: the kernel's limit on the symlinks in
                // one name applies to the whole path, as for GNU's -L walks, which resolve
                // whole names (du -L on a chain of 400 linked directories: ELOOP at the 41st).
                let looped = if follow && dtype == libc::DT_LNK {
                    fd::fstatat(base, &self.path, 0)
                        .err()
                        .filter(|e| e.raw_os_error() == Some(libc::ELOOP))
                } else {
                    None
                };
                let whole = looped.is_some();
                match looped.map_or_else(|| fd::fstatat(parent, name, fl), Err) {
                    Ok(st) => {
                        known = Some(st);
                        is_dir_mode(&st)
                    }
                    Err(e) => {
                        // A dangling symlink followed is the symlink itself.
                        let dangling = if follow && !whole {
                            fd::fstatat(parent, name, libc::AT_SYMLINK_NOFOLLOW)
                                .ok()
                                .filter(|st| st.st_mode & libc::S_IFMT == libc::S_IFLNK)
                        } else {
                            None
                        };
                        let mut ent =
                            self.entry(parent, None, name_at, depth, dtype, ino, false, None);
                        let a = match dangling {
                            Some(st) => {
                                ent.stat = Some(st);
                                f.visit(&mut ent, Visit::Leaf)
                            }
                            None => f.visit(&mut ent, Visit::Error(Op::Stat, e)),
                        };
                        return a != Action::Stop;
                    }
                }
            }
            _ => false,
        };
        if !is_dir {
            let mut ent = self.entry(parent, None, name_at, depth, dtype, ino, follow, known);
            return f.visit(&mut ent, Visit::Leaf) != Action::Stop;
        }
        self.enter(base, name_at, dtype, ino, follow, known, f)
    }
}

// ---- Split walks: two threads ----

/// The result of a subtree walked by a [`Split`] walk: its part, its messages, its status.
type Done = Box<dyn Any + Send>;

/// A visitor whose result does not depend on the order subtrees are walked in (`rm -rf`,
/// `du -s`, `chmod -R` without `-v`), so [`walk_split`] may walk subdirectories on a second
/// thread. Each subtree gets its own [`Split::Part`] (what the visitor's closure would keep
/// across visits) and its own [`Ctx`] whose messages are kept and printed in walk order; a
/// finished subtree's part is [`Split::join`]ed into its parent's part before the parent's
/// `Post` visit. Nothing may be written to standard output from a visit.
pub trait Split: Sync {
    type Part: Send + 'static;
    /// A fresh part for a subtree whose root is at `depth` (0: the walk's root).
    fn part(&self, depth: usize) -> Self::Part;
    fn visit(&self, ctx: &mut Ctx, part: &mut Self::Part, e: &mut Entry, v: Visit) -> Action;
    /// Folds the part of a finished subtree rooted at `depth` into `into` (the walker is at
    /// the subtree's parent, before its `Post`).
    fn join(&self, into: &mut Self::Part, sub: Self::Part, depth: usize);
}

/// A subtree handed to the other thread: a directory named relative to its parent's descriptor.
struct Job {
    id: u64,
    parent: Arc<OwnedFd>,
    path: Vec<u8>,
    name_at: usize,
    depth: usize,
    dtype: u8,
    ino: u64,
    ancestors: Vec<(u64, u64)>,
    root_dev: u64,
}

#[derive(Default)]
struct PoolState {
    queue: VecDeque<Job>,
    done: Vec<(u64, Done)>,
    idle: usize,
    quit: bool,
    next: u64,
}

type Runner<'a> = dyn Fn(&Par, &Job, &mut Walker) -> Done + Sync + 'a;

/// What the two threads of a split walk share: a queue of at most one subtree waiting, the
/// results of finished ones, how many threads are idle.
struct Par<'a> {
    st: Mutex<PoolState>,
    cv: Condvar,
    /// `PoolState::queue`'s length, readable without the lock on every subdirectory.
    queued: AtomicUsize,
    /// The second thread was started.
    started: AtomicBool,
    run: &'a Runner<'a>,
}

/// How many walkers may wait on top of each other on one thread (each holds its buffers).
const MAX_NEST: usize = 16;

impl Par<'_> {
    fn lock(&self) -> MutexGuard<'_, PoolState> {
        self.st.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Nothing is queued: a subdirectory is worth handing over (the other thread takes it
    /// whenever it can; if it cannot before this one is done with the rest, this one takes it
    /// back).
    fn wants_work(&self) -> bool {
        self.queued.load(Mem::Relaxed) == 0
    }

    fn offer(&self, mut job: Job) -> Option<u64> {
        let mut st = self.lock();
        if !st.queue.is_empty() || st.quit {
            return None;
        }
        st.next += 1;
        job.id = st.next;
        st.queue.push_back(job);
        self.queued.store(st.queue.len(), Mem::Relaxed);
        if st.idle > 0 {
            self.cv.notify_all();
        }
        Some(st.next)
    }

    fn sleep<'g>(&self, mut st: MutexGuard<'g, PoolState>) -> MutexGuard<'g, PoolState> {
        st.idle += 1;
        st = self.cv.wait(st).unwrap_or_else(|e| e.into_inner());
        st.idle -= 1;
        st
    }

    fn finished(&self, id: u64, r: Done) {
        let mut st = self.lock();
        st.done.push((id, r));
        self.cv.notify_all();
    }

    /// The result of subtree `id`: taken back and walked here if still queued; otherwise,
    /// while the other thread walks it, other queued subtrees are walked here (on `w`).
    fn wait(&self, id: u64, w: &mut Walker) -> Done {
        let mut st = self.lock();
        loop {
            if let Some(i) = st.done.iter().position(|d| d.0 == id) {
                return st.done.swap_remove(i).1;
            }
            let pick = match st.queue.iter().position(|j| j.id == id) {
                Some(i) => st.queue.remove(i),
                None if w.nest < MAX_NEST => st.queue.pop_front(),
                None => None,
            };
            self.queued.store(st.queue.len(), Mem::Relaxed);
            match pick {
                Some(job) => {
                    drop(st);
                    let r = (self.run)(self, &job, w);
                    if job.id == id {
                        return r;
                    }
                    self.finished(job.id, r);
                    st = self.lock();
                }
                None => st = self.sleep(st),
            }
        }
    }

    /// The second thread: walks queued subtrees until the walk is over.
    fn helper(&self, opts: Options) {
        let mut w = Walker::new(opts);
        let mut st = self.lock();
        loop {
            if st.quit {
                return;
            }
            let pick = st.queue.pop_front();
            self.queued.store(st.queue.len(), Mem::Relaxed);
            match pick {
                Some(job) => {
                    drop(st);
                    let r = (self.run)(self, &job, &mut w);
                    self.finished(job.id, r);
                    st = self.lock();
                }
                None => st = self.sleep(st),
            }
        }
    }

    fn quit(&self) {
        let mut st = self.lock();
        st.quit = true;
        // Subtrees never walked (a visit said Stop): whoever waits for them gets nothing.
        while let Some(job) = st.queue.pop_front() {
            st.done.push((job.id, Box::new(())));
        }
        self.queued.store(0, Mem::Relaxed);
        self.cv.notify_all();
    }
}

/// What a walker of a split walk is given: the shared state, and on the first thread until the
/// second one runs, how to start it.
#[derive(Clone, Copy)]
struct Team<'t> {
    par: &'t Par<'t>,
    start: Option<&'t (dyn Fn() + 't)>,
    /// Start the second thread even if no CPU looks idle (RBOX_WALK_THREADS=2, tests).
    always: bool,
}

/// RBOX_WALK_THREADS: `1` never starts a second thread, `2` starts one whenever the walk is
/// big enough, unset only when a CPU looks idle.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Threads {
    One,
    Two,
    Auto,
}

/// Entries read before a second thread is worth its start (~0.1-0.3 ms: a small tree is
/// removed or summed in less), unless a directory holds this many subdirectories.
const START_AFTER: usize = 300;
const START_SUBDIRS: usize = 8;
/// Entries read before asking again when no CPU was idle (~2 ms of a walk; /proc/loadavg's
/// read costs ~10 µs).
const ASK_AGAIN: usize = 1000;

impl Walker {
    /// Whether to hand a subdirectory over now: the other thread is idle. Starts it when the
    /// walk has shown itself big enough.
    fn helper_wanted(&mut self, t: &Team) -> bool {
        if let Some(start) = t.start {
            if !t.par.started.load(Mem::Relaxed) {
                let subdirs = self.levels.last().map_or(0, |l| l.subdirs);
                let first = self.ask_at == START_AFTER;
                if self.seen >= self.ask_at || (first && subdirs >= START_SUBDIRS) {
                    // On a busy machine a second thread waits for a CPU and the walk for it.
                    // (Asked even when `always`: benches/startup-order.sh walks with
                    // RBOX_WALK_THREADS=2 and places the code it runs.) A busy CPU is asked
                    // about again later: what kept it busy is often a process started with
                    // ours (the reader at the other end of `du | sort`) and soon asleep.
                    if super::sys::process::idle_cpu() || t.always {
                        t.par.started.store(true, Mem::Relaxed);
                        start();
                    } else {
                        self.ask_at = self.seen + ASK_AGAIN;
                    }
                }
                return false;
            }
        }
        t.par.wants_work()
    }

    /// Hands the child directory at `self.path[name_at..]` of the current level to the other
    /// thread.
    fn hand_over(&mut self, p: &Par, name_at: usize, dtype: u8, ino: u64) -> Option<u64> {
        let l = self.levels.last()?;
        let parent = Arc::clone(l.fd.as_ref()?);
        let mut ancestors = self.ancestors.clone();
        ancestors.extend(self.levels.iter().map(|l| (l.st.st_dev, l.st.st_ino)));
        p.offer(Job {
            id: 0,
            parent,
            path: self.path.clone(),
            name_at,
            depth: self.depth0 + self.levels.len(),
            dtype,
            ino,
            ancestors,
            root_dev: self.root_dev,
        })
    }

    /// Waits for the subtrees in `ids` (children at `depth`) and gives their results to `f`.
    fn join(&mut self, ids: &[u64], depth: usize, f: &mut Visitor, par: Option<Team>) {
        let Some(Team { par: p, .. }) = par else {
            return;
        };
        let nest = self.nest + 1;
        let opts = self.opts;
        let w = self.nested.get_or_insert_with(|| {
            let mut w = Walker::new(opts);
            w.nest = nest;
            Box::new(w)
        });
        for &id in ids {
            let r = p.wait(id, w);
            f.joined(id, depth, r);
        }
    }

    /// Joins what a level abandoned by the walk still has on the other thread.
    fn settle(&mut self, l: &Level, f: &mut Visitor, par: Option<Team>) {
        if !l.pending.is_empty() {
            let d = self.depth0 + self.levels.len() + 1;
            self.join(&l.pending, d, f, par);
        }
    }
}

/// The visitor of one subtree of a split walk: the applet's visit with the subtree's part and
/// a [`Ctx`] keeping its messages; `holes` are where handed-over subtrees' messages go.
struct Sub<'s, S: Split> {
    s: &'s S,
    ctx: Ctx,
    part: S::Part,
    holes: Vec<(u64, usize)>,
}

impl<S: Split> Visits for Sub<'_, S> {
    fn visit(&mut self, e: &mut Entry, v: Visit) -> Action {
        self.s.visit(&mut self.ctx, &mut self.part, e, v)
    }

    fn handed(&mut self, id: u64) {
        let at = self.ctx.kept_len();
        self.holes.push((id, at));
    }

    fn joined(&mut self, id: u64, depth: usize, r: Done) {
        let Ok(r) = r.downcast::<(S::Part, Vec<u8>, i32)>() else {
            return;
        };
        let (part, msgs, status) = *r;
        self.s.join(&mut self.part, part, depth);
        if status != 0 {
            self.ctx.fail(status);
        }
        let Some(i) = self.holes.iter().position(|h| h.0 == id) else {
            return;
        };
        let (_, at) = self.holes.remove(i);
        if msgs.is_empty() {
            return;
        }
        self.ctx.keep_at(at, &msgs);
        // Holes made later at the same place, or after it, move with the text.
        for h in &mut self.holes {
            if h.1 > at || (h.1 == at && h.0 > id) {
                h.1 += msgs.len();
            }
        }
    }
}

/// Walks `root` (relative to `base`) with `s` as the visitor: on this thread only unless
/// `split`, else also on one more thread, which takes whole subdirectories whenever it is idle
/// (each directory is still opened relative to its parent's descriptor, O_NOFOLLOW). Messages
/// of a split walk are printed in walk order when the walk is over; statuses go to `ctx`.
/// Returns the root's part and false if a visit said [`Action::Stop`].
pub fn walk_split<S: Split>(
    w: &mut Walker,
    ctx: &mut Ctx,
    base: BorrowedFd,
    root: &[u8],
    s: &S,
    split: bool,
) -> (S::Part, bool) {
    let threads = std::env::var_os("RBOX_WALK_THREADS");
    let threads = match threads.as_ref().map(|t| t.as_encoded_bytes()) {
        Some(b"1") => Threads::One,
        Some(b"2") => Threads::Two,
        _ => Threads::Auto,
    };
    if !split || threads == Threads::One {
        let mut part = s.part(0);
        let ok = w.walk(base, root, |e, v| s.visit(ctx, &mut part, e, v));
        return (part, ok);
    }
    let (part, ok, mut sub) = walk_two(w, ctx.name, base, root, s, threads == Threads::Two);
    let msgs = sub.take_kept();
    if !msgs.is_empty() {
        let _ = ctx.out.flush();
        let _ = super::io::write_all(super::io::stderr_fd(), &msgs);
    }
    if sub.out.pending() > 0 {
        // The root's own lines (du -s): after the messages, as when they were written.
        // Appended, not written: a write error shows when the caller flushes, as it would have.
        let out = std::mem::take(sub.out.buf_mut());
        ctx.out.buf_mut().extend_from_slice(&out);
    }
    if sub.status != 0 {
        ctx.fail(sub.status);
    }
    (part, ok)
}

/// The split walk itself: the root's part, false on Stop, and the context that kept the
/// messages, output and status.
fn walk_two<S: Split>(
    w: &mut Walker,
    name: &'static str,
    base: BorrowedFd,
    root: &[u8],
    s: &S,
    always: bool,
) -> (S::Part, bool, Ctx) {
    let part = s.part(0);
    let run = move |p: &Par, job: &Job, w: &mut Walker| -> Done {
        let mut sub = Sub {
            s,
            ctx: Ctx::keeping(name),
            part: s.part(job.depth),
            holes: Vec::new(),
        };
        if !w.walk_job(job, &mut sub, p) {
            p.quit();
        }
        let msgs = sub.ctx.take_kept();
        Box::new((sub.part, msgs, sub.ctx.status))
    };
    let par = Par {
        st: Mutex::new(PoolState::default()),
        cv: Condvar::new(),
        queued: AtomicUsize::new(0),
        started: AtomicBool::new(false),
        run: &run,
    };
    let opts = w.opts;
    let mut sub = Sub {
        s,
        ctx: Ctx::keeping(name),
        part,
        holes: Vec::new(),
    };
    // While two threads walk, each keeps to its own CPU (restored when the walk is over).
    let pinned = std::cell::Cell::new(None);
    let ok = std::thread::scope(|sc| {
        let par = &par;
        let pinned = &pinned;
        let start = || {
            let cpu = super::sys::process::current_cpu();
            let spawned = std::thread::Builder::new().spawn_scoped(sc, move || {
                if let Some(c) = cpu {
                    super::sys::process::keep_off_cpu(c);
                }
                par.helper(opts)
            });
            if spawned.is_err() {
                // No second thread: the walk goes on alone (the other thread is never idle).
                par.lock().quit = true;
            } else {
                // After the spawn: the new thread takes its creator's CPUs as it starts.
                pinned.set(cpu.and_then(super::sys::process::pin_to));
            }
        };
        let team = Team {
            par,
            start: Some(&start),
            always,
        };
        let ok = w.walk_dyn(base, root, &mut sub, Some(team));
        par.quit();
        ok
    });
    drop(pinned);
    (sub.part, ok, sub.ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::sys::fd::cwd;
    use std::os::unix::ffi::OsStrExt;
    use std::path::{Path, PathBuf};

    struct Tmp(PathBuf);
    impl Tmp {
        fn new(tag: &str) -> Tmp {
            let p = std::env::temp_dir().join(format!("rbox-walk-{}-{tag}", std::process::id()));
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(&p).unwrap();
            Tmp(p)
        }
        fn b(&self) -> &[u8] {
            self.0.as_os_str().as_bytes()
        }
        fn mk(&self, rel: &str) {
            let p = self.0.join(rel);
            if rel.ends_with('/') {
                std::fs::create_dir_all(p).unwrap();
            } else {
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, b"data").unwrap();
            }
        }
    }
    impl Drop for Tmp {
        fn drop(&mut self) {
            let _ = std::process::Command::new("chmod")
                .arg("-R")
                .arg("u+rwx")
                .arg(&self.0)
                .status();
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// Events as strings: "pre a", "post a", "leaf a/b", "err:Op a"; paths relative to the root.
    fn events(w: &mut Walker, root: &Path) -> Vec<String> {
        let rb = root.as_os_str().as_bytes();
        let mut v = Vec::new();
        w.walk(cwd(), rb, |e, vis| {
            let p = String::from_utf8_lossy(&e.path()[rb.len()..]).into_owned();
            let p = if p.is_empty() {
                ".".to_string()
            } else {
                p[1..].to_string()
            };
            match vis {
                Visit::Pre => v.push(format!("pre {p}")),
                Visit::Post => v.push(format!("post {p}")),
                Visit::Leaf => v.push(format!("leaf {p}")),
                Visit::Children(_) => {}
                Visit::Error(op, _) => v.push(format!("err:{op:?} {p}")),
            }
            Action::Continue
        });
        v
    }

    fn tree() -> Tmp {
        let t = Tmp::new("tree");
        for p in ["b/y", "b/x", "a", "c/", "b/z/q"] {
            t.mk(p);
        }
        t
    }

    #[test]
    fn pre_post_sorted() {
        let t = tree();
        let mut w = Walker::new(Options::default());
        assert_eq!(
            events(&mut w, &t.0),
            [
                "pre .",
                "leaf a",
                "pre b",
                "leaf b/x",
                "leaf b/y",
                "pre b/z",
                "leaf b/z/q",
                "post b/z",
                "post b",
                "pre c",
                "post c",
                "post ."
            ]
        );
        // Reverse order by a comparator.
        w.opts.order = Order::By(|a, b| b.name.cmp(a.name));
        let ev = events(&mut w, &t.0);
        assert_eq!(ev[1], "pre c");
        assert_eq!(ev.last().unwrap(), "post .");
        // Raw order: the same set.
        w.opts.order = Order::Raw;
        let mut raw = events(&mut w, &t.0);
        raw.sort();
        w.opts.order = Order::Name;
        let mut sorted = events(&mut w, &t.0);
        sorted.sort();
        assert_eq!(raw, sorted);
    }

    #[test]
    fn skip_select_stop_and_entries() {
        let t = tree();
        let mut w = Walker::new(Options::default());
        let mut seen = Vec::new();
        w.walk(cwd(), t.b(), |e, v| {
            if let Visit::Pre = v {
                assert!(e.fd().is_some());
                assert!(e.stat().is_ok_and(is_dir_mode));
                if e.name() == b"b" {
                    return Action::Skip;
                }
            }
            if let Visit::Leaf = v {
                assert_eq!(e.dtype(), libc::DT_REG);
                assert_eq!(e.stat().unwrap().st_size, 4);
                // The name works relative to the parent descriptor.
                assert!(fd::fstatat(e.parent(), e.name(), 0).is_ok());
            }
            seen.push(String::from_utf8_lossy(e.name()).into_owned());
            Action::Continue
        });
        assert!(!seen.iter().any(|s| s == "x" || s == "y"));
        assert!(seen.iter().any(|s| s == "c"));
        // Children: keep only "c".
        let mut ev = Vec::new();
        w.walk(cwd(), t.b(), |e, v| {
            if let Visit::Children(k) = v {
                if e.depth() == 0 {
                    assert_eq!(
                        k.iter().map(|k| k.name).collect::<Vec<_>>(),
                        [&b"a"[..], b"b", b"c"]
                    );
                    k.select(&[2]);
                }
            } else {
                ev.push(String::from_utf8_lossy(e.name()).into_owned());
            }
            Action::Continue
        });
        assert_eq!(ev.len(), 4); // pre root, pre c, post c, post root
                                 // Stop.
        let mut n = 0;
        assert!(!w.walk(cwd(), t.b(), |_, _| {
            n += 1;
            if n == 3 {
                Action::Stop
            } else {
                Action::Continue
            }
        }));
        assert_eq!(n, 3);
        // A root that is a file, a missing root.
        let f = t.0.join("a");
        assert_eq!(events(&mut w, &f), ["leaf ."]);
        let m = t.0.join("nope");
        assert_eq!(events(&mut w, &m), ["err:Stat ."]);
    }

    #[test]
    fn visitor_reads_and_pushes() {
        let t = tree();
        let mut w = Walker::new(Options {
            read: false,
            ..Options::default()
        });
        let mut ev = Vec::new();
        w.walk(cwd(), t.b(), |e, v| {
            match v {
                Visit::Children(k) => {
                    assert!(k.is_empty());
                    if e.depth() == 0 {
                        k.push(b"b", libc::DT_DIR, 0);
                        k.push(b"a", libc::DT_UNKNOWN, 0);
                    }
                }
                _ => ev.push(String::from_utf8_lossy(e.name()).into_owned()),
            }
            Action::Continue
        });
        assert_eq!(ev[1..4], ["b", "b", "a"]);
        assert_eq!(ev.len(), 5);
    }

    #[test]
    fn dots_and_join() {
        let t = tree();
        let mut w = Walker::new(Options {
            dots: true,
            join: Join::Gnulib,
            ..Options::default()
        });
        let mut root = t.b().to_vec();
        root.extend_from_slice(b"//");
        let mut paths = Vec::new();
        let mut had_dots = false;
        w.walk(cwd(), &root, |e, v| {
            if let Visit::Children(k) = v {
                had_dots |= k.iter().any(|k| k.name == b"..");
            } else if e.depth() == 1 {
                paths.push(e.path().to_vec());
            }
            Action::Continue
        });
        assert!(had_dots);
        let mut want = t.b().to_vec();
        want.extend_from_slice(b"/a");
        assert_eq!(paths[0], want);
        w.opts.join = Join::Fts;
        paths.clear();
        w.walk(cwd(), &root, |e, _| {
            if e.depth() == 1 {
                paths.push(e.path().to_vec());
            }
            Action::Continue
        });
        let mut want = t.b().to_vec();
        want.extend_from_slice(b"//a");
        assert_eq!(paths[0], want);
    }

    #[test]
    fn symlinks_loops_and_follow() {
        let t = tree();
        std::os::unix::fs::symlink("..", t.0.join("b/up")).unwrap();
        std::os::unix::fs::symlink("b", t.0.join("lb")).unwrap();
        std::os::unix::fs::symlink("missing", t.0.join("dangling")).unwrap();
        let mut w = Walker::new(Options::default());
        let ev = events(&mut w, &t.0);
        assert!(ev.contains(&"leaf b/up".to_string()));
        assert!(ev.contains(&"leaf lb".to_string()));
        w.opts.follow = Follow::All;
        let ev = events(&mut w, &t.0);
        assert!(ev.contains(&"err:Loop b/up".to_string()), "{ev:?}");
        assert!(ev.contains(&"pre lb".to_string()));
        assert!(ev.contains(&"leaf lb/x".to_string()));
        assert!(ev.contains(&"err:Loop lb/up".to_string()));
        assert!(ev.contains(&"leaf dangling".to_string()));
        // Roots only: a root symlink is followed, the ones inside are not.
        w.opts.follow = Follow::Roots;
        let ev = events(&mut w, &t.0.join("lb"));
        assert_eq!(ev[0], "pre .");
        assert!(ev.contains(&"leaf up".to_string()));
        w.opts.follow = Follow::Never;
        assert_eq!(events(&mut w, &t.0.join("lb")), ["leaf ."]);
    }

    #[test]
    fn deep_tree_under_a_small_budget() {
        let t = Tmp::new("deep");
        let mut p = t.0.clone();
        for _ in 0..1000 {
            p.push("d");
        }
        std::fs::create_dir_all(&p).unwrap();
        std::fs::write(p.join("leaf"), b"").unwrap();
        for max in [2, 5] {
            let mut w = Walker::new(Options {
                max_open: max,
                ..Options::default()
            });
            let (mut pre, mut post, mut leaf, mut deepest) = (0, 0, 0, 0);
            let mut errs = Vec::new();
            // rm -r style: remove on the way up, relative to the parent descriptor.
            let ok = w.walk(cwd(), t.b(), |e, v| {
                match v {
                    Visit::Pre => pre += 1,
                    Visit::Post => {
                        post += 1;
                        assert!(
                            fd::fstatat(e.parent(), e.name(), libc::AT_SYMLINK_NOFOLLOW).is_ok()
                        );
                    }
                    Visit::Leaf => {
                        leaf += 1;
                        deepest = e.depth();
                    }
                    Visit::Error(op, err) => errs.push(format!("{op:?} {err}")),
                    _ => {}
                }
                Action::Continue
            });
            assert!(ok);
            assert!(errs.is_empty(), "{errs:?}");
            assert_eq!((pre, post, leaf, deepest), (1001, 1001, 1, 1001));
            assert!(w.peak_open() <= max, "{} > {max}", w.peak_open());
        }
    }

    #[test]
    fn moved_ancestor_is_reported() {
        let t = Tmp::new("moved");
        t.mk("a/b/c/d/e/f");
        let mut w = Walker::new(Options {
            max_open: 2,
            ..Options::default()
        });
        let mut errs = Vec::new();
        let root = t.0.clone();
        w.walk(cwd(), t.b(), |e, v| {
            if let Visit::Pre = v {
                if e.name() == b"e" {
                    // Move a/b away while the walk is below it (its descriptor is closed).
                    std::fs::rename(root.join("a/b"), root.join("moved")).unwrap();
                    std::fs::rename(root.join("moved/c"), root.join("a/b")).unwrap();
                }
            }
            if let Visit::Error(op, _) = v {
                errs.push(op);
            }
            Action::Continue
        });
        assert_eq!(errs, [Op::Parent]);
    }

    #[test]
    fn swapped_dir_not_followed() {
        let t = Tmp::new("swap");
        t.mk("a/inner/f");
        t.mk("outside/secret");
        let mut w = Walker::new(Options::default());
        let root = t.0.clone();
        let mut ev = Vec::new();
        w.walk(cwd(), t.b(), |e, v| {
            if let Visit::Children(_) = v {
                if e.name() == b"a" {
                    // After `a` was listed: its child directory becomes a symlink elsewhere.
                    std::fs::remove_dir_all(root.join("a/inner")).unwrap();
                    std::os::unix::fs::symlink(root.join("outside"), root.join("a/inner")).unwrap();
                }
            } else {
                ev.push(format!(
                    "{:?} {}",
                    std::mem::discriminant(&v),
                    String::from_utf8_lossy(e.name())
                ));
                if e.name() == b"inner" {
                    assert!(matches!(v, Visit::Leaf));
                    assert_eq!(e.stat().unwrap().st_mode & libc::S_IFMT, libc::S_IFLNK);
                }
                assert!(!e.path().ends_with(b"inner/secret"));
            }
            Action::Continue
        });
        assert!(ev.iter().any(|s| s.ends_with(" inner")));
    }

    #[test]
    fn unreadable_dirs_are_errors_when_not_root() {
        // SAFETY-free check of the effective uid through /proc: root reads everything.
        let uid = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("Uid:"))
                    .and_then(|l| l.split_whitespace().nth(2).map(|x| x.to_string()))
            });
        if uid.as_deref() == Some("0") {
            eprintln!("skipped: running as root");
            return;
        }
        let t = tree();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(t.0.join("b"), std::fs::Permissions::from_mode(0o000)).unwrap();
        let mut w = Walker::new(Options::default());
        let ev = events(&mut w, &t.0);
        assert!(ev.contains(&"err:Open b".to_string()), "{ev:?}");
        assert!(ev.contains(&"pre c".to_string()));
        assert_eq!(ev.last().unwrap(), "post .");
        // Readable but not searchable: listed, children fail to stat/open.
        std::fs::set_permissions(t.0.join("b"), std::fs::Permissions::from_mode(0o400)).unwrap();
        let ev = events(&mut w, &t.0);
        assert!(ev.contains(&"err:Open b/z".to_string()), "{ev:?}");
    }

    /// Counts leaves and says something about some of them: the same from one or two threads.
    struct Count {
        outside: PathBuf,
        swap: Option<PathBuf>,
    }

    #[derive(Default, Debug, PartialEq)]
    struct Counted {
        leaves: usize,
        dirs: usize,
        links: usize,
    }

    impl Split for Count {
        type Part = Counted;
        fn part(&self, _depth: usize) -> Counted {
            Counted::default()
        }
        fn join(&self, into: &mut Counted, sub: Counted, _depth: usize) {
            into.leaves += sub.leaves;
            into.dirs += sub.dirs;
            into.links += sub.links;
        }
        fn visit(&self, ctx: &mut Ctx, p: &mut Counted, e: &mut Entry, v: Visit) -> Action {
            let o = self.outside.as_os_str().as_bytes();
            assert!(!e.path().starts_with(o), "{:?}", e.path());
            match v {
                Visit::Children(_) if e.name() == b"s07" => {
                    if let Some(sw) = &self.swap {
                        // Listed already: the subdirectory becomes a link out of the tree.
                        std::fs::remove_dir_all(sw).unwrap();
                        std::os::unix::fs::symlink(&self.outside, sw).unwrap();
                    }
                }
                Visit::Leaf => {
                    p.leaves += 1;
                    let st = e.stat().unwrap();
                    if st.st_mode & libc::S_IFMT == libc::S_IFLNK {
                        p.links += 1;
                    }
                    if e.name().starts_with(b"f1") {
                        ctx.msg(e.path());
                    }
                }
                Visit::Post => {
                    p.dirs += 1;
                    ctx.msg(e.path());
                }
                _ => {}
            }
            Action::Continue
        }
    }

    fn wide(t: &Tmp) {
        for i in 0..12 {
            for j in 0..20 {
                t.mk(&format!("w/s{i:02}/f{j:02}"));
                if j % 4 == 0 {
                    t.mk(&format!("w/s{i:02}/n{j}/f1x"));
                }
            }
        }
    }

    #[test]
    fn split_walk_gives_what_one_thread_gives_in_the_same_order() {
        let t = Tmp::new("split");
        wide(&t);
        t.mk("out/secret");
        let count = Count {
            outside: t.0.join("out"),
            swap: None,
        };
        let root = t.0.join("w");
        let rb = root.as_os_str().as_bytes();
        let mut one = Ctx::keeping("t");
        let mut w = Walker::new(Options {
            order: Order::Raw,
            ..Options::default()
        });
        let (serial, ok) = walk_split(&mut w, &mut one, cwd(), rb, &count, false);
        assert!(ok);
        assert_eq!(
            (serial.leaves, serial.dirs),
            (12 * 20 + 12 * 5, 1 + 12 + 12 * 5)
        );
        let want = one.take_kept();
        for _ in 0..5 {
            let (two, ok, mut c) = walk_two(&mut w, "t", cwd(), rb, &count, true);
            assert!(ok);
            assert_eq!(two, serial);
            assert_eq!(
                String::from_utf8_lossy(&c.take_kept()),
                String::from_utf8_lossy(&want)
            );
        }
    }

    #[test]
    fn split_walk_does_not_follow_a_swapped_dir() {
        let t = Tmp::new("split-swap");
        wide(&t);
        t.mk("out/secret");
        let count = Count {
            outside: t.0.join("out"),
            swap: Some(t.0.join("w/s07/n4")),
        };
        let root = t.0.join("w");
        let mut w = Walker::new(Options::default());
        let (p, ok, _) = walk_two(
            &mut w,
            "t",
            cwd(),
            root.as_os_str().as_bytes(),
            &count,
            true,
        );
        assert!(ok);
        assert_eq!(p.links, 1);
        assert_eq!(p.dirs, 1 + 12 + 12 * 5 - 1);
        assert!(t.0.join("out/secret").exists());
    }

    // xdev is not tested: it needs a second mounted file system, which a test cannot make
    // without privileges. The check is one comparison of st_dev with the root's.
}
