//! `tar -x` (and `-d`): every name is resolved beneath the target directory — openat2 with
//! RESOLVE_BENEATH for the parent directory (cached between consecutive members), then a
//! single-component *at call with O_NOFOLLOW/O_EXCL for the member itself. Files are opened
//! once (O_CREAT|O_EXCL, unlinking and retrying when something is in the way), written, and
//! given owner, mode and times through the descriptor; directory metadata is applied at the
//! end, deepest first, so restrictive modes and mtimes survive the extraction of their contents.

use crate::common::io::push_fmt;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::rc::Rc;

use super::archive::{padding, DataErr, Reader};
use super::diag::{diag_name, file_error, read_error};
use super::header::{Entry, Kind};
use super::list::Lister;
use super::matching::{Excluder, Selector};
use super::opts::{OldFiles, Opts};
use super::pipeline::{contains_dot_dot, safer_name, strip_components, Msgs};
use super::pipeline::{Action, Member, Pipeline, Rename, Select};
use crate::common::sys::fd::{self as sys, cwd, AsFd, BorrowedFd, OwnedFd, Stat};
use crate::common::sys::fs::{self, Time};
use crate::common::{Ctx, Error, Result};

/// fstatat of `name` in `dir`, not following a final symlink.
fn lstat_at(dir: BorrowedFd, name: &[u8]) -> Option<Stat> {
    sys::fstatat(dir, name, libc::AT_SYMLINK_NOFOLLOW).ok()
}

/// Whether two names (relative to their directory fds, links not followed) are one inode.
fn same_inode(d1: BorrowedFd, n1: &[u8], d2: BorrowedFd, n2: &[u8]) -> bool {
    match (lstat_at(d1, n1), lstat_at(d2, n2)) {
        (Some(a), Some(b)) => (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino),
        _ => false,
    }
}

/// (uname, uid, gname, gid) of the last member and the ids they resolved to.
type IdCache = Option<(Vec<u8>, u64, Vec<u8>, u64, (u32, u32))>;

struct DirMeta {
    /// The directory `path` is relative to, and whether openat2 works beneath it.
    root: Rc<OwnedFd>,
    beneath: bool,
    path: Vec<u8>,
    mode: u32,
    uid: u32,
    gid: u32,
    mtime: i64,
    nsec: u32,
}

pub struct Extractor<'a> {
    o: &'a Opts,
    /// The target directory (O_PATH); shared with the member being extracted, as is the
    /// cached directory, so that dropping the cache never closes a descriptor in use.
    root: Rc<OwnedFd>,
    beneath: bool,
    cache: Option<(Vec<u8>, Rc<OwnedFd>)>,
    /// The cached directory may no longer be what its path names.
    stale: bool,
    /// (set-gid, gid) of the directory the current member goes into, and of the root.
    cache_dir_group: (bool, u32),
    last_ids: IdCache,
    cached_group: (bool, u32),
    root_group: (bool, u32),
    euid: u32,
    egid: u32,
    dirs: Vec<DirMeta>,
    same_owner: bool,
    same_perms: bool,
    umask: u32,
    names: crate::common::fs::Names,
    msgs: Msgs,
    /// Directories made for the member being extracted (with -vv), to be told.
    pub created: Vec<Vec<u8>>,
    /// The `-C`s, each relative to the one before; `roots[k]` is where the first k of them
    /// lead (opened when a member first needs it, as GNU does), `cur` the one in use.
    chdirs: Vec<OsString>,
    roots: Vec<Option<Rc<OwnedFd>>>,
    cur: usize,
    /// For each member operand, how many `-C`s come before it.
    chain: Vec<usize>,
}

/// Open the directory `comp` (one path component) in `at` as an O_PATH descriptor, never
/// through a symlink: with openat2's RESOLVE_BENEATH when the kernel has it, else O_NOFOLLOW.
fn open_component(at: BorrowedFd, comp: &[u8], beneath: bool) -> std::io::Result<OwnedFd> {
    if beneath {
        return fs::open_beneath(at, comp, libc::O_PATH | libc::O_DIRECTORY);
    }
    let fl = libc::O_PATH | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC;
    sys::openat(at, comp, fl, 0)
}

/// (set-gid bit, gid) of a directory: what group a new file in it gets.
fn dir_group(fd: BorrowedFd) -> (bool, u32) {
    match sys::fstat(fd) {
        Ok(st) => (st.st_mode & libc::S_ISGID != 0, st.st_gid),
        // Unknown: force the chown.
        Err(_) => (true, u32::MAX),
    }
}

/// Split `a/b/c` into (`a/b`, `c`).
fn split(name: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memrchr(b'/', name) {
        Some(i) => (&name[..i], &name[i + 1..]),
        None => (b"", name),
    }
}

/// Normalise a member name for the file system: no trailing slashes, no `./` or empty
/// components.
fn clean(name: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len());
    for comp in name.split(|&c| c == b'/') {
        if comp.is_empty() || comp == b"." {
            continue;
        }
        if !out.is_empty() {
            out.push(b'/');
        }
        out.extend_from_slice(comp);
    }
    out
}

enum Place {
    Ok,
    Skip,
}

/// Where the first `k` of the `-C`s lead, each relative to the one before (from `base`, the
/// directory the first j of them lead to, when one is open): GNU's fatal "Cannot open" when one
/// is missing.
fn open_root(
    ctx: &mut Ctx,
    dirs: &[OsString],
    k: usize,
    base: Option<(usize, Rc<OwnedFd>)>,
) -> Result<OwnedFd> {
    let fl = libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC;
    let (start, mut at) = match base {
        Some((j, fd)) => (j, Some(fd)),
        None => (0, None),
    };
    let mut fd: Option<OwnedFd> = None;
    for d in &dirs[start..k] {
        let from = match (&fd, &at) {
            (Some(f), _) => f.as_fd(),
            (None, Some(f)) => f.as_fd(),
            (None, None) => cwd(),
        };
        match sys::openat(from, d.as_bytes(), fl, 0) {
            Ok(f) => fd = Some(f),
            Err(e) => {
                return Err(super::diag::fatal_file(
                    ctx,
                    d.as_bytes(),
                    "Cannot open",
                    &e,
                ));
            }
        }
        at = None;
    }
    match (fd, at) {
        (Some(f), _) => Ok(f),
        (None, Some(f)) => sys::openat(f.as_fd(), b".", fl, 0)
            .map_err(|e| super::diag::fatal_file(ctx, b".", "Cannot open", &e)),
        (None, None) => sys::open(b".", fl, 0)
            .map_err(|e| super::diag::fatal_file(ctx, b".", "Cannot open", &e)),
    }
}

impl<'a> Extractor<'a> {
    fn new(
        ctx: &mut Ctx,
        o: &'a Opts,
        dirs: &[OsString],
        chain: Vec<usize>,
    ) -> Result<Extractor<'a>> {
        // Without operands every member goes where all the -Cs lead; with them, the first
        // operand's directory stands in until a member is selected.
        let first = chain.first().copied().unwrap_or(dirs.len());
        let root = Rc::new(open_root(ctx, dirs, first, None)?);
        let beneath =
            fs::open_beneath(root.as_fd(), b".", libc::O_PATH | libc::O_DIRECTORY).is_ok();
        let umask = crate::common::sys::process::current_umask();
        let root_user = super::update::is_root();
        let root_group = dir_group(root.as_fd());
        let mut roots = vec![None; dirs.len() + 1];
        roots[first] = Some(root.clone());
        Ok(Extractor {
            o,
            root,
            beneath,
            cache: None,
            stale: false,
            cache_dir_group: root_group,
            last_ids: None,
            cached_group: root_group,
            root_group,
            euid: crate::common::sys::user::geteuid(),
            egid: crate::common::sys::user::getegid(),
            dirs: Vec::new(),
            same_owner: o.same_owner.unwrap_or(root_user),
            same_perms: o.same_perms.unwrap_or(root_user),
            umask,
            names: crate::common::fs::Names::new(),
            msgs: Msgs::default(),
            created: Vec::new(),
            chdirs: dirs.to_vec(),
            roots,
            cur: first,
            chain,
        })
    }

    /// Extract the next member where the `-C`s before its operand lead.
    fn use_operand(&mut self, ctx: &mut Ctx, operand: Option<usize>) -> Result<()> {
        let k = operand.map_or(self.chdirs.len(), |i| self.chain[i]);
        if k == self.cur {
            return Ok(());
        }
        let root = match &self.roots[k] {
            Some(fd) => fd.clone(),
            None => {
                // From the nearest directory already open on the way.
                let from = (0..k).rev().find(|&j| self.roots[j].is_some());
                let base = from.and_then(|j| self.roots[j].clone().map(|fd| (j, fd)));
                let fd = Rc::new(open_root(ctx, &self.chdirs, k, base)?);
                self.roots[k] = Some(fd.clone());
                fd
            }
        };
        self.root = root;
        self.cur = k;
        self.beneath =
            fs::open_beneath(self.root.as_fd(), b".", libc::O_PATH | libc::O_DIRECTORY).is_ok();
        self.root_group = dir_group(self.root.as_fd());
        self.cached_group = self.root_group;
        self.cache_dir_group = self.root_group;
        self.cache = None;
        Ok(())
    }

    /// Open `dir` (relative to the root) as an O_PATH directory, beneath the root, creating
    /// missing components.
    fn open_dir(&mut self, dir: &[u8]) -> std::io::Result<Rc<OwnedFd>> {
        if dir.is_empty() {
            self.cache_dir_group = self.root_group;
            return Ok(self.root.clone());
        }
        if self.stale {
            self.cache = None;
            self.stale = false;
        }
        if let Some((p, fd)) = &self.cache {
            if p == dir {
                self.cache_dir_group = self.cached_group;
                return Ok(fd.clone());
            }
        }
        let fd = match self.open_dir_nocreate(dir) {
            Ok(fd) => fd,
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => self.make_dirs(dir)?,
            Err(e) => return Err(e),
        };
        let fd = Rc::new(fd);
        self.cached_group = dir_group(fd.as_fd());
        self.cache = Some((dir.to_vec(), fd.clone()));
        self.cache_dir_group = self.cached_group;
        Ok(fd)
    }

    /// `dir` (not empty) beneath the root, as an O_PATH directory.
    fn open_dir_nocreate(&self, dir: &[u8]) -> std::io::Result<OwnedFd> {
        let fl = libc::O_PATH | libc::O_DIRECTORY;
        if self.beneath {
            return fs::open_beneath(self.root.as_fd(), dir, fl);
        }
        // No openat2: walk the components refusing every symlink.
        fs::open_nofollow_walk(self.root.as_fd(), dir, fl)
    }

    /// Create the missing directories of `dir` (GNU: mode 0777 minus umask), component by
    /// component, each opened beneath its parent.
    fn make_dirs(&mut self, dir: &[u8]) -> std::io::Result<OwnedFd> {
        let mut cur: Option<OwnedFd> = None;
        let mut end = 0;
        for comp in dir.split(|&c| c == b'/') {
            end += comp.len() + (end > 0) as usize;
            let at = cur.as_ref().map_or(self.root.as_fd(), |f| f.as_fd());
            let open = |at| open_component(at, comp, self.beneath);
            let fd = match open(at) {
                Ok(fd) => fd,
                Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {
                    match fs::mkdirat(at, comp, 0o777) {
                        Err(e) if e.raw_os_error() != Some(libc::EEXIST) => return Err(e),
                        Err(_) => {}
                        // -vv tells each directory made on the way (GNU's print_for_mkdir).
                        Ok(()) if self.o.verbose > 1 => self.created.push(dir[..end].to_vec()),
                        Ok(()) => {}
                    }
                    open(at)?
                }
                Err(e) => return Err(e),
            };
            cur = Some(fd);
        }
        cur.ok_or_else(|| std::io::Error::from_raw_os_error(libc::ENOENT))
    }

    /// `open_dir` for a member's parent, reporting a failure against the member.
    fn open_parent(&mut self, ctx: &mut Ctx, name: &[u8], dir: &[u8]) -> Option<Rc<OwnedFd>> {
        let e = match self.open_dir(dir) {
            Ok(fd) => return Some(fd),
            Err(e) => e,
        };
        if e.raw_os_error() == Some(libc::EXDEV) || e.raw_os_error() == Some(libc::ELOOP) {
            let mut m = diag_name(name);
            m.extend_from_slice(
                b": Cannot open: refusing to follow a symbolic link out of the target directory",
            );
            ctx.error(2, &m);
        } else {
            file_error(ctx, name, "Cannot open", &e, 2);
        }
        None
    }

    fn uid_gid(&mut self, e: &Entry) -> (u32, u32) {
        // Consecutive members usually share owner and group: remember the last answer.
        if let Some((un, u, gn, g, ids)) = &self.last_ids {
            if *u == e.uid && *g == e.gid && un == &e.uname && gn == &e.gname {
                return *ids;
            }
        }
        let ids = self.lookup_ids(e);
        self.last_ids = Some((e.uname.clone(), e.uid, e.gname.clone(), e.gid, ids));
        ids
    }

    fn lookup_ids(&mut self, e: &Entry) -> (u32, u32) {
        let mut uid = e.uid as u32;
        let mut gid = e.gid as u32;
        if !self.o.numeric_owner {
            if !e.uname.is_empty() {
                if let Some(u) = self.names.users().id(&e.uname) {
                    uid = u;
                }
            }
            if !e.gname.is_empty() {
                if let Some(g) = self.names.groups().id(&e.gname) {
                    gid = g;
                }
            }
        }
        (uid, gid)
    }

    fn times(&self, e: &Entry) -> [Time; 2] {
        [Time::Omit, Time::At(e.mtime, e.mtime_nsec)]
    }

    /// Create a node with `create` (a `*at` call). When the name is taken,
    /// make room once as the old-files options say, then try again. False: not created
    /// (reported as `name: what: error`, or kept on purpose).
    #[allow(clippy::too_many_arguments)]
    fn make_node(
        &mut self,
        ctx: &mut Ctx,
        dir: BorrowedFd,
        base: &[u8],
        name: &[u8],
        e: &Entry,
        what: &str,
        create: impl Fn() -> std::io::Result<()>,
    ) -> bool {
        let mut retried = false;
        loop {
            let Err(err) = create() else {
                return true;
            };
            if retried || err.raw_os_error() != Some(libc::EEXIST) {
                file_error(ctx, name, what, &err, 2);
                return false;
            }
            retried = true;
            if let Place::Skip = self.make_room(ctx, dir, base, name, e, what) {
                return false;
            }
        }
    }

    /// The name is taken: remove what is there, or keep it as the old-files option says (with
    /// `-k`, GNU's error names the operation that could not be done: `what`).
    fn make_room(
        &mut self,
        ctx: &mut Ctx,
        dir: BorrowedFd,
        base: &[u8],
        name: &[u8],
        e: &Entry,
        what: &str,
    ) -> Place {
        let Some(st) = lstat_at(dir, base) else {
            return Place::Ok;
        };
        match self.o.old_files {
            OldFiles::Keep => {
                let mut m = diag_name(name);
                push_fmt(&mut m, format_args!(": {what}: File exists"));
                ctx.error(2, &m);
                return Place::Skip;
            }
            OldFiles::Skip => return Place::Skip,
            OldFiles::KeepNewer if st.st_mtime >= e.mtime => {
                let mut m = b"Current ".to_vec();
                m.extend_from_slice(&crate::common::quote::quote_always(name));
                m.extend_from_slice(b" is newer or same age");
                ctx.msg(&m);
                return Place::Skip;
            }
            _ => {}
        }
        let is_dir = st.st_mode & libc::S_IFMT == libc::S_IFDIR;
        let fl = if is_dir { libc::AT_REMOVEDIR } else { 0 };
        if let Err(err) = fs::unlinkat(dir, base, fl) {
            file_error(ctx, name, "Cannot unlink", &err, 2);
            return Place::Skip;
        }
        if is_dir || st.st_mode & libc::S_IFMT == libc::S_IFLNK {
            // The caller still uses `dir`: drop the cache before the next look-up.
            self.stale = true;
        }
        Place::Ok
    }

    fn set_path_meta(
        &mut self,
        ctx: &mut Ctx,
        dir: BorrowedFd,
        base: &[u8],
        name: &[u8],
        e: &Entry,
        is_link: bool,
    ) {
        if self.same_owner {
            let (uid, gid) = self.uid_gid(e);
            if let Err(err) = fs::fchownat(dir, base, uid, gid, libc::AT_SYMLINK_NOFOLLOW) {
                let what = format!("Cannot change ownership to uid {uid}, gid {gid}");
                file_error(ctx, name, &what, &err, 2);
            }
        }
        if !is_link {
            let mode = if self.same_perms {
                e.mode
            } else {
                e.mode & 0o777 & !self.umask
            };
            let _ = fs::fchmodat(dir, base, mode & 0o7777, 0);
        }
        if !self.o.touch
            && fs::utimensat(dir, base, self.times(e), libc::AT_SYMLINK_NOFOLLOW).is_ok()
        {
            check_time(ctx, self.o, name, e.mtime, e.mtime_nsec);
        }
    }

    /// Extract one member whose data is next in `r`. Returns after consuming the data.
    fn member(
        &mut self,
        ctx: &mut Ctx,
        r: &mut Reader,
        e: &Entry,
        name: &[u8],
        link: &[u8],
    ) -> Result<()> {
        let kind = if e.typeflag == b'D' {
            Kind::Dir
        } else {
            e.kind()
        };
        let data_len = e.size + padding(e.size);
        let path = clean(name);
        if path.is_empty() {
            // The target directory itself ("./").
            if kind == Kind::Dir && !self.o.no_overwrite_dir {
                self.push_dir(e, Vec::new());
            }
            return self.skip(ctx, r, data_len);
        }
        let (dname, base) = split(&path);
        let Some(dir_fd) = self.open_parent(ctx, name, dname) else {
            return self.skip(ctx, r, data_len);
        };
        let dir = dir_fd.as_fd();
        match kind {
            Kind::Regular => {
                let mut flags = libc::O_WRONLY
                    | libc::O_CREAT
                    | libc::O_EXCL
                    | libc::O_NOFOLLOW
                    | libc::O_CLOEXEC;
                if self.o.old_files == OldFiles::Overwrite {
                    flags &= !libc::O_EXCL;
                    flags |= libc::O_TRUNC;
                }
                let mode = e.mode & 0o7777;
                // --overwrite with -h writes through an existing symlink (GNU), as long as
                // what it leads to is beneath the target directory.
                let through =
                    if self.o.old_files == OldFiles::Overwrite && self.o.deref && self.beneath {
                        let fl = libc::O_WRONLY | libc::O_TRUNC | libc::O_CLOEXEC;
                        fs::open_beneath(self.root.as_fd(), &path, fl).ok()
                    } else {
                        None
                    };
                let mut tries = 0;
                let fd = if let Some(fd) = through {
                    fd
                } else {
                    loop {
                        let err = match sys::openat(dir, base, flags, mode) {
                            Ok(fd) => break fd,
                            Err(err) => err,
                        };
                        let code = err.raw_os_error();
                        if tries == 0
                            && matches!(
                                code,
                                Some(libc::EEXIST)
                                    | Some(libc::ELOOP)
                                    | Some(libc::EISDIR)
                                    | Some(libc::ETXTBSY)
                            )
                        {
                            tries += 1;
                            match self.make_room(ctx, dir, base, name, e, "Cannot open") {
                                Place::Ok => {
                                    flags |= libc::O_EXCL;
                                    continue;
                                }
                                Place::Skip => return self.skip(ctx, r, data_len),
                            }
                        }
                        file_error(ctx, name, "Cannot open", &err, 2);
                        return self.skip(ctx, r, data_len);
                    }
                };
                let res = match &e.sparse {
                    Some(sp) => write_sparse(r, fd.as_fd(), sp, e.size),
                    None => r.input.data_to_fd(e.size, fd.as_fd()),
                };
                if matches!(&res, Err(DataErr::Eof))
                    || matches!(&res, Err(DataErr::Read(er)) if super::compress::child_status(er).is_some())
                {
                    // Cut short: GNU leaves the file as it made it, mode 0600.
                    let _ = fs::fchmod(fd.as_fd(), 0o600);
                }
                match res {
                    Ok(()) => {}
                    Err(DataErr::Write(err)) => {
                        file_error(ctx, name, "Cannot write", &err, 2);
                    }
                    Err(DataErr::Read(err)) if super::compress::child_status(&err).is_some() => {
                        return Err(data_eof(ctx, r))
                    }
                    Err(DataErr::Read(err)) => {
                        return Err(read_error(ctx, super::archive::ReadErr::Io(err)))
                    }
                    Err(DataErr::Eof) => return Err(data_eof(ctx, r)),
                }
                self.skip(ctx, r, padding(e.size))?;
                self.fd_meta(ctx, fd.as_fd(), name, e, flags & libc::O_TRUNC != 0);
                if self.o.xattrs && !e.xattrs.is_empty() {
                    for (k, v) in &e.xattrs {
                        let _ = fs::fsetxattr(fd.as_fd(), k, v, 0);
                    }
                }
                Ok(())
            }
            Kind::Dir => {
                let mode = (e.mode & 0o777) | 0o700;
                let mut rc = fs::mkdirat(dir, base, mode);
                let mut existed = false;
                if let Err(err) = &rc {
                    if err.raw_os_error() == Some(libc::EEXIST) {
                        let fmt = lstat_at(dir, base).map_or(0, |st| st.st_mode & libc::S_IFMT);
                        let dir_link = self.o.keep_dir_symlink
                            && fmt == libc::S_IFLNK
                            && fs::open_beneath(dir, base, libc::O_PATH | libc::O_DIRECTORY)
                                .is_ok();
                        if fmt == libc::S_IFDIR || dir_link {
                            // --keep-directory-symlink: a symlink to a directory (beneath the
                            // target) stays; its metadata is not ours to change.
                            existed = true;
                            rc = Ok(());
                            if dir_link {
                                return self.skip(ctx, r, data_len);
                            }
                        } else if matches!(self.o.old_files, OldFiles::Keep | OldFiles::Skip) {
                            if self.o.old_files == OldFiles::Keep {
                                file_error(ctx, name, "Cannot mkdir", err, 2);
                            }
                            return self.skip(ctx, r, data_len);
                        } else {
                            let _ = fs::unlinkat(dir, base, 0);
                            self.stale = true;
                            rc = fs::mkdirat(dir, base, mode);
                        }
                    }
                    if let Err(err) = &rc {
                        file_error(ctx, name, "Cannot mkdir", err, 2);
                        return self.skip(ctx, r, data_len);
                    }
                }
                if !(existed && self.o.no_overwrite_dir) {
                    self.push_dir(e, path.clone());
                }
                self.skip(ctx, r, data_len)
            }
            Kind::Symlink => {
                let what = format!(
                    "Cannot create symlink to {}",
                    String::from_utf8_lossy(&crate::common::quote::quote_always(link))
                );
                let create = || fs::symlinkat(link, dir, base);
                if !self.make_node(ctx, dir, base, name, e, &what, create) {
                    return self.skip(ctx, r, data_len);
                }
                self.set_path_meta(ctx, dir, base, name, e, true);
                // A symlink may now stand where a cached directory path pointed.
                self.stale = true;
                self.skip(ctx, r, data_len)
            }
            Kind::HardLink => {
                let mut target = link.to_vec();
                if !self.o.absolute {
                    // A stored target with `..` is refused; one a --transform made is only
                    // made safe, as GNU's safer_name does.
                    if contains_dot_dot(&e.link) {
                        let _ = safer_name(ctx, &mut self.msgs, &target, true);
                        let mut m = diag_name(name);
                        m.extend_from_slice(b": Cannot hard link to ");
                        m.extend_from_slice(&crate::common::quote::quote_always(&target));
                        m.extend_from_slice(b": link target contains '..'");
                        ctx.error(2, &m);
                        return self.skip(ctx, r, data_len);
                    }
                    target = safer_name(ctx, &mut self.msgs, &target, true);
                }
                let Some(target) = strip_components(&target, self.o.strip) else {
                    return self.skip(ctx, r, data_len);
                };
                let tpath = clean(&target);
                let (tdir, tbase) = split(&tpath);
                // The target's directory must be opened separately: the cache holds one.
                let topen = if tdir.is_empty() {
                    Ok(self.root.clone())
                } else {
                    self.open_dir_nocreate(tdir).map(Rc::new)
                };
                let what = format!(
                    "Cannot hard link to {}",
                    String::from_utf8_lossy(&crate::common::quote::quote_always(&target))
                );
                let tfd = match topen {
                    Ok(fd) => fd,
                    Err(err) => {
                        file_error(ctx, name, &what, &err, 2);
                        return self.skip(ctx, r, data_len);
                    }
                };
                let tdirfd = tfd.as_fd();
                // open_dir_nocreate left the directory cache alone: `dname` may still hit it.
                let Some(dir_fd) = self.open_parent(ctx, name, dname) else {
                    return self.skip(ctx, r, data_len);
                };
                let dir = dir_fd.as_fd();
                // Flags 0: never follow a symlink.
                let create = || match fs::linkat(tdirfd, tbase, dir, base, 0) {
                    // Already the same file (a second extraction, or a link to itself): done,
                    // as GNU tar does, whatever the old-files option. Checked only when the name
                    // is taken, so a fresh extraction pays no stat.
                    Err(err)
                        if err.raw_os_error() == Some(libc::EEXIST)
                            && same_inode(tdirfd, tbase, dir, base) =>
                    {
                        Ok(())
                    }
                    r => r,
                };
                self.make_node(ctx, dir, base, name, e, &what, create);
                self.skip(ctx, r, data_len)
            }
            Kind::Char | Kind::Block | Kind::Fifo => {
                let (fmt, dev) = match kind {
                    Kind::Char => (libc::S_IFCHR, fs::makedev(e.devmajor, e.devminor)),
                    Kind::Block => (libc::S_IFBLK, fs::makedev(e.devmajor, e.devminor)),
                    _ => (libc::S_IFIFO, 0),
                };
                let what = if kind == Kind::Fifo {
                    "Cannot mkfifo"
                } else {
                    "Cannot mknod"
                };
                let create = || fs::mknodat(dir, base, fmt | (e.mode & 0o777), dev);
                if !self.make_node(ctx, dir, base, name, e, what, create) {
                    return self.skip(ctx, r, data_len);
                }
                self.set_path_meta(ctx, dir, base, name, e, false);
                self.skip(ctx, r, data_len)
            }
            Kind::Other(c) => {
                if c != b'V' && c != b'g' {
                    let mut m = diag_name(name);
                    m.extend_from_slice(
                        format!(
                            ": Unknown file type '{}', extracted as normal file",
                            c as char
                        )
                        .as_bytes(),
                    );
                    ctx.msg(&m);
                    let mut e2 = e.clone();
                    e2.typeflag = b'0';
                    return self.member(ctx, r, &e2, name, link);
                }
                self.skip(ctx, r, data_len)
            }
        }
    }

    fn push_dir(&mut self, e: &Entry, path: Vec<u8>) {
        let (uid, gid) = self.uid_gid(e);
        self.dirs.push(DirMeta {
            root: self.root.clone(),
            beneath: self.beneath,
            path,
            mode: e.mode & 0o7777,
            uid,
            gid,
            mtime: e.mtime,
            nsec: e.mtime_nsec,
        });
    }

    fn fd_meta(&mut self, ctx: &mut Ctx, fd: BorrowedFd, name: &[u8], e: &Entry, existing: bool) {
        let mut chmod_needed = existing;
        if self.same_owner {
            let (uid, gid) = self.uid_gid(e);
            // A new file already belongs to us (and to the directory's group when it is
            // set-gid): skip the chown then.
            let (dir_sgid, dir_gid) = self.cache_dir_group;
            let born_gid = if dir_sgid { dir_gid } else { self.egid };
            let owned = !existing && uid == self.euid && gid == born_gid;
            let res = if owned {
                Ok(())
            } else {
                fs::fchown(fd, uid, gid)
            };
            if let Err(err) = res {
                let what = format!("Cannot change ownership to uid {uid}, gid {gid}");
                file_error(ctx, name, &what, &err, 2);
            }
            // chown clears set-id bits.
            chmod_needed |= e.mode & 0o6000 != 0;
        }
        let want = if self.same_perms {
            e.mode & 0o7777
        } else {
            // Without -p the set-id and sticky bits go too (GNU's MODE_RWX & ~umask).
            e.mode & 0o777 & !self.umask
        };
        if self.same_perms && e.mode & self.umask & 0o777 != 0 {
            chmod_needed = true;
        }
        if e.mode & 0o7000 != 0 {
            chmod_needed = true;
        }
        if chmod_needed {
            let _ = fs::fchmod(fd, want);
        }
        if !self.o.touch && fs::futimens(fd, self.times(e)).is_ok() {
            check_time(ctx, self.o, name, e.mtime, e.mtime_nsec);
        }
    }

    fn skip(&mut self, ctx: &mut Ctx, r: &mut Reader, n: u64) -> Result<()> {
        r.input.skip(n).map_err(|e| read_error(ctx, e.into()))
    }

    /// Directory metadata, deepest (last extracted) first.
    fn finish_dirs(&mut self, ctx: &mut Ctx) {
        let dirs = std::mem::take(&mut self.dirs);
        self.cache = None;
        for d in dirs.iter().rev() {
            let fl = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW;
            let fd = if d.path.is_empty() {
                sys::openat(
                    d.root.as_fd(),
                    b".",
                    libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
                    0,
                )
            } else if d.beneath {
                fs::open_beneath(d.root.as_fd(), &d.path, fl)
            } else {
                fs::open_nofollow_walk(d.root.as_fd(), &d.path, fl)
            };
            let Ok(fd) = fd else {
                continue;
            };
            let fd = fd.as_fd();
            if self.same_owner {
                if let Err(err) = fs::fchown(fd, d.uid, d.gid) {
                    let what = format!("Cannot change ownership to uid {}, gid {}", d.uid, d.gid);
                    file_error(ctx, &d.path, &what, &err, 2);
                }
            }
            let mode = if self.same_perms {
                d.mode
            } else {
                d.mode & 0o777 & !self.umask
            };
            let _ = fs::fchmod(fd, mode);
            if !self.o.touch && fs::futimens(fd, [Time::Omit, Time::At(d.mtime, d.nsec)]).is_ok() {
                check_time(ctx, self.o, &d.path, d.mtime, d.nsec);
            }
        }
    }
}

/// GNU's check_time after setting a member's mtime (the name as is, unquoted):
/// `NAME: implausibly old time stamp 1969-12-31 23:59:59` for a time before 1970,
/// `NAME: time stamp 2031-01-02 03:04:05.5 is 128489595.515384761 s in the future`; both
/// silenced by `--warning=no-timestamp`. Warnings: the status stays.
fn check_time(ctx: &mut Ctx, o: &Opts, name: &[u8], t: i64, ns: u32) {
    if !o.warn_timestamp {
        return;
    }
    let stamp = || {
        // GNU's tartime shows a negative time as its seconds rounded up and the fraction
        // counted down from there.
        let (t, ns) = if t < 0 && ns != 0 {
            (t + 1, 1_000_000_000 - ns)
        } else {
            (t, ns)
        };
        let zone = crate::common::time::Zone::local();
        let mut b = Vec::new();
        crate::common::time::strftime(&mut b, b"%Y-%m-%d %H:%M:%S", &zone.to_tm(t), ns, t);
        if ns != 0 {
            let f = format!(".{ns:09}");
            b.extend_from_slice(f.trim_end_matches('0').as_bytes());
        }
        b
    };
    let mut m = name.to_vec();
    if t < 0 {
        m.extend_from_slice(b": implausibly old time stamp ");
        m.extend_from_slice(&stamp());
        ctx.msg(&m);
        return;
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let (ns_now, s_now) = (now.subsec_nanos() as i64, now.as_secs() as i64);
    if (t, ns as i64) <= (s_now, ns_now) {
        return;
    }
    let mut ds = t - s_now;
    let mut dns = ns as i64 - ns_now;
    if dns < 0 {
        dns += 1_000_000_000;
        ds -= 1;
    }
    m.extend_from_slice(b": time stamp ");
    m.extend_from_slice(&stamp());
    push_fmt(&mut m, format_args!(" is {ds}.{dns:09} s in the future"));
    ctx.msg(&m);
}

fn write_sparse(
    r: &mut Reader,
    fd: BorrowedFd,
    sp: &super::header::Sparse,
    stored: u64,
) -> std::result::Result<(), DataErr> {
    let mut werr: Option<std::io::Error> = None;
    let mut used = 0u64;
    for &(off, len) in &sp.map {
        let mut pos = off;
        r.input.data(len, |b| {
            if werr.is_none() {
                if let Err(e) = fs::pwrite_all(fd, b, pos) {
                    werr = Some(e);
                }
            }
            pos += b.len() as u64;
            Ok(())
        })?;
        used += len;
    }
    if used < stored {
        r.input.skip(stored - used)?;
    }
    if werr.is_none() {
        if let Err(e) = fs::ftruncate(fd, sp.real_size) {
            werr = Some(e);
        }
    }
    match werr {
        Some(e) => Err(DataErr::Write(e)),
        None => Ok(()),
    }
}

/// `tar -x`: each selected member extracted beneath the target directory, or with `-O` its
/// data written to standard output.
struct Extract<'a> {
    x: Option<Extractor<'a>>,
    lister: Lister,
    verbose: u8,
}

impl Action for Extract<'_> {
    fn selected(&mut self, ctx: &mut Ctx, r: &mut Reader, m: &Member) -> Result<()> {
        let e = m.e;
        if let Some(x) = &mut self.x {
            // GNU changes directory before it tells the member.
            x.use_operand(ctx, m.operand)?;
        }
        if self.verbose > 0 {
            self.lister
                .entry_as(ctx, e, m.shown, m.shown_link, self.verbose > 1)?;
        }
        if let Some(x) = &mut self.x {
            let res = x.member(ctx, r, e, m.name, m.link);
            for d in x.created.drain(..) {
                let mode = 0o777 & !x.umask;
                self.lister.creating_dir(ctx, &d, mode)?;
            }
            return res;
        }
        // -O: file data to standard output.
        if e.kind() != Kind::Regular {
            return super::pipeline::skip_data(ctx, r, e);
        }
        self.lister.flush(ctx)?;
        let out = &mut ctx.out;
        let mut werr = None;
        let res = if let Some(sp) = &e.sparse {
            sparse_to(r, sp, e.size, |b| out.write_all(b))
        } else {
            r.input.data(e.size, |b| {
                if werr.is_none() {
                    if let Err(er) = out.write_all(b) {
                        werr = Some(er);
                    }
                }
                Ok(())
            })
        };
        if let Some(er) = werr {
            return Err(Error::write(&er));
        }
        match res {
            Ok(()) => {}
            Err(DataErr::Write(er)) => return Err(Error::write(&er)),
            Err(DataErr::Eof) => return Err(data_eof(ctx, r)),
            Err(DataErr::Read(er)) if super::compress::child_status(&er).is_some() => {
                return Err(data_eof(ctx, r))
            }
            Err(er) => return Err(read_error(ctx, er.into())),
        }
        r.input
            .skip(padding(e.size))
            .map_err(|er| read_error(ctx, er.into()))
    }
}

pub fn extract(
    ctx: &mut Ctx,
    o: &Opts,
    r: &mut Reader,
    sel: &mut Selector,
    excl: &Excluder,
    dirs: &[OsString],
    chain: Vec<usize>,
) -> Result<()> {
    let x = if o.to_stdout {
        None
    } else {
        Some(Extractor::new(ctx, o, dirs, chain)?)
    };
    let mut act = Extract {
        x,
        lister: Lister::new(o, o.to_stdout),
        verbose: o.verbose,
    };
    let res = Pipeline::new(o, Select::Operands(sel, excl), Rename::Target)
        .run(ctx, r, &mut act)
        .map(drop);
    act.lister.flush(ctx)?;
    if let Some(x) = &mut act.x {
        x.finish_dirs(ctx);
    }
    res
}

/// The archive ended inside a member's data being extracted: GNU reports the EOF, then again
/// when it skips on (or, in a file, that its seek is off the record boundary).
fn data_eof(ctx: &mut Ctx, r: &Reader) -> Error {
    ctx.error(2, b"Unexpected EOF in archive");
    if r.input.is_seekable() {
        ctx.error(2, b"rmtlseek not stopped at a record boundary");
    } else {
        ctx.error(2, b"Unexpected EOF in archive");
    }
    Error::new(2, "Error is not recoverable: exiting now")
}

/// Sparse member data expanded (holes as zeros) to a writer.
pub fn sparse_to(
    r: &mut Reader,
    sp: &super::header::Sparse,
    stored: u64,
    mut w: impl FnMut(&[u8]) -> std::io::Result<()>,
) -> std::result::Result<(), DataErr> {
    let zeros = [0u8; 4096];
    let mut pos = 0u64;
    let mut used = 0u64;
    for &(off, len) in &sp.map {
        while pos < off {
            let k = (off - pos).min(zeros.len() as u64) as usize;
            w(&zeros[..k]).map_err(DataErr::Write)?;
            pos += k as u64;
        }
        r.input.data(len, &mut w)?;
        pos += len;
        used += len;
    }
    if used < stored {
        r.input.skip(stored - used)?;
    }
    while pos < sp.real_size {
        let k = (sp.real_size - pos).min(zeros.len() as u64) as usize;
        w(&zeros[..k]).map_err(DataErr::Write)?;
        pos += k as u64;
    }
    Ok(())
}

/// `tar -d`: compare members with the file system (size, mode, mtime, contents of regular
/// files, link targets). Differences are reported as GNU does and give status 1.
struct Diff {
    base: std::path::PathBuf,
    lister: Lister,
    verbose: u8,
}

impl Action for Diff {
    fn selected(&mut self, ctx: &mut Ctx, r: &mut Reader, m: &Member) -> Result<()> {
        use std::os::unix::fs::MetadataExt;
        let e = m.e;
        let data_len = e.size + padding(e.size);
        if self.verbose > 0 {
            self.lister
                .entry_as(ctx, e, m.shown, m.shown_link, self.verbose > 1)?;
        }
        let p = self.base.join(std::ffi::OsStr::from_bytes(&clean(m.name)));
        // GNU's report_difference: on the listing's stream, no program name, status 1.
        let report = |ctx: &mut Ctx, what: &[u8]| {
            let mut m = diag_name(&e.name);
            m.extend_from_slice(b": ");
            m.extend_from_slice(what);
            m.push(b'\n');
            let _ = ctx.out.write_all(&m);
            ctx.fail(1);
        };
        let md = match std::fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(err) => {
                let mut m = diag_name(&e.name);
                m.extend_from_slice(b": Warning: Cannot stat: ");
                m.extend_from_slice(crate::common::ctx::strerror(&err).as_bytes());
                ctx.error(1, &m);
                return r
                    .input
                    .skip(data_len)
                    .map_err(|er| read_error(ctx, er.into()));
            }
        };
        let kind = e.kind();
        if kind == Kind::Regular {
            if !md.is_file() {
                report(ctx, b"File type differs");
            } else {
                if md.mode() & 0o7777 != e.mode {
                    report(ctx, b"Mode differs");
                }
                if md.mtime() != e.mtime {
                    report(ctx, b"Mod time differs");
                }
                if md.len() != e.file_size() {
                    report(ctx, b"Size differs");
                } else if let Ok(f) = std::fs::File::open(&p) {
                    use std::io::Read;
                    let mut f = f;
                    let mut same = true;
                    let mut buf = Vec::new();
                    let res = if e.sparse.is_some() {
                        Ok(())
                    } else {
                        r.input.data(e.size, |b| {
                            if same {
                                buf.resize(b.len(), 0);
                                if f.read_exact(&mut buf).is_err() || buf != b {
                                    same = false;
                                }
                            }
                            Ok(())
                        })
                    };
                    res.map_err(|er| read_error(ctx, er.into()))?;
                    if e.sparse.is_some() {
                        r.input
                            .skip(e.size)
                            .map_err(|er| read_error(ctx, er.into()))?;
                    }
                    if !same {
                        report(ctx, b"Contents differ");
                    }
                    return r
                        .input
                        .skip(padding(e.size))
                        .map_err(|er| read_error(ctx, er.into()));
                }
            }
        } else if kind == Kind::Symlink {
            match std::fs::read_link(&p) {
                Ok(t) if t.as_os_str().as_bytes() == m.link => {}
                _ => report(ctx, b"Symlink differs"),
            }
        } else if kind == Kind::Dir && !md.is_dir() {
            report(ctx, b"File type differs");
        } else if kind == Kind::HardLink {
            let target = self.base.join(std::ffi::OsStr::from_bytes(&clean(m.link)));
            if let Ok(t) = std::fs::symlink_metadata(&target) {
                if (t.dev(), t.ino()) != (md.dev(), md.ino()) {
                    let mut w = b"Not linked to ".to_vec();
                    w.extend_from_slice(&diag_name(m.link));
                    report(ctx, &w);
                }
            }
        }
        r.input
            .skip(data_len)
            .map_err(|er| read_error(ctx, er.into()))
    }
}

pub fn diff(
    ctx: &mut Ctx,
    o: &Opts,
    r: &mut Reader,
    sel: &mut Selector,
    excl: &Excluder,
    dirs: &[OsString],
) -> Result<()> {
    let mut base = std::path::PathBuf::from(".");
    for d in dirs {
        base.push(std::ffi::OsStr::from_bytes(d.as_bytes()));
    }
    let mut act = Diff {
        base,
        lister: Lister::new(o, false),
        verbose: o.verbose,
    };
    Pipeline::new(o, Select::Operands(sel, excl), Rename::Target).run(ctx, r, &mut act)?;
    act.lister.flush(ctx)
}
