//! The printf format engine and echo's backslash escapes: ONE implementation for the `printf`
//! and `echo` applets (GNU coreutils 9) and the shell's builtins of the same names (dash).
//!
//! The two dialects differ only where the programs do: GNU's printf knows `\xHH`, `\uHHHH`,
//! `%q`, words its errors `printf: 'x': expected a numeric value`, reads floating-point
//! arguments as x87 long doubles (the software [`x87`] type here); dash's printf words them `printf: x: expected numeric value`,
//! pads `%b`, and reads doubles. GNU's `echo -e` knows `\xHH` and `\NNN`; dash's echo only
//! `\0NNN`.

/// Which program's behaviour to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// GNU coreutils' printf and echo.
    Gnu,
    /// dash's builtins.
    Dash,
}

/// The byte (low eight bits) that up to three leading octal digits of `s` stand for, and how
/// many digits that took.
pub fn octal(s: &[u8]) -> (u8, usize) {
    let n = s
        .iter()
        .take(3)
        .take_while(|c| (b'0'..=b'7').contains(c))
        .count();
    let v = s[..n].iter().fold(0u32, |v, &c| v * 8 + (c - b'0') as u32);
    (v as u8, n)
}

pub(crate) fn hex_val(c: u8) -> Option<u32> {
    (c as char).to_digit(16)
}

/// The byte of one of C's seven letter escapes (`\a \b \f \n \r \t \v`): what every tool
/// that reads backslash escapes (printf, echo, tr, hexdump) agrees on.
pub fn c_letter_escape(c: u8) -> Option<u8> {
    Some(match c {
        b'a' => 7,
        b'b' => 8,
        b'f' => 12,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'v' => 11,
        _ => return None,
    })
}

/// The byte of a single-letter escape (`\n`, `\t`, ...), shared by every dialect.
fn simple_escape(c: u8) -> Option<u8> {
    match c {
        b'e' => Some(27),
        b'\\' => Some(b'\\'),
        _ => c_letter_escape(c),
    }
}

/// `echo`'s escapes (GNU `echo -e`, or dash's echo) appended to `out`; false when `\c` stops
/// all further output. GNU: `\xH[H]`, `\0[NNN]`, `\N[NN]`; dash: `\0[NNN]` only. An unknown
/// escape, or a backslash at the end, stays as written.
pub fn echo_escapes(s: &[u8], out: &mut Vec<u8>, d: Dialect) -> bool {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c != b'\\' || i + 1 >= s.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let e = s[i + 1];
        i += 2;
        if let Some(b) = simple_escape(e) {
            out.push(b);
            continue;
        }
        match e {
            b'c' => return false,
            b'0' => {
                let (v, n) = octal(&s[i..]);
                out.push(v);
                i += n;
            }
            b'1'..=b'7' if d == Dialect::Gnu => {
                let (v, n) = octal(&s[i - 1..]);
                out.push(v);
                i += n - 1;
            }
            b'x' if d == Dialect::Gnu && s.get(i).is_some_and(|&c| hex_val(c).is_some()) => {
                let mut v = hex_val(s[i]).unwrap_or(0);
                i += 1;
                if let Some(h) = s.get(i).and_then(|&c| hex_val(c)) {
                    v = v * 16 + h;
                    i += 1;
                }
                out.push(v as u8);
            }
            _ => {
                out.push(b'\\');
                out.push(e);
            }
        }
    }
    true
}

/// How a printf run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// Format used up (for every argument): the status so far (1 after a bad number).
    Done(i32),
    /// `\c`: no more output. GNU exits 0 there, dash keeps the status so far.
    Stop(i32),
    /// A fatal error was reported (bad conversion, bad escape): this status.
    Fatal(i32),
}

/// Run `printf FORMAT ARGS...`: output goes to `out` (`flush` is called with it after every
/// pass over the format, so a long run does not pile up), messages (without the `printf: `
/// prefix) to `diag`. `posix`: POSIXLY_CORRECT (GNU: no warning after a `'c` constant).
pub fn printf(
    d: Dialect,
    fmt: &[u8],
    args: &[&[u8]],
    posix: bool,
    out: &mut Vec<u8>,
    diag: &mut dyn FnMut(&[u8]),
    flush: &mut dyn FnMut(&mut Vec<u8>),
) -> End {
    let mut p = Engine {
        d,
        args,
        i: 0,
        status: 0,
        posix,
        diag,
        flush,
    };
    loop {
        let before = p.i;
        let r = p.pass(fmt, out);
        (p.flush)(out);
        match r {
            Ok(()) => {}
            Err(End::Stop(_)) => return End::Stop(if d == Dialect::Gnu { 0 } else { p.status }),
            Err(e) => return e,
        }
        if p.i >= args.len() || p.i == before {
            break;
        }
    }
    if p.i < args.len() && d == Dialect::Gnu {
        let m = [
            &b"warning: ignoring excess arguments, starting with "[..],
            &quote_locale(args[p.i]),
        ]
        .concat();
        (p.diag)(&m);
    }
    End::Done(p.status)
}

use super::quote::{quote_into, quote_locale, Style};

struct Engine<'a, 'd> {
    d: Dialect,
    args: &'a [&'a [u8]],
    i: usize,
    status: i32,
    posix: bool,
    diag: &'d mut dyn FnMut(&[u8]),
    flush: &'d mut dyn FnMut(&mut Vec<u8>),
}

/// A directive's flags, width and precision.
#[derive(Default, Clone, Copy)]
struct Spec {
    left: bool,
    zero: bool,
    plus: bool,
    space: bool,
    alt: bool,
    width: usize,
    prec: Option<usize>,
}

/// A width or precision is at most C's INT_MAX (more: GNU's printf(3) fails); padding and
/// the zeros of a precision are written out as they are made, so they take no memory.
const MAX_WIDTH: i64 = i32::MAX as i64;

/// Digits after the point that an x87 value can need (its exact expansion is at most 16445
/// fraction digits, 11530 significant ones): past them %e and %f only add zeros.
const EXACT_DIGITS: usize = 16500;

/// Output past this is handed to `flush` while padding is made.
const CHUNK: usize = 64 * 1024;

impl<'a> Engine<'a, '_> {
    fn next(&mut self) -> Option<&'a [u8]> {
        let r = self.args.get(self.i).copied();
        if r.is_some() {
            self.i += 1;
        }
        r
    }

    fn say(&mut self, parts: &[&[u8]]) {
        let m = parts.concat();
        (self.diag)(&m);
    }

    fn fatal(&mut self, parts: &[&[u8]]) -> End {
        self.say(parts);
        End::Fatal(if self.d == Dialect::Gnu { 1 } else { 2 })
    }

    /// One pass over the format.
    fn pass(&mut self, fmt: &[u8], out: &mut Vec<u8>) -> Result<(), End> {
        let mut i = 0;
        while i < fmt.len() {
            let c = fmt[i];
            if c == b'\\' {
                i += 1 + self.escape(&fmt[i..], out, false)?;
                continue;
            }
            if c != b'%' {
                let n = fmt[i..]
                    .iter()
                    .position(|&b| b == b'\\' || b == b'%')
                    .unwrap_or(fmt.len() - i);
                out.extend_from_slice(&fmt[i..i + n]);
                i += n;
                continue;
            }
            i = self.directive(fmt, i, out)?;
        }
        Ok(())
    }

    /// A backslash escape at the start of `s`; returns the bytes used after the backslash.
    /// `percent_b`: `%b`'s flavour (`\0NNN`).
    fn escape(&mut self, s: &[u8], out: &mut Vec<u8>, percent_b: bool) -> Result<usize, End> {
        let gnu = self.d == Dialect::Gnu;
        let Some(&e) = s.get(1) else {
            out.push(b'\\');
            return Ok(0);
        };
        if let Some(b) = simple_escape(e) {
            out.push(b);
            return Ok(1);
        }
        match e {
            b'c' => Err(End::Stop(self.status)),
            b'0'..=b'7' => {
                let skip = usize::from(percent_b && e == b'0');
                let (v, n) = octal(&s[1 + skip..]);
                out.push(v);
                Ok(skip + n)
            }
            b'"' if gnu => {
                out.push(b'"');
                Ok(1)
            }
            // BusyBox ash's and bash's printf take `\xHH` too; dash prints it as it is.
            b'x' if gnu || s.get(2).is_some_and(|&c| hex_val(c).is_some()) => {
                let n = s[2..]
                    .iter()
                    .take(2)
                    .take_while(|&&c| hex_val(c).is_some())
                    .count();
                if n == 0 {
                    return Err(self.fatal(&[b"missing hexadecimal number in escape"]));
                }
                let v = s[2..2 + n]
                    .iter()
                    .fold(0u32, |v, &c| v * 16 + hex_val(c).unwrap_or(0));
                out.push(v as u8);
                Ok(1 + n)
            }
            b'u' | b'U' if gnu => {
                let want = if e == b'u' { 4 } else { 8 };
                let h = &s[2..];
                if h.len() < want || !h[..want].iter().all(|&c| hex_val(c).is_some()) {
                    return Err(self.fatal(&[b"missing hexadecimal number in escape"]));
                }
                let v = h[..want]
                    .iter()
                    .fold(0u32, |v, &c| v * 16 + hex_val(c).unwrap_or(0));
                let name = format!("\\{}{:0w$X}", e as char, v, w = want);
                if (v <= 0x9f && v != 0x24 && v != 0x40 && v != 0x60)
                    || (0xd800..=0xdfff).contains(&v)
                {
                    let m = format!(
                        "invalid universal character name \\{}{:0w$x}",
                        e as char,
                        v,
                        w = want
                    );
                    return Err(self.fatal(&[m.as_bytes()]));
                }
                // The C locale has no such characters: GNU writes the escape itself.
                if v < 0x80 {
                    out.push(v as u8);
                } else {
                    out.extend_from_slice(name.as_bytes());
                }
                Ok(1 + want)
            }
            _ => {
                out.push(b'\\');
                out.push(e);
                Ok(1)
            }
        }
    }

    /// The directive at `fmt[start]` (a `%`); returns the index after it.
    fn directive(&mut self, fmt: &[u8], start: usize, out: &mut Vec<u8>) -> Result<usize, End> {
        let gnu = self.d == Dialect::Gnu;
        let mut i = start + 1;
        match fmt.get(i) {
            Some(b'%') => {
                out.push(b'%');
                return Ok(i + 1);
            }
            Some(b'b') if gnu => {
                if let Some(a) = self.next() {
                    self.percent_b(a, out)?;
                }
                return Ok(i + 1);
            }
            Some(b'q') if gnu => {
                if let Some(a) = self.next() {
                    quote_into(out, a, Style::ShellEscape);
                }
                return Ok(i + 1);
            }
            _ => {}
        }
        let mut s = Spec::default();
        let mut grouping = false;
        while let Some(&f) = fmt.get(i) {
            match f {
                b'-' => s.left = true,
                b'0' => s.zero = true,
                b'+' => s.plus = true,
                b' ' => s.space = true,
                b'#' => s.alt = true,
                b'\'' | b'I' if gnu => grouping = true,
                _ => break,
            }
            i += 1;
        }
        let mut have_prec = false;
        if fmt.get(i) == Some(&b'*') {
            i += 1;
            let w = self.star(true)?;
            if w < 0 {
                s.left = true;
            }
            s.width = w.unsigned_abs().min(MAX_WIDTH as u64) as usize;
        } else {
            s.width = digits(fmt, &mut i);
            if s.width > MAX_WIDTH as usize && gnu {
                // glibc's printf(3) fails (EOVERFLOW): GNU says only this.
                return Err(self.fatal(&[b"write error"]));
            }
        }
        if fmt.get(i) == Some(&b'.') {
            i += 1;
            have_prec = true;
            if fmt.get(i) == Some(&b'*') {
                i += 1;
                let p = self.star(false)?;
                s.prec = (p >= 0).then_some(p.min(MAX_WIDTH) as usize);
            } else {
                let p = digits(fmt, &mut i);
                if p > MAX_WIDTH as usize && gnu {
                    return Err(self.fatal(&[b"write error"]));
                }
                s.prec = Some(p);
            }
        }
        while matches!(fmt.get(i), Some(b'l' | b'L' | b'h' | b'j' | b't' | b'z')) {
            i += 1;
        }
        let conv = fmt.get(i).copied();
        let ok = if !gnu {
            conv.is_some_and(|c| b"diouxXcsbeEfFgGaA".contains(&c))
        } else {
            match conv {
                Some(b'd' | b'i' | b'u' | b'f' | b'F' | b'g' | b'G') => {
                    !(s.alt && matches!(conv, Some(b'd' | b'i' | b'u')))
                }
                Some(b'c') => !(grouping || s.alt || s.zero || have_prec),
                Some(b's') => !(grouping || s.alt || s.zero),
                Some(b'o' | b'x' | b'X' | b'a' | b'A' | b'e' | b'E') => !grouping,
                _ => false,
            }
        };
        if !ok {
            if gnu {
                let end = (i + 1).min(fmt.len());
                return Err(self.fatal(&[&fmt[start..end], b": invalid conversion specification"]));
            }
            return Err(match conv {
                None => self.fatal(&[b"missing format character"]),
                // The directive as written, flags and width too (dash: `%5.2k`, `%3$`).
                Some(_) => self.fatal(&[&fmt[start..=i], b": invalid directive"]),
            });
        }
        let conv = conv.unwrap_or(b's');
        i += 1;
        match conv {
            b's' => {
                let a = self.next().unwrap_or(b"");
                let a = match s.prec {
                    Some(p) if p < a.len() => &a[..p],
                    _ => a,
                };
                self.pad(out, a, 0, &[], &s, false);
            }
            b'b' => {
                let a = self.next().unwrap_or(b"");
                let mut tmp = Vec::new();
                let r = self.percent_b(a, &mut tmp);
                if let Some(p) = s.prec {
                    tmp.truncate(p);
                }
                self.pad(out, &tmp, 0, &[], &s, false);
                r?;
            }
            b'c' => {
                let a = self.next().unwrap_or(b"");
                self.pad(out, &[a.first().copied().unwrap_or(0)], 0, &[], &s, false);
            }
            b'd' | b'i' => {
                let v = self.int(true);
                let (head, zeros, digits) = fmt_int(v.0, v.1, conv, &s);
                self.pad(out, &head, zeros, &digits, &s, s.zero && s.prec.is_none());
            }
            b'o' | b'u' | b'x' | b'X' => {
                let v = self.int(false);
                let (head, zeros, digits) = fmt_int(v.0, v.1, conv, &s);
                self.pad(out, &head, zeros, &digits, &s, s.zero && s.prec.is_none());
            }
            _ if gnu => {
                let x = self.float_x();
                let finite = matches!(x, x87::X::Fin { .. });
                // Past the exact digits only zeros come: made at EXACT_DIGITS, the rest
                // streamed (%g drops them unless '#').
                let mut t = s;
                let mut zeros = 0;
                let hex = matches!(conv, b'a' | b'A');
                if let Some(p) = s.prec.filter(|&p| p > EXACT_DIGITS && finite && !hex) {
                    t.prec = Some(EXACT_DIGITS);
                    if !matches!(conv, b'g' | b'G') || s.alt {
                        zeros = p - EXACT_DIGITS;
                    }
                }
                let body = fmt_x(x, conv, &t);
                let at = match body.iter().position(|&c| c == b'e' || c == b'E') {
                    Some(k) if !hex => k,
                    _ => body.len(),
                };
                self.pad(out, &body[..at], zeros, &body[at..], &s, s.zero && finite);
            }
            _ => {
                let v = self.float();
                let body = fmt_float(v, conv, &s);
                self.pad(out, &body, 0, &[], &s, s.zero && v.is_finite());
            }
        }
        Ok(i)
    }

    /// `head`, `zeros` zeros and `tail`, padded to the width as [`pad`] does; long runs of
    /// fill are handed to `flush` as they are made.
    fn pad(
        &mut self,
        out: &mut Vec<u8>,
        head: &[u8],
        zeros: usize,
        tail: &[u8],
        s: &Spec,
        zero: bool,
    ) {
        let len = head.len() + zeros + tail.len();
        if len >= s.width && zeros == 0 {
            out.extend_from_slice(head);
            out.extend_from_slice(tail);
            return;
        }
        let fill = s.width.saturating_sub(len);
        if s.left {
            out.extend_from_slice(head);
            self.fill(out, b'0', zeros);
            out.extend_from_slice(tail);
            self.fill(out, b' ', fill);
        } else if zero {
            let mut k = usize::from(matches!(head.first(), Some(b'-' | b'+' | b' ')));
            if head[k..].starts_with(b"0x") || head[k..].starts_with(b"0X") {
                k += 2;
            }
            out.extend_from_slice(&head[..k]);
            self.fill(out, b'0', fill);
            out.extend_from_slice(&head[k..]);
            self.fill(out, b'0', zeros);
            out.extend_from_slice(tail);
        } else {
            self.fill(out, b' ', fill);
            out.extend_from_slice(head);
            self.fill(out, b'0', zeros);
            out.extend_from_slice(tail);
        }
    }

    fn fill(&mut self, out: &mut Vec<u8>, c: u8, mut n: usize) {
        while n > 0 {
            let k = n.min(CHUNK);
            out.extend(std::iter::repeat_n(c, k));
            n -= k;
            if out.len() >= CHUNK {
                (self.flush)(out);
            }
        }
    }

    fn percent_b(&mut self, a: &[u8], out: &mut Vec<u8>) -> Result<(), End> {
        let mut i = 0;
        while i < a.len() {
            if a[i] == b'\\' {
                i += 1 + self.escape(&a[i..], out, true)?;
            } else {
                out.push(a[i]);
                i += 1;
            }
        }
        Ok(())
    }

    /// A `*` width or precision from the arguments (0 when they ran out).
    fn star(&mut self, width: bool) -> Result<i64, End> {
        let Some(a) = self.args.get(self.i).copied() else {
            return Ok(0);
        };
        let (neg, mag) = self.int(true);
        let v = if neg { -(mag as i128) } else { mag as i128 };
        if self.d == Dialect::Gnu {
            let bad = if width {
                v < i32::MIN as i128 || v > i32::MAX as i128
            } else {
                v > i32::MAX as i128
            };
            if bad {
                let what: &[u8] = if width {
                    b"invalid field width: "
                } else {
                    b"invalid precision: "
                };
                return Err(self.fatal(&[what, &quote_locale(a)]));
            }
        }
        Ok(v.clamp(-MAX_WIDTH as i128, MAX_WIDTH as i128) as i64)
    }

    /// A `'c` character constant: its byte, and GNU's warning about what follows it.
    fn char_const(&mut self, a: &[u8]) -> Option<u8> {
        match a {
            [b'\'' | b'"', c, rest @ ..] => {
                if !rest.is_empty() && self.d == Dialect::Gnu && !self.posix {
                    self.say(&[
                        b"warning: ",
                        rest,
                        b": character(s) following character constant have been ignored",
                    ]);
                }
                Some(*c)
            }
            [b'\'' | b'"'] if self.d == Dialect::Dash => Some(0),
            _ => None,
        }
    }

    fn bad_number(&mut self, a: &[u8], why: Bad) {
        self.status = 1;
        let gnu = self.d == Dialect::Gnu;
        let q = if gnu { quote_locale(a) } else { a.to_vec() };
        let text: &[u8] = match (why, gnu) {
            (Bad::Range, _) => b": Numerical result out of range",
            (Bad::NotNumeric, true) => b": expected a numeric value",
            (Bad::NotNumeric, false) => b": expected numeric value",
            (Bad::Partial, true) => b": value not completely converted",
            (Bad::Partial, false) => b": expected numeric value",
        };
        self.say(&[&q, text]);
    }

    /// An integer argument as (negative, magnitude): strtoimax/strtoumax's reading (decimal,
    /// `0` octal, `0x` hex, blanks before), clamped to their range; `'c` is the byte.
    fn int(&mut self, signed: bool) -> (bool, u64) {
        let Some(a) = self.next() else {
            return (false, 0);
        };
        if let Some(c) = self.char_const(a) {
            return (false, c as u64);
        }
        let (neg, mag, end, overflow) = strtoint(a);
        let mut why = None;
        if end == 0 {
            if !a.is_empty() {
                why = Some(Bad::NotNumeric);
            }
        } else if end < a.len() {
            why = Some(Bad::Partial);
        }
        // The range of intmax_t / uintmax_t.
        let (neg, mag, range) = if signed {
            let lim = if neg { 1u128 << 63 } else { (1u128 << 63) - 1 };
            if overflow || mag > lim {
                (neg, lim as u64, true)
            } else {
                (neg, mag as u64, false)
            }
        } else if overflow || mag > u64::MAX as u128 {
            (false, u64::MAX, true)
        } else if neg {
            (false, (mag as u64).wrapping_neg(), false)
        } else {
            (false, mag as u64, false)
        };
        if range && why.is_none() {
            why = Some(Bad::Range);
        }
        if let Some(w) = why {
            self.bad_number(a, w);
        }
        (neg && mag != 0, mag)
    }

    /// A floating-point argument as GNU reads it: strtold into an x87 long double.
    fn float_x(&mut self) -> x87::X {
        let Some(a) = self.next() else {
            return x87::X::Fin {
                neg: false,
                m: 0,
                e: 0,
            };
        };
        if let Some(c) = self.char_const(a) {
            return x87::X::Fin {
                neg: false,
                m: c as u64,
                e: 0,
            };
        }
        let (v, end, range) = x87::parse(a);
        if end == 0 {
            if !a.is_empty() {
                self.bad_number(a, Bad::NotNumeric);
            }
        } else if end < a.len() {
            self.bad_number(a, Bad::Partial);
        } else if range {
            self.bad_number(a, Bad::Range);
        }
        v
    }

    fn float(&mut self) -> f64 {
        let Some(a) = self.next() else {
            return 0.0;
        };
        if let Some(c) = self.char_const(a) {
            return c as f64;
        }
        let (v, end, range) = super::num::strtod_range(a);
        if end == 0 {
            if !a.is_empty() {
                self.bad_number(a, Bad::NotNumeric);
            }
        } else if end < a.len() {
            self.bad_number(a, Bad::Partial);
        } else if range && self.d == Dialect::Gnu {
            self.bad_number(a, Bad::Range);
        }
        v
    }
}

#[derive(Clone, Copy)]
enum Bad {
    NotNumeric,
    Partial,
    Range,
}

/// Decimal digits at `fmt[*i..]` (a width or precision), bounded.
fn digits(fmt: &[u8], i: &mut usize) -> usize {
    let mut v: i64 = 0;
    while let Some(&c) = fmt.get(*i).filter(|c| c.is_ascii_digit()) {
        v = (v * 10 + (c - b'0') as i64).min(MAX_WIDTH + 1);
        *i += 1;
    }
    v as usize
}

pub(crate) fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 11 | 12 | b'\r')
}

/// strtoimax(s, &end, 0): (negative, magnitude, bytes used (0: no number), overflowed).
fn strtoint(s: &[u8]) -> (bool, u128, usize, bool) {
    let i = s.iter().take_while(|&&c| is_space(c)).count();
    let (neg, mut i) = crate::common::num::sign_at(s, i);
    let mut radix = 10;
    if s.get(i) == Some(&b'0') {
        if matches!(s.get(i + 1), Some(b'x' | b'X'))
            && s.get(i + 2).is_some_and(|&c| hex_val(c).is_some())
        {
            radix = 16;
            i += 2;
        } else {
            radix = 8;
        }
    }
    let start = i;
    let mut v: u128 = 0;
    let mut over = false;
    while let Some(d) = s.get(i).and_then(|&c| (c as char).to_digit(radix)) {
        v = v * radix as u128 + d as u128;
        if v > u64::MAX as u128 {
            over = true;
            v = u64::MAX as u128 + 1;
        }
        i += 1;
    }
    if i == start {
        return (false, 0, 0, false);
    }
    (neg, v, i, over)
}

/// `body` padded to `width`: on the right with `left`, else with zeros after the sign and any
/// 0x prefix with `zero`, else with spaces on the left (printf's and awk's conversions).
pub fn pad(out: &mut Vec<u8>, body: &[u8], width: usize, left: bool, zero: bool) {
    if body.len() >= width {
        out.extend_from_slice(body);
        return;
    }
    let fill = width - body.len();
    if left {
        out.extend_from_slice(body);
        out.extend(std::iter::repeat_n(b' ', fill));
    } else if zero {
        // Zeros go after the sign and the 0x prefix.
        let mut k = 0;
        if matches!(body.first(), Some(b'-' | b'+' | b' ')) {
            k = 1;
        }
        if body[k..].starts_with(b"0x") || body[k..].starts_with(b"0X") {
            k += 2;
        }
        out.extend_from_slice(&body[..k]);
        out.extend(std::iter::repeat_n(b'0', fill));
        out.extend_from_slice(&body[k..]);
    } else {
        out.extend(std::iter::repeat_n(b' ', fill));
        out.extend_from_slice(body);
    }
}

/// An integer conversion as (sign and prefix, zeros of the precision, digits): the zeros are
/// made by the caller, as they may be many.
fn fmt_int(neg: bool, mag: u64, conv: u8, s: &Spec) -> (Vec<u8>, usize, Vec<u8>) {
    let mut digits = match conv {
        b'o' => format!("{mag:o}"),
        b'x' => format!("{mag:x}"),
        b'X' => format!("{mag:X}"),
        _ => mag.to_string(),
    }
    .into_bytes();
    let mut zeros = 0;
    if let Some(p) = s.prec {
        if p == 0 && mag == 0 {
            digits.clear();
        }
        zeros = p.saturating_sub(digits.len());
    }
    let mut body = Vec::with_capacity(digits.len() + 3);
    if matches!(conv, b'd' | b'i') {
        if neg {
            body.push(b'-');
        } else if s.plus {
            body.push(b'+');
        } else if s.space {
            body.push(b' ');
        }
    }
    if s.alt {
        match conv {
            b'o' if zeros == 0 && digits.first() != Some(&b'0') => body.push(b'0'),
            b'x' if mag != 0 => body.extend_from_slice(b"0x"),
            b'X' if mag != 0 => body.extend_from_slice(b"0X"),
            _ => {}
        }
    }
    (body, zeros, digits)
}

/// Format an x87 value (GNU's printf).
fn fmt_x(x: x87::X, conv: u8, s: &Spec) -> Vec<u8> {
    let (neg, m, e) = match x {
        x87::X::Fin { neg, m, e } => (neg, m, e),
        x87::X::Inf(neg) => {
            let v = if neg {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
            return fmt_float(v, conv, s);
        }
        x87::X::Nan(neg) => {
            let v = if neg { -f64::NAN } else { f64::NAN };
            return fmt_float(v, conv, s);
        }
    };
    let body = if matches!(conv, b'a' | b'A') {
        hex_x(false, m, e, s.prec, s.alt)
    } else {
        x87::format(m, e, conv, s.prec, s.alt)
    };
    let mut t = String::new();
    if neg {
        t.push('-');
    } else if s.plus {
        t.push('+');
    } else if s.space {
        t.push(' ');
    }
    t.push_str(&body);
    if conv.is_ascii_uppercase() {
        t.make_ascii_uppercase();
    }
    t.into_bytes()
}

fn fmt_float(v: f64, conv: u8, s: &Spec) -> Vec<u8> {
    let upper = conv.is_ascii_uppercase();
    let p = s.prec.unwrap_or(6).min(1 << 12);
    let mut t = if !v.is_finite() {
        let t = if v.is_nan() { "nan" } else { "inf" };
        let t = if v.is_sign_negative() {
            format!("-{t}")
        } else {
            t.to_string()
        };
        if upper {
            t.to_ascii_uppercase()
        } else {
            t
        }
    } else {
        let r = match conv.to_ascii_lowercase() {
            b'f' => {
                let mut r = format!("{:.*}", p, v);
                if s.alt && p == 0 {
                    r.push('.');
                }
                r
            }
            b'e' => c_exp(v, p, s.alt),
            b'g' => {
                let p = p.max(1);
                let e_repr = c_exp(v, p - 1, s.alt);
                let x: i32 = e_repr
                    .rsplit('e')
                    .next()
                    .and_then(|x| x.parse().ok())
                    .unwrap_or(0);
                let r = if x < -4 || x >= p as i32 {
                    e_repr
                } else {
                    let mut r = format!("{:.*}", (p as i32 - 1 - x).max(0) as usize, v);
                    if s.alt && !r.contains('.') {
                        r.push('.');
                    }
                    r
                };
                if s.alt {
                    r
                } else {
                    strip_zeros(&r)
                }
            }
            _ => hex_float(v, s.prec, s.alt),
        };
        if upper {
            r.to_ascii_uppercase()
        } else {
            r
        }
    };
    if !t.starts_with('-') {
        if s.plus {
            t.insert(0, '+');
        } else if s.space {
            t.insert(0, ' ');
        }
    }
    t.into_bytes()
}

/// `%e`: C's form, at least two exponent digits.
fn c_exp(v: f64, p: usize, alt: bool) -> String {
    let s = format!("{:.*e}", p, v);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let dot = if alt && p == 0 { "." } else { "" };
    format!("{m}{dot}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

fn strip_zeros(s: &str) -> String {
    let (m, e) = match s.find('e') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let m = if m.contains('.') {
        m.trim_end_matches('0').trim_end_matches('.')
    } else {
        m
    };
    format!("{m}{e}")
}

/// `%a` as glibc prints an x87 long double (GNU printf's type): the 64-bit mantissa's top
/// nibble before the point (`0x8p-3` for 1, `0xcp-2` for 3), ties to even when a precision
/// rounds it.
fn hex_float(v: f64, prec: Option<usize>, alt: bool) -> String {
    let bits = v.to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    let (m, e) = if exp_bits == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, exp_bits - 1075)
    };
    hex_x(v.is_sign_negative(), m, e, prec, alt)
}

/// `%a` of `m * 2^e` in glibc's x87 form.
fn hex_x(negative: bool, mut m: u64, mut e: i32, prec: Option<usize>, alt: bool) -> String {
    let neg = if negative { "-" } else { "" };
    if m == 0 {
        let z = match prec {
            Some(p) if p > 0 => format!(".{}", "0".repeat(p)),
            _ if alt => ".".to_string(),
            _ => String::new(),
        };
        return format!("{neg}0x0{z}p+0");
    }
    // x87 denormals (the lowest exponent, top bit clear) are shown as they are: `0x0.0...3p-16385`.
    if !(e == -16445 && m >> 63 == 0) {
        let z = m.leading_zeros();
        m <<= z;
        e -= z as i32;
    }
    let mut lead = m >> 60;
    let mut rest = m & ((1u64 << 60) - 1);
    let mut exp = e + 60;
    let mut ndig = 15;
    if let Some(p) = prec.filter(|&p| p < 15) {
        let drop = 4 * (15 - p) as u32;
        let half = 1u64 << (drop - 1);
        let rem = rest & ((1u64 << drop) - 1);
        let mut q = rest >> drop;
        let odd = if p == 0 { lead & 1 == 1 } else { q & 1 == 1 };
        if rem > half || (rem == half && odd) {
            q += 1;
        }
        if q >> (4 * p as u32) != 0 {
            q = 0;
            lead += 1;
            if lead == 16 {
                lead = 1;
                exp += 4;
            }
        }
        rest = q << drop;
        ndig = p;
    }
    let hex = format!("{rest:015x}");
    let mut digits = hex[..ndig].to_string();
    if let Some(p) = prec {
        while digits.len() < p {
            digits.push('0');
        }
    } else {
        digits = digits.trim_end_matches('0').to_string();
    }
    let dot = if !digits.is_empty() || alt { "." } else { "" };
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{neg}0x{lead:x}{dot}{digits}p{sign}{}", exp.abs())
}

/// C's `%f %e %g %a` (and upper-case forms) of a double with a precision and the `#`, `+` and
/// space flags, without width: awk's printf, sprintf and number-to-string conversions.
pub fn c_double(v: f64, conv: u8, prec: usize, alt: bool, plus: bool, space: bool) -> Vec<u8> {
    let s = Spec {
        left: false,
        zero: false,
        plus,
        space,
        alt,
        width: 0,
        prec: Some(prec),
    };
    fmt_float(v, conv, &s)
}

use super::x87;
