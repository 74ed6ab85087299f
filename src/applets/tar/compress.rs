//! Compression: gzip, bzip2, xz and zstd, in-process, each in a second thread so that
//! (de)compression overlaps with archive work the way GNU tar's gzip child process does.
//!
//! Codecs: gzip through flate2 on zlib-rs (pure Rust), bzip2 through libbz2-rs-sys (pure Rust),
//! xz through liblzma and zstd through libzstd (C: the pure-Rust alternatives were decode-only
//! or several times slower). Detection on read is by magic bytes, as GNU tar and bsdtar do.
//!
//! Each codec is driven through its raw streaming interface ([`Step`]) by one loop per
//! direction, not through the crates' `Read`/`Write` adapters: one copy of the buffering and
//! multi-member logic instead of four (the adapters weighed ~30 KB of the static binary).
//! Concatenated members (gzip, bzip2, xz streams, zstd frames) decode as one, as `gzip -d`,
//! `bzip2 -d`, `xz -d` and `zstd -d` do.

use std::io::{self, Read};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use super::archive::ArchiveFd;
use crate::common::sys::fd::{self as sys, AsFd};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Codec {
    Gzip,
    Bzip2,
    Xz,
    Zstd,
}

impl Codec {
    pub fn from_magic(b: &[u8]) -> Option<Codec> {
        if b.starts_with(&[0x1f, 0x8b]) {
            Some(Codec::Gzip)
        } else if b.starts_with(b"BZh") && b.len() > 3 && (b'1'..=b'9').contains(&b[3]) {
            Some(Codec::Bzip2)
        } else if b.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
            Some(Codec::Xz)
        } else if b.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(Codec::Zstd)
        } else {
            None
        }
    }

    /// `-a`: from the archive name's suffix, as GNU tar's table does.
    pub fn from_name(name: &[u8]) -> Option<Codec> {
        let ends = |s: &[u8]| name.len() > s.len() && name.ends_with(s);
        if ends(b".gz") || ends(b".tgz") || ends(b".taz") {
            Some(Codec::Gzip)
        } else if ends(b".bz2") || ends(b".tbz") || ends(b".tbz2") || ends(b".tz2") {
            Some(Codec::Bzip2)
        } else if ends(b".xz") || ends(b".txz") {
            Some(Codec::Xz)
        } else if ends(b".zst") || ends(b".tzst") {
            Some(Codec::Zstd)
        } else {
            None
        }
    }
}

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

/// One streaming codec, driven by [`decode`] and [`encode`].
trait Step: Send {
    /// Consume from `input`, produce into `output`: (bytes consumed, bytes produced, end of
    /// stream). `finish`: for a decoder, the input has ended; for an encoder, no more input
    /// comes and the stream is to be completed.
    fn step(
        &mut self,
        input: &[u8],
        output: &mut [u8],
        finish: bool,
    ) -> io::Result<(usize, usize, bool)>;
    /// A decoder that reached the end of a member: get ready for the next one.
    fn restart(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn corrupt(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

/// Decompressed data arriving from the decoder thread in chunks. The thread owns the
/// archive's descriptor; dropping the decoder hangs up and joins it, so it never outlives the
/// input it reads.
pub struct Decoder {
    rx: Option<Receiver<io::Result<Vec<u8>>>>,
    back: SyncSender<Vec<u8>>,
    thread: Option<JoinHandle<()>>,
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
        let (tx, rx) = sync_channel::<io::Result<Vec<u8>>>(3);
        let (back, back_rx) = sync_channel::<Vec<u8>>(4);
        let src = FdReader { prefix, pos: 0, fd };
        let thread = std::thread::Builder::new()
            .name("tar-decode".into())
            .stack_size(256 * 1024)
            .spawn(move || {
                if let Err(e) = decoder(codec).and_then(|d| decode(d, src, &tx, &back_rx)) {
                    let _ = tx.send(Err(e));
                }
            })?;
        Ok(Decoder {
            rx: Some(rx),
            back,
            thread: Some(thread),
        })
    }

    /// The next chunk; an empty vector at the end.
    pub fn next_chunk(&mut self) -> io::Result<Vec<u8>> {
        match self.rx.as_ref().expect("decoder open").recv() {
            Ok(r) => r,
            Err(_) => Ok(Vec::new()),
        }
    }

    pub fn give_back(&mut self, buf: Vec<u8>) {
        let _ = self.back.try_send(buf);
    }
}

/// The decoder thread: compressed input from `src`, full chunks of output to `tx` (the last
/// one short), until the input ends after a complete member. `Ok` also when the reader went
/// away (it stopped at the end of the archive).
fn decode(
    mut d: Box<dyn Step>,
    mut src: FdReader,
    tx: &SyncSender<io::Result<Vec<u8>>>,
    back: &Receiver<Vec<u8>>,
) -> io::Result<()> {
    let mut input = vec![0u8; CHUNK];
    let (mut pos, mut len, mut eof) = (0, 0, false);
    let mut ended = false;
    loop {
        let mut out = back.try_recv().unwrap_or_default();
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
                let (c, p, end) = match d.step(&input[pos..len], &mut out[n..], eof) {
                    // What follows a complete member and does not start another.
                    Err(e) if ended => {
                        return Err(corrupt(format_args!(
                            "trailing garbage after the compressed data ({e})"
                        )))
                    }
                    r => r?,
                };
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
        // have reached its end within it.
        out.truncate(n);
        if n > 0 && tx.send(Ok(out)).is_err() {
            return Ok(());
        }
        if res? {
            return Ok(());
        }
    }
}

/// Compressed output: archive bytes go to the encoder thread in chunks. The thread owns the
/// archive's descriptor; [`Encoder::finish`] (or a drop, after an error) hangs up and joins it.
pub struct Encoder {
    tx: Option<SyncSender<Vec<u8>>>,
    back: Receiver<Vec<u8>>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl Encoder {
    pub fn spawn(codec: Codec, fd: ArchiveFd, level: Option<u32>) -> io::Result<Encoder> {
        let (tx, rx) = sync_channel::<Vec<u8>>(3);
        let (back_tx, back) = sync_channel::<Vec<u8>>(4);
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
        if tx.send(buf).is_err() {
            // The thread ended early: its result says why.
            return Err(self
                .join()
                .err()
                .unwrap_or_else(|| io::Error::other("compressor stopped")));
        }
        let mut b = self.back.try_recv().unwrap_or_default();
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
    rx: &Receiver<Vec<u8>>,
    back: &SyncSender<Vec<u8>>,
) -> io::Result<()> {
    let mut out = vec![0u8; CHUNK];
    let mut n = 0;
    // The chunk being compressed and how much of it the codec has taken.
    let mut pending: Option<(Vec<u8>, usize)> = None;
    loop {
        if pending.is_none() {
            if let Ok(buf) = rx.recv() {
                if !buf.is_empty() {
                    pending = Some((buf, 0));
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
                let _ = back.try_send(buf);
            }
        }
        if c == 0 && p == 0 && n < out.len() {
            return Err(io::Error::other("compressor made no progress"));
        }
    }
}

fn missing(codec: Codec) -> io::Error {
    io::Error::other(format!("{codec:?} support is not built into this rbox").to_lowercase())
}

// In a build without codecs every arm returns, which the compiler flags as unreachable `Ok`.
#[allow(unreachable_code)]
fn decoder(codec: Codec) -> io::Result<Box<dyn Step>> {
    Ok(match codec {
        #[cfg(feature = "tar-gzip")]
        Codec::Gzip => Box::new(Gzip::decoder()),
        #[cfg(feature = "tar-bzip2")]
        Codec::Bzip2 => Box::new(Bzip2::decoder()),
        #[cfg(feature = "tar-xz")]
        Codec::Xz => Box::new(Xz(liblzma::stream::Stream::new_stream_decoder(
            u64::MAX,
            liblzma::stream::CONCATENATED,
        )
        .map_err(io::Error::other)?)),
        #[cfg(feature = "tar-zstd")]
        Codec::Zstd => Box::new(Zstd::Decoder(zstd::stream::raw::Decoder::new()?)),
        #[allow(unreachable_patterns)]
        c => return Err(missing(c)),
    })
}

#[allow(unreachable_code)]
fn encoder(codec: Codec, level: Option<u32>) -> io::Result<Box<dyn Step>> {
    let _ = level;
    Ok(match codec {
        #[cfg(feature = "tar-gzip")]
        Codec::Gzip => Box::new(Gzip::Encoder(flate2::Compress::new_gzip(
            flate2::Compression::new(level.unwrap_or(6)),
            15,
        ))),
        #[cfg(feature = "tar-bzip2")]
        Codec::Bzip2 => Box::new(Bzip2::Encoder(bzip2::Compress::new(
            bzip2::Compression::new(level.unwrap_or(9)),
            30,
        ))),
        #[cfg(feature = "tar-xz")]
        Codec::Xz => Box::new(Xz(liblzma::stream::Stream::new_easy_encoder(
            level.unwrap_or(6),
            liblzma::stream::Check::Crc64,
        )
        .map_err(io::Error::other)?)),
        #[cfg(feature = "tar-zstd")]
        Codec::Zstd => Box::new(Zstd::Encoder(zstd::stream::raw::Encoder::new(
            level.unwrap_or(3) as i32,
        )?)),
        #[allow(unreachable_patterns)]
        c => return Err(missing(c)),
    })
}

/// Bytes consumed and produced by one call, from a codec's running totals.
#[cfg(any(feature = "tar-gzip", feature = "tar-bzip2", feature = "tar-xz"))]
fn moved(before: (u64, u64), after: (u64, u64)) -> (usize, usize) {
    ((after.0 - before.0) as usize, (after.1 - before.1) as usize)
}

#[cfg(feature = "tar-gzip")]
enum Gzip {
    Decoder(flate2::Decompress),
    Encoder(flate2::Compress),
}

#[cfg(feature = "tar-gzip")]
impl Gzip {
    /// zlib's gzip mode (window bits 15 + 16): header, trailer and CRC checked by zlib-rs.
    fn decoder() -> Gzip {
        Gzip::Decoder(flate2::Decompress::new_gzip(15))
    }
}

#[cfg(feature = "tar-gzip")]
impl Step for Gzip {
    fn step(&mut self, i: &[u8], o: &mut [u8], finish: bool) -> io::Result<(usize, usize, bool)> {
        use flate2::{FlushCompress, FlushDecompress, Status};
        let (before, status, after) = match self {
            Gzip::Decoder(d) => {
                let b = (d.total_in(), d.total_out());
                let s = d.decompress(i, o, FlushDecompress::None).map_err(corrupt)?;
                (b, s, (d.total_in(), d.total_out()))
            }
            Gzip::Encoder(e) => {
                let b = (e.total_in(), e.total_out());
                let f = if finish {
                    FlushCompress::Finish
                } else {
                    FlushCompress::None
                };
                let s = e.compress(i, o, f).map_err(io::Error::other)?;
                (b, s, (e.total_in(), e.total_out()))
            }
        };
        let (c, p) = moved(before, after);
        Ok((c, p, status == Status::StreamEnd))
    }

    fn restart(&mut self) -> io::Result<()> {
        *self = Gzip::decoder();
        Ok(())
    }
}

#[cfg(feature = "tar-bzip2")]
enum Bzip2 {
    Decoder(bzip2::Decompress),
    Encoder(bzip2::Compress),
    /// After the last stream, bytes that do not start another: `bzip2 -d` warns and ignores
    /// them (and GNU tar exits 0), where gzip, xz and zstd fail.
    Garbage,
}

#[cfg(feature = "tar-bzip2")]
impl Bzip2 {
    fn decoder() -> Bzip2 {
        Bzip2::Decoder(bzip2::Decompress::new(false))
    }
}

#[cfg(feature = "tar-bzip2")]
impl Step for Bzip2 {
    fn step(&mut self, i: &[u8], o: &mut [u8], finish: bool) -> io::Result<(usize, usize, bool)> {
        let (before, status, after) = match self {
            Bzip2::Decoder(d) => {
                let b = (d.total_in(), d.total_out());
                let s = match d.decompress(i, o) {
                    // Only a later stream can start with a wrong magic: the first one's was
                    // checked to choose this codec.
                    Err(bzip2::Error::DataMagic) if b.0 == 0 => {
                        let _ = sys::write_all(
                            crate::common::io::stderr_fd(),
                            b"tar: bzip2: trailing garbage after the compressed data ignored\n",
                        );
                        *self = Bzip2::Garbage;
                        return Ok((i.len(), 0, true));
                    }
                    r => r.map_err(corrupt)?,
                };
                (b, s, (d.total_in(), d.total_out()))
            }
            Bzip2::Garbage => return Ok((i.len(), 0, true)),
            Bzip2::Encoder(e) => {
                let b = (e.total_in(), e.total_out());
                let a = if finish {
                    bzip2::Action::Finish
                } else {
                    bzip2::Action::Run
                };
                let s = e.compress(i, o, a).map_err(io::Error::other)?;
                (b, s, (e.total_in(), e.total_out()))
            }
        };
        let (c, p) = moved(before, after);
        Ok((c, p, status == bzip2::Status::StreamEnd))
    }

    fn restart(&mut self) -> io::Result<()> {
        if !matches!(self, Bzip2::Garbage) {
            *self = Bzip2::decoder();
        }
        Ok(())
    }
}

/// liblzma decodes concatenated .xz streams itself (LZMA_CONCATENATED): its end is the end.
#[cfg(feature = "tar-xz")]
struct Xz(liblzma::stream::Stream);

#[cfg(feature = "tar-xz")]
impl Step for Xz {
    fn step(&mut self, i: &[u8], o: &mut [u8], finish: bool) -> io::Result<(usize, usize, bool)> {
        use liblzma::stream::{Action, Status};
        let before = (self.0.total_in(), self.0.total_out());
        let a = if finish { Action::Finish } else { Action::Run };
        let s = self.0.process(i, o, a).map_err(corrupt)?;
        let (c, p) = moved(before, (self.0.total_in(), self.0.total_out()));
        Ok((c, p, s == Status::StreamEnd))
    }
}

#[cfg(feature = "tar-zstd")]
enum Zstd {
    Decoder(zstd::stream::raw::Decoder<'static>),
    Encoder(zstd::stream::raw::Encoder<'static>),
}

#[cfg(feature = "tar-zstd")]
impl Step for Zstd {
    fn step(&mut self, i: &[u8], o: &mut [u8], finish: bool) -> io::Result<(usize, usize, bool)> {
        use zstd::stream::raw::{InBuffer, Operation, OutBuffer};
        let mut ib = InBuffer::around(i);
        let mut ob = OutBuffer::around(o);
        // Both return what is left to do; 0 means a frame is complete (and flushed).
        let left = match self {
            // libzstd is built without its error strings ("Error strings stripped").
            Zstd::Decoder(d) => d
                .run(&mut ib, &mut ob)
                .map_err(|_| corrupt("corrupted zstd data"))?,
            Zstd::Encoder(e) if finish && i.is_empty() => e.finish(&mut ob, true)?,
            Zstd::Encoder(e) => {
                e.run(&mut ib, &mut ob)?;
                1
            }
        };
        Ok((ib.pos(), ob.pos(), left == 0))
    }

    fn restart(&mut self) -> io::Result<()> {
        match self {
            Zstd::Decoder(d) => zstd::stream::raw::Operation::reinit(d),
            Zstd::Encoder(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_and_names() {
        assert_eq!(Codec::from_magic(&[0x1f, 0x8b, 8]), Some(Codec::Gzip));
        assert_eq!(Codec::from_magic(b"BZh9"), Some(Codec::Bzip2));
        assert_eq!(Codec::from_magic(b"ustar"), None);
        assert_eq!(Codec::from_name(b"a.tgz"), Some(Codec::Gzip));
        assert_eq!(Codec::from_name(b"a.tar.zst"), Some(Codec::Zstd));
        assert_eq!(Codec::from_name(b".gz"), None);
    }
}
