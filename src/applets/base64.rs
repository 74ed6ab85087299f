//! `base64`: encode or decode base64 (RFC 4648).
//!
//! Follows GNU base64 9: `-d`, `-i` (ignore bytes outside the alphabet), `-w COLS` (76 by
//! default, 0: no wrapping), one FILE or standard input; decoding skips newlines, accepts
//! padded groups one after another (`YQ==YQ==`), writes what decoded before a bad group and
//! then says `base64: invalid input` (status 1), as gnulib's decoder does.
//! Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::ctx::strerror;
use crate::common::help::{help_text, Help};
use crate::common::io::{read, Input};
use crate::common::quote::{quote_if_needed, quote_locale};
use crate::common::sys::copy::put_u32;
use crate::common::{Ctx, Error, Result};

const USAGE: Help = help_text!(
    "\
Usage: base64 [OPTION]... [FILE]
Base64 encode or decode FILE, or standard input, to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -d, --decode          decode data
  -i, --ignore-garbage  when decoding, ignore non-alphabet characters
  -w, --wrap=COLS       wrap encoded lines after COLS character (default 76).
                          Use 0 to disable line wrapping
      --help        display this help and exit
      --version     output version information and exit

The data are encoded as described for the base64 alphabet in RFC 4648.
When decoding, the input may contain newlines in addition to the bytes of
the formal base64 alphabet.  Use --ignore-garbage to attempt to recover
from any other non-alphabet bytes in the encoded stream.
"
);

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("decode", Some(b'd'), Some("decode")),
        Opt::arg("wrap", Some(b'w'), Some("wrap")),
        Opt::flag("ignore-garbage", Some(b'i'), Some("ignore-garbage")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    USAGE,
);

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The 6-bit value of an alphabet byte, 0xff for others.
const DECODE: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut i = 0;
    while i < 64 {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
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
    if m.flag("version") {
        ctx.out
            .write_all(concat!("base64 (rbox) ", env!("CARGO_PKG_VERSION"), "\n").as_bytes())?;
        return Ok(());
    }
    let mut wrap = 76usize;
    if let Some(w) = m.last("wrap") {
        match std::str::from_utf8(w.as_bytes())
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
        {
            Some(n) => wrap = n.min(usize::MAX as u64) as usize,
            None => {
                let mut msg = b"invalid wrap size: ".to_vec();
                msg.extend_from_slice(&quote_locale(w.as_bytes()));
                ctx.msg(&msg);
                return Err(Error::silent(1));
            }
        }
    }
    if m.operands.len() > 1 {
        ctx.msg(&args::extra_operand_msg(m.operands[1].as_bytes()));
        ctx.try_help();
        return Err(Error::silent(1));
    }
    let name = m
        .operands
        .first()
        .cloned()
        .unwrap_or_else(|| OsString::from("-"));
    let input = match Input::open(name.as_bytes()) {
        Ok(i) => i,
        Err(e) => {
            let mut msg = quote_if_needed(name.as_bytes());
            msg.extend_from_slice(b": ");
            msg.extend_from_slice(strerror(&e).as_bytes());
            ctx.msg(&msg);
            return Err(Error::silent(1));
        }
    };
    let fd = input.fd();
    let mut inbuf = vec![0u8; 96 * 1024];
    let read_all = |buf: &mut [u8]| -> Result<usize> {
        read(fd, buf)
            .map_err(|e| Error::new(1, format!("read error: {}", strerror(&e)).into_bytes()))
    };
    if m.flag("decode") {
        let ignore = m.flag("ignore-garbage");
        let mut group = [0u8; 4];
        let mut g = 0;
        // Decoded bytes of one input buffer: 3 per 4 characters, plus a group begun in the
        // buffer before, plus the 4-byte stores of the fast path.
        let mut ob = vec![0u8; inbuf.len() / 4 * 3 + 16];
        loop {
            let n = read_all(&mut inbuf)?;
            if n == 0 {
                break;
            }
            let inp = &inbuf[..n];
            let mut o = 0;
            let mut i = 0;
            while i < n {
                if g == 0 {
                    // Whole groups of four alphabet characters at once (a newline, `=` or
                    // garbage inside one ends the run: the byte path below takes it).
                    while i + 4 <= n {
                        let a = DECODE[inp[i] as usize];
                        let b = DECODE[inp[i + 1] as usize];
                        let c = DECODE[inp[i + 2] as usize];
                        let d = DECODE[inp[i + 3] as usize];
                        if (a | b | c | d) & 0x80 != 0 {
                            break;
                        }
                        let v = ((a as u32) << 26)
                            | ((b as u32) << 20)
                            | ((c as u32) << 14)
                            | ((d as u32) << 8);
                        put_u32(&mut ob, o, v.swap_bytes());
                        o += 3;
                        i += 4;
                    }
                    if i >= n {
                        break;
                    }
                }
                let c = inp[i];
                i += 1;
                if c == b'\n' {
                    continue;
                }
                if ignore && DECODE[c as usize] == 0xff && c != b'=' {
                    continue;
                }
                group[g] = c;
                g += 1;
                if g == 4 {
                    g = 0;
                    let (k, ok) = decode4(&group, &mut ob[o..o + 3]);
                    o += k;
                    if !ok {
                        ctx.out.write_all(&ob[..o])?;
                        return Err(Error::new(1, b"invalid input".to_vec()));
                    }
                }
            }
            ctx.out.write_all(&ob[..o])?;
        }
        if g > 0 {
            let mut t = [0u8; 3];
            let (k, _) = decode4(&group[..g], &mut t);
            ctx.out.write_all(&t[..k])?;
            return Err(Error::new(1, b"invalid input".to_vec()));
        }
        return Ok(());
    }
    // Encode: whole 3-byte groups per buffer, the remainder carried; two characters per
    // lookup in a table of the 4096 12-bit values.
    let pairs: Vec<u32> = (0..4096)
        .map(|v| ALPHABET[v >> 6] as u32 | (ALPHABET[v & 63] as u32) << 8)
        .collect();
    let pairs: &[u32] = &pairs;
    let mut col = 0usize;
    let mut carry: Vec<u8> = Vec::with_capacity(3);
    let mut eof = false;
    let mut any = false;
    // The encoded lines of one buffer, newlines included, written at once.
    let cap = inbuf.len().div_ceil(3) * 4;
    let mut out = vec![0u8; cap + cap.checked_div(wrap).map_or(0, |l| l + 2) + 8];
    while !eof {
        let mut n = 0;
        let start = carry.len();
        inbuf[..start].copy_from_slice(&carry);
        // Fill the buffer (a short read is not the end).
        while start + n < inbuf.len() {
            let k = read_all(&mut inbuf[start + n..])?;
            if k == 0 {
                eof = true;
                break;
            }
            n += k;
        }
        let total = start + n;
        let whole = if eof { total } else { total - total % 3 };
        carry.clear();
        carry.extend_from_slice(&inbuf[whole..total]);
        if whole == 0 {
            continue;
        }
        any = true;
        let inb: &[u8] = &inbuf[..whole];
        let outs: &mut [u8] = &mut out;
        let mut o = 0;
        let full = whole / 3;
        for k in 0..full {
            let v = ((inb[3 * k] as usize) << 16)
                | ((inb[3 * k + 1] as usize) << 8)
                | inb[3 * k + 2] as usize;
            let chars = pairs[v >> 12] | pairs[v & 0xfff] << 16;
            emit(outs, &mut o, &mut col, wrap, chars);
        }
        let tail = &inb[full * 3..];
        if !tail.is_empty() {
            // The last group: `=` for each missing byte.
            let b1 = tail.get(1).map_or(0, |&b| b as usize);
            let v = ((tail[0] as usize) << 16) | (b1 << 8);
            let chars = pairs[v >> 12] | pairs[v & 0xfff] << 16;
            let third = if tail.len() == 2 {
                chars & 0xff_0000
            } else {
                0x3d_0000
            };
            emit(
                outs,
                &mut o,
                &mut col,
                wrap,
                (chars & 0xffff) | third | 0x3d00_0000,
            );
        }
        ctx.out.write_all(&out[..o])?;
    }
    if any && wrap > 0 && col > 0 {
        ctx.out.byte(b'\n')?;
    }
    Ok(())
}

/// Four encoded characters (`chars`, first in the low byte) onto `out` at `o`, a newline after
/// every `wrap` columns (0: never).
#[inline(always)]
fn emit(out: &mut [u8], o: &mut usize, col: &mut usize, wrap: usize, chars: u32) {
    if wrap == 0 || *col + 4 <= wrap {
        put_u32(out, *o, chars);
        *o += 4;
        *col += 4;
        if *col == wrap {
            out[*o] = b'\n';
            *o += 1;
            *col = 0;
        }
        return;
    }
    for c in chars.to_le_bytes() {
        out[*o] = c;
        *o += 1;
        *col += 1;
        if *col == wrap {
            out[*o] = b'\n';
            *o += 1;
            *col = 0;
        }
    }
}

/// gnulib's decode_4: the bytes of one group (2 to 4 characters) into `out` (3 bytes), as
/// far as they go: how many, and false when the group is not a valid one.
fn decode4(g: &[u8], out: &mut [u8]) -> (usize, bool) {
    let v = |c: u8| DECODE[c as usize] as u32;
    let ok = |c: u8| DECODE[c as usize] != 0xff;
    if g.len() < 2 || !ok(g[0]) || !ok(g[1]) {
        return (0, false);
    }
    out[0] = ((v(g[0]) << 2) | (v(g[1]) >> 4)) as u8;
    if g.len() == 2 {
        return (1, false);
    }
    if g[2] == b'=' {
        return (1, g.len() == 4 && g[3] == b'=');
    }
    if !ok(g[2]) {
        return (1, false);
    }
    out[1] = (((v(g[1]) << 4) & 0xf0) | (v(g[2]) >> 2)) as u8;
    if g.len() == 3 {
        return (2, false);
    }
    if g[3] == b'=' {
        return (2, true);
    }
    if !ok(g[3]) {
        return (2, false);
    }
    out[2] = (((v(g[2]) << 6) & 0xc0) | v(g[3])) as u8;
    (3, true)
}
