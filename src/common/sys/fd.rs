//! Descriptors and the calls every applet makes on them: names turned into C strings without
//! an allocation for the common short name, open/openat, read/write with EINTR retried,
//! pipes, dup, fcntl and stat. Descriptors come back as `OwnedFd` (closed on drop) and are
//! passed as `BorrowedFd`.

use std::ffi::CStr;
use std::io;
use std::mem::MaybeUninit;

pub use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};

/// `struct stat` as the kernel fills it (musl's layout).
pub type Stat = libc::stat;

/// The current errno value.
pub fn errno() -> i32 {
    io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// -1 from a C call → the errno as an `io::Error`.
pub(crate) fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

pub(crate) fn cvt_size(r: isize) -> io::Result<usize> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r as usize)
    }
}

/// Retries `f` while it fails with EINTR.
pub(crate) fn retry<T>(mut f: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    loop {
        match f() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            r => return r,
        }
    }
}

/// Safe functions for system calls that take no arguments and cannot fail (getpid, getuid, ...):
/// `infallible! { /// doc \n getpid -> Pid; }`.
macro_rules! infallible {
    ($($(#[$doc:meta])* $name:ident -> $ty:ty;)*) => {$(
        $(#[$doc])*
        pub fn $name() -> $ty {
            // SAFETY: the call takes no arguments, touches no memory of ours and always succeeds.
            unsafe { libc::$name() }
        }
    )*};
}
pub(crate) use infallible;

/// Takes ownership of a descriptor number a C call returned.
pub(crate) fn owned(fd: libc::c_int) -> OwnedFd {
    debug_assert!(fd >= 0);
    // SAFETY: `fd` was just returned open by the kernel and nothing else owns it.
    unsafe { OwnedFd::from_raw_fd(fd) }
}

/// The `AT_FDCWD` pseudo-descriptor: `*at` calls given it resolve names from the current
/// directory.
pub fn cwd() -> BorrowedFd<'static> {
    // SAFETY: AT_FDCWD (-100) is not -1, is never closed, and the kernel accepts it wherever
    // a directory descriptor is taken; it is only ever passed to *at calls.
    unsafe { BorrowedFd::borrow_raw(libc::AT_FDCWD) }
}

/// Borrows one of the descriptors every process starts with (0, 1, 2), or a number the caller
/// keeps open for the borrow's lifetime (the shell's redirections address descriptors by number).
pub fn borrow_raw(fd: RawFd) -> BorrowedFd<'static> {
    assert!(fd >= 0, "borrow_raw of a negative descriptor");
    // SAFETY: a BorrowedFd is a number passed to system calls; if the number was closed, those
    // calls fail with EBADF, which every caller reports. No memory is reached through it.
    unsafe { BorrowedFd::borrow_raw(fd) }
}

/// Calls `f` with `name` as a NUL-terminated C string: on the stack for names under 512 bytes,
/// allocated otherwise. A name holding a NUL byte is EINVAL, as the kernel would say for a
/// truncated name.
#[inline]
pub fn with_cstr<T>(name: &[u8], f: impl FnOnce(&CStr) -> io::Result<T>) -> io::Result<T> {
    let mut buf = [MaybeUninit::<u8>::uninit(); CSTR_STACK];
    let mut heap = None;
    f(to_cstr(name, &mut buf, &mut heap)?)
}

const CSTR_STACK: usize = 512;

/// The conversion [`with_cstr`] makes, out of line: every system call taking a name inlines
/// `with_cstr`, and one copy of this is ~150 bytes less at each.
#[inline(never)]
fn to_cstr<'b>(
    name: &[u8],
    buf: &'b mut [MaybeUninit<u8>; CSTR_STACK],
    heap: &'b mut Option<std::ffi::CString>,
) -> io::Result<&'b CStr> {
    if name.len() < CSTR_STACK {
        // core's search, not CStr's: no call set up for long strings for a name of a
        // directory entry's few bytes.
        if name.contains(&0) {
            return Err(io::Error::from_raw_os_error(libc::EINVAL));
        }
        // SAFETY: name.len() < CSTR_STACK bytes are copied into buf and one more is written
        // after them; buf is not read beyond those name.len() + 1 initialised bytes.
        let bytes = unsafe {
            let p = buf.as_mut_ptr() as *mut u8;
            std::ptr::copy_nonoverlapping(name.as_ptr(), p, name.len());
            *p.add(name.len()) = 0;
            std::slice::from_raw_parts(p, name.len() + 1)
        };
        // SAFETY: bytes ends with the NUL written above and holds none before it.
        Ok(unsafe { CStr::from_bytes_with_nul_unchecked(bytes) })
    } else {
        match std::ffi::CString::new(name) {
            Ok(c) => Ok(heap.insert(c)),
            Err(_) => Err(io::Error::from_raw_os_error(libc::EINVAL)),
        }
    }
}

/// [`with_cstr`] for calls that take two names (rename, link, symlink).
pub fn with_cstr2<T>(
    a: &[u8],
    b: &[u8],
    f: impl FnOnce(&CStr, &CStr) -> io::Result<T>,
) -> io::Result<T> {
    with_cstr(a, |a| with_cstr(b, |b| f(a, b)))
}

/// openat(2), retried on EINTR (opening a fifo can be interrupted). `O_CLOEXEC` is the
/// caller's choice: the shell opens redirections without it.
pub fn openat(dir: BorrowedFd, name: &[u8], flags: i32, mode: u32) -> io::Result<OwnedFd> {
    with_cstr(name, |c| {
        retry(|| {
            // SAFETY: c is a valid NUL-terminated string; the mode is passed as the variadic
            // argument openat reads when O_CREAT/O_TMPFILE is set.
            let r =
                unsafe { libc::openat(dir.as_raw_fd(), c.as_ptr(), flags, mode as libc::c_uint) };
            cvt(r).map(owned)
        })
    })
}

/// open(2) relative to the current directory.
pub fn open(name: &[u8], flags: i32, mode: u32) -> io::Result<OwnedFd> {
    openat(cwd(), name, flags, mode)
}

/// read(2), retried on EINTR. Returns 0 at end of file.
pub fn read(fd: BorrowedFd, buf: &mut [u8]) -> io::Result<usize> {
    retry(|| {
        // SAFETY: buf is valid for writes of buf.len() bytes.
        cvt_size(unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) })
    })
}

/// pread(2) at `off`, retried on EINTR.
pub fn pread(fd: BorrowedFd, buf: &mut [u8], off: u64) -> io::Result<usize> {
    retry(|| {
        // SAFETY: buf is valid for writes of buf.len() bytes.
        cvt_size(unsafe {
            libc::pread(
                fd.as_raw_fd(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                off as libc::off_t,
            )
        })
    })
}

/// read(2) once, with EINTR reported instead of retried: a caught signal ends the read (Err of
/// kind Interrupted) so the caller can act on it (the shell's `read`, a line editor waiting
/// for keys while a resize or a child's exit arrives).
pub fn read_interruptible(fd: BorrowedFd, buf: &mut [u8]) -> io::Result<usize> {
    // SAFETY: buf is valid for writes of buf.len() bytes.
    cvt_size(unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) })
}

/// read(2) of up to `max` bytes onto the end of `buf` without zero-filling the room first
/// (the memset showed up in `tar -c` of many small files). Returns the count read.
pub fn read_append(fd: BorrowedFd, buf: &mut Vec<u8>, max: usize) -> io::Result<usize> {
    buf.reserve(max);
    let n = retry(|| {
        // SAFETY: reserve made room for `max` bytes after len; read(2) writes at most that many.
        cvt_size(unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().add(buf.len()).cast(), max) })
    })?;
    // SAFETY: the kernel initialised exactly n <= max bytes after len.
    unsafe { buf.set_len(buf.len() + n) };
    Ok(n)
}

/// Reads `fd` to its end onto `buf` (64 KiB at a time). Returns the count read.
pub fn read_to_end(fd: BorrowedFd, buf: &mut Vec<u8>) -> io::Result<usize> {
    let start = buf.len();
    while read_append(fd, buf, 64 * 1024)? > 0 {}
    Ok(buf.len() - start)
}

/// write(2) once, retried on EINTR. Returns the count written.
pub fn write(fd: BorrowedFd, buf: &[u8]) -> io::Result<usize> {
    retry(|| {
        // SAFETY: buf is valid for reads of buf.len() bytes.
        cvt_size(unsafe { libc::write(fd.as_raw_fd(), buf.as_ptr().cast(), buf.len()) })
    })
}

/// write(2) all of `buf`, retrying on EINTR and short writes.
pub fn write_all(fd: BorrowedFd, mut buf: &[u8]) -> io::Result<()> {
    while !buf.is_empty() {
        match write(fd, buf)? {
            0 => return Err(io::Error::from(io::ErrorKind::WriteZero)),
            n => buf = &buf[n..],
        }
    }
    Ok(())
}

/// pipe2(2): (read end, write end).
pub fn pipe2(flags: i32) -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: fds has room for the two descriptors pipe2 writes.
    cvt(unsafe { libc::pipe2(fds.as_mut_ptr(), flags) })?;
    Ok((owned(fds[0]), owned(fds[1])))
}

/// A close-on-exec pipe.
pub fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    pipe2(libc::O_CLOEXEC)
}

/// fcntl(F_DUPFD_CLOEXEC): a close-on-exec copy numbered `min` or above.
pub fn dup_min(fd: BorrowedFd, min: RawFd) -> io::Result<OwnedFd> {
    // SAFETY: F_DUPFD_CLOEXEC takes an int argument and returns a new descriptor.
    cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, min) }).map(owned)
}

/// dup2(2) onto a fixed number (the shell's redirections, a child's 0/1/2). The new number is
/// not close-on-exec; it belongs to whoever addresses it by number.
pub fn dup2(fd: BorrowedFd, target: RawFd) -> io::Result<()> {
    retry(|| {
        // SAFETY: dup2 only takes descriptor numbers.
        cvt(unsafe { libc::dup2(fd.as_raw_fd(), target) }).map(drop)
    })
}

/// close(2) of a descriptor addressed by number (`exec 3>&-`). Owned descriptors close on drop.
pub fn close_raw(fd: RawFd) -> io::Result<()> {
    // SAFETY: close only takes a number; the caller gives up any use of it.
    cvt(unsafe { libc::close(fd) }).map(drop)
}

/// fcntl(F_GETFD/F_SETFD): set or clear close-on-exec.
pub fn set_cloexec(fd: BorrowedFd, on: bool) -> io::Result<()> {
    // SAFETY: F_GETFD/F_SETFD take and return int flags.
    unsafe {
        let old = cvt(libc::fcntl(fd.as_raw_fd(), libc::F_GETFD))?;
        let new = if on {
            old | libc::FD_CLOEXEC
        } else {
            old & !libc::FD_CLOEXEC
        };
        if new != old {
            cvt(libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, new))?;
        }
    }
    Ok(())
}

/// fcntl(F_SETPIPE_SZ); the kernel may round or refuse, which callers ignore.
pub fn set_pipe_size(fd: BorrowedFd, size: i32) -> io::Result<i32> {
    // SAFETY: F_SETPIPE_SZ takes an int argument.
    cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETPIPE_SZ, size) })
}

/// fcntl(F_GETFL/F_SETFL): add status flags (O_APPEND, O_NONBLOCK, O_DIRECT, O_NOATIME) to an
/// open file description, as dd's iflag=/oflag= do for its standard input and output.
pub fn add_status_flags(fd: BorrowedFd, flags: i32) -> io::Result<()> {
    // SAFETY: F_GETFL/F_SETFL take and return int flags.
    unsafe {
        let old = cvt(libc::fcntl(fd.as_raw_fd(), libc::F_GETFL))?;
        if old | flags != old {
            cvt(libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, old | flags))?;
        }
    }
    Ok(())
}

/// Whether `fd` is open (fcntl F_GETFD succeeds).
pub fn is_open(fd: RawFd) -> bool {
    // SAFETY: F_GETFD only inspects the descriptor table.
    unsafe { libc::fcntl(fd, libc::F_GETFD) != -1 }
}

/// lseek(2).
pub fn lseek(fd: BorrowedFd, off: i64, whence: i32) -> io::Result<u64> {
    // SAFETY: lseek only takes numbers.
    let r = unsafe { libc::lseek(fd.as_raw_fd(), off as libc::off_t, whence) };
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r as u64)
    }
}

/// isatty(3).
pub fn isatty(fd: BorrowedFd) -> bool {
    // SAFETY: isatty only takes a number.
    unsafe { libc::isatty(fd.as_raw_fd()) == 1 }
}

/// fstat(2).
pub fn fstat(fd: BorrowedFd) -> io::Result<Stat> {
    let mut st = MaybeUninit::<Stat>::uninit();
    // SAFETY: st has room for a struct stat, which fstat fills on success.
    cvt(unsafe { libc::fstat(fd.as_raw_fd(), st.as_mut_ptr()) })?;
    // SAFETY: fstat succeeded, so st is initialised.
    Ok(unsafe { st.assume_init() })
}

/// fstatat(2) relative to `dir`; `flags` as AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH.
pub fn fstatat(dir: BorrowedFd, name: &[u8], flags: i32) -> io::Result<Stat> {
    let mut st = MaybeUninit::<Stat>::uninit();
    fstatat_raw(dir, name, flags, st.as_mut_ptr())?;
    // SAFETY: fstatat_raw succeeded, so st is initialised.
    Ok(unsafe { st.assume_init() })
}

/// A struct stat of zeroes, to be filled by [`fstatat_into`].
pub fn stat_zeroed() -> Stat {
    // SAFETY: struct stat is plain integers, for which all zeroes is a valid value.
    unsafe { std::mem::zeroed() }
}

/// [`fstatat`] into `out`, which keeps its old value on failure: a tree walk stats every
/// file into its entry without moving the result around.
pub fn fstatat_into(dir: BorrowedFd, name: &[u8], flags: i32, out: &mut Stat) -> io::Result<()> {
    fstatat_raw(dir, name, flags, out)
}

fn fstatat_raw(dir: BorrowedFd, name: &[u8], flags: i32, out: *mut Stat) -> io::Result<()> {
    with_cstr(name, |c| {
        // On 64-bit Linux the kernel's struct stat is libc's: the system call fills it in
        // place, where musl's fstatat would fill a copy and move it field by field.
        #[cfg(all(
            target_os = "linux",
            any(target_arch = "x86_64", target_arch = "aarch64")
        ))]
        // SAFETY: c is NUL-terminated; out has room for a struct stat, which is the kernel's
        // struct stat on these targets.
        let r = unsafe {
            libc::syscall(
                libc::SYS_newfstatat,
                dir.as_raw_fd(),
                c.as_ptr(),
                out,
                flags,
            )
        } as libc::c_int;
        #[cfg(not(all(
            target_os = "linux",
            any(target_arch = "x86_64", target_arch = "aarch64")
        )))]
        // SAFETY: c is NUL-terminated; out has room for a struct stat.
        let r = unsafe { libc::fstatat(dir.as_raw_fd(), c.as_ptr(), out, flags) };
        cvt(r).map(drop)
    })
}

/// stat(2) (follows symlinks).
pub fn stat(name: &[u8]) -> io::Result<Stat> {
    fstatat(cwd(), name, 0)
}

/// lstat(2).
pub fn lstat(name: &[u8]) -> io::Result<Stat> {
    fstatat(cwd(), name, libc::AT_SYMLINK_NOFOLLOW)
}

/// faccessat(2) with the real ids (`test -x`, PATH searches).
pub fn access(name: &[u8], mode: i32) -> bool {
    with_cstr(name, |c| {
        // SAFETY: c is NUL-terminated.
        cvt(unsafe { libc::faccessat(libc::AT_FDCWD, c.as_ptr(), mode, 0) })
    })
    .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_flags_added() {
        let (r, _w) = pipe().unwrap();
        add_status_flags(r.as_fd(), libc::O_NONBLOCK).unwrap();
        let e = read(r.as_fd(), &mut [0u8; 1]).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::WouldBlock);
    }

    #[test]
    fn cstr_short_long_and_nul() {
        assert_eq!(with_cstr(b"abc", |c| Ok(c.to_bytes().len())).unwrap(), 3);
        let long = vec![b'x'; 4000];
        assert_eq!(with_cstr(&long, |c| Ok(c.to_bytes().len())).unwrap(), 4000);
        let e = with_cstr(b"a\0b", |_| Ok(())).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::EINVAL));
    }

    #[test]
    fn pipe_roundtrip_and_stat() {
        let (r, w) = pipe().unwrap();
        write_all(w.as_fd(), b"hello").unwrap();
        drop(w);
        let mut v = Vec::new();
        while read_append(r.as_fd(), &mut v, 3).unwrap() > 0 {}
        assert_eq!(v, b"hello");
        assert_eq!(
            fstat(r.as_fd()).unwrap().st_mode & libc::S_IFMT,
            libc::S_IFIFO
        );
        assert_eq!(
            stat(b"/nonexistent/x").unwrap_err().raw_os_error(),
            Some(libc::ENOENT)
        );
    }
}
