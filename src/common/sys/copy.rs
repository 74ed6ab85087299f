//! Kernel copies between descriptors: copy_file_range(2), splice(2) and sendfile(2). Each is
//! one call (a short count is normal: callers loop), retried on EINTR, with optional explicit
//! offsets (`None` uses and advances the descriptor's own offset, as cp/mv/install need both).
//! Also the short appends of line-oriented output (unaligned loads and stores into a vector's
//! spare room), the one memory trick rbox keeps for speed.

use std::io;
use std::ptr;

use super::fd::{cvt_size, retry, AsRawFd, BorrowedFd};

/// An optional offset as the pointer the kernel takes (null: the file's own offset).
fn off_ptr(off: Option<&mut i64>) -> *mut i64 {
    match off {
        Some(o) => o,
        None => ptr::null_mut(),
    }
}

/// copy_file_range(2) of up to `len` bytes from `src` to `dst` (both regular files on Linux
/// before 5.19, any files after). Returns the count copied, 0 at the end of `src`.
pub fn copy_file_range(
    src: BorrowedFd,
    src_off: Option<&mut i64>,
    dst: BorrowedFd,
    dst_off: Option<&mut i64>,
    len: usize,
) -> io::Result<usize> {
    let (so, dof) = (off_ptr(src_off), off_ptr(dst_off));
    retry(|| {
        // SAFETY: the offsets are null or point to i64s borrowed mutably for this call (loff_t
        // is i64); the call reads and writes no other memory of ours.
        cvt_size(unsafe {
            libc::copy_file_range(src.as_raw_fd(), so, dst.as_raw_fd(), dof, len, 0)
        })
    })
}

/// splice(2) of up to `len` bytes; one side must be a pipe (its offset must be `None`).
/// `flags`: `libc::SPLICE_F_MOVE`, `SPLICE_F_MORE`, `SPLICE_F_NONBLOCK`.
pub fn splice(
    src: BorrowedFd,
    src_off: Option<&mut i64>,
    dst: BorrowedFd,
    dst_off: Option<&mut i64>,
    len: usize,
    flags: u32,
) -> io::Result<usize> {
    let (so, dof) = (off_ptr(src_off), off_ptr(dst_off));
    retry(|| {
        // SAFETY: the offsets are null or point to i64s borrowed mutably for this call; the
        // call reads and writes no other memory of ours.
        cvt_size(unsafe { libc::splice(src.as_raw_fd(), so, dst.as_raw_fd(), dof, len, flags) })
    })
}

/// sendfile(2) of up to `count` bytes from `src` (a file that can be mmapped) to `dst`.
/// With `off`, reads from there and advances it instead of `src`'s own offset.
pub fn sendfile(
    dst: BorrowedFd,
    src: BorrowedFd,
    off: Option<&mut i64>,
    count: usize,
) -> io::Result<usize> {
    let o = off_ptr(off);
    retry(|| {
        // SAFETY: the offset is null or points to an i64 (off_t) borrowed mutably for this
        // call; the call reads and writes no other memory of ours.
        cvt_size(unsafe { libc::sendfile(dst.as_raw_fd(), src.as_raw_fd(), o, count) })
    })
}

/// `out.extend_from_slice(s)`, with copies of up to 16 bytes done as two overlapping unaligned
/// loads and stores instead of a call to memcpy (`cat -n` on short lines spent its time there).
#[inline(always)]
pub fn append_short(out: &mut Vec<u8>, s: &[u8]) {
    let n = s.len();
    if n > 16 {
        out.extend_from_slice(s);
        return;
    }
    out.reserve(n);
    // SAFETY: `reserve` made room for n more bytes after len; the reads stay within `s` (each
    // branch reads at offsets 0 and n-width with n >= width) and the writes within the room;
    // set_len covers exactly the n bytes written.
    unsafe {
        let src = s.as_ptr();
        let dst = out.as_mut_ptr().add(out.len());
        if n >= 8 {
            let a = ptr::read_unaligned(src as *const u64);
            let b = ptr::read_unaligned(src.add(n - 8) as *const u64);
            ptr::write_unaligned(dst as *mut u64, a);
            ptr::write_unaligned(dst.add(n - 8) as *mut u64, b);
        } else if n >= 4 {
            let a = ptr::read_unaligned(src as *const u32);
            let b = ptr::read_unaligned(src.add(n - 4) as *const u32);
            ptr::write_unaligned(dst as *mut u32, a);
            ptr::write_unaligned(dst.add(n - 4) as *mut u32, b);
        } else {
            for i in 0..n {
                *dst.add(i) = *src.add(i);
            }
        }
        out.set_len(out.len() + n);
    }
}

/// `buf[at..at + 4] = v` (little-endian) as one unaligned store. At opt-level z a small
/// `copy_from_slice` is not inlined: it calls musl's memcpy, whose byte loop made base64 2x
/// slower; formatting loops that emit fixed-size pieces store them with these.
#[inline(always)]
pub fn put_u32(buf: &mut [u8], at: usize, v: u32) {
    assert!(buf.len() >= 4 && at <= buf.len() - 4);
    // SAFETY: the assertion keeps the 4 bytes written inside `buf`.
    unsafe { ptr::write_unaligned(buf.as_mut_ptr().add(at) as *mut u32, v.to_le()) }
}

/// `buf[at..at + 8] = v` (little-endian) as one unaligned store (see [`put_u32`]).
#[inline(always)]
pub fn put_u64(buf: &mut [u8], at: usize, v: u64) {
    assert!(buf.len() >= 8 && at <= buf.len() - 8);
    // SAFETY: the assertion keeps the 8 bytes written inside `buf`.
    unsafe { ptr::write_unaligned(buf.as_mut_ptr().add(at) as *mut u64, v.to_le()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::sys::fd::{self, AsFd};
    use std::io::{Read, Seek, SeekFrom, Write};

    fn temp(name: &str, data: &[u8]) -> std::fs::File {
        let p = std::env::temp_dir().join(format!("rbox-sys-copy-{}-{name}", std::process::id()));
        let mut f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&p)
            .unwrap();
        std::fs::remove_file(&p).unwrap();
        f.write_all(data).unwrap();
        f.seek(SeekFrom::Start(0)).unwrap();
        f
    }

    fn contents(f: &mut std::fs::File) -> Vec<u8> {
        let mut v = Vec::new();
        f.seek(SeekFrom::Start(0)).unwrap();
        f.read_to_end(&mut v).unwrap();
        v
    }

    #[test]
    fn put_stores_in_place() {
        let mut b = [0u8; 12];
        put_u32(&mut b, 1, 0x0403_0201);
        put_u64(&mut b, 4, 0x0c0b_0a09_0807_0605);
        assert_eq!(b, [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12]);
        assert!(std::panic::catch_unwind(|| put_u32(&mut [0u8; 4], 1, 0)).is_err());
    }

    #[test]
    fn append_short_every_length_and_offset() {
        let src: Vec<u8> = (0..40u8).map(|b| b.wrapping_mul(37) ^ 0xa5).collect();
        for n in 0..=20 {
            for off in 0..(40 - n) {
                let mut v = b"ab".to_vec();
                append_short(&mut v, &src[off..off + n]);
                assert_eq!(&v[..2], b"ab");
                assert_eq!(&v[2..], &src[off..off + n]);
            }
        }
    }

    #[test]
    fn copy_file_range_own_and_explicit_offsets() {
        let src = temp("cfr-src", b"0123456789");
        let mut dst = temp("cfr-dst", b"");
        assert_eq!(
            copy_file_range(src.as_fd(), None, dst.as_fd(), None, 4).unwrap(),
            4
        );
        let mut off = 6i64;
        assert_eq!(
            copy_file_range(src.as_fd(), Some(&mut off), dst.as_fd(), None, 100).unwrap(),
            4
        );
        assert_eq!(off, 10);
        // The explicit offset left src's own offset at 4.
        assert_eq!(
            copy_file_range(src.as_fd(), None, dst.as_fd(), None, 2).unwrap(),
            2
        );
        assert_eq!(contents(&mut dst), b"0123678945");
        let mut end = 10i64;
        assert_eq!(
            copy_file_range(src.as_fd(), Some(&mut end), dst.as_fd(), None, 5).unwrap(),
            0
        );
    }

    #[test]
    fn splice_file_pipe_file() {
        let src = temp("splice-src", b"hello, pipe");
        let mut dst = temp("splice-dst", b"");
        let (r, w) = fd::pipe().unwrap();
        let mut off = 7i64;
        let n = splice(src.as_fd(), Some(&mut off), w.as_fd(), None, 64, 0).unwrap();
        assert_eq!((n, off), (4, 11));
        let m = splice(r.as_fd(), None, dst.as_fd(), None, 64, libc::SPLICE_F_MOVE).unwrap();
        assert_eq!(m, 4);
        assert_eq!(contents(&mut dst), b"pipe");
        // Neither side a pipe: EINVAL, as callers expect before they fall back.
        let e = splice(src.as_fd(), None, dst.as_fd(), None, 4, 0).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::EINVAL));
    }

    #[test]
    fn sendfile_to_pipe() {
        let src = temp("sendfile-src", b"abcdef");
        let (r, w) = fd::pipe().unwrap();
        let mut off = 2i64;
        assert_eq!(
            sendfile(w.as_fd(), src.as_fd(), Some(&mut off), 3).unwrap(),
            3
        );
        assert_eq!(off, 5);
        assert_eq!(sendfile(w.as_fd(), src.as_fd(), None, 100).unwrap(), 6);
        drop(w);
        let mut v = Vec::new();
        while fd::read_append(r.as_fd(), &mut v, 16).unwrap() > 0 {}
        assert_eq!(v, b"cdeabcdef");
    }
}
