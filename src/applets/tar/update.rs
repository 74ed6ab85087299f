//! Modes that modify an existing archive file in place: `-r` append, `-u` update (append files
//! newer than their archived copy), `--delete` (members after a deleted one slide down with
//! pread/pwrite, then the file is truncated) and `-A` concatenate. Uncompressed archive files
//! only, as in GNU tar.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::RawFd;

use super::archive::{padding, Input, Output, ReadErr, Reader};
use super::create::{last_err, Creator};
use super::opts::{Mode, NameArg, Opts};
use super::{fatal, fatal_file, read_error};
use crate::common::{Ctx, Result};

pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

struct Fd(RawFd);
impl Drop for Fd {
    fn drop(&mut self) {
        // SAFETY: we own this fd.
        unsafe { libc::close(self.0) };
    }
}

fn open(ctx: &mut Ctx, name: &OsStr, create: bool) -> Result<Fd> {
    let mut c = name.as_bytes().to_vec();
    c.push(0);
    let fl = libc::O_RDWR | libc::O_CLOEXEC | if create { libc::O_CREAT } else { 0 };
    // SAFETY: c is NUL-terminated.
    let fd = unsafe { libc::open(c.as_ptr().cast(), fl, 0o666) };
    if fd < 0 {
        let e = last_err();
        return Err(fatal_file(ctx, name.as_bytes(), "Cannot open", &e));
    }
    Ok(Fd(fd))
}

/// Scan an archive: (offset of its end-of-archive marker, member name -> mtime).
fn scan(ctx: &mut Ctx, fd: RawFd, want_times: bool) -> Result<(u64, HashMap<Vec<u8>, i64>)> {
    let input =
        Input::new(fd, false, None).map_err(|e| fatal(ctx, super::ctx_msg(&e).as_bytes()))?;
    if input.is_compressed() {
        return Err(fatal(ctx, b"Cannot update compressed archives"));
    }
    let mut r = Reader::new(input);
    let mut times = HashMap::new();
    loop {
        let start = r.input.consumed;
        match r.next_entry() {
            Ok(Some(e)) => {
                if want_times {
                    let t = times.entry(e.name.clone()).or_insert(e.mtime);
                    *t = (*t).max(e.mtime);
                }
                r.input
                    .skip(e.size + padding(e.size))
                    .map_err(|er| read_error(ctx, er.into()))?;
            }
            Ok(None) => {
                // The end marker (if any) starts where this read began.
                return Ok((start.min(r.input.consumed), times));
            }
            Err(ReadErr::NotTar) if r.input.consumed == 0 => return Ok((0, times)),
            Err(e) => return Err(read_error(ctx, e)),
        }
    }
}

pub fn run(ctx: &mut Ctx, o: &Opts, name: &OsStr) -> Result<()> {
    match o.mode {
        Mode::Append | Mode::Update => {
            let fd = open(ctx, name, true)?;
            let (end, times) = scan(ctx, fd.0, o.mode == Mode::Update)?;
            // SAFETY: valid fd.
            unsafe { libc::lseek(fd.0, end as libc::off_t, libc::SEEK_SET) };
            let out = Output::new(fd.0, false, None, o.record)
                .map_err(|e| super::archive_write_error(ctx, o, &e))?;
            let excl = super::excluder(ctx, o)?;
            let mut c = Creator::new(o, out, excl, false);
            if o.mode == Mode::Update {
                c.newer_than = Some(times);
            }
            c.run(ctx)?;
            c.finish(ctx)?;
            truncate_here(ctx, fd.0, name)
        }
        Mode::Concatenate => {
            let fd = open(ctx, name, true)?;
            let (end, _) = scan(ctx, fd.0, false)?;
            let mut pos = end;
            for n in &o.names {
                let NameArg::Name(src) = n else { continue };
                let sfd = open_ro(ctx, src)?;
                let (send, _) = scan(ctx, sfd.0, false)?;
                let mut off = 0u64;
                let mut buf = vec![0u8; 128 * 1024];
                while off < send {
                    let k = ((send - off) as usize).min(buf.len());
                    // SAFETY: valid fds and buffer.
                    let got = unsafe {
                        libc::pread(sfd.0, buf.as_mut_ptr().cast(), k, off as libc::off_t)
                    };
                    if got <= 0 {
                        break;
                    }
                    pwrite_all(ctx, fd.0, &buf[..got as usize], pos, name)?;
                    off += got as u64;
                    pos += got as u64;
                }
            }
            finish_in_place(ctx, o, fd.0, pos, name)
        }
        Mode::Delete => {
            let fd = open(ctx, name, false)?;
            let (pats, _) = super::collect_names(ctx, o)?;
            let mut sel = super::selector(o, pats);
            let input = Input::new(fd.0, false, None)
                .map_err(|e| fatal(ctx, super::ctx_msg(&e).as_bytes()))?;
            if input.is_compressed() {
                return Err(fatal(ctx, b"Cannot update compressed archives"));
            }
            let mut r = Reader::new(input);
            let mut wpos = 0u64;
            let mut buf = vec![0u8; 128 * 1024];
            loop {
                let start = r.input.consumed;
                let e = match r.next_entry() {
                    Ok(Some(e)) => e,
                    Ok(None) => break,
                    Err(ReadErr::NotTar) if start == 0 => break,
                    Err(err) => return Err(read_error(ctx, err)),
                };
                r.input
                    .skip(e.size + padding(e.size))
                    .map_err(|er| read_error(ctx, er.into()))?;
                let end = r.input.consumed;
                if sel.find(&e.name).is_some() {
                    continue;
                }
                if wpos != start {
                    let mut off = start;
                    while off < end {
                        let k = ((end - off) as usize).min(buf.len());
                        // SAFETY: valid fd and buffer.
                        let got = unsafe {
                            libc::pread(fd.0, buf.as_mut_ptr().cast(), k, off as libc::off_t)
                        };
                        if got <= 0 {
                            return Err(read_error(ctx, ReadErr::Eof));
                        }
                        pwrite_all(ctx, fd.0, &buf[..got as usize], wpos + (off - start), name)?;
                        off += got as u64;
                    }
                }
                wpos += end - start;
            }
            super::report_unmatched(ctx, &sel, o.wildcards.is_some());
            finish_in_place(ctx, o, fd.0, wpos, name)
        }
        _ => Ok(()),
    }
}

fn open_ro(ctx: &mut Ctx, name: &[u8]) -> Result<Fd> {
    let mut c = name.to_vec();
    c.push(0);
    // SAFETY: c is NUL-terminated.
    let fd = unsafe { libc::open(c.as_ptr().cast(), libc::O_RDONLY | libc::O_CLOEXEC) };
    if fd < 0 {
        let e = last_err();
        return Err(fatal_file(ctx, name, "Cannot open", &e));
    }
    Ok(Fd(fd))
}

fn pwrite_all(ctx: &mut Ctx, fd: RawFd, mut b: &[u8], mut off: u64, name: &OsStr) -> Result<()> {
    while !b.is_empty() {
        // SAFETY: valid fd and buffer.
        let n = unsafe { libc::pwrite(fd, b.as_ptr().cast(), b.len(), off as libc::off_t) };
        if n <= 0 {
            let e = last_err();
            return Err(fatal_file(ctx, name.as_bytes(), "Cannot write", &e));
        }
        b = &b[n as usize..];
        off += n as u64;
    }
    Ok(())
}

/// Write the end-of-archive blocks and record padding at `pos`, then cut the file there.
fn finish_in_place(ctx: &mut Ctx, o: &Opts, fd: RawFd, pos: u64, name: &OsStr) -> Result<()> {
    let mut end = pos + 1024;
    end += (o.record - end % o.record) % o.record;
    let zeros = vec![0u8; (end - pos) as usize];
    pwrite_all(ctx, fd, &zeros, pos, name)?;
    // SAFETY: valid fd.
    if unsafe { libc::ftruncate(fd, end as libc::off_t) } != 0 {
        let e = last_err();
        return Err(fatal_file(ctx, name.as_bytes(), "Cannot truncate", &e));
    }
    Ok(())
}

fn truncate_here(ctx: &mut Ctx, fd: RawFd, name: &OsStr) -> Result<()> {
    // SAFETY: valid fd.
    let pos = unsafe { libc::lseek(fd, 0, libc::SEEK_CUR) };
    if pos >= 0 && unsafe { libc::ftruncate(fd, pos) } != 0 {
        let e = last_err();
        return Err(fatal_file(ctx, name.as_bytes(), "Cannot truncate", &e));
    }
    Ok(())
}
