//! Changes to the file system relative to a directory descriptor: openat2 beneath a directory
//! (and the component-by-component fallback for kernels without it), mkdirat, unlinkat,
//! renameat(2), links, owners, modes, times, device nodes, holes (SEEK_DATA/SEEK_HOLE),
//! truncation, sync, positioned writes, extended attributes. Names are bytes; descriptors are
//! taken as `BorrowedFd` and given as `OwnedFd`; errors keep their errno.

use std::io;
use std::mem::MaybeUninit;

use super::fd::{cvt, cvt_size, owned, retry, with_cstr, with_cstr2, AsRawFd, BorrowedFd, OwnedFd};

pub use libc::{RESOLVE_BENEATH, RESOLVE_IN_ROOT, RESOLVE_NO_MAGICLINKS, RESOLVE_NO_SYMLINKS};

/// openat2(2): `flags` (O_CLOEXEC is added) and `mode` as openat takes them, `resolve` a set of
/// `RESOLVE_*` bits. EAGAIN (a rename raced the look-up) and EINTR are retried. ENOSYS on
/// kernels before 5.6.
pub fn openat2(
    dir: BorrowedFd,
    name: &[u8],
    flags: i32,
    mode: u32,
    resolve: u64,
) -> io::Result<OwnedFd> {
    // SAFETY: open_how is plain integers; all-zero is valid (and required for unused fields).
    let mut how: libc::open_how = unsafe { std::mem::zeroed() };
    how.flags = (flags | libc::O_CLOEXEC) as u64;
    how.mode = if flags & (libc::O_CREAT | libc::O_TMPFILE) != 0 {
        mode as u64
    } else {
        0
    };
    how.resolve = resolve;
    with_cstr(name, |c| loop {
        // SAFETY: c is NUL-terminated; how is a valid open_how of the size passed.
        let r = unsafe {
            libc::syscall(
                libc::SYS_openat2,
                dir.as_raw_fd(),
                c.as_ptr(),
                &how as *const libc::open_how,
                std::mem::size_of::<libc::open_how>(),
            )
        };
        if r >= 0 {
            return Ok(owned(r as libc::c_int));
        }
        let e = io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::EAGAIN) && e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    })
}

/// openat2 with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS: `name` (any number of components) is
/// resolved without ever leaving `dir`, whatever symlinks or `..` it meets (EXDEV then).
pub fn open_beneath(dir: BorrowedFd, name: &[u8], flags: i32) -> io::Result<OwnedFd> {
    openat2(dir, name, flags, 0, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)
}

/// The fallback for kernels without openat2: `name` opened one component at a time from
/// `dir`, every directory on the way with O_PATH|O_DIRECTORY|O_NOFOLLOW and the last with
/// `flags | O_NOFOLLOW`, so no symlink is ever followed (ELOOP/ENOTDIR then; with O_PATH in
/// `flags` a final symlink is opened itself). Empty and `.` components are opened as they are.
pub fn open_nofollow_walk(dir: BorrowedFd, name: &[u8], flags: i32) -> io::Result<OwnedFd> {
    let mut cur: Option<OwnedFd> = None;
    let mut comps = name.split(|&c| c == b'/').peekable();
    while let Some(comp) = comps.next() {
        let fl = if comps.peek().is_some() {
            libc::O_PATH | libc::O_DIRECTORY
        } else {
            flags
        };
        let at = cur.as_ref().map_or(dir, |f| {
            use std::os::fd::AsFd;
            f.as_fd()
        });
        let next = super::fd::openat(at, comp, fl | libc::O_NOFOLLOW | libc::O_CLOEXEC, 0)?;
        cur = Some(next);
    }
    cur.ok_or_else(|| io::Error::from_raw_os_error(libc::ENOENT))
}

/// mkdirat(2).
pub fn mkdirat(dir: BorrowedFd, name: &[u8], mode: u32) -> io::Result<()> {
    with_cstr(name, |c| {
        // SAFETY: c is NUL-terminated.
        cvt(unsafe { libc::mkdirat(dir.as_raw_fd(), c.as_ptr(), mode as libc::mode_t) }).map(drop)
    })
}

/// unlinkat(2); `flags` 0 or AT_REMOVEDIR.
pub fn unlinkat(dir: BorrowedFd, name: &[u8], flags: i32) -> io::Result<()> {
    with_cstr(name, |c| {
        // SAFETY: c is NUL-terminated.
        cvt(unsafe { libc::unlinkat(dir.as_raw_fd(), c.as_ptr(), flags) }).map(drop)
    })
}

/// renameat(2).
pub fn renameat(odir: BorrowedFd, old: &[u8], ndir: BorrowedFd, new: &[u8]) -> io::Result<()> {
    with_cstr2(old, new, |o, n| {
        // SAFETY: both names are NUL-terminated.
        cvt(unsafe { libc::renameat(odir.as_raw_fd(), o.as_ptr(), ndir.as_raw_fd(), n.as_ptr()) })
            .map(drop)
    })
}

/// renameat2(2); `flags` RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT (musl has no
/// wrapper: the system call itself).
pub fn renameat2(
    odir: BorrowedFd,
    old: &[u8],
    ndir: BorrowedFd,
    new: &[u8],
    flags: u32,
) -> io::Result<()> {
    let (od, nd) = (odir.as_raw_fd(), ndir.as_raw_fd());
    with_cstr2(old, new, |o, n| {
        // SAFETY: both names are NUL-terminated; renameat2 takes the flags as an unsigned.
        let r =
            unsafe { libc::syscall(libc::SYS_renameat2, od, o.as_ptr(), nd, n.as_ptr(), flags) };
        cvt(r as libc::c_int).map(drop)
    })
}

/// linkat(2); `flags` 0 (never follow `old` if it is a symlink) or AT_SYMLINK_FOLLOW.
pub fn linkat(
    odir: BorrowedFd,
    old: &[u8],
    ndir: BorrowedFd,
    new: &[u8],
    flags: i32,
) -> io::Result<()> {
    let (od, nd) = (odir.as_raw_fd(), ndir.as_raw_fd());
    with_cstr2(old, new, |o, n| {
        // SAFETY: both names are NUL-terminated.
        cvt(unsafe { libc::linkat(od, o.as_ptr(), nd, n.as_ptr(), flags) }).map(drop)
    })
}

/// symlinkat(2): a symlink `name` in `dir` holding `target`.
pub fn symlinkat(target: &[u8], dir: BorrowedFd, name: &[u8]) -> io::Result<()> {
    with_cstr2(target, name, |t, n| {
        // SAFETY: both strings are NUL-terminated.
        cvt(unsafe { libc::symlinkat(t.as_ptr(), dir.as_raw_fd(), n.as_ptr()) }).map(drop)
    })
}

/// readlinkat(2) of `name` relative to `dir` into `buf` (cleared first), growing it as needed.
pub fn readlinkat_into(dir: BorrowedFd, name: &[u8], buf: &mut Vec<u8>) -> io::Result<()> {
    with_cstr(name, |c| {
        let mut cap = buf.capacity().max(256);
        loop {
            buf.clear();
            buf.reserve(cap);
            // SAFETY: c is NUL-terminated; buf has at least `cap` bytes of spare capacity,
            // and readlinkat writes at most `cap` bytes there.
            let n = cvt_size(unsafe {
                libc::readlinkat(dir.as_raw_fd(), c.as_ptr(), buf.as_mut_ptr().cast(), cap)
            })?;
            if n < cap {
                // SAFETY: the kernel initialised the first n <= cap bytes.
                unsafe { buf.set_len(n) };
                return Ok(());
            }
            cap *= 4;
        }
    })
}

/// readlinkat(2): the target of symlink `name` in a new buffer. `hint` is the expected length
/// (st_size of the link): with it right, one call.
pub fn readlinkat(dir: BorrowedFd, name: &[u8], hint: usize) -> io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(hint + 1);
    readlinkat_into(dir, name, &mut buf)?;
    Ok(buf)
}

/// fchownat(2); `flags` AT_SYMLINK_NOFOLLOW to change a symlink itself. u32::MAX: unchanged.
pub fn fchownat(dir: BorrowedFd, name: &[u8], uid: u32, gid: u32, flags: i32) -> io::Result<()> {
    with_cstr(name, |c| {
        // SAFETY: c is NUL-terminated.
        cvt(unsafe { libc::fchownat(dir.as_raw_fd(), c.as_ptr(), uid, gid, flags) }).map(drop)
    })
}

/// fchown(2).
pub fn fchown(fd: BorrowedFd, uid: u32, gid: u32) -> io::Result<()> {
    // SAFETY: fchown only takes numbers.
    cvt(unsafe { libc::fchown(fd.as_raw_fd(), uid, gid) }).map(drop)
}

/// fchmodat(2); `flags` 0 (AT_SYMLINK_NOFOLLOW is not supported by Linux for modes).
pub fn fchmodat(dir: BorrowedFd, name: &[u8], mode: u32, flags: i32) -> io::Result<()> {
    with_cstr(name, |c| {
        // SAFETY: c is NUL-terminated.
        cvt(unsafe { libc::fchmodat(dir.as_raw_fd(), c.as_ptr(), mode as libc::mode_t, flags) })
            .map(drop)
    })
}

/// fchmod(2).
pub fn fchmod(fd: BorrowedFd, mode: u32) -> io::Result<()> {
    // SAFETY: fchmod only takes numbers.
    cvt(unsafe { libc::fchmod(fd.as_raw_fd(), mode as libc::mode_t) }).map(drop)
}

/// One of the two times utimensat sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Time {
    /// Left as it is (UTIME_OMIT).
    Omit,
    /// The current time (UTIME_NOW).
    Now,
    /// Seconds and nanoseconds since the epoch.
    At(i64, u32),
}

fn timespecs(t: [Time; 2]) -> [libc::timespec; 2] {
    t.map(|t| {
        let (sec, nsec) = match t {
            Time::Omit => (0, libc::UTIME_OMIT),
            Time::Now => (0, libc::UTIME_NOW),
            Time::At(s, n) => (s, n as libc::c_long),
        };
        libc::timespec {
            tv_sec: sec as _,
            tv_nsec: nsec,
        }
    })
}

/// utimensat(2): [access time, modification time]; `flags` AT_SYMLINK_NOFOLLOW.
pub fn utimensat(dir: BorrowedFd, name: &[u8], times: [Time; 2], flags: i32) -> io::Result<()> {
    let t = timespecs(times);
    with_cstr(name, |c| {
        // SAFETY: c is NUL-terminated; t is an array of two timespecs.
        cvt(unsafe { libc::utimensat(dir.as_raw_fd(), c.as_ptr(), t.as_ptr(), flags) }).map(drop)
    })
}

/// futimens(3): [access time, modification time] through a descriptor.
pub fn futimens(fd: BorrowedFd, times: [Time; 2]) -> io::Result<()> {
    let t = timespecs(times);
    // SAFETY: t is an array of two timespecs.
    cvt(unsafe { libc::futimens(fd.as_raw_fd(), t.as_ptr()) }).map(drop)
}

/// mknodat(2): `mode` holds the file type (S_IFCHR, S_IFBLK, S_IFIFO) and permissions.
pub fn mknodat(dir: BorrowedFd, name: &[u8], mode: u32, dev: u64) -> io::Result<()> {
    with_cstr(name, |c| {
        // SAFETY: c is NUL-terminated.
        cvt(unsafe {
            libc::mknodat(
                dir.as_raw_fd(),
                c.as_ptr(),
                mode as libc::mode_t,
                dev as libc::dev_t,
            )
        })
        .map(drop)
    })
}

/// mkfifoat(3).
pub fn mkfifoat(dir: BorrowedFd, name: &[u8], mode: u32) -> io::Result<()> {
    mknodat(dir, name, libc::S_IFIFO | (mode & 0o7777), 0)
}

/// The device number of a major and a minor.
pub fn makedev(major: u32, minor: u32) -> u64 {
    libc::makedev(major, minor)
}

fn seek_to(fd: BorrowedFd, off: u64, whence: i32) -> io::Result<Option<u64>> {
    match super::fd::lseek(fd, off as i64, whence) {
        Ok(p) => Ok(Some(p)),
        Err(e) if e.raw_os_error() == Some(libc::ENXIO) => Ok(None),
        Err(e) => Err(e),
    }
}

/// lseek(SEEK_DATA): the start of the first data at or after `off`; None past the last data.
pub fn seek_data(fd: BorrowedFd, off: u64) -> io::Result<Option<u64>> {
    seek_to(fd, off, libc::SEEK_DATA)
}

/// lseek(SEEK_HOLE): the start of the first hole at or after `off` (the end of the file counts
/// as one); None when `off` is past the end.
pub fn seek_hole(fd: BorrowedFd, off: u64) -> io::Result<Option<u64>> {
    seek_to(fd, off, libc::SEEK_HOLE)
}

/// ftruncate(2).
pub fn ftruncate(fd: BorrowedFd, len: u64) -> io::Result<()> {
    // SAFETY: ftruncate only takes numbers.
    retry(|| cvt(unsafe { libc::ftruncate(fd.as_raw_fd(), len as libc::off_t) }).map(drop))
}

/// fsync(2).
pub fn fsync(fd: BorrowedFd) -> io::Result<()> {
    // SAFETY: fsync only takes a number.
    retry(|| cvt(unsafe { libc::fsync(fd.as_raw_fd()) }).map(drop))
}

/// fdatasync(2).
pub fn fdatasync(fd: BorrowedFd) -> io::Result<()> {
    // SAFETY: fdatasync only takes a number.
    retry(|| cvt(unsafe { libc::fdatasync(fd.as_raw_fd()) }).map(drop))
}

/// pwrite(2) at `off`, retried on EINTR. Returns the count written.
pub fn pwrite(fd: BorrowedFd, buf: &[u8], off: u64) -> io::Result<usize> {
    retry(|| {
        // SAFETY: buf is valid for reads of buf.len() bytes.
        cvt_size(unsafe {
            libc::pwrite(
                fd.as_raw_fd(),
                buf.as_ptr().cast(),
                buf.len(),
                off as libc::off_t,
            )
        })
    })
}

/// pwrite(2) all of `buf` at `off`, retrying on EINTR and short writes.
pub fn pwrite_all(fd: BorrowedFd, mut buf: &[u8], mut off: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match pwrite(fd, buf, off)? {
            0 => return Err(io::Error::from(io::ErrorKind::WriteZero)),
            n => {
                buf = &buf[n..];
                off += n as u64;
            }
        }
    }
    Ok(())
}

/// listxattr(2) (or llistxattr with `nofollow`) of a path into `buf`: NUL-separated names.
/// Returns the length used.
pub fn listxattr(path: &[u8], nofollow: bool, buf: &mut [u8]) -> io::Result<usize> {
    with_cstr(path, |c| {
        // SAFETY: c is NUL-terminated; buf is valid for writes of its length.
        cvt_size(unsafe {
            if nofollow {
                libc::llistxattr(c.as_ptr(), buf.as_mut_ptr().cast(), buf.len())
            } else {
                libc::listxattr(c.as_ptr(), buf.as_mut_ptr().cast(), buf.len())
            }
        })
    })
}

/// getxattr(2) (or lgetxattr with `nofollow`) of attribute `key` into `buf`; the value's length.
pub fn getxattr(path: &[u8], key: &[u8], nofollow: bool, buf: &mut [u8]) -> io::Result<usize> {
    with_cstr(path, |c| {
        with_cstr(key, |k| {
            // SAFETY: both strings are NUL-terminated; buf is valid for writes of its length.
            cvt_size(unsafe {
                if nofollow {
                    libc::lgetxattr(c.as_ptr(), k.as_ptr(), buf.as_mut_ptr().cast(), buf.len())
                } else {
                    libc::getxattr(c.as_ptr(), k.as_ptr(), buf.as_mut_ptr().cast(), buf.len())
                }
            })
        })
    })
}

/// fsetxattr(2); `flags` 0, XATTR_CREATE or XATTR_REPLACE.
pub fn fsetxattr(fd: BorrowedFd, key: &[u8], value: &[u8], flags: i32) -> io::Result<()> {
    with_cstr(key, |k| {
        // SAFETY: k is NUL-terminated; value is valid for reads of its length.
        cvt(unsafe {
            libc::fsetxattr(
                fd.as_raw_fd(),
                k.as_ptr(),
                value.as_ptr().cast(),
                value.len(),
                flags,
            )
        })
        .map(drop)
    })
}

/// memfd_create(2): an anonymous file in memory; `flags` MFD_CLOEXEC and others.
pub fn memfd_create(name: &[u8], flags: u32) -> io::Result<OwnedFd> {
    with_cstr(name, |c| {
        // SAFETY: c is NUL-terminated.
        cvt(unsafe { libc::memfd_create(c.as_ptr(), flags) }).map(owned)
    })
}

/// statx(2) with `mask` (STATX_* bits) and `flags` (AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, ...).
pub fn statx(dir: BorrowedFd, name: &[u8], flags: i32, mask: u32) -> io::Result<libc::statx> {
    with_cstr(name, |c| {
        let mut st = MaybeUninit::<libc::statx>::uninit();
        // SAFETY: c is NUL-terminated; st has room for a struct statx.
        cvt(unsafe { libc::statx(dir.as_raw_fd(), c.as_ptr(), flags, mask, st.as_mut_ptr()) })?;
        // SAFETY: statx succeeded, so st is initialised.
        Ok(unsafe { st.assume_init() })
    })
}

/// What statfs(2) says about a file system (`stat -f`, `df`), the fields widened to u64.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatFs {
    /// The magic number of the file system type (`EXT4_SUPER_MAGIC`, ...).
    pub ftype: u64,
    /// The preferred transfer size (`f_bsize`).
    pub bsize: u64,
    /// Total, free and available-to-non-root blocks, in units of `frsize`.
    pub blocks: u64,
    pub bfree: u64,
    pub bavail: u64,
    /// Total and free inodes.
    pub files: u64,
    pub ffree: u64,
    /// The file system id's two words, as the kernel fills them.
    pub fsid: [u32; 2],
    pub namelen: u64,
    /// The fundamental block size (0 from old kernels: use `bsize`).
    pub frsize: u64,
    /// Mount flags (ST_RDONLY, ...).
    pub flags: u64,
}

// c_ulong is u64 here but not on every target.
#[allow(clippy::unnecessary_cast)]
fn statfs_fields(s: &libc::statfs) -> StatFs {
    // SAFETY: fsid_t is two C ints (`__val[2]`, a private field in libc), so it has the size
    // and layout of [i32; 2]; every bit pattern is a valid pair of integers.
    let fsid: [i32; 2] = unsafe { std::mem::transmute(s.f_fsid) };
    StatFs {
        ftype: s.f_type as u64,
        bsize: s.f_bsize as u64,
        blocks: s.f_blocks,
        bfree: s.f_bfree,
        bavail: s.f_bavail,
        files: s.f_files,
        ffree: s.f_ffree,
        fsid: [fsid[0] as u32, fsid[1] as u32],
        namelen: s.f_namelen as u64,
        frsize: s.f_frsize as u64,
        // The libc crate's glibc `statfs` hides f_flags; a glibc build exists only for the
        // fuzz targets (fuzz/: libFuzzer needs the host's C++ runtime), where it is unused.
        #[cfg(target_env = "musl")]
        flags: s.f_flags as u64,
        #[cfg(not(target_env = "musl"))]
        flags: 0,
    }
}

/// statfs(2) of the file system holding `name` (symlinks followed).
pub fn statfs(name: &[u8]) -> io::Result<StatFs> {
    with_cstr(name, |c| {
        let mut st = MaybeUninit::<libc::statfs>::uninit();
        // SAFETY: c is NUL-terminated; st has room for a struct statfs.
        cvt(unsafe { libc::statfs(c.as_ptr(), st.as_mut_ptr()) })?;
        // SAFETY: statfs succeeded, so st is initialised.
        Ok(statfs_fields(unsafe { &st.assume_init() }))
    })
}

/// fstatfs(2) of the file system holding the open file `fd`.
pub fn fstatfs(fd: BorrowedFd) -> io::Result<StatFs> {
    let mut st = MaybeUninit::<libc::statfs>::uninit();
    // SAFETY: st has room for a struct statfs, which fstatfs fills on success.
    cvt(unsafe { libc::fstatfs(fd.as_raw_fd(), st.as_mut_ptr()) })?;
    // SAFETY: fstatfs succeeded, so st is initialised.
    Ok(statfs_fields(unsafe { &st.assume_init() }))
}

/// fchmodat2(2) with AT_SYMLINK_NOFOLLOW: the mode of `name` in `dir`, never through a
/// symlink (EOPNOTSUPP when `name` is one). Kernels before 6.6 lack fchmodat2 (ENOSYS): then
/// plain fchmodat, which follows a final symlink — callers have checked with an lstat.
pub fn fchmodat_nofollow(dir: BorrowedFd, name: &[u8], mode: u32) -> io::Result<()> {
    with_cstr(name, |c| {
        // SAFETY: c is NUL-terminated; fchmodat2 takes (dirfd, path, mode, flags) by value.
        let r = unsafe {
            libc::syscall(
                libc::SYS_fchmodat2,
                dir.as_raw_fd(),
                c.as_ptr(),
                mode as libc::c_uint,
                libc::AT_SYMLINK_NOFOLLOW,
            )
        };
        if r == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::ENOSYS) {
            return Err(e);
        }
        // SAFETY: c is NUL-terminated.
        cvt(unsafe { libc::fchmodat(dir.as_raw_fd(), c.as_ptr(), mode as libc::mode_t, 0) })
            .map(drop)
    })
}

/// ioctl(FICLONE): make `dst` share `src`'s data blocks (a reflink; btrfs, xfs, ...).
/// EXDEV, EOPNOTSUPP, EINVAL or ENOTTY where the file systems cannot.
pub fn ficlone(dst: BorrowedFd, src: BorrowedFd) -> io::Result<()> {
    // SAFETY: FICLONE takes the source descriptor as its integer argument; no memory is passed.
    cvt(unsafe { libc::ioctl(dst.as_raw_fd(), libc::FICLONE as _, src.as_raw_fd()) }).map(drop)
}

/// flistxattr(2): the NUL-separated attribute names of an open file into `buf` (the length
/// used; with an empty `buf`, the length needed).
pub fn flistxattr(fd: BorrowedFd, buf: &mut [u8]) -> io::Result<usize> {
    // SAFETY: buf is valid for writes of its length (a null-sized buffer asks for the size).
    cvt_size(unsafe { libc::flistxattr(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) })
}

/// fgetxattr(2): the value of attribute `key` of an open file into `buf`; its length.
pub fn fgetxattr(fd: BorrowedFd, key: &[u8], buf: &mut [u8]) -> io::Result<usize> {
    with_cstr(key, |k| {
        // SAFETY: k is NUL-terminated; buf is valid for writes of its length.
        cvt_size(unsafe {
            libc::fgetxattr(
                fd.as_raw_fd(),
                k.as_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
            )
        })
    })
}

/// sync(2): flush every file system.
pub fn sync_all() {
    // SAFETY: sync takes nothing and cannot fail.
    unsafe { libc::sync() }
}

/// syncfs(2): flush the file system holding `fd`.
pub fn syncfs(fd: BorrowedFd) -> io::Result<()> {
    // SAFETY: syncfs only takes a descriptor number.
    cvt(unsafe { libc::syncfs(fd.as_raw_fd()) }).map(drop)
}

// --- Advisory locks (flock): issue 16 ---

/// flock(2): `libc::LOCK_SH`/`LOCK_EX`/`LOCK_UN`, with `LOCK_NB` not to wait (EWOULDBLOCK).
/// A blocking wait is interrupted (EINTR) by a caught signal, as sigaction without
/// SA_RESTART installs it ([`super::signal::set_handler`]): flock -w's timer.
pub fn flock(fd: BorrowedFd, op: i32) -> io::Result<()> {
    // SAFETY: flock only takes a descriptor and a number.
    cvt(unsafe { libc::flock(fd.as_raw_fd(), op) }).map(drop)
}

/// setitimer(ITIMER_REAL) once: SIGALRM after `d` (zero disarms it).
pub fn alarm_after(d: std::time::Duration) -> io::Result<()> {
    // SAFETY: itimerval is plain data; all-zero is a disarmed timer.
    let mut t: libc::itimerval = unsafe { std::mem::zeroed() };
    t.it_value.tv_sec = d.as_secs().try_into().unwrap_or(i32::MAX.into());
    t.it_value.tv_usec = d.subsec_micros().into();
    // SAFETY: t is a valid itimerval; the old value is not asked for.
    cvt(unsafe { libc::setitimer(libc::ITIMER_REAL, &t, std::ptr::null_mut()) }).map(drop)
}

// --- inotify (tail -f/-F) ---

/// inotify_init1(2): a new inotify instance (`flags`: IN_CLOEXEC, IN_NONBLOCK).
pub fn inotify_init1(flags: i32) -> io::Result<OwnedFd> {
    // SAFETY: inotify_init1 only takes a number; a new descriptor comes back.
    cvt(unsafe { libc::inotify_init1(flags) }).map(owned)
}

/// inotify_add_watch(2) on `name` for the IN_* events in `mask`: the watch descriptor.
pub fn inotify_add_watch(fd: BorrowedFd, name: &[u8], mask: u32) -> io::Result<i32> {
    with_cstr(name, |c| {
        // SAFETY: c is NUL-terminated; fd is an open descriptor.
        cvt(unsafe { libc::inotify_add_watch(fd.as_raw_fd(), c.as_ptr(), mask) })
    })
}

/// inotify_rm_watch(2).
pub fn inotify_rm_watch(fd: BorrowedFd, wd: i32) -> io::Result<()> {
    // SAFETY: only numbers are passed.
    cvt(unsafe { libc::inotify_rm_watch(fd.as_raw_fd(), wd) }).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::sys::fd::{fstatat, openat, AsFd};

    fn tmpdir() -> (std::path::PathBuf, OwnedFd) {
        use std::os::unix::ffi::OsStrExt;
        let p = std::env::temp_dir().join(format!(
            "rbox-sysfs-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir(&p).unwrap();
        let fd = openat(
            crate::common::sys::cwd(),
            p.as_os_str().as_bytes(),
            libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
            0,
        )
        .unwrap();
        (p, fd)
    }

    #[test]
    fn make_link_rename_remove() {
        let (p, d) = tmpdir();
        let d = d.as_fd();
        mkdirat(d, b"sub", 0o755).unwrap();
        assert_eq!(
            mkdirat(d, b"sub", 0o755).unwrap_err().raw_os_error(),
            Some(libc::EEXIST)
        );
        symlinkat(b"../escape", d, b"sub/ln").unwrap();
        assert_eq!(readlinkat(d, b"sub/ln", 0).unwrap(), b"../escape");
        let long = vec![b'x'; 600];
        symlinkat(&long, d, b"long").unwrap();
        assert_eq!(readlinkat(d, b"long", 3).unwrap(), long);
        mkfifoat(d, b"fifo", 0o600).unwrap();
        assert_eq!(
            fstatat(d, b"fifo", 0).unwrap().st_mode & libc::S_IFMT,
            libc::S_IFIFO
        );
        linkat(d, b"fifo", d, b"fifo2", 0).unwrap();
        renameat(d, b"fifo2", d, b"fifo3").unwrap();
        assert_eq!(
            renameat2(d, b"fifo3", d, b"fifo", libc::RENAME_NOREPLACE)
                .unwrap_err()
                .raw_os_error(),
            Some(libc::EEXIST)
        );
        fchmodat(d, b"fifo", 0o640, 0).unwrap();
        utimensat(d, b"fifo", [Time::Omit, Time::At(1_000_000, 5)], 0).unwrap();
        let st = fstatat(d, b"fifo", 0).unwrap();
        assert_eq!(
            (st.st_mode & 0o777, st.st_mtime, st.st_mtime_nsec),
            (0o640, 1_000_000, 5)
        );
        // Beneath: the symlink leads out, so openat2 refuses (or the kernel lacks openat2).
        match open_beneath(d, b"sub/ln", libc::O_PATH) {
            Err(e) => assert!(matches!(
                e.raw_os_error(),
                Some(libc::EXDEV) | Some(libc::ELOOP) | Some(libc::ENOSYS) | Some(libc::ENOENT)
            )),
            Ok(_) => panic!("escaped"),
        }
        assert_eq!(
            open_nofollow_walk(d, b"sub/ln", libc::O_RDONLY)
                .unwrap_err()
                .raw_os_error(),
            Some(libc::ELOOP)
        );
        assert!(open_nofollow_walk(d, b"sub", libc::O_PATH | libc::O_DIRECTORY).is_ok());
        unlinkat(d, b"sub/ln", 0).unwrap();
        unlinkat(d, b"sub", libc::AT_REMOVEDIR).unwrap();
        std::fs::remove_dir_all(p).unwrap();
    }

    #[test]
    fn holes_truncate_pwrite_sendfile() {
        let m = memfd_create(b"t", libc::MFD_CLOEXEC).unwrap();
        let f = m.as_fd();
        pwrite_all(f, b"hello", 3).unwrap();
        ftruncate(f, 16).unwrap();
        fsync(f).unwrap();
        assert_eq!(super::super::fd::fstat(f).unwrap().st_size, 16);
        assert!(seek_data(f, 0).unwrap().is_some());
        assert_eq!(seek_hole(f, 100).unwrap(), None);
        let (r, w) = super::super::fd::pipe().unwrap();
        let mut off = 3;
        assert_eq!(
            super::super::copy::sendfile(w.as_fd(), f, Some(&mut off), 5).unwrap(),
            5
        );
        assert_eq!(off, 8);
        let mut b = [0u8; 8];
        assert_eq!(super::super::fd::read(r.as_fd(), &mut b).unwrap(), 5);
        assert_eq!(&b[..5], b"hello");
    }
}
