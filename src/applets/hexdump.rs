//! `hexdump`: util-linux 2.38's (Debian's bsdextrautils), of which BusyBox's is a subset.
//!
//! Everything is a format: `-b -c -C -d -o -x` and the default add util-linux's own format
//! strings, `-e FORMAT` and `-f FILE` (a format a line, `#` comments) the user's. A format is
//! format units `[ITER][/BYTES] "TEXT"`; the text holds printf conversions (`d i o u x X` of 1,
//! 2, 4 or 8 bytes, `c`, `e E f g G` of 4 or 8, `s` of its precision or the unit's byte
//! count) and hexdump's own (`%_a[dox]` the offset, `%_A[dox]` the offset after the input,
//! `%_c` a byte as `od -c`, `%_p` printable or `.`, `%_u` ASCII names). The input (the files
//! as one stream, after `-s` and up to `-n`) is cut into blocks of the longest format's size;
//! each format prints each block, fields past the end blank; a block equal to the previous one
//! is one `*` line unless `-v`. Messages and statuses are util-linux's.

use std::ffi::OsString;
use std::fs::File;
use std::os::fd::AsFd;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::ctx::strerror;
use crate::common::help::{help_text, Help};
use crate::common::io::{read, stdin_fd};
use crate::common::printf::{c_double, pad};
use crate::common::sys::fd as sfd;
use crate::common::{Ctx, Error, Result};

const USAGE: Help = help_text!(
    "
Usage:
 hexdump [options] <file>...

Display file contents in hexadecimal, decimal, octal, or ascii.

Options:
 -b, --one-byte-octal      one-byte octal display
 -c, --one-byte-char       one-byte character display
 -C, --canonical           canonical hex+ASCII display
 -d, --two-bytes-decimal   two-byte decimal display
 -o, --two-bytes-octal     two-byte octal display
 -x, --two-bytes-hex       two-byte hexadecimal display
 -L, --color[=<mode>]      accepted; no colours are written
 -e, --format <format>     format string to be used for displaying data
 -f, --format-file <file>  file that contains format strings
 -n, --length <length>     interpret only length bytes of input
 -s, --skip <offset>       skip offset bytes from the beginning
 -v, --no-squeezing        output identical lines

 -h, --help                display this help
 -V, --version             display version

Arguments:
 <length> and <offset> arguments may be followed by the suffixes for
   GiB, TiB, PiB, EiB, ZiB, and YiB (the \"iB\" is optional)
"
);

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("b", Some(b'b'), Some("one-byte-octal")),
        Opt::flag("c", Some(b'c'), Some("one-byte-char")),
        Opt::flag("C", Some(b'C'), Some("canonical")),
        Opt::flag("d", Some(b'd'), Some("two-bytes-decimal")),
        Opt::flag("o", Some(b'o'), Some("two-bytes-octal")),
        Opt::flag("x", Some(b'x'), Some("two-bytes-hex")),
        Opt::optional("L", Some(b'L'), Some("color")),
        Opt::arg("e", Some(b'e'), Some("format")),
        Opt::arg("f", Some(b'f'), Some("format-file")),
        Opt::arg("n", Some(b'n'), Some("length")),
        Opt::arg("s", Some(b's'), Some("skip")),
        Opt::flag("v", Some(b'v'), Some("no-squeezing")),
        Opt::flag("help", Some(b'h'), Some("help")),
        Opt::flag("version", Some(b'V'), Some("version")),
    ],
    USAGE,
);

/// util-linux's formats for the display options; each also prints the end offset.
fn option_formats(id: &str) -> &'static [&'static str] {
    match id {
        "b" => &["\"%07.7_Ax\n\"", "\"%07.7_ax \" 16/1 \"%03o \" \"\\n\""],
        "c" => &["\"%07.7_Ax\n\"", "\"%07.7_ax \" 16/1 \"%3_c \" \"\\n\""],
        "C" => &[
            "\"%08.8_Ax\n\"",
            "\"%08.8_ax  \" 8/1 \"%02x \" \"  \" 8/1 \"%02x \" ",
            "\"  |\" 16/1 \"%_p\" \"|\\n\"",
        ],
        "d" => &["\"%07.7_Ax\n\"", "\"%07.7_ax \" 8/2 \"  %05u \" \"\\n\""],
        "o" => &["\"%07.7_Ax\n\"", "\"%07.7_ax \" 8/2 \" %06o \" \"\\n\""],
        "x" => &["\"%07.7_Ax\n\"", "\"%07.7_ax \" 8/2 \"   %04x \" \"\\n\""],
        _ => &["\"%07.7_Ax\n\"", "\"%07.7_ax \" 8/2 \"%04x \" \"\\n\""],
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Conv {
    /// `%_a` (or `%_A`, `end`) in radix `d`, `o` or `x`.
    Addr {
        end: bool,
        radix: u8,
    },
    Int {
        conv: u8,
    },
    Char,
    Float {
        conv: u8,
    },
    Str,
    /// `%_c`, `%_p`, `%_u`.
    C,
    P,
    U,
}

/// printf's flags, width and precision of one conversion.
#[derive(Clone, Copy, Default)]
struct Flags {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
}

/// One conversion with the text before it, or (`conv` None) text alone.
struct Pr {
    text: Vec<u8>,
    conv: Option<(Conv, Flags)>,
    bcnt: usize,
    /// The text's last byte is blank and not printed on a unit's last iteration.
    nospace: bool,
}

struct Fu {
    reps: usize,
    setrep: bool,
    bcnt: usize,
    prs: Vec<Pr>,
    /// Holds `%_A`: printed once after the input, not per block.
    end: bool,
}

struct Fs {
    fus: Vec<Fu>,
    bcnt: usize,
}

fn bad(msg: impl Into<Vec<u8>>) -> Error {
    Error::new(1, msg)
}

/// hexdump's escapes: `\a \b \f \n \r \t \v`, any other character stands for itself.
fn escape(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' {
            i += 1;
            let Some(&c) = s.get(i) else {
                out.push(b'\\');
                break;
            };
            out.push(crate::common::printf::c_letter_escape(c).unwrap_or(c));
        } else {
            out.push(s[i]);
        }
        i += 1;
    }
    out
}

/// One format string (an `-e` argument, a line of `-f`'s file) into its units.
fn parse_fs(fmt: &[u8]) -> Result<Fs> {
    let badfmt = || {
        let mut m = b"bad format {".to_vec();
        m.extend_from_slice(fmt);
        m.push(b'}');
        bad(m)
    };
    let digits = |p: &mut usize| {
        let s = *p;
        while fmt.get(*p).is_some_and(u8::is_ascii_digit) {
            *p += 1;
        }
        std::str::from_utf8(&fmt[s..*p])
            .ok()
            .and_then(|d| d.parse::<usize>().ok())
            .unwrap_or(0)
    };
    let sp = |p: &mut usize| {
        while fmt.get(*p).is_some_and(|c| c.is_ascii_whitespace()) {
            *p += 1;
        }
    };
    let mut fus = Vec::new();
    let mut p = 0;
    loop {
        sp(&mut p);
        if p >= fmt.len() {
            break;
        }
        let (mut reps, mut setrep, mut bcnt) = (1, false, 0);
        if fmt[p].is_ascii_digit() {
            reps = digits(&mut p);
            if !fmt
                .get(p)
                .is_some_and(|&c| c.is_ascii_whitespace() || c == b'/')
            {
                return Err(badfmt());
            }
            setrep = true;
            sp(&mut p);
        }
        if fmt.get(p) == Some(&b'/') {
            p += 1;
            sp(&mut p);
            if fmt.get(p).is_some_and(u8::is_ascii_digit) {
                bcnt = digits(&mut p);
                if !fmt
                    .get(p)
                    .is_some_and(|&c| c.is_ascii_whitespace() || c == b'"')
                {
                    return Err(badfmt());
                }
            }
            sp(&mut p);
        }
        if fmt.get(p) != Some(&b'"') {
            return Err(badfmt());
        }
        p += 1;
        let start = p;
        while fmt.get(p) != Some(&b'"') {
            if p >= fmt.len() {
                return Err(badfmt());
            }
            p += 1;
        }
        let text = escape(&fmt[start..p]);
        p += 1;
        fus.push(rewrite(&text, reps, setrep, bcnt)?);
    }
    let bcnt = fus.iter().map(|f| f.reps * f.bcnt).sum();
    Ok(Fs { fus, bcnt })
}

/// A unit's text into its conversions, each with the bytes it takes.
fn rewrite(fmt: &[u8], reps: usize, setrep: bool, fbcnt: usize) -> Result<Fu> {
    let mut prs = Vec::new();
    let mut end = false;
    let mut nconv = 0;
    let mut i = 0;
    while i < fmt.len() {
        let Some(pct) = fmt[i..].iter().position(|&c| c == b'%').map(|k| k + i) else {
            prs.push(Pr {
                text: fmt[i..].to_vec(),
                conv: None,
                bcnt: 0,
                nospace: false,
            });
            break;
        };
        let text = fmt[i..pct].to_vec();
        let mut j = pct + 1;
        let mut f = Flags::default();
        while let Some(&c) = fmt.get(j) {
            match c {
                b'-' => f.left = true,
                b'+' => f.plus = true,
                b' ' => f.space = true,
                b'#' => f.alt = true,
                b'0' => f.zero = true,
                _ => break,
            }
            j += 1;
        }
        let num = |j: &mut usize| {
            let mut v = 0usize;
            while let Some(d) = fmt.get(*j).filter(|c| c.is_ascii_digit()) {
                v = v.saturating_mul(10).saturating_add((d - b'0') as usize);
                *j += 1;
            }
            v
        };
        f.width = num(&mut j);
        if fmt.get(j) == Some(&b'.') {
            j += 1;
            f.prec = Some(num(&mut j));
        }
        let badconv = |n: usize| {
            let mut m = b"bad conversion character %".to_vec();
            m.extend_from_slice(&fmt[j.min(fmt.len())..(j + n).min(fmt.len())]);
            bad(m)
        };
        let badcnt = |c: &[u8]| {
            let mut m = b"bad byte count for conversion character ".to_vec();
            m.extend_from_slice(c);
            bad(m)
        };
        let c = fmt.get(j).copied().unwrap_or(0);
        let one = |c: &[u8]| if fbcnt > 1 { Err(badcnt(c)) } else { Ok(1) };
        let (conv, bcnt, used) = match c {
            b'c' => (Conv::Char, one(b"c")?, 1),
            b'd' | b'i' | b'o' | b'u' | b'x' | b'X' => {
                let n = if fbcnt == 0 { 4 } else { fbcnt };
                if !matches!(n, 1 | 2 | 4 | 8) {
                    return Err(badcnt(&[c]));
                }
                (Conv::Int { conv: c }, n, 1)
            }
            b'e' | b'E' | b'f' | b'g' | b'G' => {
                let n = if fbcnt == 0 { 8 } else { fbcnt };
                if !matches!(n, 4 | 8) {
                    return Err(badcnt(&[c]));
                }
                (Conv::Float { conv: c }, n, 1)
            }
            b's' => {
                let n = if fbcnt != 0 {
                    f.prec = Some(fbcnt);
                    fbcnt
                } else if let Some(p) = f.prec {
                    p
                } else {
                    return Err(bad("%s requires a precision or a byte count"));
                };
                (Conv::Str, n, 1)
            }
            b'_' => match fmt.get(j + 1).copied().unwrap_or(0) {
                a @ (b'a' | b'A') => match fmt.get(j + 2).copied().unwrap_or(0) {
                    r @ (b'd' | b'o' | b'x') => {
                        end |= a == b'A';
                        (
                            Conv::Addr {
                                end: a == b'A',
                                radix: r,
                            },
                            0,
                            3,
                        )
                    }
                    _ => return Err(badconv(3)),
                },
                b'c' => (Conv::C, one(b"_c")?, 2),
                b'p' => (Conv::P, one(b"_p")?, 2),
                b'u' => (Conv::U, one(b"_u")?, 2),
                _ => return Err(badconv(2)),
            },
            _ => return Err(badconv(1)),
        };
        if !matches!(conv, Conv::Addr { .. }) && fbcnt != 0 {
            nconv += 1;
            if nconv > 1 {
                return Err(bad("byte count with multiple conversion characters"));
            }
        }
        prs.push(Pr {
            text,
            conv: Some((conv, f)),
            bcnt,
            nospace: false,
        });
        i = j + used;
    }
    let bcnt = if fbcnt != 0 {
        fbcnt
    } else {
        prs.iter().map(|p| p.bcnt).sum()
    };
    Ok(Fu {
        reps,
        setrep,
        bcnt,
        prs,
        end,
    })
}

/// C's `%d %i %o %u %x %X` of a value with flags, width and precision (on the stack unless the
/// precision is huge: it runs for every field).
fn put_int(out: &mut Vec<u8>, f: &Flags, conv: u8, neg: bool, mag: u64) {
    let radix = match conv {
        b'o' => 8,
        b'x' | b'X' => 16,
        _ => 10,
    };
    let hex: &[u8; 16] = if conv == b'X' {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let min = f.prec.unwrap_or(1);
    let mut stack = [0u8; 32];
    let mut heap;
    let buf: &mut [u8] = if min + 4 > stack.len() {
        heap = vec![0u8; min + 4];
        &mut heap
    } else {
        &mut stack
    };
    let mut k = buf.len();
    let mut v = mag;
    while v != 0 {
        k -= 1;
        buf[k] = hex[(v % radix) as usize];
        v /= radix;
    }
    while buf.len() - k < min {
        k -= 1;
        buf[k] = b'0';
    }
    if f.alt && conv == b'o' && buf.get(k) != Some(&b'0') {
        k -= 1;
        buf[k] = b'0';
    }
    if f.alt && mag != 0 && (conv == b'x' || conv == b'X') {
        k -= 2;
        buf[k] = b'0';
        buf[k + 1] = conv;
    }
    let signed = matches!(conv, b'd' | b'i');
    let sign = if neg {
        Some(b'-')
    } else if signed && f.plus {
        Some(b'+')
    } else if signed && f.space {
        Some(b' ')
    } else {
        None
    };
    if let Some(c) = sign {
        k -= 1;
        buf[k] = c;
    }
    pad(
        out,
        &buf[k..],
        f.width,
        f.left,
        f.zero && !f.left && f.prec.is_none(),
    );
}

/// Text C's `%s` prints of `s` with flags, width and precision.
fn put_str(out: &mut Vec<u8>, f: &Flags, s: &[u8]) {
    let s = match f.prec {
        Some(p) => &s[..p.min(s.len())],
        None => s,
    };
    pad(out, s, f.width, f.left, false);
}

const NAMES: &[u8; 32 * 3] = b"nulsohstxetxeotenqackbelbs ht lf vt ff cr so si \
dledc1dc2dc3dc4naksynetbcanem subescfs gs rs us ";

/// One conversion of the bytes `b` (zero-filled past the input) at `addr`.
fn put(out: &mut Vec<u8>, conv: Conv, f: &Flags, b: &[u8], addr: u64) {
    let le = |n: usize| {
        let mut v = 0u64;
        for (k, &x) in b[..n].iter().enumerate() {
            v |= (x as u64) << (8 * k);
        }
        v
    };
    match conv {
        Conv::Addr { radix, .. } => put_int(out, f, radix, false, addr),
        Conv::Int { conv } => {
            let n = b.len();
            let v = le(n);
            if matches!(conv, b'd' | b'i') {
                let s = ((v << (64 - 8 * n)) as i64) >> (64 - 8 * n);
                put_int(out, f, conv, s < 0, s.unsigned_abs());
            } else {
                put_int(out, f, conv, false, v);
            }
        }
        Conv::Float { conv } => {
            let v = if b.len() == 4 {
                f32::from_bits(le(4) as u32) as f64
            } else {
                f64::from_bits(le(8))
            };
            let s = c_double(v, conv, f.prec.unwrap_or(6), f.alt, f.plus, f.space);
            pad(out, &s, f.width, f.left, f.zero && !f.left && v.is_finite());
        }
        Conv::Char => pad(out, &b[..1], f.width, f.left, false),
        Conv::Str => {
            let n = b.iter().position(|&c| c == 0).unwrap_or(b.len());
            put_str(out, f, &b[..n]);
        }
        Conv::C => {
            let c = b[0];
            let esc: &[u8] = match c {
                0 => b"\\0",
                7 => b"\\a",
                8 => b"\\b",
                12 => b"\\f",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                11 => b"\\v",
                _ => b"",
            };
            if !esc.is_empty() {
                put_str(out, f, esc);
            } else if (0x20..0x7f).contains(&c) {
                pad(out, &[c], f.width, f.left, false);
            } else {
                let o = [b'0' + (c >> 6), b'0' + ((c >> 3) & 7), b'0' + (c & 7)];
                put_str(out, f, &o);
            }
        }
        Conv::P => {
            let c = if (0x20..0x7f).contains(&b[0]) {
                b[0]
            } else {
                b'.'
            };
            pad(out, &[c], f.width, f.left, false);
        }
        Conv::U => {
            let c = b[0] as usize;
            if c < 32 {
                let name = &NAMES[3 * c..3 * c + 3];
                let n = name.iter().position(|&x| x == b' ').unwrap_or(3);
                put_str(out, f, &name[..n]);
            } else if c == 0x7f {
                put_str(out, f, b"del");
            } else if c > 0x7f {
                put_int(out, f, b'x', false, c as u64);
            } else {
                pad(out, &[c as u8], f.width, f.left, false);
            }
        }
    }
}

/// util-linux's sizes: a number in C's bases with an optional `K M G T P E Z Y` suffix (of
/// 1024, or of 1000 as `KB`; `KiB` is 1024 too). `Err(true)`: out of range.
fn parse_size(s: &[u8]) -> std::result::Result<u64, bool> {
    let (radix, digits) = if s.len() > 2 && (s.starts_with(b"0x") || s.starts_with(b"0X")) {
        (16, &s[2..])
    } else if s.len() > 1 && s[0] == b'0' {
        (8, &s[1..])
    } else {
        (10, s)
    };
    let n = digits
        .iter()
        .position(|c| !(*c as char).is_digit(radix))
        .unwrap_or(digits.len());
    if n == 0 && radix == 10 {
        return Err(false);
    }
    let mut v: u64 = 0;
    for &c in &digits[..n] {
        let d = (c as char).to_digit(radix).unwrap_or(0) as u64;
        v = v
            .checked_mul(radix as u64)
            .and_then(|v| v.checked_add(d))
            .ok_or(true)?;
    }
    let suf = &digits[n..];
    if suf.is_empty() {
        return Ok(v);
    }
    let k = b"KMGTPEZY"
        .iter()
        .position(|&c| c == suf[0].to_ascii_uppercase())
        .ok_or(false)?;
    let base: u64 = match &suf[1..] {
        b"" | b"iB" => 1024,
        b"B" => 1000,
        _ => return Err(false),
    };
    let mut m: u64 = 1;
    for _ in 0..=k {
        m = m.checked_mul(base).ok_or(true)?;
    }
    v.checked_mul(m).ok_or(true)
}

/// The input: the files as one stream (or standard input), with `-s` applied as each file is
/// opened and `-n` as a limit.
struct Input {
    files: Vec<OsString>,
    next: usize,
    cur: Option<Option<File>>,
    started: bool,
    opened: usize,
    skip: u64,
    /// Offsets skipped over, not yet added to the address.
    skipped: u64,
    left: Option<u64>,
    ahead: Vec<u8>,
    pos: usize,
}

impl Input {
    /// Open the next input; false when there is none.
    fn open_next(&mut self, ctx: &mut Ctx) -> Result<bool> {
        loop {
            let fd = if self.files.is_empty() {
                if self.started {
                    return Ok(false);
                }
                None
            } else {
                let Some(name) = self.files.get(self.next) else {
                    return Ok(false);
                };
                self.next += 1;
                match File::open(name) {
                    Ok(fd) => Some(fd),
                    Err(e) => {
                        // util-linux's warn(): `NAME: strerror`.
                        ctx.error(1, &Error::file(1, name.as_bytes(), &e).msg);
                        continue;
                    }
                }
            };
            self.started = true;
            self.opened += 1;
            if self.skip > 0 {
                let b = match &fd {
                    Some(f) => f.as_fd(),
                    None => stdin_fd(),
                };
                if let Ok(st) = sfd::fstat(b) {
                    if st.st_mode & 0o170000 == 0o100000 && self.skip > st.st_size as u64 {
                        self.skip -= st.st_size as u64;
                        self.skipped += st.st_size as u64;
                        continue;
                    }
                }
                if let Err(e) = sfd::lseek(b, self.skip as i64, 0) {
                    let name: &[u8] = match &fd {
                        Some(_) => self.files[self.next - 1].as_bytes(),
                        None => b"stdin",
                    };
                    return Err(Error::file(1, name, &e));
                }
                self.skipped += self.skip;
                self.skip = 0;
            }
            self.cur = Some(fd);
            return Ok(true);
        }
    }

    /// Up to `buf.len()` bytes; 0 at the end of the last input or of `-n`.
    fn read(&mut self, ctx: &mut Ctx, buf: &mut [u8]) -> Result<usize> {
        if self.pos == self.ahead.len() {
            // Read ahead in the current input only (stdio's buffer), so that the next file is
            // opened, and its error reported, when this one's bytes are all taken.
            let want = match self.left {
                Some(l) => l.min(READ_AHEAD as u64) as usize,
                None => READ_AHEAD,
            };
            if want == 0 {
                return Ok(0);
            }
            let mut tmp = std::mem::take(&mut self.ahead);
            tmp.resize(want, 0);
            let n = self.read_raw(ctx, &mut tmp)?;
            tmp.truncate(n);
            self.ahead = tmp;
            self.pos = 0;
            if let Some(l) = &mut self.left {
                *l -= n as u64;
            }
        }
        let n = buf.len().min(self.ahead.len() - self.pos);
        buf[..n].copy_from_slice(&self.ahead[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }

    fn read_raw(&mut self, ctx: &mut Ctx, buf: &mut [u8]) -> Result<usize> {
        loop {
            if self.cur.is_none() && !self.open_next(ctx)? {
                return Ok(0);
            }
            let r = match self.cur.as_ref().unwrap() {
                Some(f) => read(f.as_fd(), buf),
                None => read(stdin_fd(), buf),
            };
            match r {
                Ok(0) => self.cur = None,
                Ok(n) => return Ok(n),
                Err(e) => {
                    let name: &[u8] = match self.cur.as_ref().unwrap() {
                        Some(_) => self.files[self.next - 1].as_bytes(),
                        None => b"stdin",
                    };
                    // util-linux warns and keeps its status.
                    ctx.msg(&Error::file(1, name, &e).msg);
                    self.cur = None;
                }
            }
        }
    }
}

const READ_AHEAD: usize = 64 * 1024;

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let mut fss: Vec<Fs> = Vec::new();
    let mut length = None;
    let mut skip = 0;
    let mut all = false;
    for (id, v) in &m.opts {
        let val = v.as_ref().map(|v| v.as_bytes()).unwrap_or(b"");
        match *id {
            "b" | "c" | "C" | "d" | "o" | "x" => {
                for f in option_formats(id) {
                    fss.push(parse_fs(f.as_bytes())?);
                }
            }
            "e" => fss.push(parse_fs(val)?),
            "f" => {
                let text = std::fs::read(std::ffi::OsStr::from_bytes(val)).map_err(|e| {
                    let mut m = b"can't read ".to_vec();
                    m.extend_from_slice(val);
                    m.extend_from_slice(b": ");
                    m.extend_from_slice(strerror(&e).as_bytes());
                    bad(m)
                })?;
                for line in text.split(|&c| c == b'\n') {
                    let l = line.trim_ascii_start();
                    if !l.is_empty() && l[0] != b'#' {
                        fss.push(parse_fs(l)?);
                    }
                }
            }
            "n" | "s" => {
                let n = parse_size(val).map_err(|range| {
                    let what = if *id == "n" { "length" } else { "offset" };
                    let mut m = format!("failed to parse {what}: '").into_bytes();
                    m.extend_from_slice(val);
                    m.extend_from_slice(if range {
                        b"': Numerical result out of range"
                    } else {
                        b"': Invalid argument"
                    });
                    bad(m)
                })?;
                if *id == "n" {
                    length = Some(n);
                } else {
                    skip = n;
                }
            }
            "v" => all = true,
            _ => {}
        }
    }
    if fss.is_empty() {
        for f in option_formats("") {
            fss.push(parse_fs(f.as_bytes())?);
        }
    }
    let bs = fss.iter().map(|f| f.bcnt).max().unwrap_or(0);
    // The last unit of a shorter format repeats to fill the block; a repeated unit's last
    // iteration leaves out its trailing blank.
    for fs in &mut fss {
        let fsb = fs.bcnt;
        let nfu = fs.fus.len();
        for (k, fu) in fs.fus.iter_mut().enumerate() {
            if k + 1 == nfu && fsb < bs && !fu.setrep && fu.bcnt != 0 {
                fu.reps += (bs - fsb) / fu.bcnt;
            }
            if fu.reps > 1 {
                if let Some(pr) = fu.prs.last_mut() {
                    pr.nospace = pr.conv.is_none()
                        && pr.text.last().is_some_and(|c| c.is_ascii_whitespace());
                }
            }
        }
    }
    let mut input = Input {
        files: m.operands,
        next: 0,
        cur: None,
        started: false,
        opened: 0,
        skip,
        skipped: 0,
        left: length,
        ahead: Vec::new(),
        pos: 0,
    };
    if bs > 0 {
        dump(ctx, &fss, bs, all, &mut input)?;
    }
    if !input.files.is_empty() && input.opened == 0 && input.next >= input.files.len() {
        return Err(bad("all input file arguments failed"));
    }
    Ok(())
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Squeeze {
    First,
    Wait,
    Dup,
}

fn dump(ctx: &mut Ctx, fss: &[Fs], bs: usize, all: bool, input: &mut Input) -> Result<()> {
    let mut cur = vec![0u8; bs];
    let mut sav = vec![0u8; bs];
    let mut address: u64 = 0;
    let mut eaddress: Option<u64> = None;
    let mut sq = Squeeze::First;
    let mut first = true;
    loop {
        if !first {
            std::mem::swap(&mut cur, &mut sav);
            address += bs as u64;
        }
        first = false;
        let (mut need, mut nread) = (bs, 0);
        let got = loop {
            let n = input.read(ctx, &mut cur[nread..nread + need])?;
            address += std::mem::take(&mut input.skipped);
            if n == 0 {
                if need == bs {
                    break false;
                }
                cur[nread..].fill(0);
                eaddress = Some(address + nread as u64);
                break true;
            }
            need -= n;
            nread += n;
            if need == 0 {
                if all || sq == Squeeze::First || cur != sav {
                    sq = Squeeze::Wait;
                    break true;
                }
                if sq == Squeeze::Wait {
                    ctx.out.write_all(b"*\n")?;
                }
                sq = Squeeze::Dup;
                address += bs as u64;
                need = bs;
                nread = 0;
            }
        };
        if !got {
            break;
        }
        let out = ctx.out.buf_mut();
        for fs in fss {
            let mut bp = 0;
            let mut addr = address;
            'units: for fu in &fs.fus {
                if fu.end {
                    break 'units;
                }
                for cnt in (1..=fu.reps).rev() {
                    for pr in &fu.prs {
                        let text = if cnt == 1 && pr.nospace {
                            &pr.text[..pr.text.len() - 1]
                        } else {
                            &pr.text[..]
                        };
                        out.extend_from_slice(text);
                        if let Some((conv, f)) = &pr.conv {
                            if eaddress.is_some_and(|e| addr >= e) {
                                pad(out, b"", f.width, false, false);
                            } else {
                                let mut b = [0u8; 8];
                                let src = cur.get(bp..).unwrap_or(&[]);
                                let n = pr.bcnt.min(src.len());
                                if pr.bcnt <= 8 {
                                    b[..n].copy_from_slice(&src[..n]);
                                    put(out, *conv, f, &b[..pr.bcnt.max(1)], addr);
                                } else {
                                    let mut v = src[..n].to_vec();
                                    v.resize(pr.bcnt, 0);
                                    put(out, *conv, f, &v, addr);
                                }
                            }
                        }
                        addr += pr.bcnt as u64;
                        bp += pr.bcnt;
                    }
                }
            }
        }
        ctx.out.maybe_flush()?;
    }
    // `%_A`: the offset after the input, unless there was none.
    let end = match eaddress {
        Some(e) => e,
        None if address == 0 => return Ok(()),
        None => address,
    };
    let Some(fu) = fss.iter().flat_map(|f| &f.fus).rev().find(|f| f.end) else {
        return Ok(());
    };
    let out = ctx.out.buf_mut();
    for pr in &fu.prs {
        match &pr.conv {
            Some((Conv::Addr { radix, .. }, f)) => {
                out.extend_from_slice(&pr.text);
                put_int(out, f, *radix, false, end);
            }
            None => out.extend_from_slice(&pr.text),
            _ => {}
        }
    }
    Ok(())
}
