//! Directories: opened relative to a parent descriptor, read with getdents64 into one reused
//! buffer, entries handed out as borrowed `(name, d_type, inode)` without an allocation each:
//! the one getdents64 record parser in rbox.
//!
//! ```ignore
//! let fd = dir::open_dir(sys::cwd(), b"some/dir", true)?;
//! let mut buf = dir::DirBuf::new();
//! dir::read_dir(fd.as_fd(), &mut buf, |e| println!("{:?} {} {}", e.name, e.dtype, e.ino))?;
//! ```

use std::io;

use super::fd::{cvt_size, openat, retry, AsRawFd, BorrowedFd, OwnedFd};

/// Flags every directory is opened with: read-only, a directory or ENOTDIR, close-on-exec, and
/// O_NONBLOCK so that a fifo swapped in for the directory cannot block the open.
pub const DIR_FLAGS: i32 = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC | libc::O_NONBLOCK;

/// Opens the directory `name` relative to `parent`. `follow == false` adds O_NOFOLLOW: a
/// symlink in the last component fails (ELOOP) instead of leading elsewhere.
pub fn open_dir(parent: BorrowedFd, name: &[u8], follow: bool) -> io::Result<OwnedFd> {
    let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
    openat(parent, name, DIR_FLAGS | nofollow, 0)
}

/// The getdents64 buffer size rbox reads with: large batches, few system calls (ls of 100k
/// files does a handful of calls).
pub const DENTS_SIZE: usize = 256 * 1024;

/// One directory record, borrowed from the buffer it was read into.
#[derive(Clone, Copy, Debug)]
pub struct DirEntry<'a> {
    /// The name, without its NUL. `.` and `..` are included.
    pub name: &'a [u8],
    /// `d_type`: `libc::DT_DIR`, `DT_REG`, ..., or `DT_UNKNOWN` where the file system does not
    /// say.
    pub dtype: u8,
    /// `d_ino`.
    pub ino: u64,
}

/// A reused getdents64 buffer.
pub struct DirBuf {
    buf: Vec<u8>,
}

impl Default for DirBuf {
    fn default() -> Self {
        DirBuf::new()
    }
}

impl DirBuf {
    /// A buffer of [`DENTS_SIZE`] bytes (allocated on first use).
    pub fn new() -> DirBuf {
        DirBuf { buf: Vec::new() }
    }

    /// A buffer of `n` bytes, for a directory known to be small (/proc/self/fd).
    pub fn with_size(n: usize) -> DirBuf {
        DirBuf { buf: vec![0u8; n] }
    }

    /// One getdents64 call on `fd`: the records it returned (none at the end of the
    /// directory). EINTR is retried.
    pub fn fill(&mut self, fd: BorrowedFd) -> io::Result<Records<'_>> {
        if self.buf.is_empty() {
            self.buf = vec![0u8; DENTS_SIZE];
        }
        let buf = &mut self.buf;
        let n = retry(|| {
            // SAFETY: buf is valid for writes of buf.len() bytes; getdents64 writes at most
            // that many and returns the count written.
            cvt_size(unsafe {
                libc::syscall(
                    libc::SYS_getdents64,
                    fd.as_raw_fd(),
                    buf.as_mut_ptr(),
                    buf.len(),
                )
            } as isize)
        })?;
        Ok(Records {
            buf: &self.buf[..n],
        })
    }
}

/// The records of one getdents64 batch.
pub struct Records<'a> {
    buf: &'a [u8],
}

impl Records<'_> {
    /// Whether the batch is empty (the end of the directory).
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = DirEntry<'a>;

    #[inline]
    fn next(&mut self) -> Option<DirEntry<'a>> {
        // struct linux_dirent64 { u64 d_ino; i64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
        let rec = self.buf;
        if rec.len() < 20 {
            self.buf = &[];
            return None;
        }
        let ino = u64::from_ne_bytes(rec[0..8].try_into().unwrap_or([0; 8]));
        let reclen = u16::from_ne_bytes([rec[16], rec[17]]) as usize;
        if reclen < 20 || reclen > rec.len() {
            self.buf = &[];
            return None;
        }
        let dtype = rec[18];
        let nm = &rec[19..reclen];
        // The kernel pads the record to 8 bytes after the name's NUL without clearing the
        // padding, so the NUL is the first one, and it is among the record's last 8 bytes:
        // looking from there costs a few bytes, not a search call (and no CPU feature probe).
        let len = match nm.len().checked_sub(8) {
            Some(from) => {
                // The first zero byte of the last eight, by the word trick (a borrow can only
                // mark bytes after a real zero, so the lowest mark is the first zero).
                let w = u64::from_le_bytes(nm[from..].try_into().unwrap_or([1; 8]));
                let z = w.wrapping_sub(0x0101_0101_0101_0101) & !w & 0x8080_8080_8080_8080;
                if z == 0 {
                    nm.len()
                } else {
                    from + (z.trailing_zeros() / 8) as usize
                }
            }
            None => nm.iter().position(|&b| b == 0).unwrap_or(nm.len()),
        };
        self.buf = &rec[reclen..];
        Some(DirEntry {
            name: &nm[..len],
            dtype,
            ino,
        })
    }
}

/// Reads the whole directory, calling `f` for each entry (`.` and `..` included). An error
/// while reading is returned after the entries read before it were passed on.
pub fn read_dir(fd: BorrowedFd, buf: &mut DirBuf, mut f: impl FnMut(DirEntry)) -> io::Result<()> {
    loop {
        let recs = buf.fill(fd)?;
        if recs.is_empty() {
            return Ok(());
        }
        for e in recs {
            f(e);
        }
    }
}

/// Whether a name is `.` or `..`.
#[inline]
pub fn is_dot_or_dotdot(name: &[u8]) -> bool {
    name == b"." || name == b".."
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::sys::fd::{cwd, AsFd};
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn reads_names_types_and_links() {
        let t = std::env::temp_dir().join(format!("rbox-sysdir-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&t);
        std::fs::create_dir_all(t.join("sub")).unwrap();
        std::fs::write(t.join("f"), b"x").unwrap();
        std::os::unix::fs::symlink("a/long/target", t.join("ln")).unwrap();
        for i in 0..3000 {
            std::fs::write(t.join(format!("many-{i:05}-{}", "x".repeat(60))), b"").unwrap();
        }
        let fd = open_dir(cwd(), t.as_os_str().as_bytes(), false).unwrap();
        let mut buf = DirBuf::new();
        let mut names = Vec::new();
        read_dir(fd.as_fd(), &mut buf, |e| {
            names.push((e.name.to_vec(), e.dtype, e.ino))
        })
        .unwrap();
        assert_eq!(names.len(), 3000 + 5);
        let find = |n: &[u8]| names.iter().find(|x| x.0 == n).unwrap().1;
        assert_eq!(find(b"sub"), libc::DT_DIR);
        assert_eq!(find(b"f"), libc::DT_REG);
        assert_eq!(find(b"ln"), libc::DT_LNK);
        assert_eq!(find(b".."), libc::DT_DIR);
        let mut l = Vec::new();
        super::super::fs::readlinkat_into(fd.as_fd(), b"ln", &mut l).unwrap();
        assert_eq!(l, b"a/long/target");
        let mut small = Vec::with_capacity(1);
        super::super::fs::readlinkat_into(fd.as_fd(), b"ln", &mut small).unwrap();
        assert_eq!(small, b"a/long/target");
        assert_eq!(
            super::super::fs::readlinkat_into(fd.as_fd(), b"f", &mut l)
                .unwrap_err()
                .raw_os_error(),
            Some(libc::EINVAL)
        );
        // A symlink is not followed without `follow`.
        let e = open_dir(fd.as_fd(), b"ln", false).unwrap_err();
        assert!(matches!(
            e.raw_os_error(),
            Some(libc::ELOOP) | Some(libc::ENOTDIR) | Some(libc::ENOENT)
        ));
        assert_eq!(
            open_dir(fd.as_fd(), b"f", true).unwrap_err().raw_os_error(),
            Some(libc::ENOTDIR)
        );
        let sx = super::super::fs::statx(
            fd.as_fd(),
            b"f",
            libc::AT_SYMLINK_NOFOLLOW,
            libc::STATX_BASIC_STATS,
        )
        .unwrap();
        assert_eq!(sx.stx_size, 1);
        std::fs::remove_dir_all(&t).unwrap();
    }
}
