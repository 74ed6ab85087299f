//! `cut`: print selected bytes, characters or fields of each line.
//!
//! Follows GNU coreutils 9.1 cut: `-b LIST`, `-c LIST`, `-f LIST`, `-d DELIM` (one byte; empty
//! means NUL), `-s`, `-n` (ignored), `--complement`, `--output-delimiter=STR`, `-z`; lists of
//! `N`, `N-`, `-M`, `N-M` separated by commas or blanks, overlapping ranges merged (adjacent ones
//! kept apart, so `--output-delimiter` separates them as GNU does); GNU's messages (`you must
//! specify a list of bytes, characters, or fields`, `invalid decreasing range`, `field number
//! '...' is too large`, ...). A last line without a newline gets one. A delimiter equal to the
//! line end makes the whole input one record (GNU's reading).
//! Deviation: `-c` counts bytes (C locale only), as GNU cut 9 does in every locale.

use std::ffi::OsString;
use std::os::fd::BorrowedFd;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::io::{self, Input};
use crate::common::lines::Lines;
use crate::common::quote::{quote_if_needed, quote_locale};
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::arg("bytes", Some(b'b'), Some("bytes")),
        Opt::arg("characters", Some(b'c'), Some("characters")),
        Opt::arg("delimiter", Some(b'd'), Some("delimiter")),
        Opt::arg("fields", Some(b'f'), Some("fields")),
        Opt::flag("n", Some(b'n'), None),
        Opt::flag("only-delimited", Some(b's'), Some("only-delimited")),
        Opt::arg("output-delimiter", None, Some("output-delimiter")),
        Opt::flag("complement", None, Some("complement")),
        Opt::flag("zero", Some(b'z'), Some("zero-terminated")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: cut OPTION... [FILE]...
Print selected parts of lines from each FILE to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -b, --bytes=LIST        select only these bytes
  -c, --characters=LIST   select only these characters
  -d, --delimiter=DELIM   use DELIM instead of TAB for field delimiter
  -f, --fields=LIST       select only these fields;  also print any line
                            that contains no delimiter character, unless
                            the -s option is specified
  -n                      (ignored)
      --complement        complement the set of selected bytes, characters
                            or fields
  -s, --only-delimited    do not print lines not containing delimiters
      --output-delimiter=STRING  use STRING as the output delimiter
                            the default is to use the input delimiter
  -z, --zero-terminated   line delimiter is NUL, not newline
      --help        display this help and exit
      --version     output version information and exit

Use one, and only one of -b, -c or -f.  Each LIST is made up of one
range, or many ranges separated by commas.  Selected input is written
in the same order that it is read, and is written exactly once.
Each range is one of:

  N     N'th byte, character or field, counted from 1
  N-    from N'th byte, character or field, to end of line
  N-M   from N'th to M'th (included) byte, character or field
  -M    from first to M'th (included) byte, character or field
"
    ),
);

/// Inclusive 1-based ranges, sorted, overlaps merged.
type Ranges = Vec<(u64, u64)>;

fn usage(ctx: &mut Ctx, msg: &[u8]) -> Error {
    ctx.msg(msg);
    ctx.try_help();
    Error::silent(1)
}

/// GNU's set_fields.
fn parse_list(ctx: &mut Ctx, s: &[u8], pos: bool, complement: bool) -> Result<Ranges> {
    let from1: &[u8] = if pos {
        b"byte/character positions are numbered from 1"
    } else {
        b"fields are numbered from 1"
    };
    let mut v: Ranges = Vec::new();
    let (mut value, mut initial) = (0u64, 1u64);
    let (mut lhs, mut rhs, mut dash, mut in_digits) = (false, false, false, false);
    let mut num_start = 0;
    let mut i = 0;
    loop {
        let c = s.get(i).copied();
        match c {
            Some(b'-') => {
                in_digits = false;
                if dash {
                    let m: &[u8] = if pos {
                        b"invalid byte or character range"
                    } else {
                        b"invalid field range"
                    };
                    return Err(usage(ctx, m));
                }
                dash = true;
                i += 1;
                if lhs && value == 0 {
                    return Err(usage(ctx, from1));
                }
                initial = if lhs { value } else { 1 };
                value = 0;
            }
            None | Some(b',' | b' ' | b'\t') => {
                in_digits = false;
                if dash {
                    dash = false;
                    if !lhs && !rhs {
                        return Err(usage(ctx, b"invalid range with no endpoint: -"));
                    }
                    if !rhs {
                        v.push((initial, u64::MAX));
                    } else {
                        if value < initial {
                            return Err(usage(ctx, b"invalid decreasing range"));
                        }
                        v.push((initial, value));
                    }
                } else {
                    if value == 0 {
                        return Err(usage(ctx, from1));
                    }
                    v.push((value, value));
                }
                value = 0;
                if c.is_none() {
                    break;
                }
                i += 1;
                lhs = false;
                rhs = false;
            }
            Some(d @ b'0'..=b'9') => {
                if !in_digits {
                    num_start = i;
                }
                in_digits = true;
                if dash {
                    rhs = true;
                } else {
                    lhs = true;
                }
                match value
                    .checked_mul(10)
                    .and_then(|x| x.checked_add((d - b'0') as u64))
                {
                    Some(x) if x != u64::MAX => value = x,
                    _ => {
                        let len = s[num_start..]
                            .iter()
                            .take_while(|c| c.is_ascii_digit())
                            .count();
                        let mut m = if pos {
                            b"byte/character offset ".to_vec()
                        } else {
                            b"field number ".to_vec()
                        };
                        m.extend_from_slice(&quote_locale(&s[num_start..num_start + len]));
                        m.extend_from_slice(b" is too large");
                        return Err(usage(ctx, &m));
                    }
                }
                i += 1;
            }
            Some(_) => {
                let mut m = if pos {
                    b"invalid byte/character position ".to_vec()
                } else {
                    b"invalid field value ".to_vec()
                };
                m.extend_from_slice(&quote_locale(&s[i..]));
                return Err(usage(ctx, &m));
            }
        }
    }
    crate::common::sort::sort_by(&mut v, |a, b| a.0.cmp(&b.0));
    let mut merged: Ranges = Vec::with_capacity(v.len());
    for r in v {
        match merged.last_mut() {
            Some(last) if r.0 <= last.1 => last.1 = last.1.max(r.1),
            _ => merged.push(r),
        }
    }
    if complement {
        let mut c = Vec::new();
        if merged[0].0 > 1 {
            c.push((1, merged[0].0 - 1));
        }
        for w in merged.windows(2) {
            if w[0].1 + 1 != w[1].0 {
                c.push((w[0].1 + 1, w[1].0 - 1));
            }
        }
        let last = merged.last().unwrap().1;
        if last < u64::MAX {
            c.push((last + 1, u64::MAX));
        }
        merged = c;
    }
    Ok(merged)
}

struct Cfg {
    ranges: Ranges,
    fields: bool,
    delim: u8,
    out_delim: Option<Vec<u8>>,
    only_delimited: bool,
    eol: u8,
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let mut list: Option<(&OsString, bool)> = None;
    let mut delim: Option<u8> = None;
    for (id, v) in &m.opts {
        match *id {
            "bytes" | "characters" | "fields" => {
                if list.is_some() {
                    return Err(usage(ctx, b"only one list may be specified"));
                }
                list = Some((v.as_ref().unwrap(), *id == "fields"));
            }
            "delimiter" => {
                let d = v.as_ref().unwrap().as_bytes();
                if d.len() > 1 {
                    return Err(usage(ctx, b"the delimiter must be a single character"));
                }
                delim = Some(d.first().copied().unwrap_or(0));
            }
            _ => {}
        }
    }
    let Some((list, fields)) = list else {
        return Err(usage(
            ctx,
            b"you must specify a list of bytes, characters, or fields",
        ));
    };
    if delim.is_some() && !fields {
        return Err(usage(
            ctx,
            b"an input delimiter may be specified only when operating on fields",
        ));
    }
    if m.flag("only-delimited") && !fields {
        return Err(usage(
            ctx,
            b"suppressing non-delimited lines makes sense\n\tonly when operating on fields",
        ));
    }
    let ranges = parse_list(ctx, list.as_bytes(), !fields, m.flag("complement"))?;
    let delim = delim.unwrap_or(b'\t');
    let cfg = Cfg {
        ranges,
        fields,
        delim,
        out_delim: m
            .last("output-delimiter")
            // An empty one is the NUL byte (GNU 9).
            .map(|d| match d.as_bytes() {
                b"" => vec![0],
                d => d.to_vec(),
            })
            .or_else(|| fields.then(|| vec![delim])),
        only_delimited: m.flag("only-delimited"),
        eol: if m.flag("zero") { 0 } else { b'\n' },
    };
    let dash = OsString::from("-");
    let files: Vec<&OsString> = if m.operands.is_empty() {
        vec![&dash]
    } else {
        m.operands.iter().collect()
    };
    let mut lines = Lines::new();
    for name in files {
        let nb = name.as_bytes();
        let input = match Input::open(nb) {
            Ok(i) => i,
            Err(e) => {
                ctx.error_file(1, name, &e);
                continue;
            }
        };
        let fd = input.fd();
        lines.reset();
        if let Err(e) = cut(fd, &cfg, &mut lines, ctx) {
            match e {
                Fail::Read(e) => {
                    let n = if nb == b"-" {
                        b"-".to_vec()
                    } else {
                        quote_if_needed(nb)
                    };
                    let mut msg = n;
                    msg.extend_from_slice(b": ");
                    msg.extend_from_slice(crate::common::ctx::strerror(&e).as_bytes());
                    ctx.error(1, &msg);
                }
                Fail::Write(e) => return Err(Error::write(&e)),
            }
        }
    }
    Ok(())
}

enum Fail {
    Read(std::io::Error),
    Write(std::io::Error),
}

fn cut(fd: BorrowedFd, c: &Cfg, lines: &mut Lines, ctx: &mut Ctx) -> std::result::Result<(), Fail> {
    if c.fields && c.delim == c.eol {
        let mut data = Vec::new();
        while let Some(block) = lines.block(fd, c.eol).map_err(Fail::Read)? {
            data.extend_from_slice(block);
        }
        fields_one_record(&data, c, ctx.out.buf_mut());
        return ctx.out.maybe_flush().map_err(Fail::Write);
    }
    if c.fields {
        while let Some(block) = lines.block(fd, c.eol).map_err(Fail::Read)? {
            fields_block(block, c, ctx.out.buf_mut());
            ctx.out.maybe_flush().map_err(Fail::Write)?;
        }
        return Ok(());
    }
    let ranges = &c.ranges[..];
    while let Some((line, _)) = lines.next(fd, c.eol).map_err(Fail::Read)? {
        let out = ctx.out.buf_mut();
        let len = line.len() as u64;
        let mut first = true;
        for &(lo, hi) in ranges {
            if lo > len {
                break;
            }
            if let (Some(d), false) = (&c.out_delim, first) {
                out.extend_from_slice(d);
            }
            first = false;
            out.extend_from_slice(&line[lo as usize - 1..hi.min(len) as usize]);
        }
        out.push(c.eol);
        ctx.out.maybe_flush().map_err(Fail::Write)?;
    }
    Ok(())
}

/// The first `d` or `e` in `b` from `i` (else `b.len()`), eight bytes a step: fields are short, so
/// a word at a time beats both a byte loop and a SIMD search's set-up. A byte equal to `d` or `e`
/// turns into a zero byte of `w ^ d`, found by the borrow trick (a borrow can only mark bytes
/// after a real zero, so the lowest mark is the first match).
#[inline]
fn find2(b: &[u8], mut i: usize, d: u8, e: u8) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let (dm, em) = (LO * u64::from(d), LO * u64::from(e));
    while let Some(chunk) = b.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let (x, y) = (w ^ dm, w ^ em);
        let z = (x.wrapping_sub(LO) & !x | y.wrapping_sub(LO) & !y) & HI;
        if z != 0 {
            return i + (z.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && b[i] != d && b[i] != e {
        i += 1;
    }
    i
}

/// `-f` over a block of whole lines: the wanted fields are found by [`find2`], the rest of the
/// line is skipped with one `memchr` once the last wanted field is out. The block's last line may lack its end (end of
/// input): it gets one, as GNU's cut gives it.
fn fields_block(block: &[u8], c: &Cfg, out: &mut Vec<u8>) {
    let ranges = &c.ranges[..];
    let last_wanted = ranges.last().map_or(0, |r| r.1);
    let od = c.out_delim.as_deref().unwrap_or(&[]);
    let (delim, eol) = (c.delim, c.eol);
    let n = block.len();
    let mut pos = 0;
    while pos < n {
        let line = pos;
        let mut i = pos;
        let mut start = pos; // where the current field starts
        let mut idx = 1u64; // its number
        let mut ri = 0; // the first range that may still select a field
        let mut any = false; // a field was written for this line
        let mut delimited = false;
        let mut skipped = false; // the last wanted field is out: the rest was skipped
        loop {
            i = find2(block, i, delim, eol);
            // The loop stops at a delimiter or a line end.
            let at_delim = i < n && block[i] != eol;
            if at_delim || delimited {
                while ri < ranges.len() && ranges[ri].1 < idx {
                    ri += 1;
                }
                if ri < ranges.len() && ranges[ri].0 <= idx {
                    // Fields are short: `io::append` copies them without a memcpy call.
                    if any {
                        io::append(out, od);
                    }
                    any = true;
                    io::append(out, &block[start..i]);
                }
            }
            if !at_delim {
                break;
            }
            delimited = true;
            idx += 1;
            i += 1;
            start = i;
            if idx > last_wanted {
                i = memchr::memchr(eol, &block[i..]).map_or(n, |k| i + k);
                skipped = true;
                break;
            }
        }
        if delimited || skipped {
            out.push(eol);
        } else if !c.only_delimited {
            out.extend_from_slice(&block[line..i]);
            out.push(eol);
        }
        pos = i + 1;
    }
}

/// `-f` with the delimiter equal to the line end (`-d $'\n'`, `-z -d ''`): as GNU's cut, the
/// whole input is one record whose fields are its lines. The end that closes the input is not a
/// delimiter, except that a first field is delimited by it when the first field is not wanted
/// (or `-s` and it is), GNU's buffering of that field; the record always ends with one line end
/// when anything (or, without `-s`, nothing) was selected.
fn fields_one_record(data: &[u8], c: &Cfg, out: &mut Vec<u8>) {
    let d = c.delim;
    let od = c.out_delim.as_deref().unwrap_or(&[]);
    let wanted = |k: u64| c.ranges.iter().any(|&(lo, hi)| lo <= k && k <= hi);
    let n = data.len();
    if n == 0 {
        return;
    }
    let mut pos = 0;
    let mut idx = 1u64;
    let mut any = false;
    if c.only_delimited == wanted(1) {
        let end = memchr::memchr(d, data).map_or(n, |k| k + 1);
        let first = &data[..end];
        pos = end;
        if first.last() != Some(&d) {
            // One field, no delimiter at all: the input as it is, ended.
            if !c.only_delimited {
                out.extend_from_slice(first);
                out.push(d);
            }
            return;
        }
        if wanted(1) {
            out.extend_from_slice(&first[..first.len() - 1]);
            any = pos < n;
        }
        idx = 2;
    }
    loop {
        let end = memchr::memchr(d, &data[pos..]).map_or(n, |k| pos + k);
        if wanted(idx) {
            if any {
                out.extend_from_slice(od);
            }
            any = true;
            out.extend_from_slice(&data[pos..end]);
        }
        // A delimiter closing the input ends it instead.
        if end + 1 < n {
            pos = end + 1;
            idx += 1;
            continue;
        }
        if any || !(c.only_delimited && idx == 1) {
            out.push(d);
        }
        return;
    }
}
