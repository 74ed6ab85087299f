//! Output and copying the way a C tool does it: one large buffer on fd 1 written with write(2),
//! and kernel copies (copy_file_range, splice, sendfile) for plain data movement.

use std::io;
use std::os::unix::io::RawFd;

/// Buffer size for bulk output and read/write copies.
pub const BUF_SIZE: usize = 128 * 1024;

/// `out.extend_from_slice(s)` for the many short pieces of line-oriented output (a line number,
/// a short line): copies of up to 16 bytes are two overlapping loads and stores instead of a
/// call to musl's memcpy, which dominated `cat -n` on short lines (ls and others format the same
/// way).
#[inline(always)]
pub fn append(out: &mut Vec<u8>, s: &[u8]) {
    let n = s.len();
    if n > 16 {
        out.extend_from_slice(s);
        return;
    }
    out.reserve(n);
    // SAFETY: `reserve` made room for n more bytes after len; the reads stay within `s` (each
    // branch reads at offsets 0 and n-width with n >= width) and the writes within the room.
    unsafe {
        let src = s.as_ptr();
        let dst = out.as_mut_ptr().add(out.len());
        if n >= 8 {
            let a = std::ptr::read_unaligned(src as *const u64);
            let b = std::ptr::read_unaligned(src.add(n - 8) as *const u64);
            std::ptr::write_unaligned(dst as *mut u64, a);
            std::ptr::write_unaligned(dst.add(n - 8) as *mut u64, b);
        } else if n >= 4 {
            let a = std::ptr::read_unaligned(src as *const u32);
            let b = std::ptr::read_unaligned(src.add(n - 4) as *const u32);
            std::ptr::write_unaligned(dst as *mut u32, a);
            std::ptr::write_unaligned(dst.add(n - 4) as *mut u32, b);
        } else {
            for i in 0..n {
                *dst.add(i) = *src.add(i);
            }
        }
        out.set_len(out.len() + n);
    }
}

fn last_err() -> io::Error {
    io::Error::last_os_error()
}

/// write(2) all of `buf` to `fd`, retrying on EINTR and short writes.
pub fn write_all_fd(fd: RawFd, mut buf: &[u8]) -> io::Result<()> {
    while !buf.is_empty() {
        // SAFETY: buf is a valid slice for its length.
        let n = unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) };
        if n < 0 {
            let e = last_err();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        if n == 0 {
            return Err(io::Error::from(io::ErrorKind::WriteZero));
        }
        buf = &buf[n as usize..];
    }
    Ok(())
}

/// read(2) into `buf`, retrying on EINTR. Returns 0 at end of file.
pub fn read_fd(fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
    // SAFETY: buf is a valid mutable slice for its length.
    unsafe { read_raw(fd, buf.as_mut_ptr(), buf.len()) }
}

/// read(2) into `len` bytes at `ptr`, retrying on EINTR.
///
/// # Safety
/// `ptr` must be valid for writes of `len` bytes.
unsafe fn read_raw(fd: RawFd, ptr: *mut u8, len: usize) -> io::Result<usize> {
    loop {
        let n = libc::read(fd, ptr.cast(), len);
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = last_err();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// read(2) up to `max` bytes onto the end of `buf`, without zero-filling the room first (the
/// memset showed up in `tar -c` of many small files). Returns the count read.
pub fn read_append(fd: RawFd, buf: &mut Vec<u8>, max: usize) -> io::Result<usize> {
    buf.reserve(max);
    // SAFETY: reserve made room for `max` bytes after len; read(2) writes at most that many
    // and set_len covers exactly the bytes it wrote.
    unsafe {
        let n = read_raw(fd, buf.as_mut_ptr().add(buf.len()), max)?;
        buf.set_len(buf.len() + n);
        Ok(n)
    }
}

/// Buffered writer on a file descriptor (fd 1 for applets). Unlike Rust's `Stdout` it is not
/// line-buffered, never splits writes at newlines, and reports errors to the caller instead of
/// panicking. Memory is allocated on first use, so an applet that prints nothing pays nothing.
pub struct Out {
    fd: RawFd,
    buf: Vec<u8>,
    cap: usize,
}

impl Out {
    pub fn stdout() -> Self {
        Out::new(1, BUF_SIZE)
    }

    pub fn new(fd: RawFd, cap: usize) -> Self {
        Out {
            fd,
            buf: Vec::new(),
            cap,
        }
    }

    pub fn fd(&self) -> RawFd {
        self.fd
    }

    /// Bytes waiting in the buffer.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    #[inline]
    pub fn write_all(&mut self, b: &[u8]) -> io::Result<()> {
        if self.buf.len() + b.len() > self.cap {
            self.flush()?;
            if b.len() >= self.cap {
                return write_all_fd(self.fd, b);
            }
        }
        if self.buf.capacity() == 0 {
            self.buf.reserve_exact(self.cap);
        }
        self.buf.extend_from_slice(b);
        Ok(())
    }

    #[inline]
    pub fn byte(&mut self, b: u8) -> io::Result<()> {
        if self.buf.len() >= self.cap {
            self.flush()?;
        }
        if self.buf.capacity() == 0 {
            self.buf.reserve_exact(self.cap);
        }
        self.buf.push(b);
        Ok(())
    }

    /// Direct access to the buffer for formatting loops that write many small pieces; call
    /// [`Out::maybe_flush`] afterwards.
    pub fn buf_mut(&mut self) -> &mut Vec<u8> {
        if self.buf.capacity() == 0 {
            self.buf.reserve_exact(self.cap);
        }
        &mut self.buf
    }

    /// Flush when the buffer has grown past its capacity.
    #[inline]
    pub fn maybe_flush(&mut self) -> io::Result<()> {
        if self.buf.len() >= self.cap {
            self.flush()
        } else {
            Ok(())
        }
    }

    pub fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let r = write_all_fd(self.fd, &self.buf);
        self.buf.clear();
        r
    }
}

impl io::Write for Out {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.write_all(b)?;
        Ok(b.len())
    }
    fn write_all(&mut self, b: &[u8]) -> io::Result<()> {
        Out::write_all(self, b)
    }
    fn flush(&mut self) -> io::Result<()> {
        Out::flush(self)
    }
}

fn file_type(fd: RawFd) -> Option<libc::mode_t> {
    // SAFETY: st is plain data filled in by fstat.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(fd, &mut st) == 0 {
            Some(st.st_mode & libc::S_IFMT)
        } else {
            None
        }
    }
}

/// A copy failed on the reading or the writing side (callers word the two differently).
#[derive(Debug)]
pub enum CopyError {
    Read(io::Error),
    Write(io::Error),
}

/// Copy everything from `src` to `dst` (both file descriptors), the fastest way the kernel
/// offers: copy_file_range between regular files, splice when either side is a pipe, sendfile
/// from a regular file to anything else, read/write as the fallback. Returns bytes copied.
///
/// When a kernel primitive fails part-way, the rest goes through read/write, which meets the
/// same error on the side that has it, so the caller learns which side failed.
pub fn copy_fd(src: RawFd, dst: RawFd) -> Result<u64, CopyError> {
    let st = file_type(src);
    let dt = file_type(dst);
    let mut total = 0u64;
    const CHUNK: usize = 1 << 30;
    let src_reg = st == Some(libc::S_IFREG);
    if dt == Some(libc::S_IFIFO) && src_reg {
        // A bigger pipe means fewer splices and wake-ups of the reader on the other end (the
        // default holds 64 KiB). Best effort: the limit may be lower for unprivileged users.
        // SAFETY: fcntl on a descriptor we were given; failure changes nothing.
        unsafe {
            libc::fcntl(dst, libc::F_SETPIPE_SZ, 1 << 20);
        }
    }
    let done = (src_reg
        && dt == Some(libc::S_IFREG)
        && kernel_loop(&mut total, || unsafe {
            libc::copy_file_range(
                src,
                std::ptr::null_mut(),
                dst,
                std::ptr::null_mut(),
                CHUNK,
                0,
            )
        }))
        || ((st == Some(libc::S_IFIFO) || dt == Some(libc::S_IFIFO))
            && kernel_loop(&mut total, || unsafe {
                libc::splice(
                    src,
                    std::ptr::null_mut(),
                    dst,
                    std::ptr::null_mut(),
                    CHUNK,
                    libc::SPLICE_F_MOVE,
                )
            }))
        || (src_reg
            && kernel_loop(&mut total, || unsafe {
                libc::sendfile(dst, src, std::ptr::null_mut(), CHUNK)
            }));
    if done {
        return Ok(total);
    }
    let mut buf = vec![0u8; BUF_SIZE];
    loop {
        let n = read_fd(src, &mut buf).map_err(CopyError::Read)?;
        if n == 0 {
            return Ok(total);
        }
        write_all_fd(dst, &buf[..n]).map_err(CopyError::Write)?;
        total += n as u64;
    }
}

/// Run one kernel copy primitive until end of file (true), or until it fails (false: the
/// caller goes on with the next method from the current offsets).
fn kernel_loop(total: &mut u64, mut f: impl FnMut() -> isize) -> bool {
    loop {
        let n = f();
        if n > 0 {
            *total += n as u64;
            continue;
        }
        if n == 0 {
            return true;
        }
        if io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            return false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn append_every_length() {
        let src: Vec<u8> = (0..40u8).collect();
        for n in 0..=40 {
            let mut v = b"ab".to_vec();
            append(&mut v, &src[..n]);
            assert_eq!(&v[..2], b"ab");
            assert_eq!(&v[2..], &src[..n]);
        }
    }
}
