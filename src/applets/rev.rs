//! `rev`: reverse lines characterwise.
//!
//! util-linux 2.38's `rev [FILE]...`: each line written back to front, its newline kept at the
//! end (a last line without one stays without), standard input when no file is named. A
//! character is a UTF-8 sequence (as util-linux in a UTF-8 locale), any other byte stands for
//! itself, so text in other encodings comes out byte-reversed. A file that cannot be opened
//! is `rev: cannot open NAME: ERROR` and the others are still read; status 1 after any error.
//! A NUL ends what is reversed of its line, and the line's newline is lost with the rest (C
//! strings in util-linux and BusyBox: both print `printf 'ab\0c\n' | rev` as `ba`). A read
//! error is util-linux's `rev: NAME: LINES: ERROR` (the lines read before it; NAME `stdin` for
//! standard input). Deviation: none known.

use crate::common::io::push_fmt;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::ctx::strerror;
use crate::common::help::help_text;
use crate::common::io::Input;
use crate::common::lines::Lines;
use crate::common::{Ctx, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("help", Some(b'h'), Some("help")),
        Opt::flag("version", Some(b'V'), Some("version")),
    ],
    help_text!(
        "
Usage: rev [options] [file ...]

Reverse lines characterwise.

Options:
 -h, --help     display this help
 -V, --version  display version
"
    ),
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

/// Length of the UTF-8 sequence that ends at `s`'s last byte, or 1 when those bytes are no
/// complete, valid sequence.
fn last_char_len(s: &[u8]) -> usize {
    let n = s.len();
    let mut k = 1;
    while k <= 4 && k <= n {
        let lead = s[n - k];
        if lead & 0xc0 != 0x80 {
            let want = match lead {
                0x00..=0x7f => 1,
                0xc2..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf4 => 4,
                _ => 0,
            };
            if want == k && std::str::from_utf8(&s[n - k..]).is_ok() {
                return k;
            }
            return 1;
        }
        k += 1;
    }
    1
}

fn reverse_into(line: &[u8], out: &mut Vec<u8>) {
    let mut end = line.len();
    while end > 0 {
        let k = last_char_len(&line[..end]);
        out.extend_from_slice(&line[end - k..end]);
        end -= k;
    }
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let names: Vec<Option<OsString>> = if m.operands.is_empty() {
        vec![None]
    } else {
        m.operands.into_iter().map(Some).collect()
    };
    let mut lines = Lines::new();
    for name in names {
        // util-linux opens every operand as a file: `-` is no name for standard input.
        let input = match &name {
            None => Input::Stdin,
            Some(n) => match crate::common::sys::fd::open(
                n.as_bytes(),
                libc::O_RDONLY | libc::O_CLOEXEC,
                0,
            ) {
                Ok(f) => Input::File(f),
                Err(e) => {
                    let mut msg = b"cannot open ".to_vec();
                    msg.extend_from_slice(n.as_bytes());
                    msg.extend_from_slice(b": ");
                    msg.extend_from_slice(strerror(&e).as_bytes());
                    ctx.error(1, &msg);
                    continue;
                }
            },
        };
        lines.reset();
        let mut n = 0u64;
        loop {
            match lines.next(input.fd(), b'\n') {
                Ok(Some((line, nl))) => {
                    n += 1;
                    let out = ctx.out.buf_mut();
                    let nul = memchr::memchr(0, line);
                    reverse_into(&line[..nul.unwrap_or(line.len())], out);
                    if nl && nul.is_none() {
                        out.push(b'\n');
                    }
                    ctx.out.maybe_flush()?;
                }
                Ok(None) => break,
                Err(e) => {
                    let mut msg = name
                        .as_ref()
                        .map_or(b"stdin".to_vec(), |n| n.as_bytes().to_vec());
                    push_fmt(&mut msg, format_args!(": {n}: "));
                    msg.extend_from_slice(strerror(&e).as_bytes());
                    ctx.error(1, &msg);
                    break;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::reverse_into;

    fn rev(s: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        reverse_into(s, &mut v);
        v
    }

    #[test]
    fn characters_not_bytes() {
        assert_eq!(rev(b"abc"), b"cba");
        assert_eq!(
            rev("h\u{e9}llo \u{1f600}!".as_bytes()),
            "!\u{1f600} oll\u{e9}h".as_bytes()
        );
        // Invalid sequences stand byte by byte.
        assert_eq!(rev(b"a\xc3b\xff\x80"), b"\x80\xffb\xc3a");
        assert_eq!(rev(b"\xe2\x82"), b"\x82\xe2");
        assert_eq!(rev(b""), b"");
    }
}
