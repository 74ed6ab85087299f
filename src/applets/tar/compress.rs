//! Compression: gzip, bzip2, xz and zstd, in-process, each in a second thread so that
//! (de)compression overlaps with archive work the way GNU tar's gzip child process does.
//! The codecs themselves are [`crate::common::codec`]'s (shared with the gzip, bzip2, xz and
//! zstd applets). Concatenated members (gzip, bzip2, xz streams, zstd frames) decode as one, as `gzip -d`,
//! `bzip2 -d`, `xz -d` and `zstd -d` do.

use std::io::{self, Read};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use super::archive::ArchiveFd;
pub use crate::common::codec::Codec;
use crate::common::codec::{corrupt, decoder, encoder, failure_message, Fail, Step, Teller};
use crate::common::sys::fd::{self as sys, AsFd};

pub const CHUNK: usize = 128 * 1024;

struct FdReader {
    prefix: Vec<u8>,
    pos: usize,
    fd: ArchiveFd,
}

impl Read for FdReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos < self.prefix.len() {
            let n = (self.prefix.len() - self.pos).min(buf.len());
            buf[..n].copy_from_slice(&self.prefix[self.pos..self.pos + n]);
            self.pos += n;
            return Ok(n);
        }
        sys::read(self.fd.as_fd(), buf)
    }
}

/// What the decoder thread hands over: data, then how the stream ended (the message and exit
/// status GNU tar's decompressor child would give, or nothing). Also the type of every other
/// channel here (buffers going back, the encoder's input, as `Data`): each message type
/// instantiates the channel's code anew (~4 KB).
enum Msg {
    Data(Vec<u8>),
    End(Option<(Vec<u8>, i32)>),
}

/// An emptied buffer handed back through `back`, or a new one.
fn spare(back: &Receiver<Msg>) -> Vec<u8> {
    match back.try_recv() {
        Ok(Msg::Data(v)) => v,
        _ => Vec::new(),
    }
}

/// GNU tar reads its child's output through a pipe in 10 KiB records; the child's message
/// comes once its last write went into the pipe (64 KiB, in 4 KiB pages), and a child whose
/// output is not all read when tar stops dies of SIGPIPE, silently.
const RECORD: u64 = 10240;
const PIPE_PAGES: u64 = 16;
const PAGE: u64 = 4096;

/// Decompressed data arriving from the decoder thread in chunks. The thread owns the
/// archive's descriptor; dropping the decoder hangs up and joins it, so it never outlives the
/// input it reads.
pub struct Decoder {
    rx: Option<Receiver<Msg>>,
    back: SyncSender<Msg>,
    thread: Option<JoinHandle<()>>,
    /// Received, not yet handed out.
    pending: std::collections::VecDeque<Vec<u8>>,
    received: u64,
    end: Option<Option<(Vec<u8>, i32)>>,
    /// The child's message was written.
    told: bool,
}

impl Drop for Decoder {
    fn drop(&mut self) {
        // Hang up first: a thread blocked handing over a chunk wakes with an error and ends;
        // one reading ends at its next chunk.
        self.rx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Decoder {
    /// Start decoding `fd` (whose first bytes were already read into `prefix`).
    pub fn spawn(codec: Codec, fd: ArchiveFd, prefix: Vec<u8>) -> io::Result<Decoder> {
        let (tx, rx) = sync_channel::<Msg>(3);
        let (back, back_rx) = sync_channel::<Msg>(4);
        let thread = std::thread::Builder::new()
            .name("tar-decode".into())
            .stack_size(256 * 1024)
            .spawn(move || {
                let end = match codec {
                    #[cfg(feature = "tar-gzip")]
                    Codec::Gzip => gunzip(fd, &prefix, &tx, &back_rx),
                    _ => other(codec, fd, prefix, &tx, &back_rx),
                };
                let _ = tx.send(Msg::End(end));
            })?;
        Ok(Decoder {
            rx: Some(rx),
            back,
            thread: Some(thread),
            pending: Default::default(),
            received: 0,
            end: None,
            told: false,
        })
    }

    fn receive(&mut self) {
        match self.rx.as_ref().expect("decoder open").recv() {
            Ok(Msg::Data(v)) => {
                self.received += v.len() as u64;
                self.pending.push_back(v);
            }
            Ok(Msg::End(e)) => self.end = Some(e),
            Err(_) => self.end = Some(None),
        }
    }

    /// Write the child's message (once) and give its status as an error.
    fn failed(&mut self) -> io::Result<()> {
        if let Some(Some((msg, st))) = &self.end {
            if !self.told {
                self.told = true;
                let _ = sys::write_all(crate::common::io::stderr_fd(), msg);
            }
            return Err(io::Error::other(ChildFailed(*st)));
        }
        Ok(())
    }

    /// The next chunk; an empty vector at the end.
    pub fn next_chunk(&mut self) -> io::Result<Vec<u8>> {
        loop {
            if let Some(v) = self.pending.pop_front() {
                return Ok(v);
            }
            if self.end.is_some() {
                self.failed()?;
                return Ok(Vec::new());
            }
            self.receive();
        }
    }

    /// The reader has used `consumed` bytes: the child's message comes when the rest of its
    /// output fits in the pipe.
    pub fn progress(&mut self, consumed: u64) {
        if self.told {
            return;
        }
        let read = consumed.div_ceil(RECORD) * RECORD;
        let limit = (read / PAGE + PIPE_PAGES) * PAGE;
        while self.end.is_none() && self.received <= limit {
            self.receive();
        }
        if self.received <= limit {
            let _ = self.failed();
        }
    }

    /// The reader stopped at the end of the archive after `consumed` bytes: the child's
    /// status if it got to say something (GNU's wait for the child when closing the archive).
    pub fn close(&mut self, consumed: u64) -> io::Result<()> {
        self.progress(consumed);
        if self.told {
            return self.failed();
        }
        Ok(())
    }

    pub fn give_back(&mut self, buf: Vec<u8>) {
        let _ = self.back.try_send(Msg::Data(buf));
    }
}

/// gzip: decoded as GNU gzip decodes ([`crate::common::codec::gunzip`]), what it would write
/// before an error included; the end as `gzip -d` reading stdin reports it.
#[cfg(feature = "tar-gzip")]
fn gunzip(
    fd: ArchiveFd,
    prefix: &[u8],
    tx: &SyncSender<Msg>,
    back: &Receiver<Msg>,
) -> Option<(Vec<u8>, i32)> {
    use crate::common::codec::{gunzip::Gunzip, gunzip::Source, gzip_message};
    let mut s = Source::new(fd.as_fd(), vec![0u8; CHUNK], prefix);
    let mut obuf = vec![0u8; CHUNK];
    let mut out = Vec::with_capacity(CHUNK);
    let mut sink = |mut b: &[u8]| -> Result<(), Fail> {
        while !b.is_empty() {
            let k = (CHUNK - out.len()).min(b.len());
            out.extend_from_slice(&b[..k]);
            b = &b[k..];
            if out.len() == CHUNK {
                let mut next = spare(back);
                next.clear();
                let full = std::mem::replace(&mut out, next);
                tx.send(Msg::Data(full))
                    .map_err(|_| Fail::Write(io::ErrorKind::BrokenPipe.into()))?;
            }
        }
        Ok(())
    };
    let r = Gunzip::default().run(&mut s, &mut obuf, false, &mut sink);
    if !out.is_empty() && tx.send(Msg::Data(out)).is_err() {
        return None;
    }
    match r {
        Ok(d) if d.garbage => Some((
            b"\ngzip: stdin: decompression OK, trailing garbage ignored\n".to_vec(),
            2,
        )),
        Ok(_) | Err(Fail::Write(_)) => None,
        Err(Fail::Read(e)) => Some((
            format!("gzip: stdin: {}\n", crate::common::ctx::strerror(&e)).into_bytes(),
            1,
        )),
        Err(f) => Some((gzip_message(b"stdin", &f), 1)),
    }
}

/// bzip2, xz and zstd through their [`Step`]s.
fn other(
    codec: Codec,
    fd: ArchiveFd,
    prefix: Vec<u8>,
    tx: &SyncSender<Msg>,
    back: &Receiver<Msg>,
) -> Option<(Vec<u8>, i32)> {
    let src = FdReader { prefix, pos: 0, fd };
    let magic = Codec::from_magic(&src.prefix) == Some(codec);
    let empty = src.prefix.is_empty();
    let r = if magic {
        decoder(codec).and_then(|d| decode(d, src, tx, back))
    } else {
        Err(io::Error::other("format not recognized"))
    };
    r.err().map(|e| child_failure(codec, &e, magic, empty))
}

/// The decoder thread: compressed input from `src`, full chunks of output to `tx` (the last
/// one short), until the input ends after a complete member. `Ok` also when the reader went
/// away (it stopped at the end of the archive).
fn decode(
    mut d: Box<dyn Step>,
    mut src: FdReader,
    tx: &SyncSender<Msg>,
    back: &Receiver<Msg>,
) -> io::Result<()> {
    let mut input = vec![0u8; CHUNK];
    let (mut pos, mut len, mut eof) = (0, 0, false);
    let mut ended = false;
    let mut sent = 0u64;
    loop {
        let mut out = spare(back);
        out.resize(CHUNK, 0);
        let mut n = 0;
        let res = (|| -> io::Result<bool> {
            loop {
                if pos == len && !eof {
                    match src.read(&mut input) {
                        Ok(0) => eof = true,
                        Ok(k) => (pos, len) = (0, k),
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) => return Err(e),
                    }
                }
                if ended {
                    // Zero bytes after a member are padding (a tape's last record), as gzip -d
                    // takes them.
                    while pos < len && input[pos] == 0 {
                        pos += 1;
                    }
                    if pos == len {
                        if eof {
                            return Ok(true);
                        }
                        continue;
                    }
                    d.restart()?;
                }
                let garbage = d.trailing_garbage();
                let (c, p, end) = match d.step(&input[pos..len], &mut out[n..], eof) {
                    // What follows a complete member and does not start another.
                    Err(e) if ended => {
                        return Err(corrupt(format_args!(
                            "trailing garbage after the compressed data ({e})"
                        )))
                    }
                    r => r?,
                };
                if !garbage && d.trailing_garbage() {
                    let _ = sys::write_all(
                        crate::common::io::stderr_fd(),
                        b"tar: bzip2: trailing garbage after the compressed data ignored\n",
                    );
                }
                pos += c;
                n += p;
                ended = end;
                if n == out.len() {
                    return Ok(false);
                }
                if c == 0 && p == 0 && !end && (eof || pos < len) {
                    return Err(if eof {
                        io::Error::new(io::ErrorKind::UnexpectedEof, "unexpected end of file")
                    } else {
                        corrupt("invalid compressed data")
                    });
                }
            }
        })();
        // What was decoded before an error is delivered first: the archive reader may well
        // have reached its end within it. Whole blocks of it only, as GNU tar keeps of what
        // its child wrote before failing.
        if res.is_err() {
            n -= ((sent + n as u64) % 512).min(n as u64) as usize;
        }
        out.truncate(n);
        sent += n as u64;
        if n > 0 && tx.send(Msg::Data(out)).is_err() {
            return Ok(());
        }
        if res? {
            return Ok(());
        }
    }
}

/// GNU tar's decompressor child failed: its status (`tar: Child returned status N`).
#[derive(Debug)]
pub struct ChildFailed(pub i32);

impl std::fmt::Display for ChildFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "Child returned status {}", self.0)
    }
}

impl std::error::Error for ChildFailed {}

/// The status of a failed decompression (see [`ChildFailed`]).
pub fn child_status(e: &io::Error) -> Option<i32> {
    e.get_ref()?.downcast_ref::<ChildFailed>().map(|c| c.0)
}

/// A decoding error as GNU tar shows it: the message its child (`bzip2 -d`, `xz -d`,
/// `zstd -d` reading stdin) prints and the child's exit status for tar to report.
fn child_failure(codec: Codec, e: &io::Error, magic: bool, empty: bool) -> (Vec<u8>, i32) {
    let f = if !(magic || empty && codec != Codec::Xz) {
        Fail::NotFormat
    } else if empty || e.kind() == io::ErrorKind::UnexpectedEof {
        Fail::Truncated
    } else {
        Fail::Corrupt(String::new())
    };
    let (prog, input): (&[u8], &[u8]) = match codec {
        Codec::Gzip => (b"gzip", b"stdin"),
        Codec::Bzip2 => (b"bzip2", b"(stdin)"),
        Codec::Xz => (b"xz", b"(stdin)"),
        Codec::Zstd => (b"zstd", b"/*stdin*\\"),
    };
    let t = Teller {
        prog,
        input,
        output: b"(stdout)",
        errno: b"Inappropriate ioctl for device",
        test: false,
        child: true,
        empty,
    };
    failure_message(codec, &f, &t)
}

/// Compressed output: archive bytes go to the encoder thread in chunks. The thread owns the
/// archive's descriptor; [`Encoder::finish`] (or a drop, after an error) hangs up and joins it.
pub struct Encoder {
    tx: Option<SyncSender<Msg>>,
    back: Receiver<Msg>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl Encoder {
    pub fn spawn(codec: Codec, fd: ArchiveFd, level: Option<u32>) -> io::Result<Encoder> {
        let (tx, rx) = sync_channel::<Msg>(3);
        let (back_tx, back) = sync_channel::<Msg>(4);
        let thread = std::thread::Builder::new()
            .name("tar-encode".into())
            .stack_size(512 * 1024)
            .spawn(move || encode(encoder(codec, level)?, &fd, &rx, &back_tx))?;
        Ok(Encoder {
            tx: Some(tx),
            back,
            thread: Some(thread),
        })
    }

    /// Hand a full buffer over; get an empty one back.
    pub fn send(&mut self, buf: Vec<u8>) -> io::Result<Vec<u8>> {
        let tx = self.tx.as_ref().expect("encoder open");
        if tx.send(Msg::Data(buf)).is_err() {
            // The thread ended early: its result says why.
            return Err(self
                .join()
                .err()
                .unwrap_or_else(|| io::Error::other("compressor stopped")));
        }
        let mut b = spare(&self.back);
        b.clear();
        Ok(b)
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.join()
    }

    fn join(&mut self) -> io::Result<()> {
        // Hanging up tells the thread to complete the stream.
        self.tx = None;
        match self.thread.take() {
            Some(t) => t
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("compressor failed"))),
            None => Ok(()),
        }
    }
}

impl Drop for Encoder {
    fn drop(&mut self) {
        let _ = self.join();
    }
}

/// The encoder thread: archive chunks from `rx` (returned through `back` once consumed),
/// compressed output written to `fd` in CHUNK-sized pieces, the stream completed when the
/// sender hangs up.
fn encode(
    mut e: Box<dyn Step>,
    fd: &ArchiveFd,
    rx: &Receiver<Msg>,
    back: &SyncSender<Msg>,
) -> io::Result<()> {
    let mut out = vec![0u8; CHUNK];
    let mut n = 0;
    // The chunk being compressed and how much of it the codec has taken.
    let mut pending: Option<(Vec<u8>, usize)> = None;
    loop {
        if pending.is_none() {
            if let Ok(m) = rx.recv() {
                if let Msg::Data(buf) = m {
                    if !buf.is_empty() {
                        pending = Some((buf, 0));
                    }
                }
                continue;
            }
        }
        let input = pending.as_ref().map_or(&[][..], |(b, off)| &b[*off..]);
        let (c, p, end) = e.step(input, &mut out[n..], pending.is_none())?;
        n += p;
        if n == out.len() || (end && n > 0) {
            sys::write_all(fd.as_fd(), &out[..n])?;
            n = 0;
        }
        if end {
            return Ok(());
        }
        if let Some((buf, off)) = pending.as_mut() {
            *off += c;
            if *off == buf.len() {
                let (mut buf, _) = pending.take().expect("pending input");
                buf.clear();
                let _ = back.try_send(Msg::Data(buf));
            }
        }
        if c == 0 && p == 0 && n < out.len() {
            return Err(io::Error::other("compressor made no progress"));
        }
    }
}
