//! `tar -x` (and `-d`): every name is resolved beneath the target directory — openat2 with
//! RESOLVE_BENEATH for the parent directory (cached between consecutive members), then a
//! single-component *at call with O_NOFOLLOW/O_EXCL for the member itself. Files are opened
//! once (O_CREAT|O_EXCL, unlinking and retrying when something is in the way), written, and
//! given owner, mode and times through the descriptor; directory metadata is applied at the
//! end, deepest first, so restrictive modes and mtimes survive the extraction of their contents.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::RawFd;

use super::archive::{padding, DataErr, Reader};
use super::create::last_err;
use super::header::{Entry, Kind};
use super::list::Lister;
use super::matching::{Excluder, Selector};
use super::opts::{OldFiles, Opts};
use super::{contains_dot_dot, diag_name, file_error, read_error, safer_name, Msgs};
use crate::common::io::write_all_fd;
use crate::common::{Ctx, Error, Result};

struct Fd(RawFd);
impl Drop for Fd {
    fn drop(&mut self) {
        if self.0 >= 0 {
            // SAFETY: we own this fd.
            unsafe { libc::close(self.0) };
        }
    }
}

/// A `*at` call's return value as a Result (errno on failure).
fn sys_result(rc: libc::c_int) -> std::io::Result<()> {
    if rc == 0 {
        Ok(())
    } else {
        Err(last_err())
    }
}

/// fstatat of `name` (NUL-terminated, from `cstr`) in `dir`, not following a final symlink.
fn lstat_at(dir: RawFd, name: &[u8]) -> Option<libc::stat> {
    // SAFETY: st is plain data; name is NUL-terminated.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    let ok = unsafe {
        libc::fstatat(
            dir,
            name.as_ptr().cast(),
            &mut st,
            libc::AT_SYMLINK_NOFOLLOW,
        )
    };
    (ok == 0).then_some(st)
}

/// Whether two names (relative to their directory fds, links not followed) are one inode.
fn same_inode(d1: RawFd, n1: &[u8], d2: RawFd, n2: &[u8]) -> bool {
    match (lstat_at(d1, n1), lstat_at(d2, n2)) {
        (Some(a), Some(b)) => (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino),
        _ => false,
    }
}

fn cstr(b: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(b.len() + 1);
    v.extend_from_slice(b);
    v.push(0);
    v
}

/// (uname, uid, gname, gid) of the last member and the ids they resolved to.
type IdCache = Option<(Vec<u8>, u64, Vec<u8>, u64, (u32, u32))>;

struct DirMeta {
    path: Vec<u8>,
    mode: u32,
    uid: u32,
    gid: u32,
    mtime: i64,
    nsec: u32,
}

pub struct Extractor<'a> {
    o: &'a Opts,
    root: Fd,
    beneath: bool,
    cache: Option<(Vec<u8>, Fd)>,
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
}

/// Open the directory `comp` (one path component) in `at` as an O_PATH descriptor, never
/// through a symlink: with openat2's RESOLVE_BENEATH when the kernel has it, else O_NOFOLLOW.
fn open_component(at: RawFd, comp: &[u8], beneath: bool) -> std::io::Result<RawFd> {
    if beneath {
        return openat2_beneath(at, comp, libc::O_PATH | libc::O_DIRECTORY);
    }
    let c = cstr(comp);
    // SAFETY: c is NUL-terminated.
    let fd = unsafe {
        libc::openat(
            at,
            c.as_ptr().cast(),
            libc::O_PATH | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
        )
    };
    if fd < 0 {
        Err(last_err())
    } else {
        Ok(fd)
    }
}

fn openat2_beneath(dirfd: RawFd, path: &[u8], flags: i32) -> std::io::Result<RawFd> {
    let c = cstr(path);
    // SAFETY: open_how is plain data.
    let mut how: libc::open_how = unsafe { std::mem::zeroed() };
    how.flags = (flags | libc::O_CLOEXEC) as u64;
    how.resolve = libc::RESOLVE_BENEATH | libc::RESOLVE_NO_MAGICLINKS;
    loop {
        // SAFETY: c is NUL-terminated; how is a valid open_how of the size passed.
        let r = unsafe {
            libc::syscall(
                libc::SYS_openat2,
                dirfd,
                c.as_ptr(),
                &how as *const libc::open_how,
                std::mem::size_of::<libc::open_how>(),
            )
        };
        if r >= 0 {
            return Ok(r as RawFd);
        }
        let e = last_err();
        if e.raw_os_error() != Some(libc::EAGAIN) && e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// (set-gid bit, gid) of a directory: what group a new file in it gets.
fn dir_group(fd: RawFd) -> (bool, u32) {
    // SAFETY: st is plain data.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstat(fd, &mut st) } != 0 {
        // Unknown: force the chown.
        return (true, u32::MAX);
    }
    (st.st_mode & libc::S_ISGID != 0, st.st_gid)
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

fn strip_components(name: &[u8], n: usize) -> Option<Vec<u8>> {
    if n == 0 {
        return Some(name.to_vec());
    }
    let mut rest = name;
    for _ in 0..n {
        // Leading slashes do not count as components.
        while rest.first() == Some(&b'/') {
            rest = &rest[1..];
        }
        match memchr::memchr(b'/', rest) {
            Some(i) => rest = &rest[i + 1..],
            None => return None,
        }
    }
    if rest.is_empty() {
        None
    } else {
        Some(rest.to_vec())
    }
}

enum Place {
    Ok,
    Skip,
}

impl<'a> Extractor<'a> {
    fn new(ctx: &mut Ctx, o: &'a Opts, dirs: &[OsString]) -> Result<Extractor<'a>> {
        let mut root = Fd(libc::AT_FDCWD);
        for d in dirs {
            let c = cstr(d.as_bytes());
            // SAFETY: c is NUL-terminated.
            let fd = unsafe {
                libc::openat(
                    root.0,
                    c.as_ptr().cast(),
                    libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC,
                )
            };
            if fd < 0 {
                let e = last_err();
                return Err(super::fatal_file(ctx, d.as_bytes(), "Cannot open", &e));
            }
            root = Fd(fd);
        }
        if root.0 == libc::AT_FDCWD {
            // SAFETY: "." is NUL-terminated.
            let fd = unsafe {
                libc::open(
                    c".".as_ptr(),
                    libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC,
                )
            };
            if fd < 0 {
                let e = last_err();
                return Err(super::fatal_file(ctx, b".", "Cannot open", &e));
            }
            root = Fd(fd);
        }
        let beneath = match openat2_beneath(root.0, b".", libc::O_PATH | libc::O_DIRECTORY) {
            Ok(fd) => {
                drop(Fd(fd));
                true
            }
            Err(_) => false,
        };
        // SAFETY: umask has no preconditions; set it back at once.
        let umask = unsafe {
            let m = libc::umask(0);
            libc::umask(m);
            m
        } as u32;
        let root_user = super::update::is_root();
        let root_group = dir_group(root.0);
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
            // SAFETY: no preconditions.
            euid: unsafe { libc::geteuid() },
            // SAFETY: no preconditions.
            egid: unsafe { libc::getegid() },
            dirs: Vec::new(),
            same_owner: o.same_owner.unwrap_or(root_user),
            same_perms: o.same_perms.unwrap_or(root_user),
            umask,
            names: crate::common::fs::Names::new(),
            msgs: Msgs::default(),
        })
    }

    /// Open `dir` (relative to the root) as an O_PATH directory, beneath the root, creating
    /// missing components.
    fn open_dir(&mut self, dir: &[u8]) -> std::io::Result<RawFd> {
        if dir.is_empty() {
            self.cache_dir_group = self.root_group;
            return Ok(self.root.0);
        }
        if self.stale {
            self.cache = None;
            self.stale = false;
        }
        if let Some((p, fd)) = &self.cache {
            if p == dir {
                self.cache_dir_group = self.cached_group;
                return Ok(fd.0);
            }
        }
        let fd = match self.open_dir_nocreate(dir) {
            Ok(fd) => fd,
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => self.make_dirs(dir)?,
            Err(e) => return Err(e),
        };
        self.cache = Some((dir.to_vec(), Fd(fd)));
        self.cached_group = dir_group(fd);
        self.cache_dir_group = self.cached_group;
        Ok(fd)
    }

    fn open_dir_nocreate(&self, dir: &[u8]) -> std::io::Result<RawFd> {
        if self.beneath {
            return openat2_beneath(self.root.0, dir, libc::O_PATH | libc::O_DIRECTORY);
        }
        // No openat2: walk the components refusing every symlink.
        let mut cur = Fd(-1);
        let mut at = self.root.0;
        for comp in dir.split(|&c| c == b'/') {
            cur = Fd(open_component(at, comp, false)?);
            at = cur.0;
        }
        let fd = cur.0;
        std::mem::forget(cur);
        Ok(fd)
    }

    /// Create the missing directories of `dir` (GNU: mode 0777 minus umask), component by
    /// component, each opened beneath its parent.
    fn make_dirs(&mut self, dir: &[u8]) -> std::io::Result<RawFd> {
        let mut cur = Fd(-1);
        let mut at = self.root.0;
        for comp in dir.split(|&c| c == b'/') {
            let c = cstr(comp);
            let open = |at: RawFd| open_component(at, comp, self.beneath);
            let fd = match open(at) {
                Ok(fd) => fd,
                Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {
                    // SAFETY: c is NUL-terminated.
                    if unsafe { libc::mkdirat(at, c.as_ptr().cast(), 0o777) } != 0 {
                        let e = last_err();
                        if e.raw_os_error() != Some(libc::EEXIST) {
                            return Err(e);
                        }
                    }
                    open(at)?
                }
                Err(e) => return Err(e),
            };
            cur = Fd(fd);
            at = fd;
        }
        let fd = cur.0;
        std::mem::forget(cur);
        Ok(fd)
    }

    fn parent_error(&self, ctx: &mut Ctx, name: &[u8], e: &std::io::Error) {
        if e.raw_os_error() == Some(libc::EXDEV) || e.raw_os_error() == Some(libc::ELOOP) {
            let mut m = diag_name(name);
            m.extend_from_slice(
                b": Cannot open: refusing to follow a symbolic link out of the target directory",
            );
            ctx.error(2, &m);
        } else {
            file_error(ctx, name, "Cannot open", e, 2);
        }
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

    fn times(&self, e: &Entry) -> [libc::timespec; 2] {
        [
            libc::timespec {
                tv_sec: 0,
                tv_nsec: libc::UTIME_OMIT,
            },
            libc::timespec {
                tv_sec: e.mtime as _,
                tv_nsec: e.mtime_nsec as libc::c_long,
            },
        ]
    }

    /// Create a node with `create` (a `*at` call through `sys_result`). When the name is taken,
    /// make room once as the old-files options say, then try again. False: not created
    /// (reported as `name: what: error`, or kept on purpose).
    #[allow(clippy::too_many_arguments)]
    fn make_node(
        &mut self,
        ctx: &mut Ctx,
        dir: RawFd,
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
        dir: RawFd,
        base: &[u8],
        name: &[u8],
        e: &Entry,
        what: &str,
    ) -> Place {
        let c = cstr(base);
        let Some(st) = lstat_at(dir, &c) else {
            return Place::Ok;
        };
        match self.o.old_files {
            OldFiles::Keep => {
                let mut m = diag_name(name);
                m.extend_from_slice(format!(": {what}: File exists").as_bytes());
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
        // SAFETY: c is NUL-terminated.
        if unsafe { libc::unlinkat(dir, c.as_ptr().cast(), fl) } != 0 {
            let err = last_err();
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
        dir: RawFd,
        base: &[u8],
        name: &[u8],
        e: &Entry,
        is_link: bool,
    ) {
        let c = cstr(base);
        if self.same_owner {
            let (uid, gid) = self.uid_gid(e);
            // SAFETY: c is NUL-terminated.
            if unsafe {
                libc::fchownat(dir, c.as_ptr().cast(), uid, gid, libc::AT_SYMLINK_NOFOLLOW)
            } != 0
            {
                let err = last_err();
                let what = format!("Cannot change ownership to uid {uid}, gid {gid}");
                file_error(ctx, name, &what, &err, 2);
            }
        }
        if !is_link {
            let mode = if self.same_perms {
                e.mode
            } else {
                e.mode & !self.umask
            };
            // SAFETY: as above.
            unsafe { libc::fchmodat(dir, c.as_ptr().cast(), mode & 0o7777, 0) };
        }
        if !self.o.touch {
            let t = self.times(e);
            // SAFETY: as above; t is a valid array of two timespecs.
            unsafe {
                libc::utimensat(
                    dir,
                    c.as_ptr().cast(),
                    t.as_ptr(),
                    libc::AT_SYMLINK_NOFOLLOW,
                )
            };
        }
    }

    /// Extract one member whose data is next in `r`. Returns after consuming the data.
    fn member(&mut self, ctx: &mut Ctx, r: &mut Reader, e: &Entry, name: &[u8]) -> Result<()> {
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
        let dir = match self.open_dir(dname) {
            Ok(fd) => fd,
            Err(err) => {
                self.parent_error(ctx, name, &err);
                return self.skip(ctx, r, data_len);
            }
        };
        let cbase = cstr(base);
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
                let mut tries = 0;
                let fd = loop {
                    // SAFETY: cbase is NUL-terminated.
                    let fd = unsafe { libc::openat(dir, cbase.as_ptr().cast(), flags, mode) };
                    if fd >= 0 {
                        break fd;
                    }
                    let err = last_err();
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
                };
                let fd = Fd(fd);
                let res = match &e.sparse {
                    Some(sp) => write_sparse(r, fd.0, sp, e.size),
                    None => r.input.data_to_fd(e.size, fd.0),
                };
                match res {
                    Ok(()) => {}
                    Err(DataErr::Write(err)) => {
                        file_error(ctx, name, "Cannot write", &err, 2);
                    }
                    Err(DataErr::Read(err)) => {
                        return Err(read_error(ctx, super::archive::ReadErr::Io(err)))
                    }
                    Err(DataErr::Eof) => return Err(read_error(ctx, super::archive::ReadErr::Eof)),
                }
                self.skip(ctx, r, padding(e.size))?;
                self.fd_meta(ctx, fd.0, name, e, flags & libc::O_TRUNC != 0);
                if self.o.xattrs && !e.xattrs.is_empty() {
                    for (k, v) in &e.xattrs {
                        let ck = cstr(k);
                        // SAFETY: valid fd, NUL-terminated key, value slice.
                        unsafe {
                            libc::fsetxattr(fd.0, ck.as_ptr().cast(), v.as_ptr().cast(), v.len(), 0)
                        };
                    }
                }
                Ok(())
            }
            Kind::Dir => {
                let mode = (e.mode & 0o777) | 0o700;
                // SAFETY: cbase is NUL-terminated.
                let mut rc = unsafe { libc::mkdirat(dir, cbase.as_ptr().cast(), mode) };
                let mut existed = false;
                if rc != 0 {
                    let err = last_err();
                    if err.raw_os_error() == Some(libc::EEXIST) {
                        let fmt = lstat_at(dir, &cbase).map_or(0, |st| st.st_mode & libc::S_IFMT);
                        let dir_link = self.o.keep_dir_symlink
                            && fmt == libc::S_IFLNK
                            && openat2_beneath(dir, base, libc::O_PATH | libc::O_DIRECTORY)
                                .map(|fd| drop(Fd(fd)))
                                .is_ok();
                        if fmt == libc::S_IFDIR || dir_link {
                            // --keep-directory-symlink: a symlink to a directory (beneath the
                            // target) stays; its metadata is not ours to change.
                            existed = true;
                            rc = 0;
                            if dir_link {
                                return self.skip(ctx, r, data_len);
                            }
                        } else if matches!(self.o.old_files, OldFiles::Keep | OldFiles::Skip) {
                            if self.o.old_files == OldFiles::Keep {
                                file_error(ctx, name, "Cannot mkdir", &err, 2);
                            }
                            return self.skip(ctx, r, data_len);
                        } else {
                            // SAFETY: as above.
                            unsafe { libc::unlinkat(dir, cbase.as_ptr().cast(), 0) };
                            self.stale = true;
                            rc = unsafe { libc::mkdirat(dir, cbase.as_ptr().cast(), mode) };
                        }
                    }
                    if rc != 0 {
                        let err = last_err();
                        file_error(ctx, name, "Cannot mkdir", &err, 2);
                        return self.skip(ctx, r, data_len);
                    }
                }
                if !(existed && self.o.no_overwrite_dir) {
                    self.push_dir(e, path.clone());
                }
                self.skip(ctx, r, data_len)
            }
            Kind::Symlink => {
                let target = cstr(&e.link);
                let what = format!(
                    "Cannot create symlink to {}",
                    String::from_utf8_lossy(&crate::common::quote::quote_always(&e.link))
                );
                // SAFETY: both strings are NUL-terminated.
                let create = || {
                    sys_result(unsafe {
                        libc::symlinkat(target.as_ptr().cast(), dir, cbase.as_ptr().cast())
                    })
                };
                if !self.make_node(ctx, dir, base, name, e, &what, create) {
                    return self.skip(ctx, r, data_len);
                }
                self.set_path_meta(ctx, dir, base, name, e, true);
                // A symlink may now stand where a cached directory path pointed.
                self.stale = true;
                self.skip(ctx, r, data_len)
            }
            Kind::HardLink => {
                let mut target = e.link.clone();
                if !self.o.absolute {
                    if contains_dot_dot(&target) {
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
                    Ok(-1)
                } else {
                    self.open_dir_nocreate(tdir)
                };
                let what = format!(
                    "Cannot hard link to {}",
                    String::from_utf8_lossy(&crate::common::quote::quote_always(&target))
                );
                let tfd = match topen {
                    Ok(fd) => Fd(fd),
                    Err(err) => {
                        file_error(ctx, name, &what, &err, 2);
                        return self.skip(ctx, r, data_len);
                    }
                };
                let tdirfd = if tdir.is_empty() { self.root.0 } else { tfd.0 };
                // open_dir_nocreate left the directory cache alone: `dname` may still hit it.
                let dir = match self.open_dir(dname) {
                    Ok(fd) => fd,
                    Err(err) => {
                        self.parent_error(ctx, name, &err);
                        return self.skip(ctx, r, data_len);
                    }
                };
                let ctb = cstr(tbase);
                // SAFETY: NUL-terminated names, valid dir fds; flags 0: never follow.
                let create = || match sys_result(unsafe {
                    libc::linkat(tdirfd, ctb.as_ptr().cast(), dir, cbase.as_ptr().cast(), 0)
                }) {
                    // Already the same file (a second extraction, or a link to itself): done,
                    // as GNU tar does, whatever the old-files option. Checked only when the name
                    // is taken, so a fresh extraction pays no stat.
                    Err(err)
                        if err.raw_os_error() == Some(libc::EEXIST)
                            && same_inode(tdirfd, &ctb, dir, &cbase) =>
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
                    Kind::Char => (libc::S_IFCHR, libc::makedev(e.devmajor, e.devminor)),
                    Kind::Block => (libc::S_IFBLK, libc::makedev(e.devmajor, e.devminor)),
                    _ => (libc::S_IFIFO, 0),
                };
                let what = if kind == Kind::Fifo {
                    "Cannot mkfifo"
                } else {
                    "Cannot mknod"
                };
                // SAFETY: cbase is NUL-terminated.
                let create = || {
                    sys_result(unsafe {
                        libc::mknodat(dir, cbase.as_ptr().cast(), fmt | (e.mode & 0o777), dev)
                    })
                };
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
                    return self.member(ctx, r, &e2, name);
                }
                self.skip(ctx, r, data_len)
            }
        }
    }

    fn push_dir(&mut self, e: &Entry, path: Vec<u8>) {
        let (uid, gid) = self.uid_gid(e);
        self.dirs.push(DirMeta {
            path,
            mode: e.mode & 0o7777,
            uid,
            gid,
            mtime: e.mtime,
            nsec: e.mtime_nsec,
        });
    }

    fn fd_meta(&mut self, ctx: &mut Ctx, fd: RawFd, name: &[u8], e: &Entry, existing: bool) {
        let mut chmod_needed = existing;
        if self.same_owner {
            let (uid, gid) = self.uid_gid(e);
            // A new file already belongs to us (and to the directory's group when it is
            // set-gid): skip the chown then.
            let (dir_sgid, dir_gid) = self.cache_dir_group;
            let born_gid = if dir_sgid { dir_gid } else { self.egid };
            let owned = !existing && uid == self.euid && gid == born_gid;
            // SAFETY: valid fd.
            if !owned && unsafe { libc::fchown(fd, uid, gid) } != 0 {
                let err = last_err();
                let what = format!("Cannot change ownership to uid {uid}, gid {gid}");
                file_error(ctx, name, &what, &err, 2);
            }
            // chown clears set-id bits.
            chmod_needed |= e.mode & 0o6000 != 0;
        }
        let want = if self.same_perms {
            e.mode & 0o7777
        } else {
            e.mode & 0o7777 & !self.umask
        };
        if self.same_perms && e.mode & self.umask & 0o777 != 0 {
            chmod_needed = true;
        }
        if e.mode & 0o7000 != 0 {
            chmod_needed = true;
        }
        if chmod_needed {
            // SAFETY: valid fd.
            unsafe { libc::fchmod(fd, want) };
        }
        if !self.o.touch {
            let t = self.times(e);
            // SAFETY: valid fd and timespec array.
            unsafe { libc::futimens(fd, t.as_ptr()) };
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
            let fd = if d.path.is_empty() {
                // SAFETY: "." is NUL-terminated.
                unsafe {
                    libc::openat(
                        self.root.0,
                        c".".as_ptr(),
                        libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
                    )
                }
            } else if self.beneath {
                openat2_beneath(
                    self.root.0,
                    &d.path,
                    libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW,
                )
                .unwrap_or(-1)
            } else {
                let (p, b) = split(&d.path);
                let popen = if p.is_empty() {
                    Ok(-1)
                } else {
                    self.open_dir_nocreate(p)
                };
                match popen {
                    Ok(pfd) => {
                        let pfd = Fd(if p.is_empty() { -1 } else { pfd });
                        let at = if p.is_empty() { self.root.0 } else { pfd.0 };
                        let c = cstr(b);
                        // SAFETY: c is NUL-terminated.
                        unsafe {
                            libc::openat(
                                at,
                                c.as_ptr().cast(),
                                libc::O_RDONLY
                                    | libc::O_DIRECTORY
                                    | libc::O_NOFOLLOW
                                    | libc::O_CLOEXEC,
                            )
                        }
                    }
                    Err(_) => -1,
                }
            };
            if fd < 0 {
                continue;
            }
            let fd = Fd(fd);
            if self.same_owner {
                // SAFETY: valid fd.
                if unsafe { libc::fchown(fd.0, d.uid, d.gid) } != 0 {
                    let err = last_err();
                    let what = format!("Cannot change ownership to uid {}, gid {}", d.uid, d.gid);
                    file_error(ctx, &d.path, &what, &err, 2);
                }
            }
            let mode = if self.same_perms {
                d.mode
            } else {
                d.mode & !self.umask
            };
            // SAFETY: valid fd.
            unsafe { libc::fchmod(fd.0, mode) };
            if !self.o.touch {
                let t = [
                    libc::timespec {
                        tv_sec: 0,
                        tv_nsec: libc::UTIME_OMIT,
                    },
                    libc::timespec {
                        tv_sec: d.mtime as _,
                        tv_nsec: d.nsec as libc::c_long,
                    },
                ];
                // SAFETY: valid fd and timespecs.
                unsafe { libc::futimens(fd.0, t.as_ptr()) };
            }
        }
    }
}

fn write_sparse(
    r: &mut Reader,
    fd: RawFd,
    sp: &super::header::Sparse,
    stored: u64,
) -> std::result::Result<(), DataErr> {
    let mut werr: Option<std::io::Error> = None;
    let mut used = 0u64;
    for &(off, len) in &sp.map {
        let mut pos = off;
        r.input.data(len, |b| {
            if werr.is_none() {
                // SAFETY: b is valid for reads of its length.
                let mut done = 0;
                while done < b.len() {
                    let n = unsafe {
                        libc::pwrite(
                            fd,
                            b[done..].as_ptr().cast(),
                            b.len() - done,
                            (pos + done as u64) as libc::off_t,
                        )
                    };
                    if n < 0 {
                        werr = Some(last_err());
                        break;
                    }
                    done += n as usize;
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
    // SAFETY: valid fd.
    if werr.is_none() && unsafe { libc::ftruncate(fd, sp.real_size as libc::off_t) } != 0 {
        werr = Some(last_err());
    }
    match werr {
        Some(e) => Err(DataErr::Write(e)),
        None => Ok(()),
    }
}

/// The member name after -P/strip-components/safety checks; None to skip the member.
fn target_name(ctx: &mut Ctx, o: &Opts, msgs: &mut Msgs, e: &Entry) -> Option<Vec<u8>> {
    let mut name = e.name.clone();
    if !o.absolute {
        let safe = safer_name(ctx, msgs, &name, false);
        if contains_dot_dot(&name) {
            let mut m = diag_name(&name);
            m.extend_from_slice(b": Member name contains '..'");
            ctx.error(2, &m);
            return None;
        }
        name = safe;
    }
    strip_components(&name, o.strip)
}

pub fn extract(
    ctx: &mut Ctx,
    o: &Opts,
    r: &mut Reader,
    sel: &mut Selector,
    excl: &Excluder,
    dirs: &[OsString],
) -> Result<()> {
    let mut x = if o.to_stdout {
        None
    } else {
        Some(Extractor::new(ctx, o, dirs)?)
    };
    let mut lister = Lister::new(o, o.to_stdout);
    let mut msgs = Msgs::default();
    let res = (|| -> Result<()> {
        loop {
            let e = match r.next_entry() {
                Ok(Some(e)) => e,
                Ok(None) => break,
                Err(err) => return Err(read_error(ctx, err)),
            };
            if r.skipped {
                ctx.error(2, b"Skipping to next header");
            }
            let data_len = e.size + padding(e.size);
            let selected = (sel.all() || sel.find(&e.name).is_some()) && !excl.excluded(&e.name);
            if !selected {
                r.input
                    .skip(data_len)
                    .map_err(|er| read_error(ctx, er.into()))?;
                continue;
            }
            let Some(name) = target_name(ctx, o, &mut msgs, &e) else {
                r.input
                    .skip(data_len)
                    .map_err(|er| read_error(ctx, er.into()))?;
                continue;
            };
            if o.verbose > 0 {
                lister.entry(ctx, &e, o.verbose > 1)?;
            }
            match &mut x {
                None => {
                    // -O: file data to standard output.
                    if e.kind() == Kind::Regular {
                        lister.flush(ctx)?;
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
                            Err(er) => return Err(read_error(ctx, er.into())),
                        }
                        r.input
                            .skip(padding(e.size))
                            .map_err(|er| read_error(ctx, er.into()))?;
                    } else {
                        r.input
                            .skip(data_len)
                            .map_err(|er| read_error(ctx, er.into()))?;
                    }
                }
                Some(x) => x.member(ctx, r, &e, &name)?,
            }
        }
        Ok(())
    })();
    lister.flush(ctx)?;
    if let Some(x) = &mut x {
        x.finish_dirs(ctx);
    }
    res
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
    let mut msgs = Msgs::default();
    let mut lister = Lister::new(o, false);
    loop {
        let e = match r.next_entry() {
            Ok(Some(e)) => e,
            Ok(None) => break,
            Err(err) => return Err(read_error(ctx, err)),
        };
        let data_len = e.size + padding(e.size);
        let selected = (sel.all() || sel.find(&e.name).is_some()) && !excl.excluded(&e.name);
        let name = if selected {
            target_name(ctx, o, &mut msgs, &e)
        } else {
            None
        };
        let Some(name) = name else {
            r.input
                .skip(data_len)
                .map_err(|er| read_error(ctx, er.into()))?;
            continue;
        };
        if o.verbose > 0 {
            lister.entry(ctx, &e, o.verbose > 1)?;
        }
        let p = base.join(std::ffi::OsStr::from_bytes(&clean(&name)));
        let report = |ctx: &mut Ctx, what: &str| {
            let mut m = diag_name(&e.name);
            m.extend_from_slice(b": ");
            m.extend_from_slice(what.as_bytes());
            ctx.error(1, &m);
        };
        let md = match std::fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(err) => {
                let mut m = diag_name(&e.name);
                m.extend_from_slice(b": Warning: Cannot stat: ");
                m.extend_from_slice(crate::common::ctx::strerror(&err).as_bytes());
                ctx.error(1, &m);
                r.input
                    .skip(data_len)
                    .map_err(|er| read_error(ctx, er.into()))?;
                continue;
            }
        };
        use std::os::unix::fs::MetadataExt;
        let kind = e.kind();
        if kind == Kind::Regular {
            if !md.is_file() {
                report(ctx, "File type differs");
            } else {
                if md.mode() & 0o7777 != e.mode {
                    report(ctx, "Mode differs");
                }
                if md.mtime() != e.mtime {
                    report(ctx, "Mod time differs");
                }
                if md.len() != e.file_size() {
                    report(ctx, "Size differs");
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
                        report(ctx, "Contents differ");
                    }
                    r.input
                        .skip(padding(e.size))
                        .map_err(|er| read_error(ctx, er.into()))?;
                    continue;
                }
            }
        } else if kind == Kind::Symlink {
            match std::fs::read_link(&p) {
                Ok(t) if t.as_os_str().as_bytes() == &e.link[..] => {}
                _ => report(ctx, "Symlink differs"),
            }
        } else if kind == Kind::Dir && !md.is_dir() {
            report(ctx, "File type differs");
        }
        r.input
            .skip(data_len)
            .map_err(|er| read_error(ctx, er.into()))?;
    }
    lister.flush(ctx)?;
    let _ = write_all_fd;
    Ok(())
}
