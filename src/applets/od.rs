//! `od`: dump files in octal and other formats.
//!
//! Follows GNU od 9: `-A d|o|x|n`, `-t TYPE` (`a`, `c`, `d`/`o`/`u`/`x` with sizes 1 2 4 8 or
//! `C S I L`, `f` with 4 8 16 or `F D L` (long double: x87 in software), the `z` suffix), the legacy `-a -b -c -d -f -i -l -o -s
//! -x -D -O -X`, `-j SKIP`, `-N COUNT` (suffixes, `0x`), `-w[N]`, `-v`, `*` for repeated lines,
//! several files as one stream, GNU's column widths and alignment, floats in the shortest form
//! that reads back (ftoastr), little-endian as the machine.
//! The old operand forms as GNU: `[FILE] [+]OFFSET` when no modern option (`-A -j -N -t -v -w`)
//! is given and `--traditional`'s `[FILE] [[+]OFFSET[b] [[+]LABEL[b]]]` (octal, `0x` hex).
//! Deviation: no `--endian`.

use std::ffi::OsString;
use std::fs::File;
use std::os::fd::AsFd;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::ctx::strerror;
use crate::common::help::{help_text, Help};
use crate::common::io::{read, stdin_fd};
use crate::common::quote::quote_locale;
use crate::common::{Ctx, Error, Result};

const USAGE: Help = help_text!(
    "\
Usage: od [OPTION]... [FILE]...
  or:  od [-abcdfilosx]... [FILE] [[+]OFFSET[b]]
  or:  od --traditional [OPTION]... [FILE] [[+]OFFSET[b] [+][LABEL][b]]
Write an unambiguous representation, octal bytes by default,
of FILE to standard output.  With more than one FILE argument,
concatenate them in the listed order to form the input.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -A, --address-radix=RADIX   output format for file offsets; RADIX is one
                                of [doxn], for Decimal, Octal, Hex or None
  -j, --skip-bytes=BYTES      skip BYTES input bytes first
  -N, --read-bytes=BYTES      limit dump to BYTES input bytes
  -t, --format=TYPE           select output format or formats
  -v, --output-duplicates     do not use * to mark line suppression
  -w[BYTES], --width[=BYTES]  output BYTES bytes per output line;
                                32 is implied when BYTES is not specified
      --traditional           accept arguments in third form above
      --help        display this help and exit
      --version     output version information and exit

Traditional format specifications may be intermixed; they accumulate:
  -a   same as -t a,  select named characters, ignoring high-order bit
  -b   same as -t o1, select octal bytes
  -c   same as -t c,  select printable characters or backslash escapes
  -d   same as -t u2, select unsigned decimal 2-byte units
  -f   same as -t fF, select floats
  -i   same as -t dI, select decimal ints
  -l   same as -t dL, select decimal longs
  -o   same as -t o2, select octal 2-byte units
  -s   same as -t d2, select decimal 2-byte units
  -x   same as -t x2, select hexadecimal 2-byte units
"
);

static SPEC: Spec = Spec::new(
    &[
        Opt::arg("A", Some(b'A'), Some("address-radix")),
        Opt::arg("j", Some(b'j'), Some("skip-bytes")),
        Opt::arg("N", Some(b'N'), Some("read-bytes")),
        Opt::arg("t", Some(b't'), Some("format")),
        Opt::flag("v", Some(b'v'), Some("output-duplicates")),
        Opt::optional("w", Some(b'w'), Some("width")),
        Opt::flag("a", Some(b'a'), None),
        Opt::flag("b", Some(b'b'), None),
        Opt::flag("c", Some(b'c'), None),
        Opt::flag("d", Some(b'd'), None),
        Opt::flag("f", Some(b'f'), None),
        Opt::flag("i", Some(b'i'), None),
        Opt::flag("l", Some(b'l'), None),
        Opt::flag("o", Some(b'o'), None),
        Opt::flag("s", Some(b's'), None),
        Opt::flag("x", Some(b'x'), None),
        Opt::flag("D", Some(b'D'), None),
        Opt::flag("O", Some(b'O'), None),
        Opt::flag("X", Some(b'X'), None),
        Opt::flag("traditional", None, Some("traditional")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    USAGE,
);

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Named,
    Char,
    Signed,
    Unsigned,
    Octal,
    Hex,
    Float,
}

#[derive(Clone, Copy)]
struct Type {
    kind: Kind,
    size: usize,
    width: usize,
    trailer: bool,
    pad: usize,
}

fn int_width(kind: Kind, size: usize) -> usize {
    let bits = size * 8;
    match kind {
        Kind::Octal => bits.div_ceil(3),
        Kind::Hex => size * 2,
        Kind::Unsigned => {
            let max = if size == 8 {
                u64::MAX
            } else {
                (1u64 << bits) - 1
            };
            max.to_string().len()
        }
        Kind::Signed => {
            let min = if size == 8 {
                i64::MIN
            } else {
                -(1i64 << (bits - 1))
            };
            min.to_string().len()
        }
        // 1 + digits + '.' + 'e' + exponent, as gnulib's *_STRLEN_BOUND.
        Kind::Float => match size {
            4 => 15,
            8 => 24,
            _ => 29,
        },
        _ => 3,
    }
}

/// Parse one -t argument onto `out`; Err is GNU's message.
fn parse_types(s: &[u8], out: &mut Vec<Type>) -> std::result::Result<(), Vec<u8>> {
    let mut i = 0;
    let invalid_type = |rest: &[u8], c: u8| {
        let mut m = b"invalid type string ".to_vec();
        m.extend_from_slice(&quote_locale(rest));
        let _ = c;
        m
    };
    while i < s.len() {
        let start = i;
        let c = s[i];
        i += 1;
        let (kind, size) = match c {
            b'a' => (Kind::Named, 1),
            b'c' => (Kind::Char, 1),
            b'd' | b'o' | b'u' | b'x' => {
                let kind = match c {
                    b'd' => Kind::Signed,
                    b'o' => Kind::Octal,
                    b'u' => Kind::Unsigned,
                    _ => Kind::Hex,
                };
                let size = match s.get(i) {
                    Some(b'C') => {
                        i += 1;
                        1
                    }
                    Some(b'S') => {
                        i += 1;
                        2
                    }
                    Some(b'I') => {
                        i += 1;
                        4
                    }
                    Some(b'L') => {
                        i += 1;
                        8
                    }
                    Some(d) if d.is_ascii_digit() => {
                        let n = s[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                        let v: usize = std::str::from_utf8(&s[i..i + n])
                            .ok()
                            .and_then(|t| t.parse().ok())
                            .unwrap_or(usize::MAX);
                        i += n;
                        if ![1, 2, 4, 8].contains(&v) {
                            let mut m = b"invalid type string ".to_vec();
                            m.extend_from_slice(&quote_locale(&s[start..]));
                            m.extend_from_slice(
                                format!(";\nthis system doesn't provide a {v}-byte integral type")
                                    .as_bytes(),
                            );
                            return Err(m);
                        }
                        v
                    }
                    _ => 4,
                };
                (kind, size)
            }
            b'f' => {
                let size = match s.get(i) {
                    Some(b'F') => {
                        i += 1;
                        4
                    }
                    Some(b'D') => {
                        i += 1;
                        8
                    }
                    // long double: x87's 10 bytes in 16, as x86-64 lays it out.
                    Some(b'L') => {
                        i += 1;
                        16
                    }
                    Some(d) if d.is_ascii_digit() => {
                        let n = s[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                        let v: usize = std::str::from_utf8(&s[i..i + n])
                            .ok()
                            .and_then(|t| t.parse().ok())
                            .unwrap_or(usize::MAX);
                        i += n;
                        if v != 4 && v != 8 && v != 16 {
                            let mut m = b"invalid type string ".to_vec();
                            m.extend_from_slice(&quote_locale(&s[start..]));
                            m.extend_from_slice(
                                format!(
                                    ";\nthis system doesn't provide a {v}-byte floating point type"
                                )
                                .as_bytes(),
                            );
                            return Err(m);
                        }
                        v
                    }
                    _ => 8,
                };
                (Kind::Float, size)
            }
            _ => {
                let mut m = b"invalid character '".to_vec();
                m.push(c);
                m.extend_from_slice(b"' in type string ");
                m.extend_from_slice(&quote_locale(s));
                let _ = invalid_type;
                return Err(m);
            }
        };
        let trailer = s.get(i) == Some(&b'z');
        if trailer {
            i += 1;
        }
        out.push(Type {
            kind,
            size,
            width: int_width(kind, size),
            trailer,
            pad: 0,
        });
    }
    Ok(())
}

/// A byte count: decimal, `0x` hex or `0` octal, with GNU's suffixes (b 512, k/K 1024, kB
/// 1000, m/M, MB, G, ...).
fn parse_count(s: &[u8]) -> Option<u64> {
    let (digits, radix, body) =
        if let Some(h) = s.strip_prefix(b"0x").or_else(|| s.strip_prefix(b"0X")) {
            let n = h.iter().take_while(|c| c.is_ascii_hexdigit()).count();
            (&h[..n], 16, &h[n..])
        } else if s.first() == Some(&b'0') && s.len() > 1 {
            let n = s.iter().take_while(|c| (b'0'..=b'7').contains(c)).count();
            (&s[..n], 8, &s[n..])
        } else {
            let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
            (&s[..n], 10, &s[n..])
        };
    if digits.is_empty() {
        return None;
    }
    let v = u64::from_str_radix(std::str::from_utf8(digits).ok()?, radix).ok()?;
    let mult: u64 = match body {
        b"" => 1,
        b"b" => 512,
        b"c" => 1,
        b"w" => 2,
        _ => {
            let pow = match body[0] {
                b'k' | b'K' => 1,
                b'm' | b'M' => 2,
                b'g' | b'G' => 3,
                b't' | b'T' => 4,
                b'p' | b'P' => 5,
                b'e' | b'E' => 6,
                _ => return None,
            };
            let base: u64 = match &body[1..] {
                b"" | b"iB" => 1024,
                b"B" => 1000,
                _ => return None,
            };
            base.checked_pow(pow)?
        }
    };
    v.checked_mul(mult)
}

/// %.*g of a float with the fewest digits (from FLT_DIG/DBL_DIG up) that read back.
fn shortest_g(x: f64, is_f32: bool) -> String {
    if x.is_nan() {
        return if x.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if x.is_infinite() {
        return if x < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    let min_normal = if is_f32 {
        f32::MIN_POSITIVE as f64
    } else {
        f64::MIN_POSITIVE
    };
    let start = if x.abs() < min_normal {
        1
    } else if is_f32 {
        6
    } else {
        15
    };
    for p in start..=17 {
        let s = fmt_g(x, p);
        let ok = if is_f32 {
            crate::common::sys::float::strtof(s.as_bytes()).0 == x as f32
        } else {
            crate::common::num::decimal(s.as_bytes()) == x
        };
        if ok {
            return s;
        }
    }
    fmt_g(x, 17)
}

fn fmt_g(x: f64, p: usize) -> String {
    if x == 0.0 {
        return if x.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let e = format!("{:.*e}", p - 1, x);
    let (mant, exp) = e.split_once('e').unwrap();
    let exp: i32 = exp.parse().unwrap();
    let trim = |s: &str| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    if exp < -4 || exp >= p as i32 {
        format!(
            "{}e{}{:02}",
            trim(mant),
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        )
    } else {
        trim(&format!("{:.*}", (p as i32 - 1 - exp).max(0) as usize, x))
    }
}

const NAMES: [&str; 33] = [
    "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl", "vt", "ff", "cr",
    "so", "si", "dle", "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub", "esc",
    "fs", "gs", "rs", "us", "sp",
];

/// Appends one field, right-aligned in `w` columns: the value of the `t.size` bytes at the
/// start of `b` (little-endian). Integers are formatted here digit by digit (a `format!` per
/// field made od 1.2x slower than GNU's).
fn field_into(t: &Type, b: &[u8], w: usize, out: &mut Vec<u8>) {
    let mut v: u64 = 0;
    for (k, &byte) in b.iter().enumerate().take(t.size.min(8)) {
        v |= (byte as u64) << (8 * k);
    }
    let mut tmp = [0u8; 24];
    let text: &[u8] = match t.kind {
        Kind::Named => {
            let c = b[0] & 0x7f;
            if c <= 32 {
                NAMES[c as usize].as_bytes()
            } else if c == 127 {
                b"del"
            } else {
                tmp[0] = c;
                &tmp[..1]
            }
        }
        Kind::Char => match b[0] {
            0 => b"\\0",
            7 => b"\\a",
            8 => b"\\b",
            9 => b"\\t",
            10 => b"\\n",
            11 => b"\\v",
            12 => b"\\f",
            13 => b"\\r",
            c @ 32..=126 => {
                tmp[0] = c;
                &tmp[..1]
            }
            c => digits(c as u64, 8, 3, &mut tmp),
        },
        Kind::Octal => digits(v, 8, t.width, &mut tmp),
        Kind::Hex => digits(v, 16, t.width, &mut tmp),
        Kind::Unsigned => digits(v, 10, 1, &mut tmp),
        Kind::Signed => {
            let shift = 64 - 8 * t.size as u32;
            let x = ((v << shift) as i64) >> shift;
            let n = digits(x.unsigned_abs(), 10, 1, &mut tmp[1..]).len();
            let at = 24 - n - 1;
            if x < 0 {
                tmp[at] = b'-';
                &tmp[at..]
            } else {
                &tmp[at + 1..]
            }
        }
        Kind::Float => {
            let g = match t.size {
                4 => shortest_g(f32::from_bits(v as u32) as f64, true),
                8 => shortest_g(f64::from_bits(v), false),
                _ => crate::common::x87::shortest_in_memory(&b[..10]),
            };
            out.resize(out.len() + w.saturating_sub(g.len()), b' ');
            out.extend_from_slice(g.as_bytes());
            return;
        }
    };
    out.resize(out.len() + w.saturating_sub(text.len()), b' ');
    out.extend_from_slice(text);
}

/// `v` in `radix` (lower-case hex digits), zero-padded to `min` digits, at the end of `tmp`.
fn digits(mut v: u64, radix: u64, min: usize, tmp: &mut [u8]) -> &[u8] {
    let mut i = tmp.len();
    while v > 0 || tmp.len() - i < min {
        i -= 1;
        tmp[i] = b"0123456789abcdef"[(v % radix) as usize];
        v /= radix;
    }
    &tmp[i..]
}

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
            .write_all(concat!("od (rbox) ", env!("CARGO_PKG_VERSION"), "\n").as_bytes())?;
        return Ok(());
    }
    let mut types = Vec::new();
    let mut radix = b'o';
    let mut skip = 0u64;
    let mut limit: Option<u64> = None;
    let mut width: Option<usize> = None;
    for (id, v) in &m.opts {
        let val = v.as_ref().map(|v| v.as_bytes()).unwrap_or(b"");
        let legacy = match *id {
            "a" => Some(&b"a"[..]),
            "b" => Some(&b"o1"[..]),
            "c" => Some(&b"c"[..]),
            "d" => Some(&b"u2"[..]),
            "f" => Some(&b"fF"[..]),
            "i" => Some(&b"dI"[..]),
            "l" => Some(&b"dL"[..]),
            "o" => Some(&b"o2"[..]),
            "s" => Some(&b"d2"[..]),
            "x" => Some(&b"x2"[..]),
            "D" => Some(&b"u4"[..]),
            "O" => Some(&b"o4"[..]),
            "X" => Some(&b"x4"[..]),
            _ => None,
        };
        if let Some(l) = legacy {
            parse_types(l, &mut types).map_err(|e| Error::new(1, e))?;
            continue;
        }
        match *id {
            "t" => {
                if let Err(e) = parse_types(val, &mut types) {
                    ctx.msg(&e);
                    return Err(Error::silent(1));
                }
            }
            "A" => {
                if !val.is_empty() && b"doxn".contains(&val[0]) {
                    radix = val[0];
                } else {
                    let c = val
                        .first()
                        .map_or(String::new(), |&c| (c as char).to_string());
                    let msg = format!(
                        "invalid output address radix '{c}'; it must be one character from [doxn]"
                    );
                    ctx.msg(msg.as_bytes());
                    return Err(Error::silent(1));
                }
            }
            "j" | "N" => match parse_count(val) {
                Some(n) => {
                    if *id == "j" {
                        skip = n
                    } else {
                        limit = Some(n)
                    }
                }
                None => {
                    let mut msg = format!("invalid -{id} argument ").into_bytes();
                    msg.extend_from_slice(&quote_locale(val));
                    ctx.msg(&msg);
                    return Err(Error::silent(1));
                }
            },
            "w" => {
                if v.is_none() {
                    width = Some(32);
                } else {
                    match parse_count(val) {
                        Some(n) if n > 0 && n < (1 << 20) => width = Some(n as usize),
                        _ => {
                            let mut msg = b"invalid -w argument ".to_vec();
                            msg.extend_from_slice(&quote_locale(val));
                            ctx.msg(&msg);
                            return Err(Error::silent(1));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if types.is_empty() {
        parse_types(b"o2", &mut types).map_err(|e| Error::new(1, e))?;
    }
    let lcm = types.iter().fold(1usize, |l, t| {
        let (mut a, mut b) = (l, t.size);
        while b != 0 {
            let r = a % b;
            a = b;
            b = r;
        }
        l / a * t.size
    });
    let mut bpb = width.unwrap_or(16);
    // Said only once the skip succeeded, as GNU does.
    let mut bad_width = None;
    if !bpb.is_multiple_of(lcm) {
        let using = if bpb < lcm { lcm } else { bpb - bpb % lcm };
        bad_width = Some(bpb);
        bpb = using;
    }
    let mut wpb = 0;
    for t in &types {
        wpb = wpb.max((t.width + 1) * (bpb / t.size));
    }
    for t in &mut types {
        t.pad = wpb - t.width * (bpb / t.size);
    }
    let verbose = m.flag("v");
    let mut operands = m.operands.clone();
    let mut label = None;
    let traditional = m.flag("traditional");
    let modern = m
        .opts
        .iter()
        .any(|(id, _)| matches!(*id, "A" | "j" | "N" | "t" | "v" | "w"));
    if traditional || !modern {
        if let Some((s, l, keep)) = old_operands(&operands, traditional) {
            skip = s;
            label = l;
            operands.truncate(keep);
        }
        if traditional && operands.len() > 1 {
            ctx.msg(&args::extra_operand_msg(operands[1].as_bytes()));
            return Err(args::usage_error(
                ctx,
                &SPEC,
                b"compatibility mode supports at most one file",
                1,
            ));
        }
    }
    let radix = Radix {
        base: radix,
        label: label.map(|l: u64| l.wrapping_sub(skip)),
    };
    let files: Vec<OsString> = if operands.is_empty() {
        vec![OsString::from("-")]
    } else {
        operands
    };

    // The input as one stream.
    let mut reader = Stream {
        files,
        next: 0,
        cur: None,
        bad: false,
        buf: vec![0u8; 64 * 1024],
        pos: 0,
        len: 0,
        left: limit.map_or(u64::MAX, |l| l.saturating_add(skip)),
    };
    let mut chunk = vec![0u8; 64 * 1024];
    // Skip.
    let mut left = skip;
    while left > 0 {
        let want = left.min(chunk.len() as u64) as usize;
        let n = reader.read(ctx, &mut chunk[..want]);
        if n == 0 {
            ctx.out.flush()?;
            ctx.msg(b"cannot skip past end of combined input");
            return Err(Error::silent(1));
        }
        left -= n as u64;
    }
    if let Some(w) = bad_width {
        ctx.msgf(format_args!(
            "warning: invalid width {w}; using {bpb} instead"
        ));
    }
    let mut addr = skip;
    let mut remaining = limit.unwrap_or(u64::MAX);
    let mut prev: Vec<u8> = Vec::with_capacity(bpb);
    let mut has_prev = false;
    let mut starred = false;
    let mut block = vec![0u8; bpb];
    let mut line = Vec::new();
    loop {
        let want = (bpb as u64).min(remaining) as usize;
        let mut n = 0;
        while n < want {
            let k = reader.read(ctx, &mut block[n..want]);
            if k == 0 {
                break;
            }
            n += k;
        }
        if n == 0 {
            break;
        }
        remaining -= n as u64;
        if n == bpb && !verbose && has_prev && prev == block {
            if !starred {
                ctx.out.write_all(b"*\n")?;
                starred = true;
            }
            addr += n as u64;
            continue;
        }
        starred = false;
        line.clear();
        write_line(&mut line, &types, radix, addr, &block[..n], bpb);
        ctx.out.write_all(&line)?;
        has_prev = n == bpb;
        if has_prev {
            prev.clear();
            prev.extend_from_slice(&block);
        }
        addr += n as u64;
        if n < want {
            break;
        }
    }
    if radix.base != b'n' || radix.label.is_some() {
        line.clear();
        address(radix, addr, &mut line);
        line.push(b'\n');
        ctx.out.write_all(&line)?;
    }
    if reader.bad {
        return Err(Error::silent(1));
    }
    Ok(())
}

/// How offsets are shown: `base` is `-A`'s letter; `label`, from `--traditional`'s LABEL
/// operand, is added to the offset for a second, parenthesised column.
#[derive(Clone, Copy)]
struct Radix {
    base: u8,
    label: Option<u64>,
}

/// The offset column: at least 7 octal or decimal digits, 6 hex ones; with a label, GNU's
/// `OFFSET (LABEL)`, or `(OFFSET)` in octal under `-A n`. Returns the width continuation lines
/// are indented by (the offset's alone, as GNU).
fn address(radix: Radix, a: u64, out: &mut Vec<u8>) -> usize {
    let mut tmp = [0u8; 24];
    let base = match (radix.base, radix.label) {
        (b'n', Some(_)) => b'o',
        (b, _) => b,
    };
    let mut put = |v: u64, out: &mut Vec<u8>| {
        let d = match base {
            b'o' => digits(v, 8, 7, &mut tmp),
            b'd' => digits(v, 10, 7, &mut tmp),
            b'x' => digits(v, 16, 6, &mut tmp),
            _ => return 0,
        };
        out.extend_from_slice(d);
        d.len()
    };
    let Some(off) = radix.label else {
        return put(a, out);
    };
    // Under `-A n` GNU puts the offset itself in parentheses, not the label.
    let (width, shown) = if radix.base == b'n' {
        (0, a)
    } else {
        let w = put(a, out);
        out.push(b' ');
        (w, a.wrapping_add(off))
    };
    out.push(b'(');
    put(shown, out);
    out.push(b')');
    width
}

/// GNU's parse_old_offset: `[+]N[b|B]` (512 and 1024 bytes), octal unless `0x`. GNU's decimal
/// `N.` form never gets past its suffix check, so it is refused here too.
fn old_offset(s: &[u8]) -> Option<u64> {
    let s = s.strip_prefix(b"+").unwrap_or(s);
    let (radix, body) = match s.strip_prefix(b"0x").or_else(|| s.strip_prefix(b"0X")) {
        Some(h) => (16, h),
        None => (8, s),
    };
    let n = body
        .iter()
        .take_while(|c| (**c as char).is_digit(radix))
        .count();
    if n == 0 {
        return None;
    }
    let v = u64::from_str_radix(std::str::from_utf8(&body[..n]).ok()?, radix).ok()?;
    let mult = match &body[n..] {
        b"" => 1,
        b"b" => 512,
        b"B" => 1024,
        _ => return None,
    };
    v.checked_mul(mult)
}

/// The obsolescent offset operands, as GNU picks them out: `FILE +OFFSET` or `FILE OFFSET`
/// (two operands, the second starting with a digit), `+OFFSET` alone; with `--traditional` any
/// offset-looking operand and `[FILE] OFFSET LABEL`. Gives the skip, the label and how many
/// leading operands remain files.
fn old_operands(ops: &[OsString], traditional: bool) -> Option<(u64, Option<u64>, usize)> {
    let op = |i: usize| ops[i].as_bytes();
    match ops.len() {
        1 if traditional || op(0).starts_with(b"+") => Some((old_offset(op(0))?, None, 0)),
        2 if traditional || op(1).starts_with(b"+") || op(1).first()?.is_ascii_digit() => {
            let o2 = old_offset(op(1))?;
            match old_offset(op(0)).filter(|_| traditional) {
                Some(o1) => Some((o1, Some(o2), 0)),
                None => Some((o2, None, 1)),
            }
        }
        3 if traditional => Some((old_offset(op(1))?, Some(old_offset(op(2))?), 1)),
        _ => None,
    }
}

/// One output line per type for `data` (up to `bpb` bytes) onto `out`.
fn write_line(out: &mut Vec<u8>, types: &[Type], radix: Radix, addr: u64, data: &[u8], bpb: usize) {
    let mut addr_len = 0;
    let mut padded = Vec::new();
    for (k, t) in types.iter().enumerate() {
        if k == 0 {
            addr_len = address(radix, addr, out);
        } else {
            out.resize(out.len() + addr_len, b' ');
        }
        // Zero-fill the partial last field.
        let rounded = data.len().div_ceil(t.size) * t.size;
        let d = if rounded == data.len() {
            data
        } else {
            padded.clear();
            padded.extend_from_slice(data);
            padded.resize(rounded, 0);
            &padded[..]
        };
        let fields = bpb / t.size;
        let present = rounded / t.size;
        let blank = fields - present;
        let mut pad_remaining = t.pad;
        let fields_start = out.len();
        for (idx, i) in (blank + 1..=fields).rev().enumerate() {
            let next_pad = t.pad * (i - 1) / fields;
            let w = pad_remaining - next_pad + t.width;
            field_into(t, &d[idx * t.size..], w, out);
            pad_remaining = next_pad;
        }
        if t.trailer {
            // The trailer lines up with the full lines' one.
            let printed = out.len() - fields_start;
            let wpb = t.pad + t.width * fields;
            out.resize(out.len() + wpb.saturating_sub(printed), b' ');
            out.extend_from_slice(b"  >");
            for &c in data {
                out.push(if (32..127).contains(&c) { c } else { b'.' });
            }
            out.push(b'<');
        }
        out.push(b'\n');
    }
}

/// The input files as one stream, read ahead in 64 KiB blocks (a `read` per 16-byte line made
/// od 1.2x slower than GNU's stdio), never past the bytes od may consume (`-j` plus `-N`), so
/// a seekable standard input is left just after them as GNU's leaves it.
struct Stream {
    files: Vec<OsString>,
    next: usize,
    cur: Option<Option<File>>,
    bad: bool,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    /// Bytes that may still be read.
    left: u64,
}

impl Stream {
    /// Up to `buf.len()` bytes from the read-ahead, refilled by one read when empty (what
    /// arrives is handed on at once, as stdio's fread does on a pipe); 0 at the very end.
    fn read(&mut self, ctx: &mut Ctx, buf: &mut [u8]) -> usize {
        if self.pos == self.len {
            let want = (self.buf.len() as u64).min(self.left) as usize;
            if want == 0 {
                return 0;
            }
            let mut tmp = std::mem::take(&mut self.buf);
            let n = self.read_raw(ctx, &mut tmp[..want]);
            self.buf = tmp;
            self.left -= n as u64;
            self.pos = 0;
            self.len = n;
        }
        let n = buf.len().min(self.len - self.pos);
        buf[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        n
    }

    /// Read from the current input, moving on to the next at its end; 0 at the very end.
    fn read_raw(&mut self, ctx: &mut Ctx, buf: &mut [u8]) -> usize {
        loop {
            if self.cur.is_none() {
                if self.next >= self.files.len() {
                    return 0;
                }
                let name = self.files[self.next].clone();
                self.next += 1;
                if name.as_bytes() == b"-" {
                    self.cur = Some(None);
                } else {
                    match File::open(&name) {
                        Ok(f) => self.cur = Some(Some(f)),
                        Err(e) => {
                            let mut msg = crate::common::quote::quote_if_needed(name.as_bytes());
                            msg.extend_from_slice(b": ");
                            msg.extend_from_slice(strerror(&e).as_bytes());
                            ctx.msg(&msg);
                            self.bad = true;
                            continue;
                        }
                    }
                }
            }
            let r = match self.cur.as_ref().unwrap() {
                Some(f) => read(f.as_fd(), buf),
                None => read(stdin_fd(), buf),
            };
            match r {
                Ok(0) => self.cur = None,
                Ok(n) => return n,
                Err(e) => {
                    let name = &self.files[self.next - 1];
                    let name: &std::ffi::OsStr = if name == "-" {
                        "standard input".as_ref()
                    } else {
                        name
                    };
                    let mut msg = crate::common::quote::quote_if_needed(name.as_bytes());
                    msg.extend_from_slice(b": ");
                    msg.extend_from_slice(strerror(&e).as_bytes());
                    ctx.msg(&msg);
                    self.bad = true;
                    self.cur = None;
                }
            }
        }
    }
}
