//! `seq`: print a sequence of numbers.
//!
//! Follows GNU seq 9: `seq [-w] [-s SEP] [-f FORMAT] [FIRST [INCR]] LAST`; a word such as `-1`
//! or `-.5` ends the options (negative numbers); the output precision and width come from the
//! operands as GNU derives them (`seq 1 0.5 3` prints `1.0 1.5 ...`, `seq 1e6` integers);
//! non-negative integer runs with a step up to 200 are counted in decimal text, so they are
//! exact at any size (`seq 99999999999999999999 100000000000000000001`) and fast; the one
//! extra number GNU prints when rounding lands on LAST; GNU's messages and status 1.
//!
//! Deviation: fractional sequences are computed in `double`, GNU uses `long double` (the
//! printed values agree except in the last digits of very long formats). `-f` formats go
//! through the shared printf engine (x87 rounding, as GNU).

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::{help_text, Help};
use crate::common::num::strtod;
use crate::common::printf::{self, Dialect};
use crate::common::quote::quote_locale;
use crate::common::sys::copy::put_u64;
use crate::common::{Ctx, Error, Result};

const USAGE: Help = help_text!(
    "\
Usage: seq [OPTION]... LAST
  or:  seq [OPTION]... FIRST LAST
  or:  seq [OPTION]... FIRST INCREMENT LAST
Print numbers from FIRST to LAST, in steps of INCREMENT.

Mandatory arguments to long options are mandatory for short options too.
  -f, --format=FORMAT      use printf style floating-point FORMAT
  -s, --separator=STRING   use STRING to separate numbers (default: \\n)
  -w, --equal-width        equalize width by padding with leading zeroes
      --help        display this help and exit
      --version     output version information and exit

If FIRST or INCREMENT is omitted, it defaults to 1.  That is, an
omitted INCREMENT defaults to 1 even when LAST is smaller than FIRST.
The sequence of numbers ends when the sum of the current number and
INCREMENT would become greater than LAST.
FIRST, INCREMENT, and LAST are interpreted as floating point values.
INCREMENT is usually positive if FIRST is smaller than LAST, and
INCREMENT is usually negative if FIRST is greater than LAST.
INCREMENT must not be 0; none of FIRST, INCREMENT and LAST may be NaN.
FORMAT must be suitable for printing one argument of type 'double';
it defaults to %.PRECf if FIRST, INCREMENT, and LAST are all fixed point
decimal numbers with maximum precision PREC, and to %g otherwise.
"
);

static SPEC: Spec = Spec::new(
    &[
        Opt::arg("format", Some(b'f'), Some("format")),
        Opt::arg("separator", Some(b's'), Some("separator")),
        Opt::flag("equal-width", Some(b'w'), Some("equal-width")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    USAGE,
)
.require_order()
.about("");

/// An operand: its value, and the width and precision GNU's scan_arg gives it (`None`: not
/// fixed-point, e.g. hexadecimal).
#[derive(Clone, Copy)]
struct Operand {
    value: f64,
    width: usize,
    prec: Option<usize>,
}

fn usage_error(ctx: &mut Ctx, msg: &[u8]) -> Error {
    ctx.msg(msg);
    ctx.try_help();
    Error::silent(1)
}

fn scan_arg(ctx: &mut Ctx, arg: &[u8]) -> Result<Operand> {
    let (value, used) = strtod(arg);
    if used == 0 || used != arg.len() {
        let mut m = b"invalid floating point argument: ".to_vec();
        m.extend_from_slice(&quote_locale(arg));
        return Err(usage_error(ctx, &m));
    }
    if value.is_nan() {
        let mut m = b"invalid 'not-a-number' argument: ".to_vec();
        m.extend_from_slice(&quote_locale(arg));
        return Err(usage_error(ctx, &m));
    }
    let a = {
        let n = arg
            .iter()
            .take_while(|&&c| c == b'+' || c.is_ascii_whitespace())
            .count();
        &arg[n..]
    };
    let dot = a.iter().position(|&c| c == b'.');
    let mut prec: i64 = if dot.is_none() && !a.contains(&b'p') {
        0
    } else {
        i64::MAX
    };
    let mut width: i64 = 0;
    if !a.iter().any(|&c| c == b'x' || c == b'X') && value.is_finite() {
        let mut fraction_len = 0i64;
        width = a.len() as i64;
        if let Some(d) = dot {
            let frac = &a[d + 1..];
            fraction_len = frac.iter().take_while(|&&c| c != b'e' && c != b'E').count() as i64;
            prec = fraction_len;
            width += if fraction_len == 0 {
                -1
            } else {
                (d == 0 || !a[d - 1].is_ascii_digit()) as i64
            };
        }
        if let Some(e) = a.iter().position(|&c| c == b'e' || c == b'E') {
            let exp_txt = &a[e + 1..];
            let (ev, _) = strtod(exp_txt);
            let mut exponent = ev as i64;
            let prec_before = prec;
            prec += if exponent < 0 {
                -exponent
            } else {
                -prec.min(exponent)
            };
            width -= (a.len() - e) as i64;
            if exponent < 0 {
                if let Some(d) = dot {
                    if e == d + 1 {
                        width += 1;
                    }
                } else {
                    width += 1;
                }
                exponent = -exponent;
            } else {
                if dot.is_some() && prec == 0 && fraction_len > 0 {
                    width -= 1;
                }
                exponent -= prec_before.min(exponent);
            }
            width += exponent;
        }
    }
    Ok(Operand {
        value,
        width: width.max(0) as usize,
        prec: (prec != i64::MAX && prec >= 0).then_some(prec as usize),
    })
}

/// The user's -f FORMAT, checked as GNU's long_double_format: its text around the one
/// directive, and the directive as the printf engine takes it (without `L`).
struct UserFormat {
    engine_fmt: Vec<u8>,
    prefix_len: usize,
    suffix_len: usize,
}

fn check_format(ctx: &mut Ctx, fmt: &[u8]) -> Result<UserFormat> {
    let at = |i: usize| fmt.get(i).copied().unwrap_or(0);
    let fail = |ctx: &mut Ctx, what: &str, c: Option<u8>| {
        let mut m = b"format ".to_vec();
        m.extend_from_slice(&quote_locale(fmt));
        m.push(b' ');
        m.extend_from_slice(what.as_bytes());
        if let Some(c) = c {
            m.push(c);
            m.extend_from_slice(b" directive");
        }
        ctx.msg(&m);
        Error::silent(1)
    };
    // The fixed text's lengths as printed (`%%` is one byte).
    let mut i = 0;
    let mut prefix_len = 0;
    while !(at(i) == b'%' && at(i + 1) != b'%') {
        if i >= fmt.len() {
            return Err(fail(ctx, "has no % directive", None));
        }
        i += (at(i) == b'%') as usize + 1;
        prefix_len += 1;
    }
    i += 1;
    let flags = i;
    while b"-+#0 '".contains(&at(i)) && at(i) != 0 {
        i += 1;
    }
    let flags_end = i;
    while at(i).is_ascii_digit() {
        i += 1;
    }
    if at(i) == b'.' {
        i += 1;
        while at(i).is_ascii_digit() {
            i += 1;
        }
    }
    let lmod = i;
    let has_l = at(i) == b'L';
    i += has_l as usize;
    if i >= fmt.len() {
        return Err(fail(ctx, "ends in %", None));
    }
    if !b"efgaEFGA".contains(&at(i)) {
        return Err(fail(ctx, "has unknown %", Some(at(i))));
    }
    i += 1;
    let mut suffix_len = 0;
    loop {
        if at(i) == b'%' && at(i + 1) != b'%' {
            return Err(fail(ctx, "has too many % directives", None));
        }
        if i >= fmt.len() {
            break;
        }
        i += (at(i) == b'%') as usize + 1;
        suffix_len += 1;
    }
    // printf(3) takes backslashes literally; the engine would read escapes: double them.
    let mut engine_fmt = Vec::with_capacity(fmt.len() + 4);
    for (k, &c) in fmt.iter().enumerate() {
        // `'` groups nothing in the C locale; printf(1)'s rules, which the engine keeps,
        // refuse it with %e and %a where printf(3) takes it.
        if has_l && k == lmod || c == b'\'' && (flags..flags_end).contains(&k) {
            continue;
        }
        if c == b'\\' {
            engine_fmt.push(b'\\');
        }
        engine_fmt.push(c);
    }
    Ok(UserFormat {
        engine_fmt,
        prefix_len,
        suffix_len,
    })
}

enum Fmt {
    /// `%.Pf`, or `%0W.Pf` with -w.
    Fixed {
        prec: usize,
        width: usize,
    },
    /// `%g`.
    G,
    User(UserFormat),
}

impl Fmt {
    fn write(&self, x: f64, out: &mut Vec<u8>) {
        match self {
            Fmt::Fixed { prec, width } => {
                let s = format!("{:.*}", *prec, x);
                let s = s.as_bytes();
                if s.len() < *width {
                    let (sign, digits) = if s[0] == b'-' {
                        (&s[..1], &s[1..])
                    } else {
                        (&s[..0], s)
                    };
                    out.extend_from_slice(sign);
                    out.resize(out.len() + (*width - s.len()), b'0');
                    out.extend_from_slice(digits);
                } else {
                    out.extend_from_slice(s);
                }
            }
            Fmt::G => {
                let t = number_text(x);
                let _ = printf::printf(
                    Dialect::Gnu,
                    b"%Lg",
                    &[&t],
                    false,
                    out,
                    &mut |_| {},
                    &mut |_| {},
                );
            }
            Fmt::User(u) => {
                let t = number_text(x);
                let _ = printf::printf(
                    Dialect::Gnu,
                    &u.engine_fmt,
                    &[&t],
                    false,
                    out,
                    &mut |_| {},
                    &mut |_| {},
                );
            }
        }
    }

    /// The number part of a formatted value (GNU strips the format's fixed text).
    fn number<'a>(&self, s: &'a [u8]) -> &'a [u8] {
        match self {
            Fmt::User(u) => {
                let end = s.len().saturating_sub(u.suffix_len);
                &s[u.prefix_len.min(end)..end]
            }
            _ => s,
        }
    }
}

/// A double as text that reads back as the same value.
fn number_text(x: f64) -> Vec<u8> {
    if x.is_infinite() {
        return if x < 0.0 {
            b"-inf".to_vec()
        } else {
            b"inf".to_vec()
        };
    }
    format!("{x:e}").into_bytes()
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

/// Where the options end: GNU seq stops at a word that looks like a negative number.
fn options_end(argv: &[OsString]) -> usize {
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_bytes();
        if a == b"--" || a.len() < 2 || a[0] != b'-' {
            return argv.len();
        }
        if a[1] == b'.' || a[1].is_ascii_digit() {
            return i;
        }
        if a.starts_with(b"--") {
            let has_eq = a.contains(&b'=');
            let name = &a[2..];
            if !has_eq
                && !name.is_empty()
                && (b"format".starts_with(name) || b"separator".starts_with(name))
            {
                i += 1;
            }
        } else {
            for (k, &c) in a[1..].iter().enumerate() {
                if c == b'f' || c == b's' {
                    if k + 2 == a.len() {
                        i += 1;
                    }
                    break;
                }
            }
        }
        i += 1;
    }
    argv.len()
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let split = options_end(&argv);
    let Some(m) = args::get(ctx, &argv[..split], &SPEC)? else {
        return Ok(());
    };
    if m.flag("version") {
        ctx.out
            .write_all(concat!("seq (rbox) ", env!("CARGO_PKG_VERSION"), "\n").as_bytes())?;
        return Ok(());
    }
    let mut ops: Vec<Vec<u8>> = m.operands.iter().map(|o| o.as_bytes().to_vec()).collect();
    ops.extend(argv[split..].iter().map(|o| o.as_bytes().to_vec()));
    let sep: Vec<u8> = m
        .last("separator")
        .map_or(b"\n".to_vec(), |s| s.as_bytes().to_vec());
    let equal_width = m.flag("equal-width");
    let user_fmt = m.last("format").map(|f| f.as_bytes().to_vec());
    if ops.is_empty() {
        return Err(usage_error(ctx, b"missing operand"));
    }
    if ops.len() > 3 {
        return Err(usage_error(ctx, &args::extra_operand_msg(&ops[3])));
    }
    let user = match &user_fmt {
        Some(f) => Some(check_format(ctx, f)?),
        None => None,
    };
    if user.is_some() && equal_width {
        return Err(usage_error(
            ctx,
            b"format string may not be specified when printing equal width strings",
        ));
    }
    let all_digits = |s: &[u8]| !s.is_empty() && s.iter().all(|c| c.is_ascii_digit());
    let one = Operand {
        value: 1.0,
        width: 1,
        prec: Some(0),
    };
    let (first, step, last) = match ops.len() {
        1 => (one, one, scan_arg(ctx, &ops[0])?),
        2 => (scan_arg(ctx, &ops[0])?, one, scan_arg(ctx, &ops[1])?),
        _ => {
            let f = scan_arg(ctx, &ops[0])?;
            let s = scan_arg(ctx, &ops[1])?;
            if s.value == 0.0 {
                let mut msg = b"invalid Zero increment value: ".to_vec();
                msg.extend_from_slice(&quote_locale(&ops[1]));
                return Err(usage_error(ctx, &msg));
            }
            (f, s, scan_arg(ctx, &ops[2])?)
        }
    };
    let plain = user.is_none() && !equal_width;
    // The exact decimal path (GNU's seq_fast).
    let step_ok = step.value > 0.0 && step.value <= 200.0 && step.value.fract() == 0.0;
    if plain && step_ok {
        let textual = ops.iter().enumerate().all(|(i, o)| {
            if ops.len() == 3 && i == 1 {
                true
            } else {
                all_digits(o)
            }
        }) && (ops.len() < 3 || all_digits(&ops[1]));
        let (a, b): (Vec<u8>, Option<Vec<u8>>) = if textual {
            let a = if ops.len() == 1 {
                b"1".to_vec()
            } else {
                ops[0].clone()
            };
            (a, Some(ops[ops.len() - 1].clone()))
        } else if first.prec == Some(0)
            && step.prec == Some(0)
            && last.prec == Some(0)
            && first.value.is_finite()
            && first.value >= 0.0
            && last.value >= 0.0
            && !(first.value == 0.0 && first.value.is_sign_negative())
            && !(last.value == 0.0 && last.value.is_sign_negative())
        {
            let b = last
                .value
                .is_finite()
                .then(|| format!("{:.0}", last.value).into_bytes());
            (format!("{:.0}", first.value).into_bytes(), b)
        } else {
            (Vec::new(), None)
        };
        if !a.is_empty() {
            return fast(ctx, &a, b.as_deref(), step.value as u32, &sep);
        }
    }
    let fmt = if let Some(u) = user {
        Fmt::User(u)
    } else {
        let prec = match (first.prec, step.prec) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
        match (prec, last.prec) {
            (Some(p), Some(lp)) => {
                if equal_width {
                    let fp = first.prec.unwrap_or(0);
                    let mut first_width = first.width + (p - fp);
                    let mut last_width = (last.width + p).saturating_sub(lp);
                    if lp > 0 && p == 0 {
                        last_width = last_width.saturating_sub(1);
                    }
                    if lp == 0 && p > 0 {
                        last_width += 1;
                    }
                    if fp == 0 && p > 0 {
                        first_width += 1;
                    }
                    Fmt::Fixed {
                        prec: p,
                        width: first_width.max(last_width),
                    }
                } else {
                    Fmt::Fixed { prec: p, width: 0 }
                }
            }
            _ => Fmt::G,
        }
    };
    numbers(ctx, &fmt, first.value, step.value, last.value, &sep)
}

/// GNU's print_numbers.
fn numbers(ctx: &mut Ctx, fmt: &Fmt, first: f64, step: f64, last: f64, sep: &[u8]) -> Result<()> {
    let past = |x: f64| if step < 0.0 { x < last } else { last < x };
    if past(first) {
        return Ok(());
    }
    let mut x = first;
    let mut i: f64 = 1.0;
    let mut cur = Vec::new();
    let mut next = Vec::new();
    fmt.write(x, &mut cur);
    loop {
        ctx.out.write_all(&cur)?;
        let x0 = x;
        let _ = x0;
        x = first + i * step;
        i += 1.0;
        next.clear();
        fmt.write(x, &mut next);
        if past(x) {
            // Print one more when it reads back as LAST and differs from the one before.
            let (v, n) = strtod(fmt.number(&next));
            let body = fmt.number(&next);
            let extra = n == body.len() && n > 0 && v == last && fmt.number(&cur) != body;
            if !extra {
                break;
            }
            ctx.out.write_all(sep)?;
            ctx.out.write_all(&next)?;
            break;
        }
        ctx.out.write_all(sep)?;
        std::mem::swap(&mut cur, &mut next);
        ctx.out.maybe_flush()?;
    }
    ctx.out.write_all(b"\n")?;
    Ok(())
}

/// Count in decimal text from `a` to `b` (None: without end) by `step` (1..=200).
///
/// With step 1 and a one-byte separator, the numbers up to the next multiple of ten share all
/// but their last digit: such a run is written as one 16-byte value (separator and digits)
/// stored over and over, its last digit incremented in place (GNU's seq_fast is 1.3x faster
/// than a copy per number at opt-level z).
fn fast(ctx: &mut Ctx, a: &[u8], b: Option<&[u8]>, step: u32, sep: &[u8]) -> Result<()> {
    const BLK: usize = crate::common::io::BUF_SIZE;
    let trim = |s: &[u8]| -> Vec<u8> {
        let n = s.iter().take_while(|&&c| c == b'0').count();
        if n == s.len() {
            b"0".to_vec()
        } else {
            s[n..].to_vec()
        }
    };
    let mut cur = trim(a);
    let end = b.map(trim);
    let le = |x: &[u8], y: &[u8]| x.len() < y.len() || (x.len() == y.len() && x <= y);
    if let Some(e) = &end {
        if !le(&cur, e) {
            return Ok(());
        }
    }
    let single_sep = sep.len() == 1;
    let s0 = sep.first().copied().unwrap_or(0);
    let mut blk = vec![0u8; BLK + 256];
    let mut bi = 0usize;
    let mut first = true;
    loop {
        let n = cur.len();
        if step == 1 && single_sep && n < 16 && !first {
            // A run to the next ...9 (or to LAST): separator + number in one u128, the last
            // digit at byte n.
            let d0 = cur[n - 1];
            let mut cnt = (b'9' - d0) as usize + 1;
            if let Some(e) = &end {
                if e.len() == n && e[..n - 1] == cur[..n - 1] {
                    cnt = cnt.min((e[n - 1] - d0) as usize + 1);
                }
            }
            let mut v = s0 as u128;
            for (k, &c) in cur.iter().enumerate() {
                v |= (c as u128) << (8 * (k + 1));
            }
            let inc = 1u128 << (8 * n);
            for _ in 0..cnt {
                put_u64(&mut blk, bi, v as u64);
                put_u64(&mut blk, bi + 8, (v >> 64) as u64);
                bi += n + 1;
                v += inc;
            }
            cur[n - 1] = d0 + (cnt - 1) as u8;
        } else {
            if bi > 0 {
                ctx.out.write_all(&blk[..bi])?;
                bi = 0;
            }
            let buf = ctx.out.buf_mut();
            if !first {
                buf.extend_from_slice(sep);
            }
            crate::common::io::append(buf, &cur);
            ctx.out.maybe_flush()?;
        }
        if bi >= BLK {
            ctx.out.write_all(&blk[..bi])?;
            bi = 0;
        }
        first = false;
        // cur += step, in decimal (the common case: the last digit moves by one).
        let last = cur.len() - 1;
        if step == 1 && cur[last] < b'9' {
            cur[last] += 1;
            if let Some(e) = &end {
                if cur.len() == e.len() && cur.as_slice() > e.as_slice() {
                    break;
                }
            }
            continue;
        }
        let mut carry = step;
        let mut k = cur.len();
        while carry > 0 {
            if k == 0 {
                let mut d = Vec::new();
                while carry > 0 {
                    d.push(b'0' + (carry % 10) as u8);
                    carry /= 10;
                }
                d.reverse();
                cur.splice(0..0, d);
                break;
            }
            k -= 1;
            let v = (cur[k] - b'0') as u32 + carry;
            cur[k] = b'0' + (v % 10) as u8;
            carry = v / 10;
        }
        if let Some(e) = &end {
            if !le(&cur, e) {
                break;
            }
        }
    }
    if bi > 0 {
        ctx.out.write_all(&blk[..bi])?;
    }
    ctx.out.write_all(b"\n")?;
    Ok(())
}
