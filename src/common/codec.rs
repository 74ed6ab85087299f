//! The compression codecs: gzip, bzip2, xz and zstd as raw streaming steps, shared by tar
//! (src/applets/tar/compress.rs runs them in a thread beside the archive work) and the
//! gzip/bzip2/xz/zstd front-ends (src/applets/compress).
//!
//! Codecs: gzip through flate2 on zlib-rs (pure Rust), bzip2 through libbz2-rs-sys (pure Rust)
//! to compress and our own decoder (`bunzip2`: ~40% fewer instructions) to decompress, xz
//! through liblzma and zstd through libzstd (C: the pure-Rust alternatives were decode-only or
//! several times slower). Each is available only with its feature (`tar-gzip`,
//! `tar-bzip2`, `tar-xz`, `tar-zstd`). Detection on read is by magic bytes, as GNU tar and
//! bsdtar do.
//!
//! Each codec is driven through its raw streaming interface ([`Step`]) by one loop per
//! direction, not through the crates' `Read`/`Write` adapters: one copy of the buffering and
//! multi-member logic instead of four (the adapters weighed ~30 KB of the static binary).

use std::io;

#[cfg(feature = "tar-bzip2")]
mod bunzip2;
#[cfg(feature = "tar-gzip")]
pub mod gunzip;
#[cfg(feature = "tar-gzip")]
mod inflate;
#[cfg(feature = "tar-gzip")]
mod unlzw;

/// How decoding failed (all codecs: tar and the front-ends report these).
#[derive(Debug)]
pub enum Fail {
    /// Reading the input.
    Read(io::Error),
    /// Writing the output.
    Write(io::Error),
    /// Not this format at all.
    NotFormat,
    /// The input ended inside a member.
    Truncated,
    /// Corrupt data (gzip: "format violated"; the others: the codec's words).
    Corrupt(String),
    /// gzip's trailer checks: CRC, length, or both.
    Crc,
    Length,
    CrcLength,
    /// gzip's header checks.
    Method(u8),
    Encrypted,
    Flags(u8),
    HeaderCrc(u16, u16),
}

/// What a complete stream reports.
#[derive(Default)]
pub struct Summary {
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// Bytes after the last member that are not another one.
    pub garbage: bool,
    /// The first member's stored name and mtime (for -N and -l), header and trailer size.
    pub name: Option<Vec<u8>>,
    pub mtime: u32,
    pub header_bytes: u64,
    pub crc: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Codec {
    Gzip,
    Bzip2,
    Xz,
    Zstd,
}

impl Codec {
    pub fn from_magic(b: &[u8]) -> Option<Codec> {
        // gzip's decoder also reads compress's .Z (0x1f 0x9d), as gzip -d does.
        if b.starts_with(&[0x1f, 0x8b]) || b.starts_with(&[0x1f, 0x9d]) {
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

/// One streaming codec, driven by [`decode`] and [`encode`].
pub trait Step: Send {
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
    /// A bzip2 decoder that met bytes after a stream that do not start another: it ignores
    /// them from then on (as `bzip2 -d` does, with a warning the caller prints).
    fn trailing_garbage(&self) -> bool {
        false
    }
}

pub fn corrupt(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

/// GNU gzip's words for a failure reading `name` (`stdin` for standard input).
pub fn gzip_message(name: &[u8], f: &Fail) -> Vec<u8> {
    let data = |what: &[&[u8]]| {
        let mut m = [b"\ngzip: ", name, b": "].concat();
        for w in what {
            m.extend_from_slice(w);
        }
        m.push(b'\n');
        m
    };
    let head = |what: String| [b"gzip: ", name, what.as_bytes(), b"\n"].concat();
    match f {
        Fail::NotFormat => data(&[b"not in gzip format"]),
        Fail::Truncated => data(&[b"unexpected end of file"]),
        Fail::Crc => data(&[b"invalid compressed data--crc error"]),
        Fail::Length => data(&[b"invalid compressed data--length error"]),
        Fail::CrcLength => [
            data(&[b"invalid compressed data--crc error"]),
            data(&[b"invalid compressed data--length error"]),
        ]
        .concat(),
        Fail::Method(m) => head(format!(": unknown method {m} -- not supported")),
        Fail::Encrypted => head(" is encrypted -- not supported".into()),
        Fail::Flags(fl) => head(format!(" has flags 0x{fl:x} -- not supported")),
        Fail::HeaderCrc(stored, computed) => head(format!(
            ": header checksum 0x{stored:04x} != computed checksum 0x{computed:04x}"
        )),
        // unlzw's own words.
        Fail::Corrupt(w) if !w.is_empty() => data(&[w.as_bytes()]),
        _ => data(&[b"invalid compressed data--format violated"]),
    }
}

/// Who tells a decoding failure: the words differ between the tools and how they run.
pub struct Teller<'a> {
    /// The program (bzip2 and xz say the name they were run as).
    pub prog: &'a [u8],
    /// The input as the tool names it (`stdin`, `(stdin)`, `/*stdin*\\`, a file name).
    pub input: &'a [u8],
    /// bzip2's output name and the errno text after its "ends unexpectedly".
    pub output: &'a [u8],
    pub errno: &'a [u8],
    /// bzip2 -t's words for what is not bzip2.
    pub test: bool,
    /// GNU tar's child on a pipe (zstd words a cut or corrupt stream differently there).
    pub child: bool,
    /// The input was empty.
    pub empty: bool,
}

const BZ_RECOVER: &[u8] = b"You can use the `bzip2recover' program to attempt to recover\ndata from undamaged sections of corrupted files.\n\n";
const BZ_TAIL: &[u8] = b"\n\nIt is possible that the compressed file(s) have become corrupted.\nYou can use the -tvv option to test integrity of such files.\n\n";

/// The message a decoder prints for a failure, and its exit status: the one table for tar
/// (its children's words) and the front-ends.
pub fn failure_message(codec: Codec, f: &Fail, t: &Teller) -> (Vec<u8>, i32) {
    let (p, n) = (t.prog, t.input);
    match codec {
        Codec::Gzip => (gzip_message(n, f), 1),
        Codec::Bzip2 => (
            match f {
                Fail::NotFormat if t.test => [
                    p,
                    b": ",
                    n,
                    b": bad magic number (file not created by bzip2)\n\n",
                    BZ_RECOVER,
                ]
                .concat(),
                Fail::NotFormat => [p, b": ", n, b" is not a bzip2 file.\n"].concat(),
                Fail::Truncated => [
                    b"\n",
                    p,
                    b": Compressed file ends unexpectedly;\n\tperhaps it is corrupted?  *Possible* reason follows.\n",
                    p,
                    b": ",
                    t.errno,
                    b"\n\tInput file = ",
                    n,
                    b", output file = ",
                    t.output,
                    BZ_TAIL,
                    BZ_RECOVER,
                ]
                .concat(),
                _ => [
                    b"\n",
                    p,
                    b": Data integrity error when decompressing.\n\tInput file = ",
                    n,
                    b", output file = (stdout)",
                    BZ_TAIL,
                    BZ_RECOVER,
                ]
                .concat(),
            },
            2,
        ),
        Codec::Xz => {
            let what: &[u8] = match f {
                Fail::NotFormat => b"File format not recognized",
                Fail::Truncated => b"Unexpected end of input",
                _ => b"Compressed data is corrupt",
            };
            ([p, b": ", n, b": ", what, b"\n"].concat(), 1)
        }
        Codec::Zstd => (
            match f {
                Fail::NotFormat => [p, b": ", n, b": unsupported format \n"].concat(),
                Fail::Truncated if t.empty || !t.child => {
                    [p, b": ", n, b": unexpected end of file \n"].concat()
                }
                Fail::Truncated => [n, b" : Read error (39) : premature end \n"].concat(),
                _ if t.child => [n, b" : Decoding error (36) : Data corruption detected \n"].concat(),
                _ => [p, b": ", n, b": Decoding error (36) : Data corruption detected \n"].concat(),
            },
            1,
        ),
    }
}

fn missing(codec: Codec) -> io::Error {
    io::Error::other(format!("{codec:?} support is not built into this rbox").to_ascii_lowercase())
}

// In a build without codecs every arm returns, which the compiler flags as unreachable `Ok`.
#[allow(unreachable_code)]
pub fn decoder(codec: Codec) -> io::Result<Box<dyn Step>> {
    Ok(match codec {
        #[cfg(feature = "tar-gzip")]
        Codec::Gzip => Box::new(Gzip::decoder()),
        #[cfg(feature = "tar-bzip2")]
        Codec::Bzip2 => Box::new(bunzip2::Decoder::new()),
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
pub fn encoder(codec: Codec, level: Option<u32>) -> io::Result<Box<dyn Step>> {
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

/// Raw deflate (no zlib or gzip framing) at `level`: the gzip applet writes GNU gzip's header
/// (name, mtime, XFL, OS) and trailer itself.
#[cfg(feature = "tar-gzip")]
pub fn deflate_raw(level: u32) -> Box<dyn Step> {
    Box::new(Gzip::Encoder(flate2::Compress::new(
        flate2::Compression::new(level),
        false,
    )))
}

/// Raw inflate, for the gzip applet's own member parser.
#[cfg(feature = "tar-gzip")]
pub fn inflate_raw() -> Box<dyn Step> {
    Box::new(Gzip::Decoder(flate2::Decompress::new(false)))
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

/// bzip2 compression through libbz2-rs-sys (decompression is [`bunzip2`]'s).
#[cfg(feature = "tar-bzip2")]
enum Bzip2 {
    Encoder(bzip2::Compress),
}

#[cfg(feature = "tar-bzip2")]
impl Step for Bzip2 {
    fn step(&mut self, i: &[u8], o: &mut [u8], finish: bool) -> io::Result<(usize, usize, bool)> {
        let Bzip2::Encoder(e) = self;
        let before = (e.total_in(), e.total_out());
        let a = if finish {
            bzip2::Action::Finish
        } else {
            bzip2::Action::Run
        };
        let s = e.compress(i, o, a).map_err(io::Error::other)?;
        let (c, p) = moved(before, (e.total_in(), e.total_out()));
        Ok((c, p, s == bzip2::Status::StreamEnd))
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
