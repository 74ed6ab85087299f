//! Modes that modify an existing archive file in place: `-r` append, `-u` update (append files
//! newer than their archived copy), `--delete` (members after a deleted one slide down with
//! pread/pwrite, then the file is truncated) and `-A` concatenate. Uncompressed archive files
//! only, as in GNU tar.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use super::archive::{ArchiveFd, Input, Output, ReadErr, Reader};
use super::create::Creator;
use super::diag::{ctx_msg, fatal, fatal_file, read_error, report_unmatched};
use super::opts::{Mode, NameArg, Opts};
use super::pipeline::{skip_data, Action, Member, Pipeline, Rename, Select};
use crate::common::sys::fd::{self as sys, AsFd, BorrowedFd, OwnedFd};
use crate::common::sys::fs;
use crate::common::{Ctx, Result};

pub fn is_root() -> bool {
    crate::common::sys::user::geteuid() == 0
}

fn open(ctx: &mut Ctx, name: &[u8], flags: i32) -> Result<OwnedFd> {
    sys::open(name, flags | libc::O_CLOEXEC, 0o666)
        .map_err(|e| fatal_file(ctx, name, "Cannot open", &e))
}

/// The archive (or a file to concatenate) read and rewritten in place: never decoded.
fn plain_input(ctx: &mut Ctx, fd: OwnedFd) -> Result<Reader> {
    let input = Input::plain(fd).map_err(|e| fatal(ctx, ctx_msg(&e).as_bytes()))?;
    if input.is_compressed() {
        return Err(fatal(ctx, b"Cannot update compressed archives"));
    }
    Ok(Reader::new(input))
}

fn owned_fd(r: Reader) -> OwnedFd {
    match r.input.into_fd() {
        Some(ArchiveFd::Owned(fd)) => fd,
        _ => unreachable!("a plain input keeps the descriptor it was given"),
    }
}

/// Scan an archive: (its descriptor, offset of its end-of-archive marker, member name ->
/// mtime when `want_times`).
fn scan(
    ctx: &mut Ctx,
    o: &Opts,
    fd: OwnedFd,
    want_times: bool,
) -> Result<(OwnedFd, u64, HashMap<Vec<u8>, i64>)> {
    struct Times(Option<HashMap<Vec<u8>, i64>>);
    impl Action for Times {
        fn selected(&mut self, ctx: &mut Ctx, r: &mut Reader, m: &Member) -> Result<()> {
            if let Some(times) = &mut self.0 {
                let t = times.entry(m.e.name.clone()).or_insert(m.e.mtime);
                *t = (*t).max(m.e.mtime);
            }
            skip_data(ctx, r, m.e)
        }
    }
    let mut r = plain_input(ctx, fd)?;
    let mut times = Times(want_times.then(HashMap::new));
    let mut p = Pipeline::new(o, Select::Every, Rename::Keep);
    p.empty_ok = true;
    let end = p.run(ctx, &mut r, &mut times)?;
    Ok((owned_fd(r), end, times.0.unwrap_or_default()))
}

/// `--delete`: members kept slide down over the deleted ones.
struct Delete {
    buf: Vec<u8>,
    /// Where the next kept member goes.
    wpos: u64,
    name: Vec<u8>,
}

impl Action for Delete {
    /// The damaged block stays with the member after it, silently (GNU drops it, saying
    /// "Deleting non-header from archive").
    fn skipped_header(&mut self, _ctx: &mut Ctx) {}

    fn selected(&mut self, ctx: &mut Ctx, r: &mut Reader, m: &Member) -> Result<()> {
        skip_data(ctx, r, m.e)
    }

    fn unselected(&mut self, ctx: &mut Ctx, r: &mut Reader, m: &Member) -> Result<()> {
        skip_data(ctx, r, m.e)?;
        let (start, end) = (m.start, r.input.consumed);
        if self.wpos != start {
            let fd = r.input.fd().as_fd();
            let mut off = start;
            while off < end {
                let k = ((end - off) as usize).min(self.buf.len());
                let got = match sys::pread(fd, &mut self.buf[..k], off) {
                    Ok(0) | Err(_) => return Err(read_error(ctx, ReadErr::Eof)),
                    Ok(n) => n,
                };
                let at = self.wpos + (off - start);
                pwrite_all(ctx, fd, &self.buf[..got], at, &self.name)?;
                off += got as u64;
            }
        }
        self.wpos += end - start;
        Ok(())
    }
}

pub fn run(ctx: &mut Ctx, o: &Opts, name: &OsStr) -> Result<()> {
    let name = name.as_bytes();
    match o.mode {
        Mode::Append | Mode::Update => {
            let fd = open(ctx, name, libc::O_RDWR | libc::O_CREAT)?;
            let (fd, end, times) = scan(ctx, o, fd, o.mode == Mode::Update)?;
            let _ = sys::lseek(fd.as_fd(), end as i64, libc::SEEK_SET);
            let mut out = Output::new(ArchiveFd::Owned(fd), None, o.record)
                .map_err(|e| super::diag::archive_write_error(ctx, o, &e))?;
            out.set_base(end);
            let excl = super::excluder(ctx, o)?;
            let mut c = Creator::new(o, out, excl, false);
            if !o.format_set {
                if let Some(f) = archive_format(name) {
                    c.format = f;
                }
            }
            if o.mode == Mode::Update {
                c.newer_than = Some(times);
            }
            c.run(ctx)?;
            match c.finish(ctx)? {
                Some(fd) => truncate_here(ctx, fd.as_fd(), name),
                None => Ok(()),
            }
        }
        Mode::Concatenate => {
            let fd = open(ctx, name, libc::O_RDWR | libc::O_CREAT)?;
            let (fd, end, _) = scan(ctx, o, fd, false)?;
            let mut pos = end;
            for n in &o.names {
                let NameArg::Name(src) = n else { continue };
                let sfd = open(ctx, src, libc::O_RDONLY)?;
                let (sfd, send, _) = scan(ctx, o, sfd, false)?;
                let mut off = 0u64;
                let mut buf = vec![0u8; 128 * 1024];
                while off < send {
                    let k = ((send - off) as usize).min(buf.len());
                    let got = match sys::pread(sfd.as_fd(), &mut buf[..k], off) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    pwrite_all(ctx, fd.as_fd(), &buf[..got], pos, name)?;
                    off += got as u64;
                    pos += got as u64;
                }
            }
            finish_in_place(ctx, o, fd.as_fd(), pos, name)
        }
        Mode::Delete => {
            let fd = open(ctx, name, libc::O_RDWR)?;
            let names = super::collect_names(ctx, o)?;
            let mut sel = super::selector(o, names.pats);
            let mut r = plain_input(ctx, fd)?;
            let mut del = Delete {
                buf: vec![0u8; 128 * 1024],
                wpos: 0,
                name: name.to_vec(),
            };
            let mut p = Pipeline::new(o, Select::Named(&mut sel), Rename::Keep);
            p.empty_ok = true;
            p.run(ctx, &mut r, &mut del)?;
            report_unmatched(ctx, &sel, o.wildcards.is_some());
            finish_in_place(ctx, o, r.input.fd().as_fd(), del.wpos, name)
        }
        _ => Ok(()),
    }
}

fn pwrite_all(ctx: &mut Ctx, fd: BorrowedFd, b: &[u8], off: u64, name: &[u8]) -> Result<()> {
    fs::pwrite_all(fd, b, off).map_err(|e| {
        // A write of 0 bytes was reported with the errno left by the last failure.
        let e = if e.kind() == std::io::ErrorKind::WriteZero {
            std::io::Error::last_os_error()
        } else {
            e
        };
        fatal_file(ctx, name, "Cannot write", &e)
    })
}

/// The format of an archive's first header, which GNU keeps when adding members to it
/// without `--format`: pax when it is an extended header, ustar, GNU or v7 by its magic.
fn archive_format(name: &[u8]) -> Option<super::header::Format> {
    use super::header::{parse_header, Format};
    let fd = sys::open(name, libc::O_RDONLY | libc::O_CLOEXEC, 0).ok()?;
    let mut b = [0u8; 512];
    if sys::pread(fd.as_fd(), &mut b, 0).ok()? != 512 || parse_header(&b).is_err() {
        return None;
    }
    Some(match (&b[257..263], b[156]) {
        (b"ustar\0", b'x' | b'g') => Format::Posix,
        (b"ustar\0", _) => Format::Ustar,
        _ if &b[257..265] == b"ustar  \0" => Format::Gnu,
        _ => Format::V7,
    })
}

/// Write the end-of-archive blocks and record padding at `pos`, then cut the file there.
fn finish_in_place(ctx: &mut Ctx, o: &Opts, fd: BorrowedFd, pos: u64, name: &[u8]) -> Result<()> {
    let mut end = pos + 1024;
    end += (o.record - end % o.record) % o.record;
    let zeros = vec![0u8; (end - pos) as usize];
    pwrite_all(ctx, fd, &zeros, pos, name)?;
    fs::ftruncate(fd, end).map_err(|e| fatal_file(ctx, name, "Cannot truncate", &e))
}

fn truncate_here(ctx: &mut Ctx, fd: BorrowedFd, name: &[u8]) -> Result<()> {
    match sys::lseek(fd, 0, libc::SEEK_CUR) {
        Ok(pos) => fs::ftruncate(fd, pos).map_err(|e| fatal_file(ctx, name, "Cannot truncate", &e)),
        Err(_) => Ok(()),
    }
}
