//! Archive input and output: block-level reading with seeking over member data when the
//! archive is a plain file, kernel copies (sendfile) for large members, and the (de)compressor
//! thread when the archive is compressed. Then the member reader: extended headers are folded
//! into the [`Entry`] they describe.

use std::io;

use super::compress::{Codec, Decoder, Encoder};
use super::header::{self, Entry, HeaderError, PaxState, Sparse, BLOCK, MAX_META, MAX_SPARSE};
use crate::common::sys::copy::sendfile;
use crate::common::sys::fd::{self as sys, AsFd, BorrowedFd, OwnedFd, Stat};

const IN_BUF: usize = 128 * 1024;
/// Members at least this large are moved by the kernel when the archive is a plain file.
const KERNEL_COPY_MIN: u64 = 64 * 1024;

/// Failure while moving member data: which side failed matters for the message.
#[derive(Debug)]
pub enum DataErr {
    Read(io::Error),
    Eof,
    Write(io::Error),
}

/// The archive's descriptor: a file tar opened (closed when done), or standard input or
/// output. Either can move into the (de)compressor thread, which then owns it until joined.
pub enum ArchiveFd {
    Owned(OwnedFd),
    Std(BorrowedFd<'static>),
}

impl AsFd for ArchiveFd {
    fn as_fd(&self) -> BorrowedFd<'_> {
        match self {
            ArchiveFd::Owned(f) => f.as_fd(),
            ArchiveFd::Std(f) => *f,
        }
    }
}

pub struct Input {
    /// None once a decoder thread owns it.
    fd: Option<ArchiveFd>,
    seekable: bool,
    /// File size when seekable.
    size: u64,
    /// pread position when seekable.
    pos: u64,
    dec: Option<Decoder>,
    chunk: Vec<u8>,
    chunk_off: usize,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    src_eof: bool,
    /// The data had a compressor's magic (decoded unless opened with [`Input::plain`]).
    compressed: bool,
    /// Logical bytes consumed (block numbers in messages).
    pub consumed: u64,
}

impl Input {
    /// Wrap `fd`; detect compression from the first bytes unless `force` names a codec and the
    /// data has no recognisable magic. A compressed archive is decoded by a thread that takes
    /// the descriptor and is joined when the input is dropped.
    pub fn new(fd: ArchiveFd, force: Option<Codec>) -> io::Result<Input> {
        Input::open(fd, force, true)
    }

    /// An archive that is read and rewritten in place (`-r`, `-u`, `--delete`, `-A`): never
    /// decoded; [`Input::is_compressed`] tells the caller to refuse it.
    pub fn plain(fd: OwnedFd) -> io::Result<Input> {
        Input::open(ArchiveFd::Owned(fd), None, false)
    }

    fn open(fd: ArchiveFd, force: Option<Codec>, decode: bool) -> io::Result<Input> {
        let st: Option<Stat> = sys::fstat(fd.as_fd()).ok();
        let seekable = st
            .map(|s| s.st_mode & libc::S_IFMT == libc::S_IFREG)
            .unwrap_or(false);
        let mut inp = Input {
            fd: Some(fd),
            seekable,
            size: st.map(|s| s.st_size as u64).unwrap_or(0),
            pos: 0,
            dec: None,
            chunk: Vec::new(),
            chunk_off: 0,
            buf: vec![0u8; IN_BUF + BLOCK],
            start: 0,
            end: 0,
            src_eof: false,
            compressed: false,
            consumed: 0,
        };
        if seekable {
            // The archive may be read from its current offset (e.g. stdin redirected from a
            // file that was partly consumed).
            inp.pos = sys::lseek(inp.fd().as_fd(), 0, libc::SEEK_CUR).unwrap_or(0);
        }
        // Read enough to see a magic number (a short archive gives what it has).
        while inp.end < 512 && !inp.src_eof {
            inp.fill_raw()?;
        }
        let head = &inp.buf[..inp.end];
        // A codec given (-z, -j, -J, --zstd) is used whatever the data, as GNU tar runs its
        // decompressor (which then refuses what it does not read); none: the magic decides.
        let codec = force.or_else(|| Codec::from_magic(head));
        if let Some(c) = codec {
            inp.compressed = true;
            if !decode {
                return Ok(inp);
            }
            if inp.seekable {
                // pread left the file offset alone; the decoder reads on after the prefix.
                let _ = sys::lseek(inp.fd().as_fd(), inp.pos as i64, libc::SEEK_SET);
            }
            let prefix = inp.buf[..inp.end].to_vec();
            let fd = inp.fd.take().expect("archive descriptor");
            inp.dec = Some(Decoder::spawn(c, fd, prefix)?);
            inp.seekable = false;
            inp.start = 0;
            inp.end = 0;
            inp.src_eof = false;
        } else if inp.src_eof {
            inp.whole_blocks();
        }
        Ok(inp)
    }

    /// The archive's descriptor (uncompressed archives: a decoder thread owns it otherwise).
    pub fn fd(&self) -> &ArchiveFd {
        self.fd.as_ref().expect("archive descriptor")
    }

    /// Give the descriptor back (the in-place modes write through it after the scan).
    pub fn into_fd(mut self) -> Option<ArchiveFd> {
        self.fd.take()
    }

    /// Read more raw bytes after `end`.
    fn fill_raw(&mut self) -> io::Result<()> {
        let fd = self.fd.as_ref().expect("archive descriptor").as_fd();
        let n = if self.seekable {
            sys::pread(fd, &mut self.buf[self.end..], self.pos)?
        } else {
            sys::read(fd, &mut self.buf[self.end..])?
        };
        self.pos += n as u64;
        self.end += n;
        // A file read to its size has ended (so that a partial last block is known as such
        // before its bytes are handed out).
        if n == 0 || (self.seekable && self.pos >= self.size) {
            self.src_eof = true;
        }
        Ok(())
    }

    /// Make more bytes available after `end` (compacting first).
    fn fill(&mut self) -> io::Result<()> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.src_eof {
            return Ok(());
        }
        if self.dec.is_some() {
            if self.chunk_off >= self.chunk.len() && !self.next_chunk()? {
                return Ok(());
            }
            let n = (self.chunk.len() - self.chunk_off).min(self.buf.len() - self.end);
            self.buf[self.end..self.end + n]
                .copy_from_slice(&self.chunk[self.chunk_off..self.chunk_off + n]);
            self.chunk_off += n;
            self.end += n;
            return Ok(());
        }
        self.fill_raw()?;
        if self.src_eof {
            self.whole_blocks();
        }
        Ok(())
    }

    /// At the end of the input only whole blocks count: a partial last block is dropped, as
    /// GNU tar's short reads keep whole blocks only.
    fn whole_blocks(&mut self) {
        let total = self.consumed + (self.end - self.start) as u64;
        let full = total / BLOCK as u64 * BLOCK as u64;
        self.end = self.start + full.saturating_sub(self.consumed) as usize;
    }

    pub fn is_seekable(&self) -> bool {
        self.seekable
    }

    /// At the end of the archive: the decompressor's failure if it got to report it (GNU
    /// tar's wait for its child when it closes the archive).
    pub fn close_child(&mut self) -> io::Result<()> {
        match self.dec.as_mut() {
            Some(d) => d.close(self.consumed),
            None => Ok(()),
        }
    }

    /// Bytes were used: tell the decoder (its child's message may be due).
    fn used(&mut self) {
        if let Some(d) = self.dec.as_mut() {
            d.progress(self.consumed);
        }
    }

    /// Swap the used chunk for the decoder's next one (the old buffer goes back for reuse);
    /// false, with `src_eof` set, at the end of the decoded data.
    fn next_chunk(&mut self) -> io::Result<bool> {
        let dec = self.dec.as_mut().expect("compressed input");
        let old = std::mem::take(&mut self.chunk);
        if old.capacity() > 0 {
            dec.give_back(old);
        }
        self.chunk = dec.next_chunk()?;
        self.chunk_off = 0;
        self.src_eof = self.chunk.is_empty();
        if self.src_eof {
            self.whole_blocks();
        }
        Ok(!self.src_eof)
    }

    /// The next 512-byte block; None at a clean end of file, UnexpectedEof on a partial block.
    pub fn block(&mut self) -> io::Result<Option<[u8; BLOCK]>> {
        while self.end - self.start < BLOCK {
            if self.src_eof {
                if self.end == self.start {
                    return Ok(None);
                }
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            self.fill()?;
        }
        let mut b = [0u8; BLOCK];
        b.copy_from_slice(&self.buf[self.start..self.start + BLOCK]);
        self.start += BLOCK;
        self.consumed += BLOCK as u64;
        self.used();
        Ok(Some(b))
    }

    /// Stream `n` bytes to `f`.
    pub fn data(
        &mut self,
        mut n: u64,
        mut f: impl FnMut(&[u8]) -> io::Result<()>,
    ) -> Result<(), DataErr> {
        // A write error stops the writing, not the reading: the archive stays in step.
        let mut werr = None;
        while n > 0 {
            // Only bytes of whole blocks go out: a partial block at the end of the input is
            // not data (GNU), and until the input ends a block may still be partial.
            let avail = if self.src_eof {
                self.end - self.start
            } else {
                let total = self.consumed + (self.end - self.start) as u64;
                (total / BLOCK as u64 * BLOCK as u64).saturating_sub(self.consumed) as usize
            };
            if avail == 0 {
                if self.src_eof {
                    return Err(DataErr::Eof);
                }
                self.fill().map_err(DataErr::Read)?;
                continue;
            }
            let k = (avail as u64).min(n) as usize;
            if werr.is_none() {
                if let Err(e) = f(&self.buf[self.start..self.start + k]) {
                    werr = Some(e);
                }
            }
            self.start += k;
            self.consumed += k as u64;
            n -= k as u64;
            self.used();
        }
        match werr {
            Some(e) => Err(DataErr::Write(e)),
            None => Ok(()),
        }
    }

    /// Copy `n` bytes of member data to `out`, through the kernel when the archive is a file.
    pub fn data_to_fd(&mut self, n: u64, out: BorrowedFd) -> Result<(), DataErr> {
        let have = (self.end - self.start) as u64;
        if !self.seekable || n <= have || n - have < KERNEL_COPY_MIN {
            return self.data(n, |b| sys::write_all(out, b));
        }
        self.data(have, |b| sys::write_all(out, b))?;
        let mut rest = n - have;
        // Bytes after `end` in the buffer are not valid; the file offset of the next unread
        // byte is `pos`.
        let mut off = self.pos as i64;
        if self.pos + rest > self.size {
            // A truncated archive: what whole blocks there are is written, then the error.
            return self.data(rest, |b| sys::write_all(out, b));
        }
        let src = self.fd.as_ref().expect("archive descriptor").as_fd();
        while rest > 0 {
            let chunk = rest.min(1 << 30) as usize;
            let r = match sendfile(out, src, Some(&mut off), chunk) {
                Ok(r) => r,
                Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) => {
                    // No kernel copy here: read and write the rest.
                    self.pos = off as u64;
                    self.consumed += n - have - rest;
                    return self.data(rest, |b| sys::write_all(out, b));
                }
                Err(e) => {
                    // Stay in step with the archive: the rest of the member is skipped.
                    self.pos = off as u64 + rest;
                    self.consumed += n - have;
                    if self.pos > self.size {
                        return Err(DataErr::Eof);
                    }
                    return Err(DataErr::Write(e));
                }
            };
            if r == 0 {
                return Err(DataErr::Eof);
            }
            rest -= r as u64;
        }
        self.pos = off as u64;
        self.consumed += n - have;
        Ok(())
    }

    /// Skip `n` bytes (seeking when the archive is a plain file).
    pub fn skip(&mut self, n: u64) -> Result<(), DataErr> {
        let have = (self.end - self.start) as u64;
        if !self.seekable || n <= have {
            return self.data(n, |_| Ok(()));
        }
        self.start = self.end;
        let rest = n - have;
        if self.pos + rest > self.size {
            self.pos = self.size;
            self.src_eof = true;
            return Err(DataErr::Eof);
        }
        self.pos += rest;
        self.consumed += n;
        Ok(())
    }

    /// Offset in the archive file of the next unread byte (uncompressed archives).
    pub fn file_offset(&self) -> u64 {
        self.pos - (self.end - self.start) as u64
    }

    pub fn is_compressed(&self) -> bool {
        self.compressed
    }
}

/// Padding after `n` bytes of data.
pub fn padding(n: u64) -> u64 {
    (BLOCK as u64 - n % BLOCK as u64) % BLOCK as u64
}

// ---------------------------------------------------------------------------------------------

pub struct Output {
    /// None once the encoder thread owns it.
    fd: Option<ArchiveFd>,
    /// (device, inode) of the archive when it is a regular file (it is not archived into
    /// itself).
    id: Option<(u64, u64)>,
    buf: Vec<u8>,
    cap: usize,
    enc: Option<Encoder>,
    pub written: u64,
    record: u64,
    /// Where the output starts in the archive (-r/-u append after existing members): records
    /// are counted from the archive's start.
    base: u64,
}

impl Output {
    /// Archive output to `fd`, through a compressor thread (which takes the descriptor and is
    /// joined by [`Output::finish`] or on drop) when `codec` is given.
    pub fn new(fd: ArchiveFd, codec: Option<Codec>, record: u64) -> io::Result<Output> {
        let id = sys::fstat(fd.as_fd())
            .ok()
            .filter(|st| st.st_mode & libc::S_IFMT == libc::S_IFREG)
            .map(|st| (st.st_dev, st.st_ino));
        let (fd, enc) = match codec {
            Some(c) => (None, Some(Encoder::spawn(c, fd, None)?)),
            None => (Some(fd), None),
        };
        let cap = 256 * 1024;
        Ok(Output {
            fd,
            id,
            buf: Vec::with_capacity(cap),
            cap,
            enc,
            written: 0,
            record,
            base: 0,
        })
    }

    /// The output continues an archive at offset `base` (`-r`, `-u`).
    pub fn set_base(&mut self, base: u64) {
        self.base = base;
    }

    pub fn buf(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }

    /// (device, inode) of the archive file, when it is a regular file.
    pub fn archive_id(&self) -> Option<(u64, u64)> {
        self.id
    }

    fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_ref().expect("archive descriptor").as_fd()
    }

    pub fn write(&mut self, b: &[u8]) -> io::Result<()> {
        if self.buf.len() + b.len() > self.cap {
            self.flush()?;
        }
        self.buf.extend_from_slice(b);
        self.written += b.len() as u64;
        Ok(())
    }

    /// Bytes appended through [`Output::buf`] directly must be counted here.
    pub fn note_written(&mut self, n: usize) {
        self.written += n as u64;
    }

    pub fn maybe_flush(&mut self) -> io::Result<()> {
        if self.buf.len() >= self.cap - BLOCK * 4 {
            self.flush()
        } else {
            Ok(())
        }
    }

    pub fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let mut full = std::mem::take(&mut self.buf);
        if let Some(enc) = &mut self.enc {
            let mut fresh = enc.send(full)?;
            if fresh.capacity() < self.cap {
                fresh.reserve_exact(self.cap);
            }
            self.buf = fresh;
            return Ok(());
        }
        let r = crate::common::io::drain(self.fd(), &mut full);
        self.buf = full;
        r
    }

    /// Copy up to `n` bytes of file data from `src`; returns how many were there (fewer when
    /// the file shrank). The caller pads.
    pub fn copy_from(&mut self, src: BorrowedFd, n: u64) -> Result<u64, DataErr> {
        let mut done = 0u64;
        if self.enc.is_none() && n >= KERNEL_COPY_MIN * 4 {
            self.flush().map_err(DataErr::Write)?;
            while done < n {
                let chunk = (n - done).min(1 << 30) as usize;
                let r = match sendfile(self.fd(), src, None, chunk) {
                    Ok(r) => r,
                    Err(e)
                        if matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) =>
                    {
                        break
                    }
                    Err(e) => {
                        // Which side failed? A read error on src shows up again on read(2).
                        let mut probe = [0u8; 1];
                        if let Err(re) = sys::pread(src, &mut probe, 0) {
                            return Err(DataErr::Read(re));
                        }
                        return Err(DataErr::Write(e));
                    }
                };
                if r == 0 {
                    self.written += done;
                    return Ok(done);
                }
                done += r as u64;
            }
            self.written += done;
            if done == n {
                return Ok(done);
            }
            self.written -= done;
        }
        while done < n {
            if self.buf.len() >= self.cap {
                self.flush().map_err(DataErr::Write)?;
            }
            let room = (self.cap - self.buf.len()) as u64;
            let want = room.min(n - done) as usize;
            match sys::read_append(src, &mut self.buf, want) {
                Ok(0) => break,
                Ok(k) => {
                    done += k as u64;
                    self.written += k as u64;
                }
                Err(e) => return Err(DataErr::Read(e)),
            }
        }
        Ok(done)
    }

    pub fn pad(&mut self, n: u64) -> io::Result<()> {
        self.zeros(padding(n))
    }

    /// `n` zero bytes.
    pub fn zeros(&mut self, mut n: u64) -> io::Result<()> {
        const ZEROS: [u8; 4096] = [0; 4096];
        while n > 0 {
            let k = n.min(ZEROS.len() as u64) as usize;
            self.write(&ZEROS[..k])?;
            n -= k as u64;
        }
        Ok(())
    }

    /// End of archive: two zero blocks, then zeros up to a whole record, as GNU tar writes.
    /// The descriptor comes back when no compressor thread took it.
    pub fn finish(mut self) -> io::Result<Option<ArchiveFd>> {
        self.zeros(2 * BLOCK as u64)?;
        let r = (self.base + self.written) % self.record;
        if r != 0 {
            self.zeros(self.record - r)?;
        }
        self.flush()?;
        if let Some(enc) = self.enc.take() {
            enc.finish()?;
        }
        Ok(self.fd.take())
    }
}

// ---------------------------------------------------------------------------------------------
// Member reader

/// What the reader reports besides members.
#[derive(Debug)]
pub enum ReadErr {
    /// Not a tar archive at all (first header bad).
    NotTar,
    Io(io::Error),
    Eof,
    Malformed(&'static str),
    /// A damaged header after a good one: the reader looks for the next (call again).
    Skip,
}

impl From<DataErr> for ReadErr {
    fn from(e: DataErr) -> Self {
        match e {
            // The decompressor failed inside member data: to tar, the archive ended there.
            DataErr::Read(e) if super::compress::child_status(&e).is_some() => ReadErr::Eof,
            DataErr::Read(e) | DataErr::Write(e) => ReadErr::Io(e),
            DataErr::Eof => ReadErr::Eof,
        }
    }
}

pub struct Reader {
    pub input: Input,
    global: PaxState,
    pub ignore_zeros: bool,
    first: bool,
    /// A header failed its checksum and we are looking for the next one (said once, with
    /// [`ReadErr::Skip`], as GNU says "Skipping to next header" when it meets it).
    pub skipped: bool,
    /// The archive's first block was not a header (`NotTar`): [`Reader::resume`] looks on.
    pub bad_start: bool,
    done: bool,
    /// Offset (in the archive) of the current member's first header block.
    pub member_start: u64,
}

impl Reader {
    pub fn new(input: Input) -> Reader {
        Reader {
            input,
            global: PaxState::default(),
            ignore_zeros: false,
            first: true,
            skipped: false,
            bad_start: false,
            done: false,
            member_start: 0,
        }
    }

    fn meta(&mut self, size: u64) -> Result<Vec<u8>, ReadErr> {
        if size > MAX_META {
            return Err(ReadErr::Malformed("extended header too large"));
        }
        let mut v = Vec::with_capacity(size as usize);
        self.input.data(size, |b| {
            v.extend_from_slice(b);
            Ok(())
        })?;
        self.input.skip(padding(size))?;
        Ok(v)
    }

    /// A GNU long name or link: the member data up to its first NUL.
    fn meta_name(&mut self, size: u64) -> Result<Vec<u8>, ReadErr> {
        let mut d = self.meta(size)?;
        if let Some(i) = memchr::memchr(0, &d) {
            d.truncate(i);
        }
        Ok(d)
    }

    /// After a bad first block: look for the next header as after a bad one in the middle
    /// (GNU tar goes on after "This does not look like a tar archive").
    pub fn resume(&mut self) {
        self.first = false;
        self.bad_start = false;
        self.skipped = true;
    }

    /// The next member, or None at the end of the archive. Errors after the first member are
    /// reported by the caller; `skipped` tells it a header was bad and skipped.
    pub fn next_entry(&mut self) -> Result<Option<Entry>, ReadErr> {
        if self.done {
            return Ok(None);
        }
        let mut local = PaxState::default();
        let mut has_local = false;
        let mut long_name: Option<Vec<u8>> = None;
        let mut long_link: Option<Vec<u8>> = None;
        loop {
            let start = self.input.consumed;
            let b = match self.input.block() {
                Ok(Some(b)) => b,
                Ok(None) => {
                    if self.first {
                        return Err(ReadErr::NotTar);
                    }
                    self.done = true;
                    return Ok(None);
                }
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                    if self.first {
                        return Err(ReadErr::NotTar);
                    }
                    return Err(ReadErr::Eof);
                }
                Err(e) => return Err(ReadErr::Io(e)),
            };
            if header::is_zero_block(&b) {
                if self.ignore_zeros {
                    continue;
                }
                // End of archive (a second zero block may or may not follow).
                self.done = true;
                if self.first {
                    // An archive of only zeros is a valid empty archive.
                    self.first = false;
                }
                return Ok(None);
            }
            let raw = match header::parse_header(&b) {
                Ok(r) => r,
                Err(HeaderError::NotHeader) => {
                    if self.first {
                        self.bad_start = true;
                        return Err(ReadErr::NotTar);
                    }
                    if !self.skipped {
                        self.skipped = true;
                        return Err(ReadErr::Skip);
                    }
                    continue;
                }
                Err(HeaderError::Malformed(m)) => {
                    if self.first {
                        return Err(ReadErr::NotTar);
                    }
                    return Err(ReadErr::Malformed(m));
                }
            };
            self.first = false;
            self.skipped = false;
            match raw.e.typeflag {
                b'x' => {
                    let d = self.meta(raw.size)?;
                    header::parse_pax(&d, |k, v| local.apply(k, v))
                        .map_err(|_| ReadErr::Malformed("malformed extended header"))?;
                    if local.bad {
                        return Err(ReadErr::Malformed("malformed extended header"));
                    }
                    has_local = true;
                    continue;
                }
                b'g' => {
                    let d = self.meta(raw.size)?;
                    let mut g = std::mem::take(&mut self.global);
                    header::parse_pax(&d, |k, v| g.apply(k, v))
                        .map_err(|_| ReadErr::Malformed("malformed extended header"))?;
                    self.global = g;
                    continue;
                }
                b'L' => {
                    long_name = Some(self.meta_name(raw.size)?);
                    continue;
                }
                b'K' => {
                    long_link = Some(self.meta_name(raw.size)?);
                    continue;
                }
                _ => {}
            }
            self.member_start = start;
            let mut e = raw.e;
            if raw.is_extended {
                let sp = e.sparse.as_mut().expect("sparse header");
                loop {
                    let eb = match self.input.block() {
                        Ok(Some(b)) => b,
                        Ok(None) => return Err(ReadErr::Eof),
                        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                            return Err(ReadErr::Eof)
                        }
                        Err(e) => return Err(ReadErr::Io(e)),
                    };
                    let more = header::parse_sparse_ext(&eb, &mut sp.map)
                        .map_err(|_| ReadErr::Malformed("bad sparse header"))?;
                    if !more {
                        break;
                    }
                }
            }
            self.global.overlay(&mut e);
            if let Some(n) = long_name {
                e.name = n;
            }
            if let Some(l) = long_link {
                e.link = l;
            }
            let mut size = raw.size;
            if has_local {
                local.overlay(&mut e);
                if let Some(s) = local.size {
                    if e.kind() == header::Kind::Regular || e.typeflag == b'S' {
                        size = s;
                    }
                }
            }
            e.size = size;
            // GNU sparse formats carried in pax.
            let sp = (has_local
                && (local.sparse_major.is_some()
                    || local.sparse_realsize.is_some()
                    || !local.sparse_map.is_empty()))
            .then_some(&local);
            if let Some(p) = sp {
                if let Some(n) = &p.sparse_name {
                    e.name = n.clone();
                }
                let real = p.sparse_realsize.unwrap_or(size);
                let major = p.sparse_major.unwrap_or(0);
                if major == 1 {
                    let map = self.read_sparse_map(&mut e)?;
                    e.sparse = Some(Sparse {
                        map,
                        real_size: real,
                        map_in_data: true,
                    });
                } else {
                    e.sparse = Some(Sparse {
                        map: p.sparse_map.clone(),
                        real_size: real,
                        map_in_data: false,
                    });
                }
            }
            if let Some(s) = &e.sparse {
                check_sparse(s, e.size)?;
            }
            return Ok(Some(e));
        }
    }

    /// pax sparse 1.0: decimal lines at the start of the data, padded to a block.
    fn read_sparse_map(&mut self, e: &mut Entry) -> Result<Vec<(u64, u64)>, ReadErr> {
        let mut text: Vec<u8> = Vec::new();
        let mut used = 0u64;
        let mut nums: Vec<u64> = Vec::new();
        let mut want: Option<usize> = None;
        loop {
            // Consume whole blocks until the map is complete.
            if let Some(w) = want {
                if nums.len() > 2 * w {
                    break;
                }
            }
            if used + BLOCK as u64 > e.size {
                return Err(ReadErr::Malformed("bad sparse map"));
            }
            let b = match self.input.block() {
                Ok(Some(b)) => b,
                _ => return Err(ReadErr::Eof),
            };
            used += BLOCK as u64;
            text.extend_from_slice(&b);
            // Parse complete lines.
            while let Some(i) = memchr::memchr(b'\n', &text) {
                let v =
                    header::parse_dec(&text[..i]).ok_or(ReadErr::Malformed("bad sparse map"))?;
                text.drain(..=i);
                nums.push(v);
                if nums.len() == 1 {
                    if v as usize > MAX_SPARSE {
                        return Err(ReadErr::Malformed("sparse map too large"));
                    }
                    want = Some(v as usize);
                }
                if let Some(w) = want {
                    if nums.len() > 2 * w {
                        break;
                    }
                }
            }
            let complete = matches!(want, Some(w) if nums.len() > 2 * w);
            if !complete && text.len() > 64 {
                return Err(ReadErr::Malformed("bad sparse map"));
            }
        }
        e.size -= used;
        Ok(nums[1..].chunks(2).map(|c| (c[0], c[1])).collect())
    }
}

fn check_sparse(s: &Sparse, stored: u64) -> Result<(), ReadErr> {
    let mut total = 0u64;
    let mut last_end = 0u64;
    for &(o, l) in &s.map {
        let end = o
            .checked_add(l)
            .ok_or(ReadErr::Malformed("bad sparse map"))?;
        if o < last_end || end > s.real_size {
            return Err(ReadErr::Malformed("bad sparse map"));
        }
        last_end = end;
        total = total
            .checked_add(l)
            .ok_or(ReadErr::Malformed("bad sparse map"))?;
    }
    if total != stored {
        return Err(ReadErr::Malformed("bad sparse map"));
    }
    Ok(())
}
