//! `wc`: newline, word, character and byte counts, and the longest line's width.
//!
//! Follows GNU coreutils 9.1 wc in the C locale: `-c -m -l -L -w`, `--files0-from=F`, the
//! `total` line for several files, GNU's column width (the digits of the regular files' total
//! size, at least 7 when an input is not a regular file, 1 for one count of one file), a word
//! being a run of printable non-space bytes (other non-printable bytes neither start nor end
//! one, as in GNU 9.1), `-L` with tabs to the next multiple of 8 and non-printable bytes of
//! width 0, names quoted the GNU way when they hold a newline.
//! Fast paths: lines alone are counted with memchr, big regular files mapped rather than read
//! ([`read_pieces`]); bytes alone of a regular file come from fstat; words through a
//! 512-entry state table (no branch per byte).
//! `-m` counts characters when LC_ALL/LC_CTYPE/LANG name a UTF-8 locale (as glibc decodes
//! them: an invalid byte is none), else bytes as GNU in the C locale.
//! Deviations: words and `-L` stay C-locale ones in a UTF-8 locale (GNU counts multibyte
//! printable characters in words and their display width); a locale is UTF-8 by its name,
//! where glibc falls back to C for one that is not installed.

use std::ffi::OsString;
use std::os::fd::BorrowedFd;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::ctx::strerror;
use crate::common::help::help_text;
use crate::common::io::{read_pieces, stdin_fd, Input, WINDOW};
use crate::common::quote::{quote_always, quote_if_needed};
use crate::common::sys::fd as sysfd;
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("bytes", Some(b'c'), Some("bytes")),
        Opt::flag("chars", Some(b'm'), Some("chars")),
        Opt::flag("lines", Some(b'l'), Some("lines")),
        Opt::arg("files0-from", None, Some("files0-from")),
        Opt::flag("max-line-length", Some(b'L'), Some("max-line-length")),
        Opt::flag("words", Some(b'w'), Some("words")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: wc [OPTION]... [FILE]...
  or:  wc [OPTION]... --files0-from=F
Print newline, word, and byte counts for each FILE, and a total line if
more than one FILE is specified.  A word is a non-zero-length sequence of
printable characters delimited by white space.

With no FILE, or when FILE is -, read standard input.

The options below may be used to select which counts are printed, always in
the following order: newline, word, character, byte, maximum line length.
  -c, --bytes            print the byte counts
  -m, --chars            print the character counts
  -l, --lines            print the newline counts
      --files0-from=F    read input from the files specified by
                           NUL-terminated names in file F;
                           If F is - then read names from standard input
  -L, --max-line-length  print the maximum display width
  -w, --words            print the word counts
      --help        display this help and exit
      --version     output version information and exit
"
    ),
);

const BUF: usize = 256 * 1024;

#[derive(Clone, Copy, Default)]
struct Want {
    lines: bool,
    words: bool,
    chars: bool,
    bytes: bool,
    maxlen: bool,
    /// `-m` counts UTF-8 characters (the locale is a UTF-8 one), else bytes.
    utf8: bool,
}

#[derive(Clone, Copy, Default)]
struct Counts {
    lines: u64,
    words: u64,
    chars: u64,
    bytes: u64,
    maxlen: u64,
}

/// State table for words: index `in_word * 256 + byte`; bit 0 the new state, bit 1 a word
/// started. Blanks (` \t\n\v\f\r`) end a word, printable bytes are in one, others leave the
/// state alone.
static WORDS: [u8; 512] = {
    let mut t = [0u8; 512];
    let mut s = 0;
    while s < 2 {
        let mut c = 0;
        while c < 256 {
            let v = if c == b' ' as usize || (c >= 9 && c <= 13) {
                0
            } else if c > 32 && c < 127 {
                1 | if s == 0 { 2 } else { 0 }
            } else {
                s as u8
            };
            t[s * 256 + c] = v;
            c += 1;
        }
        s += 1;
    }
    t
};

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let mut w = Want {
        lines: m.flag("lines"),
        words: m.flag("words"),
        chars: m.flag("chars"),
        bytes: m.flag("bytes"),
        maxlen: m.flag("max-line-length"),
        utf8: false,
    };
    w.utf8 = w.chars && crate::common::utf8_locale();
    if !(w.lines || w.words || w.chars || w.bytes || w.maxlen) {
        w.lines = true;
        w.words = true;
        w.bytes = true;
    }
    let n_counts = [w.lines, w.words, w.chars, w.bytes, w.maxlen]
        .iter()
        .filter(|&&b| b)
        .count();
    // The names, and whether they were given as operands (stdin alone prints no name).
    let mut names: Vec<Vec<u8>> = Vec::new();
    let mut named = true;
    let mut from_list: Option<Vec<u8>> = None;
    let mut streamed = false;
    if let Some(f) = m.last("files0-from") {
        if let Some(op) = m.operands.first() {
            let mut msg = b"extra operand ".to_vec();
            msg.extend_from_slice(&quote_always(op.as_bytes()));
            msg.extend_from_slice(b"\nfile operands cannot be combined with --files0-from");
            ctx.msg(&msg);
            ctx.try_help();
            return Err(Error::silent(1));
        }
        let f = f.as_bytes().to_vec();
        let mut data = Vec::new();
        // A list read from a regular file (named, or redirected to stdin) is read whole, as
        // GNU does; otherwise its names are streamed.
        let list = match Input::open(&f) {
            Ok(l) => l,
            Err(e) => {
                let mut msg = b"cannot open ".to_vec();
                msg.extend_from_slice(&quote_always(&f));
                msg.extend_from_slice(b" for reading: ");
                msg.extend_from_slice(strerror(&e).as_bytes());
                return Err(Error::new(1, msg));
            }
        };
        streamed = sysfd::fstat(list.fd())
            .map(|s| s.st_mode & libc::S_IFMT != libc::S_IFREG)
            .unwrap_or(true);
        let r = sysfd::read_to_end(list.fd(), &mut data);
        if let Err(e) = r {
            let mut msg = quote_if_needed(&f);
            msg.extend_from_slice(b": read error: ");
            msg.extend_from_slice(strerror(&e).as_bytes());
            return Err(Error::new(1, msg));
        }
        if data.last().is_some_and(|&c| c != 0) {
            data.push(0);
        }
        names = data.split(|&c| c == 0).map(|s| s.to_vec()).collect();
        names.pop();
        from_list = Some(f);
    } else if m.operands.is_empty() {
        names.push(b"-".to_vec());
        named = false;
    } else {
        names = m.operands.iter().map(|o| o.as_bytes().to_vec()).collect();
    }

    let width = if streamed || names.is_empty() || (names.len() == 1 && n_counts == 1) {
        1
    } else {
        let mut min = 1;
        let mut total = 0u64;
        for n in &names {
            let st = if n == b"-" {
                sysfd::fstat(stdin_fd())
            } else {
                sysfd::stat(n)
            };
            if let Ok(st) = st {
                if st.st_mode & libc::S_IFMT == libc::S_IFREG {
                    total += st.st_size.max(0) as u64;
                } else {
                    min = 7;
                }
            }
        }
        let mut w = 1;
        while total >= 10 {
            total /= 10;
            w += 1;
        }
        w.max(min)
    };

    let mut tot = Counts::default();
    let mut buf = vec![0u8; BUF];
    for (i, name) in names.iter().enumerate() {
        if let Some(list) = &from_list {
            if name.is_empty() {
                let mut msg = quote_if_needed(list);
                msg.extend_from_slice(
                    format!(":{}: invalid zero-length file name", i + 1).as_bytes(),
                );
                ctx.error(1, &msg);
                continue;
            }
            if name == b"-" && list == b"-" {
                let mut msg = b"when reading file names from stdin, no file name of ".to_vec();
                msg.extend_from_slice(&quote_always(b"-"));
                msg.extend_from_slice(b" allowed");
                ctx.error(1, &msg);
                continue;
            }
        }
        let input = match Input::open(name) {
            Ok(i) => i,
            Err(e) => {
                let mut msg = quote_if_needed(name);
                msg.extend_from_slice(b": ");
                msg.extend_from_slice(strerror(&e).as_bytes());
                ctx.error(1, &msg);
                continue;
            }
        };
        let fd = input.fd();
        let c = match count(fd, w, &mut buf) {
            Ok(c) => c,
            Err((c, e)) => {
                let mut msg = quote_if_needed(name);
                msg.extend_from_slice(b": ");
                msg.extend_from_slice(strerror(&e).as_bytes());
                ctx.error(1, &msg);
                c
            }
        };
        tot.lines += c.lines;
        tot.words += c.words;
        tot.bytes += c.bytes;
        tot.chars += c.chars;
        tot.maxlen = tot.maxlen.max(c.maxlen);
        line(ctx, w, &c, width, named.then_some(name));
        ctx.out.maybe_flush()?;
    }
    if names.len() > 1 {
        line(ctx, w, &tot, width, Some(b"total"));
    }
    Ok(())
}

fn line(ctx: &mut Ctx, w: Want, c: &Counts, width: usize, name: Option<&[u8]>) {
    let out = ctx.out.buf_mut();
    let mut first = true;
    let mut put = |on: bool, v: u64| {
        if !on {
            return;
        }
        if !first {
            out.push(b' ');
        }
        first = false;
        let mut b = [0u8; 20];
        let d = crate::common::num::digits(&mut b, v);
        for _ in d.len()..width {
            out.push(b' ');
        }
        out.extend_from_slice(d);
    };
    put(w.lines, c.lines);
    put(w.words, c.words);
    put(w.chars, if w.utf8 { c.chars } else { c.bytes });
    put(w.bytes, c.bytes);
    put(w.maxlen, c.maxlen);
    if let Some(n) = name {
        out.push(b' ');
        // GNU 9.1 quotes a name only when it holds a newline (the line would break).
        if memchr::memchr(b'\n', n).is_some() {
            out.extend_from_slice(&quote_if_needed(n));
        } else {
            out.extend_from_slice(n);
        }
    }
    out.push(b'\n');
}

type Partial = (Counts, std::io::Error);

/// The sequences glibc's UTF-8 decoder takes beyond Unicode's (code points past U+10FFFF, up
/// to 6 bytes, none overlong) at the start of `s`: Some(Some(length)), Some(None) when `s`
/// ends inside one, None when there is none.
fn glibc_only(s: &[u8]) -> Option<Option<usize>> {
    let (len, min2) = match *s.first()? {
        0xf4 => (4, 0x90),
        0xf5..=0xf7 => (4, 0x80),
        0xf8 => (5, 0x88),
        0xf9..=0xfb => (5, 0x80),
        0xfc => (6, 0x84),
        0xfd => (6, 0x80),
        _ => return None,
    };
    for (i, &c) in s.iter().enumerate().take(len).skip(1) {
        if c & 0xc0 != 0x80 || (i == 1 && c < min2) {
            return None;
        }
    }
    Some((s.len() >= len).then_some(len))
}

/// Characters in `data` (after `part`, the unfinished one before it) as GNU counts them in a
/// UTF-8 locale: a valid sequence is one, a byte of an invalid one none; an unfinished one at
/// the end is left in `part`.
fn utf8_chars(part: &mut Vec<u8>, data: &[u8]) -> u64 {
    // A character cut by a piece's end is rare: that piece is joined to the next.
    let joined;
    let mut data = data;
    if !part.is_empty() {
        let mut v = std::mem::take(part);
        v.extend_from_slice(data);
        joined = v;
        data = &joined;
    }
    let starts = |b: &[u8]| b.iter().filter(|&&c| c & 0xc0 != 0x80).count() as u64;
    let mut n = 0;
    loop {
        match std::str::from_utf8(data) {
            Ok(s) => return n + starts(s.as_bytes()),
            Err(e) => {
                n += starts(&data[..e.valid_up_to()]);
                let bad = &data[e.valid_up_to()..];
                match (glibc_only(bad), e.error_len()) {
                    (Some(Some(k)), _) => {
                        n += 1;
                        data = &bad[k..];
                    }
                    (Some(None), _) | (None, None) => {
                        part.extend_from_slice(bad);
                        return n;
                    }
                    (None, Some(k)) => data = &bad[k..],
                }
            }
        }
    }
}

fn count(fd: BorrowedFd, w: Want, buf: &mut [u8]) -> std::result::Result<Counts, Partial> {
    let mut c = Counts::default();
    if !w.lines && !w.words && !w.maxlen && !w.utf8 {
        // Bytes alone: a regular file's size says most of it. As GNU, the last block or so
        // is still read (from a multiple of the block size plus one back from the end): a
        // /proc or /sys file's size is notional (0, or a page holding 2 bytes), and one
        // that grew is counted to its end.
        if let Ok(st) = sysfd::fstat(fd) {
            if st.st_mode & libc::S_IFMT == libc::S_IFREG && st.st_size > 0 {
                if let Ok(pos) = sysfd::lseek(fd, 0, libc::SEEK_CUR) {
                    let end = st.st_size as u64;
                    let hi = end - end % (st.st_blksize.max(0) as u64 + 1);
                    if pos < hi && sysfd::lseek(fd, hi as i64, libc::SEEK_SET).is_ok() {
                        c.bytes = hi - pos;
                    }
                }
            }
        }
    }
    let mut in_word = 0usize;
    let mut pos = 0u64;
    // The start of a character cut by the end of a piece.
    let mut part: Vec<u8> = Vec::new();
    let r = read_pieces(fd, buf, WINDOW, |data| {
        c.bytes += data.len() as u64;
        if w.utf8 {
            c.chars += utf8_chars(&mut part, data);
        }
        if w.lines {
            c.lines += memchr::memchr_iter(b'\n', data).count() as u64;
        }
        if w.words {
            let mut words = 0u64;
            for &b in data {
                let v = WORDS[(in_word << 8) | b as usize];
                words += (v >> 1) as u64;
                in_word = (v & 1) as usize;
            }
            c.words += words;
        }
        if w.maxlen {
            for &b in data {
                match b {
                    b'\n' | b'\r' | b'\x0c' => {
                        c.maxlen = c.maxlen.max(pos);
                        pos = 0;
                    }
                    b'\t' => pos += 8 - pos % 8,
                    32..=126 => pos += 1,
                    _ => {}
                }
            }
        }
    });
    if let Err(e) = r {
        return Err((c, e));
    }
    c.maxlen = c.maxlen.max(pos);
    Ok(c)
}
