//! Output and copying the way a C tool does it: one large buffer on fd 1 written with write(2),
//! and kernel copies (copy_file_range, splice, sendfile) for plain data movement.

use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use super::sys::copy as kcopy;
use super::sys::fd;
use super::sys::map;

/// read(2) into a buffer, retried on EINTR (0 at end of file), and write(2) of a whole buffer,
/// retried on EINTR and short writes: the system layer's, on borrowed descriptors.
pub use super::sys::fd::{read, write_all};

/// Buffer size for bulk output and read/write copies.
pub const BUF_SIZE: usize = 128 * 1024;

/// Descriptor 0, which every process starts with (a closed one makes calls fail with EBADF).
pub fn stdin_fd() -> BorrowedFd<'static> {
    fd::borrow_raw(0)
}

/// An input operand as the text tools take it: `-` is standard input, any other name a file
/// opened read-only. Each tool words its own message when the open fails.
pub enum Input {
    Stdin,
    File(OwnedFd),
}

impl Input {
    pub fn open(name: &[u8]) -> io::Result<Input> {
        if name == b"-" {
            Ok(Input::Stdin)
        } else {
            fd::open(name, libc::O_RDONLY | libc::O_CLOEXEC, 0).map(Input::File)
        }
    }

    pub fn fd(&self) -> BorrowedFd<'_> {
        match self {
            Input::Stdin => stdin_fd(),
            Input::File(f) => f.as_fd(),
        }
    }
}

/// Where the last `n` lines of the file's bytes `[start, size)` begin (the last byte ends the
/// last line, a line end or not), read backwards in blocks with pread: tail's `-n N` and head's
/// `-n -N` on a regular file. A file that shrank meanwhile is scanned for what is left.
pub fn last_lines_start(fd: BorrowedFd, start: u64, size: u64, n: u64, eol: u8) -> io::Result<u64> {
    if n == 0 || size <= start {
        return Ok(size.max(start));
    }
    let mut left = n;
    let mut end = size - 1;
    let mut buf = vec![0u8; BUF_SIZE];
    while end > start {
        let from = end.saturating_sub(BUF_SIZE as u64).max(start);
        let len = (end - from) as usize;
        let mut got = 0;
        while got < len {
            let r = fd::pread(fd, &mut buf[got..len], from + got as u64)?;
            if r == 0 {
                break;
            }
            got += r;
        }
        for p in memchr::memrchr_iter(eol, &buf[..got]) {
            left -= 1;
            if left == 0 {
                return Ok(from + p as u64 + 1);
            }
        }
        end = from;
    }
    Ok(start)
}

/// Descriptor 1.
pub fn stdout_fd() -> BorrowedFd<'static> {
    fd::borrow_raw(1)
}

/// Descriptor 2.
pub fn stderr_fd() -> BorrowedFd<'static> {
    fd::borrow_raw(2)
}

/// `out.extend_from_slice(s)` for the many short pieces of line-oriented output (a line number,
/// a short line): copies of up to 16 bytes are two overlapping loads and stores instead of a
/// call to musl's memcpy, which dominated `cat -n` on short lines (ls and others format the same
/// way). The stores go into the vector's spare room, hence in the system layer
/// ([`kcopy::append_short`]); a safe form through a 16-byte array was 1.5x slower at opt-level z.
#[inline(always)]
pub fn append(out: &mut Vec<u8>, s: &[u8]) {
    kcopy::append_short(out, s)
}

/// `out.extend_from_slice(format!(..).as_bytes())` without the `String`: the text is formatted
/// straight into `out` (`push_fmt(&mut m, format_args!(": {n}"))`). One call instead of a
/// format, a copy and a drop at each of the many message-building sites.
pub fn push_fmt(out: &mut Vec<u8>, a: std::fmt::Arguments) {
    let _ = io::Write::write_fmt(out, a);
}

/// Buffered writer on a file descriptor (fd 1 for applets). Unlike Rust's `Stdout` it is not
/// line-buffered, never splits writes at newlines, and reports errors to the caller instead of
/// panicking. Memory is allocated on first use, so an applet that prints nothing pays nothing.
///
/// The descriptor is borrowed for the program's life: 0/1/2, or one the caller keeps open as
/// long as the writer is used.
pub struct Out {
    fd: BorrowedFd<'static>,
    buf: Vec<u8>,
    cap: usize,
}

impl Out {
    pub fn stdout() -> Self {
        Out::on(stdout_fd(), BUF_SIZE)
    }

    /// A writer on `fd` flushing every `cap` bytes.
    pub fn on(fd: BorrowedFd<'static>, cap: usize) -> Self {
        Out {
            fd,
            buf: Vec::new(),
            cap,
        }
    }

    /// The descriptor written to.
    pub fn as_fd(&self) -> BorrowedFd<'static> {
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
                return write_all(self.fd, b);
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
        drain(self.fd, &mut self.buf)
    }
}

/// Write out and empty a writer's buffer. It is emptied on failure too: what a failed write
/// left is not tried again.
pub fn drain(fd: BorrowedFd, buf: &mut Vec<u8>) -> io::Result<()> {
    if buf.is_empty() {
        return Ok(());
    }
    let r = write_all(fd, buf);
    buf.clear();
    r
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

/// Regular files from this size on are mapped by [`read_pieces`]: below it a read or two cost
/// less than setting up a mapping.
const MAP_MIN: u64 = 256 * 1024;
/// What [`read_pieces`] maps and hands over at a time. The pages mapped count in the resident
/// size (a whole 100 MB file: 105 MB peak RSS; 2 MiB windows: 3.3 MiB, above GNU's 1.9);
/// 384 KiB keeps `wc -l`'s peak RSS at 1,252 KiB (GNU 1,408) for 2-5% more time than 2 MiB
/// (`perf stat -r 20`), and `sha256sum`'s at 1,364 (BusyBox 1,412) for 0.6% less CPU than
/// 256 KiB.
pub const WINDOW: usize = 384 << 10;

/// Feed the rest of `fd` to `f`, piece by piece, until its end. A regular file of
/// [`MAP_MIN`] bytes or more is mapped ([`map::FileMap`]: no copy; half of `wc -l`'s time went
/// to copying), `window` bytes at a time ([`WINDOW`]), anything else read into
/// `buf`. The offset ends after what was read, as after read(2) alone, and what the file gained
/// meanwhile is read too. A mapped file that shrank meanwhile fails with EIO: what was handed
/// over may hold zeros for what went away.
pub fn read_pieces(
    fd: BorrowedFd,
    buf: &mut [u8],
    window: usize,
    mut f: impl FnMut(&[u8]),
) -> io::Result<()> {
    if let Some((mut pos, size)) = mappable(fd) {
        let mut last: Option<map::FileMap> = None;
        while pos < size {
            let len = (size - pos).min(window as u64) as usize;
            // The window moves over its own addresses while it keeps its length (the last one
            // is a mapping of its own): one mmap a window instead of an mmap, a munmap and
            // the SIGBUS handler set and put back (sha256sum of 100 MB: -1% CPU).
            let m = match last.take() {
                Some(m) if m.bytes().len() == len => m.remap(fd, pos, len),
                old => {
                    drop(old);
                    map::FileMap::new(fd, pos, len)
                }
            };
            let Ok(m) = m else {
                break;
            };
            f(m.bytes());
            if m.faulted() {
                return Err(io::Error::from_raw_os_error(libc::EIO));
            }
            pos += len as u64;
            last = Some(m);
        }
        drop(last);
        if fd::fstat(fd).is_ok_and(|st| (st.st_size as u64) < pos) {
            return Err(io::Error::from_raw_os_error(libc::EIO));
        }
        fd::lseek(fd, pos as i64, libc::SEEK_SET)?;
    }
    loop {
        match read(fd, buf)? {
            0 => return Ok(()),
            n => f(&buf[..n]),
        }
    }
}

/// Where `fd` stands and where it ends, when it is a regular file with at least [`MAP_MIN`]
/// bytes left.
fn mappable(fd: BorrowedFd) -> Option<(u64, u64)> {
    let st = fd::fstat(fd).ok()?;
    let size = st.st_size as u64;
    if st.st_mode & libc::S_IFMT != libc::S_IFREG || size < MAP_MIN {
        return None;
    }
    let pos = fd::lseek(fd, 0, libc::SEEK_CUR).ok()?;
    (size.saturating_sub(pos) >= MAP_MIN).then_some((pos, size))
}

fn file_type(fd: BorrowedFd) -> Option<libc::mode_t> {
    fd::fstat(fd).ok().map(|st| st.st_mode & libc::S_IFMT)
}

/// A copy failed on the reading or the writing side (callers word the two differently).
#[derive(Debug)]
pub enum CopyError {
    Read(io::Error),
    Write(io::Error),
}

/// Copy everything from `src` to `dst`, the fastest way the kernel offers: copy_file_range
/// between regular files, splice when either side is a pipe, sendfile from a regular file to
/// anything else, read/write as the fallback. Returns bytes copied.
///
/// When a kernel primitive fails part-way, the rest goes through read/write, which meets the
/// same error on the side that has it, so the caller learns which side failed.
pub fn copy(src: BorrowedFd, dst: BorrowedFd) -> Result<u64, CopyError> {
    copy_typed(src, file_type(src), dst, file_type(dst))
}

/// [`copy`] for a caller that already knows both file types (`st_mode & S_IFMT`; `None`:
/// unknown), so a copy of many small files makes no `fstat` calls of its own.
pub fn copy_typed(
    src: BorrowedFd,
    st: Option<libc::mode_t>,
    dst: BorrowedFd,
    dt: Option<libc::mode_t>,
) -> Result<u64, CopyError> {
    let mut total = 0u64;
    const CHUNK: usize = 1 << 30;
    let src_reg = st == Some(libc::S_IFREG);
    if dt == Some(libc::S_IFIFO) && src_reg {
        // A bigger pipe means fewer splices and wake-ups of the reader on the other end (the
        // default holds 64 KiB). Best effort: the limit may be lower for unprivileged users.
        let _ = fd::set_pipe_size(dst, 1 << 20);
    }
    let done = (src_reg
        && dt == Some(libc::S_IFREG)
        && kernel_loop(&mut total, || {
            kcopy::copy_file_range(src, None, dst, None, CHUNK)
        }))
        || ((st == Some(libc::S_IFIFO) || dt == Some(libc::S_IFIFO))
            && kernel_loop(&mut total, || {
                kcopy::splice(src, None, dst, None, CHUNK, libc::SPLICE_F_MOVE)
            }))
        || (src_reg && kernel_loop(&mut total, || kcopy::sendfile(dst, src, None, CHUNK)));
    if done {
        return Ok(total);
    }
    let mut buf = vec![0u8; BUF_SIZE];
    loop {
        let n = read(src, &mut buf).map_err(CopyError::Read)?;
        if n == 0 {
            return Ok(total);
        }
        write_all(dst, &buf[..n]).map_err(CopyError::Write)?;
        total += n as u64;
    }
}

/// Run one kernel copy primitive (EINTR already retried) until end of file (true), or until
/// it fails (false: the caller goes on with the next method from the current offsets).
fn kernel_loop(total: &mut u64, mut f: impl FnMut() -> io::Result<usize>) -> bool {
    loop {
        match f() {
            Ok(0) => return true,
            Ok(n) => *total += n as u64,
            Err(_) => return false,
        }
    }
}

/// GNU's `yesno()`: reads one line from standard input (a byte at a time, so nothing past
/// the line is consumed) and says whether it answers yes: it starts with `y` or `Y`, as
/// rpmatch does in the C locale. End of input or an error is no. The caller has written the
/// question on stderr.
pub fn yesno() -> bool {
    let mut first = None;
    let mut b = [0u8; 1];
    while let Ok(1) = read(stdin_fd(), &mut b) {
        if b[0] == b'\n' {
            break;
        }
        first.get_or_insert(b[0]);
    }
    matches!(first, Some(b'y' | b'Y'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsFd;

    #[test]
    fn read_pieces_of_a_file_that_grows_or_shrinks() {
        // One test for the mapped cases: the SIGBUS note is process-wide, one mapping at a
        // time (another test mapping meanwhile would read instead).
        let path = std::env::temp_dir().join(format!("rbox-pieces-{}", std::process::id()));
        let data: Vec<u8> = (0..(3 << 20) + 123)
            .map(|i: usize| (i ^ i >> 12) as u8)
            .collect();
        let mut buf = vec![0u8; 4096];
        let resize = |len: u64| {
            std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .unwrap()
                .set_len(len)
                .unwrap()
        };
        // Read from an offset, in pieces; the descriptor ends at the end.
        std::fs::write(&path, &data).unwrap();
        let mut f = std::fs::File::open(&path).unwrap();
        std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(5000)).unwrap();
        let (mut got, mut pieces) = (Vec::new(), 0);
        read_pieces(f.as_fd(), &mut buf, WINDOW, |p| {
            got.extend_from_slice(p);
            pieces += 1;
        })
        .unwrap();
        assert!(got == data[5000..]);
        assert_eq!(pieces, (data.len() - 5000).div_ceil(WINDOW));
        assert_eq!(
            fd::lseek(f.as_fd(), 0, libc::SEEK_CUR).unwrap(),
            data.len() as u64
        );
        // What is added meanwhile is read after the mapping.
        let f = std::fs::File::open(&path).unwrap();
        let mut got = Vec::new();
        read_pieces(f.as_fd(), &mut buf, WINDOW, |p| {
            if got.is_empty() {
                resize(data.len() as u64 + 10_000);
            }
            got.extend_from_slice(p);
        })
        .unwrap();
        assert_eq!(got.len(), data.len() + 10_000);
        // Shrunk in the middle of a page, and past it: an error, not a crash or zeros.
        for cut in [data.len() as u64 - 100, 1_500_000] {
            std::fs::write(&path, &data).unwrap();
            let f = std::fs::File::open(&path).unwrap();
            let mut first = true;
            let r = read_pieces(f.as_fd(), &mut buf, WINDOW, |_| {
                if std::mem::take(&mut first) {
                    resize(cut);
                }
            });
            assert_eq!(
                r.unwrap_err().raw_os_error(),
                Some(libc::EIO),
                "cut at {cut}"
            );
        }
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn append_every_length() {
        let src: Vec<u8> = (0..40u8).map(|b| b.wrapping_mul(37) ^ 0xa5).collect();
        for n in 0..=40 {
            let mut v = b"ab".to_vec();
            append(&mut v, &src[..n]);
            assert_eq!(&v[..2], b"ab");
            assert_eq!(&v[2..], &src[..n]);
            // And at every starting offset of the source.
            for off in 0..(40 - n) {
                let mut w = Vec::new();
                append(&mut w, &src[off..off + n]);
                assert_eq!(w, &src[off..off + n]);
            }
        }
    }

    #[test]
    fn copy_file_to_pipe_and_file() {
        let dir = std::env::temp_dir();
        let p = dir.join(format!("rbox-io-copy-{}", std::process::id()));
        let q = dir.join(format!("rbox-io-copy-{}-out", std::process::id()));
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&p, &data).unwrap();
        // file → file (copy_file_range)
        let src = std::fs::File::open(&p).unwrap();
        let dst = std::fs::File::create(&q).unwrap();
        assert_eq!(copy(src.as_fd(), dst.as_fd()).unwrap(), data.len() as u64);
        assert_eq!(std::fs::read(&q).unwrap(), data);
        // file → pipe (splice), read back on another thread
        let src = std::fs::File::open(&p).unwrap();
        let (r, w) = fd::pipe().unwrap();
        let t = std::thread::spawn(move || {
            let mut v = Vec::new();
            while fd::read_append(r.as_fd(), &mut v, 65536).unwrap() > 0 {}
            v
        });
        assert_eq!(copy(src.as_fd(), w.as_fd()).unwrap(), data.len() as u64);
        drop(w);
        assert_eq!(t.join().unwrap(), data);
        // pipe → file (splice)
        let (r, w) = fd::pipe().unwrap();
        write_all(w.as_fd(), b"tail").unwrap();
        drop(w);
        let dst = std::fs::File::create(&q).unwrap();
        assert_eq!(copy(r.as_fd(), dst.as_fd()).unwrap(), 4);
        assert_eq!(std::fs::read(&q).unwrap(), b"tail");
        let _ = std::fs::remove_file(&p);
        let _ = std::fs::remove_file(&q);
    }
}
