//! Compression: gzip, bzip2, xz and zstd, in-process, each in a second thread so that
//! (de)compression overlaps with archive work the way GNU tar's gzip child process does.
//!
//! Codecs: gzip through flate2 on zlib-rs (pure Rust), bzip2 through libbz2-rs-sys (pure Rust),
//! xz through liblzma and zstd through libzstd (C: the pure-Rust alternatives were decode-only
//! or several times slower). Detection on read is by magic bytes, as GNU tar and bsdtar do.

use std::io::{self, Read, Write};
use std::os::unix::io::RawFd;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

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

/// Writes to a file descriptor it does not own (the archive fd belongs to the caller; stdout
/// must not be closed).
pub struct FdWriter(RawFd);

impl Write for FdWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        crate::common::io::write_all_fd(self.0, buf)?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

struct FdReader {
    prefix: Vec<u8>,
    pos: usize,
    fd: RawFd,
}

impl Read for FdReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos < self.prefix.len() {
            let n = (self.prefix.len() - self.pos).min(buf.len());
            buf[..n].copy_from_slice(&self.prefix[self.pos..self.pos + n]);
            self.pos += n;
            return Ok(n);
        }
        crate::common::io::read_fd(self.fd, buf)
    }
}

/// Decompressed data arriving from the decoder thread in chunks.
pub struct Decoder {
    rx: Receiver<io::Result<Vec<u8>>>,
    back: SyncSender<Vec<u8>>,
    _thread: JoinHandle<()>,
}

impl Decoder {
    /// Start decoding `fd` (whose first bytes were already read into `prefix`).
    pub fn spawn(codec: Codec, fd: RawFd, prefix: Vec<u8>) -> io::Result<Decoder> {
        let (tx, rx) = sync_channel::<io::Result<Vec<u8>>>(3);
        let (back, back_rx) = sync_channel::<Vec<u8>>(4);
        let src = FdReader { prefix, pos: 0, fd };
        let thread = std::thread::Builder::new()
            .name("tar-decode".into())
            .stack_size(256 * 1024)
            .spawn(move || {
                let mut r: Box<dyn Read> = match decoder(codec, src) {
                    Ok(d) => d,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                loop {
                    let mut buf = back_rx.try_recv().unwrap_or_else(|_| vec![0u8; CHUNK]);
                    buf.resize(CHUNK, 0);
                    let mut n = 0;
                    // Fill the chunk: fewer, larger hand-overs.
                    let res = loop {
                        match r.read(&mut buf[n..]) {
                            Ok(0) => break Ok(()),
                            Ok(k) => {
                                n += k;
                                if n == buf.len() {
                                    break Ok(());
                                }
                            }
                            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                            Err(e) => break Err(e),
                        }
                    };
                    buf.truncate(n);
                    let done = n < CHUNK;
                    if n > 0 && tx.send(Ok(buf)).is_err() {
                        return;
                    }
                    if let Err(e) = res {
                        let _ = tx.send(Err(e));
                        return;
                    }
                    if done {
                        return;
                    }
                }
            })?;
        Ok(Decoder {
            rx,
            back,
            _thread: thread,
        })
    }

    /// The next chunk; an empty vector at the end.
    pub fn next_chunk(&mut self) -> io::Result<Vec<u8>> {
        match self.rx.recv() {
            Ok(r) => r,
            Err(_) => Ok(Vec::new()),
        }
    }

    pub fn give_back(&mut self, buf: Vec<u8>) {
        let _ = self.back.try_send(buf);
    }
}

/// Compressed output: archive bytes go to the encoder thread in chunks.
pub struct Encoder {
    tx: Option<SyncSender<Vec<u8>>>,
    back: Receiver<Vec<u8>>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl Encoder {
    pub fn spawn(codec: Codec, fd: RawFd, level: Option<u32>) -> io::Result<Encoder> {
        let (tx, rx) = sync_channel::<Vec<u8>>(3);
        let (back_tx, back) = sync_channel::<Vec<u8>>(4);
        let thread = std::thread::Builder::new()
            .name("tar-encode".into())
            .stack_size(512 * 1024)
            .spawn(move || -> io::Result<()> {
                let out = io::BufWriter::with_capacity(CHUNK, FdWriter(fd));
                let mut w = encoder(codec, out, level)?;
                while let Ok(buf) = rx.recv() {
                    w.write_all(&buf)?;
                    let _ = back_tx.try_send(buf);
                }
                w.finish_box()
            })?;
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
        self.tx = None;
        match self.thread.take() {
            Some(t) => t
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("compressor failed"))),
            None => Ok(()),
        }
    }
}

fn missing(codec: Codec) -> io::Error {
    io::Error::other(format!("{codec:?} support is not built into this rbox").to_lowercase())
}

// In a build without codecs every arm returns, which the compiler flags as unreachable `Ok`.
#[allow(unreachable_code)]
fn decoder(codec: Codec, src: FdReader) -> io::Result<Box<dyn Read>> {
    let _ = &src;
    Ok(match codec {
        #[cfg(feature = "tar-gzip")]
        Codec::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(
            io::BufReader::with_capacity(CHUNK, src),
        )),
        #[cfg(feature = "tar-bzip2")]
        Codec::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(src)),
        #[cfg(feature = "tar-xz")]
        Codec::Xz => Box::new(liblzma::read::XzDecoder::new_multi_decoder(src)),
        #[cfg(feature = "tar-zstd")]
        Codec::Zstd => Box::new(zstd::stream::read::Decoder::new(src)?),
        #[allow(unreachable_patterns)]
        c => return Err(missing(c)),
    })
}

#[allow(unreachable_code)]
fn encoder(codec: Codec, out: Sink, level: Option<u32>) -> io::Result<Box<dyn FinishWrite>> {
    let _ = (&out, level);
    Ok(match codec {
        #[cfg(feature = "tar-gzip")]
        Codec::Gzip => Box::new(flate2::write::GzEncoder::new(
            out,
            flate2::Compression::new(level.unwrap_or(6)),
        )),
        #[cfg(feature = "tar-bzip2")]
        Codec::Bzip2 => Box::new(bzip2::write::BzEncoder::new(
            out,
            bzip2::Compression::new(level.unwrap_or(9)),
        )),
        #[cfg(feature = "tar-xz")]
        Codec::Xz => Box::new(liblzma::write::XzEncoder::new(out, level.unwrap_or(6))),
        #[cfg(feature = "tar-zstd")]
        Codec::Zstd => Box::new(zstd::stream::write::Encoder::new(
            out,
            level.unwrap_or(3) as i32,
        )?),
        #[allow(unreachable_patterns)]
        c => return Err(missing(c)),
    })
}

trait FinishWrite: Write + Send {
    fn finish_box(self: Box<Self>) -> io::Result<()>;
}

type Sink = io::BufWriter<FdWriter>;

#[cfg(feature = "tar-gzip")]
impl FinishWrite for flate2::write::GzEncoder<Sink> {
    fn finish_box(self: Box<Self>) -> io::Result<()> {
        self.finish()?.flush()
    }
}
#[cfg(feature = "tar-bzip2")]
impl FinishWrite for bzip2::write::BzEncoder<Sink> {
    fn finish_box(self: Box<Self>) -> io::Result<()> {
        self.finish()?.flush()
    }
}
#[cfg(feature = "tar-xz")]
impl FinishWrite for liblzma::write::XzEncoder<Sink> {
    fn finish_box(self: Box<Self>) -> io::Result<()> {
        self.finish()?.flush()
    }
}
#[cfg(feature = "tar-zstd")]
impl FinishWrite for zstd::stream::write::Encoder<'static, Sink> {
    fn finish_box(self: Box<Self>) -> io::Result<()> {
        self.finish()?.flush()
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
