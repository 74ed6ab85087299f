//! Integer formatting without `format!`: the hot output paths (ls -l columns, tar tvf lines,
//! the shell's `$((...))` and `$#`, the line editor's cursor moves) write digits straight into
//! a buffer. Also C's `strtod` in the C locale, GNU's time intervals (`sleep`, `timeout`) and
//! gnulib's `xstrtoumax` counts with multiplier suffixes (head, tail).

/// Decimal digits of `v`, right-aligned at the end of `buf` (which must hold at least 20 bytes);
/// returns the digits.
#[inline]
pub fn digits(buf: &mut [u8], mut v: u64) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    &buf[i..]
}

/// Like [`digits`] for a signed number (`buf` must hold at least 21 bytes).
#[inline]
pub fn signed_digits(buf: &mut [u8], n: i64) -> &[u8] {
    let len = buf.len();
    let d = digits(buf, n.unsigned_abs()).len();
    let mut start = len - d;
    if n < 0 {
        start -= 1;
        buf[start] = b'-';
    }
    &buf[start..]
}

/// Append the decimal digits of `v` to `out`.
#[inline]
pub fn push_u64(out: &mut Vec<u8>, v: u64) {
    let mut b = [0u8; 20];
    out.extend_from_slice(digits(&mut b, v));
}

/// [`strtod_range`] without the range: the value and how many bytes were used (0: no number).
pub fn strtod(s: &[u8]) -> (f64, usize) {
    let (v, n, _) = strtod_range(s);
    (v, n)
}

/// C's optional sign at `s[i]`: whether it is `-`, and where the number starts after it (the
/// callers skip their own white space first: strtod's and strtol's, or test's blanks).
pub fn sign_at(s: &[u8], i: usize) -> (bool, usize) {
    match s.get(i) {
        Some(b'-') => (true, i + 1),
        Some(b'+') => (false, i + 1),
        _ => (false, i),
    }
}

/// C's `strtod` in the C locale: leading white space, a sign, then a decimal number with an
/// optional exponent, a hexadecimal one (`0x1.8p3`, rounded as C rounds it), `inf`/`infinity`
/// or `nan[(chars)]` in any case. Returns the value, how many bytes were used (0: no number)
/// and whether it was out of range (ERANGE: too large, or a nonzero number that became 0).
pub fn strtod_range(s: &[u8]) -> (f64, usize, bool) {
    let i = s
        .iter()
        .take_while(|&&c| matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .count();
    let (neg, i) = sign_at(s, i);
    // Negation, not a product: -1 * NaN keeps the NaN's sign on x86.
    let sign = |v: f64| if neg { -v } else { v };
    let rest = &s[i..];
    let lower: Vec<u8> = rest.iter().take(8).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"infinity") {
        return (sign(f64::INFINITY), i + 8, false);
    }
    if lower.starts_with(b"inf") {
        return (sign(f64::INFINITY), i + 3, false);
    }
    if lower.starts_with(b"nan") {
        let mut j = i + 3;
        if s.get(j) == Some(&b'(') {
            if let Some(k) = s[j..].iter().position(|&c| c == b')') {
                if s[j + 1..j + k]
                    .iter()
                    .all(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    j += k + 1;
                }
            }
        }
        return (sign(f64::NAN), j, false);
    }
    if (lower.starts_with(b"0x"))
        && rest
            .get(2)
            .is_some_and(|&c| c.is_ascii_hexdigit() || c == b'.')
    {
        // Hexadecimal: mantissa bits then a binary exponent.
        let mut j = i + 2;
        let mut m: u64 = 0;
        let mut exp: i64 = 0;
        let mut any = false;
        let mut sticky = false;
        let mut dot = false;
        while let Some(&c) = s.get(j) {
            if c == b'.' && !dot {
                dot = true;
            } else if let Some(h) = (c as char).to_digit(16) {
                any = true;
                if m >> 56 == 0 {
                    m = m * 16 + h as u64;
                    if dot {
                        exp -= 4;
                    }
                } else {
                    sticky |= h != 0;
                    if !dot {
                        exp += 4;
                    }
                }
            } else {
                break;
            }
            j += 1;
        }
        if !any {
            return (0.0, i + 1, false);
        }
        if matches!(s.get(j), Some(b'p' | b'P')) {
            let (e, n) = exp_part(&s[j + 1..]);
            if n > 0 {
                exp = exp.saturating_add(e);
                j += 1 + n;
            }
        }
        let m = m | u64::from(sticky);
        let v = (m as f64) * 2f64.powi(exp.clamp(-2000, 2000) as i32);
        let range = v.is_infinite() || (v == 0.0 && m != 0);
        return (sign(v), j, range);
    }
    // Decimal.
    let mut j = i;
    let mut nd = 0;
    let mut nonzero = false;
    while s.get(j).is_some_and(u8::is_ascii_digit) {
        nonzero |= s[j] != b'0';
        j += 1;
        nd += 1;
    }
    if s.get(j) == Some(&b'.') {
        j += 1;
        while s.get(j).is_some_and(u8::is_ascii_digit) {
            nonzero |= s[j] != b'0';
            j += 1;
            nd += 1;
        }
    }
    if nd == 0 {
        return (0.0, 0, false);
    }
    if matches!(s.get(j), Some(b'e' | b'E')) {
        let (_, n) = exp_part(&s[j + 1..]);
        if n > 0 {
            j += 1 + n;
        }
    }
    let v = decimal(&s[i..j]);
    let range = v.is_infinite() || (v == 0.0 && nonzero);
    (sign(v), j, range)
}

/// A signed decimal exponent: (value, bytes used; 0 when there is none).
pub fn exp_part(s: &[u8]) -> (i64, usize) {
    let mut i = 0;
    let neg = match s.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let st = i;
    let mut v: i64 = 0;
    while let Some(&c) = s.get(i).filter(|c| c.is_ascii_digit()) {
        v = (v * 10 + (c - b'0') as i64).min(1 << 40);
        i += 1;
    }
    if i == st {
        return (0, 0);
    }
    (if neg { -v } else { v }, i)
}

/// The value of a decimal number already scanned (`12`, `-1.5e-3`, `.5`, `1.`), correctly
/// rounded: C's conversion, the only one linked, behind the exact fast path.
pub fn decimal(text: &[u8]) -> f64 {
    match exact_decimal(text) {
        Some(v) => v,
        None => super::sys::float::strtod(text).0,
    }
}

/// Clinger's fast path: a mantissa under 2^53 and a power of ten up to 22 are both exact
/// doubles, so one multiplication or division rounds once, as correct rounding wants. This
/// covers the numbers awk fields and `sort -g` keys usually hold, which musl's `strtod` takes
/// through its slow multi-word path as soon as they have a fraction (`sort -g` 2.3x the time).
fn exact_decimal(t: &[u8]) -> Option<f64> {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let (neg, mut i) = match t.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let mut m: u64 = 0;
    let mut digits = 0;
    let mut scale = 0i32;
    let mut point = false;
    while i < t.len() {
        match t[i] {
            c @ b'0'..=b'9' => {
                m = m * 10 + u64::from(c - b'0');
                if m > 1 << 53 {
                    return None;
                }
                digits += 1;
                scale -= i32::from(point);
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if i < t.len() {
        if !matches!(t[i], b'e' | b'E') {
            return None;
        }
        let (e, n) = exp10(&t[i + 1..])?;
        if i + 1 + n != t.len() {
            return None;
        }
        scale += e;
    }
    let v = m as f64;
    let v = match scale {
        0..=22 => v * POW10[scale as usize],
        -22..=-1 => v / POW10[-scale as usize],
        _ if m == 0 => 0.0,
        _ => return None,
    };
    Some(if neg { -v } else { v })
}

/// `[+-]digits` of an exponent, capped far beyond any double's range: (value, bytes used).
fn exp10(s: &[u8]) -> Option<(i32, usize)> {
    let (neg, mut i) = match s.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let st = i;
    let mut e = 0i32;
    while i < s.len() && s[i].is_ascii_digit() {
        e = (e * 10 + i32::from(s[i] - b'0')).min(100_000);
        i += 1;
    }
    if i == st {
        return None;
    }
    Some((if neg { -e } else { e }, i))
}

/// A whole string read as Rust's `str::parse::<f64>` reads it — an optional sign, then a
/// decimal number or `inf`/`infinity`/`nan` in any case, nothing before or after — through
/// the one C converter.
pub fn parse_f64(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let body = match b.first() {
        Some(b'+' | b'-') => &b[1..],
        _ => b,
    };
    // No white space, second sign, hexadecimal or `nan(...)`: strtod's additions.
    if !body
        .first()
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'.' | b'i' | b'I' | b'n' | b'N'))
        || body.iter().any(|&c| matches!(c, b'x' | b'X' | b'('))
    {
        return None;
    }
    match strtod(b) {
        (v, n) if n == b.len() => Some(v),
        _ => None,
    }
}

/// GNU's time interval (`sleep`, `timeout`): a non-negative `strtod` number with an optional
/// `s`, `m`, `h` or `d` suffix, in seconds. `None`: not a valid interval.
pub fn duration(s: &[u8]) -> Option<f64> {
    let (v, n) = strtod(s);
    if n == 0 || v.is_nan() || v < 0.0 {
        return None;
    }
    let mult = match &s[n..] {
        [] | [b's'] => 1.0,
        [b'm'] => 60.0,
        [b'h'] => 3600.0,
        [b'd'] => 86400.0,
        _ => return None,
    };
    Some(v * mult)
}

/// Why [`xstrtoumax`] refused a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XErr {
    /// Not a number, or a bad suffix (gnulib's LONGINT_INVALID and INVALID_SUFFIX_CHAR).
    Invalid,
    /// Too large for 64 bits (LONGINT_OVERFLOW): the value saturates.
    Overflow,
}

/// gnulib's `xstrtoumax` in base 10: leading blanks, no sign (`-` is invalid), decimal digits,
/// then at most one multiplier from `suffixes` (`b` 512, `k`/`K` 1024, `M`/`m`, `G`/`g`, `T`/`t`,
/// `P`, `E`, `Z`, `Y`, `R`, `Q` as powers, `c` 1, `w` 2, `B` 1024). With `0` in `suffixes`, a
/// power letter may be followed by `B` (`kB`: powers of 1000) or `iB` (`KiB`: 1024). A suffix
/// alone means 1 of it (`k` is 1024), as in gnulib. The head/tail/split/od family's counts.
pub fn xstrtoumax(s: &[u8], suffixes: &[u8]) -> std::result::Result<u64, (XErr, u64)> {
    let mut i = 0;
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r') {
        i += 1;
    }
    if s.get(i) == Some(&b'-') {
        return Err((XErr::Invalid, 0));
    }
    if s.get(i) == Some(&b'+') {
        i += 1;
    }
    let start = i;
    let mut v: u64 = 0;
    let mut over = false;
    while i < s.len() && s[i].is_ascii_digit() {
        match v
            .checked_mul(10)
            .and_then(|x| x.checked_add((s[i] - b'0') as u64))
        {
            Some(x) => v = x,
            None => {
                over = true;
                v = u64::MAX;
            }
        }
        i += 1;
    }
    if i == start {
        match s.get(i) {
            Some(c) if suffixes.contains(c) => v = 1,
            _ => return Err((XErr::Invalid, 0)),
        }
    }
    if i < s.len() {
        let c = s[i];
        if !suffixes.contains(&c) {
            return Err((XErr::Invalid, v));
        }
        let mut base: u64 = 1024;
        let mut extra = 0;
        if suffixes.contains(&b'0') {
            match (s.get(i + 1), s.get(i + 2)) {
                (Some(b'i'), Some(b'B')) => extra = 2,
                (Some(b'B' | b'D'), _) => {
                    base = 1000;
                    extra = 1;
                }
                _ => {}
            }
        }
        let power = match c {
            b'b' => return finish(v.checked_mul(512), over, &s[i + 1..]),
            b'B' => return finish(v.checked_mul(1024), over, &s[i + 1..]),
            b'c' => 0,
            b'w' => return finish(v.checked_mul(2), over, &s[i + 1..]),
            b'k' | b'K' => 1,
            b'M' | b'm' => 2,
            b'G' | b'g' => 3,
            b'T' | b't' => 4,
            b'P' => 5,
            b'E' => 6,
            b'Z' => 7,
            b'Y' => 8,
            b'R' => 9,
            b'Q' => 10,
            _ => return Err((XErr::Invalid, v)),
        };
        let mut r = Some(v);
        for _ in 0..power {
            r = r.and_then(|x| x.checked_mul(base));
        }
        return finish(r, over, &s[i + 1 + extra..]);
    }
    if over {
        Err((XErr::Overflow, u64::MAX))
    } else {
        Ok(v)
    }
}

/// The `-n`/`-c` count of head and tail: decimal with GNU's multiplier suffixes (`b`, `K`,
/// `KB`, `KiB` ... `Q`). `Err` is gnulib's xdectoumax message: `invalid number of lines: 'x'`,
/// with the reason for an overflow (`...: Value too large for defined data type`).
pub fn head_tail_count(lines: bool, s: &[u8]) -> std::result::Result<u64, Vec<u8>> {
    xstrtoumax(s, b"bkKmMGTPEZYRQ0").map_err(|(why, _)| {
        let mut m = if lines {
            b"invalid number of lines: ".to_vec()
        } else {
            b"invalid number of bytes: ".to_vec()
        };
        m.extend_from_slice(&super::quote::quote_locale(s));
        if why == XErr::Overflow {
            m.extend_from_slice(b": Value too large for defined data type");
        }
        m
    })
}

fn finish(r: Option<u64>, over: bool, rest: &[u8]) -> std::result::Result<u64, (XErr, u64)> {
    let v = r.unwrap_or(u64::MAX);
    if !rest.is_empty() {
        return Err((XErr::Invalid, v));
    }
    if over || r.is_none() {
        Err((XErr::Overflow, u64::MAX))
    } else {
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let mut b = [0u8; 24];
        assert_eq!(digits(&mut b, 0), b"0");
        assert_eq!(digits(&mut b, u64::MAX), b"18446744073709551615");
        assert_eq!(signed_digits(&mut b, i64::MIN), b"-9223372036854775808");
        assert_eq!(signed_digits(&mut b, -7), b"-7");
        let mut v = b"x".to_vec();
        push_u64(&mut v, 42);
        assert_eq!(v, b"x42");
    }

    #[test]
    fn decimal_rounds_as_rust() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..20_000 {
            let r = next();
            let int = r % 10u64.pow((r >> 60) as u32 % 18 + 1);
            let frac = (r >> 20) % 100_000;
            let e = (r >> 40) % 60;
            let s = match r >> 62 {
                0 => format!("{int}"),
                1 => format!("{int}.{frac}"),
                2 => format!("-{int}.{frac:05}e-{e}"),
                _ => format!(".{frac}E+{e}"),
            };
            let want: f64 = s.parse().unwrap();
            let got = decimal(s.as_bytes());
            assert_eq!(got.to_bits(), want.to_bits(), "{s}");
        }
        for s in [
            "9007199254740993",
            "1.",
            "-0",
            "0e999",
            "1e-400",
            "1e309",
            "123456789.0e-22",
        ] {
            assert_eq!(
                decimal(s.as_bytes()).to_bits(),
                s.parse::<f64>().unwrap().to_bits(),
                "{s}"
            );
        }
        assert_eq!(parse_f64("1.e3"), Some(1000.0));
        assert_eq!(parse_f64("-Inf"), Some(f64::NEG_INFINITY));
        for bad in ["", " 1", "1 ", "0x10", "1e", "+-1", ".", "nan(1)", "e5"] {
            assert_eq!(parse_f64(bad), None, "{bad}");
        }
    }

    #[test]
    fn strtod_as_c() {
        assert_eq!(strtod(b" 1.5x"), (1.5, 4));
        assert_eq!(strtod(b"-2e3"), (-2000.0, 4));
        assert_eq!(strtod(b"1e"), (1.0, 1));
        assert_eq!(strtod(b"1.e2"), (100.0, 4));
        assert_eq!(strtod(b".5"), (0.5, 2));
        assert_eq!(strtod(b"0x1p-3"), (0.125, 6));
        assert_eq!(strtod(b"0x1.8"), (1.5, 5));
        assert_eq!(strtod(b"0xg"), (0.0, 1));
        assert_eq!(strtod(b"INFINITY"), (f64::INFINITY, 8));
        assert_eq!(strtod(b"infx").1, 3);
        assert!(strtod(b"nan(12)").0.is_nan());
        assert_eq!(strtod(b"x"), (0.0, 0));
        assert_eq!(strtod(b"."), (0.0, 0));
        assert_eq!(strtod(b"-"), (0.0, 0));
    }

    #[test]
    fn durations() {
        assert_eq!(duration(b"1.5m"), Some(90.0));
        assert_eq!(duration(b"2d"), Some(172800.0));
        assert_eq!(duration(b"0x10"), Some(16.0));
        assert_eq!(duration(b"inf"), Some(f64::INFINITY));
        assert_eq!(duration(b"1ss"), None);
        assert_eq!(duration(b"-1"), None);
        assert_eq!(duration(b"nan"), None);
        assert_eq!(duration(b""), None);
        assert_eq!(duration(b"1x"), None);
    }

    #[test]
    fn xstrtoumax_as_gnulib() {
        let sx = b"bkKmMGTPEZYRQ0";
        assert_eq!(xstrtoumax(b"10", sx), Ok(10));
        assert_eq!(xstrtoumax(b"1k", sx), Ok(1024));
        assert_eq!(xstrtoumax(b"1kB", sx), Ok(1000));
        assert_eq!(xstrtoumax(b"2KiB", sx), Ok(2048));
        assert_eq!(xstrtoumax(b"3b", sx), Ok(1536));
        assert_eq!(xstrtoumax(b"k", sx), Ok(1024));
        assert_eq!(xstrtoumax(b"1x", sx).unwrap_err().0, XErr::Invalid);
        assert_eq!(xstrtoumax(b"-1", sx).unwrap_err().0, XErr::Invalid);
        assert_eq!(
            xstrtoumax(b"99999999999999999999", sx).unwrap_err().0,
            XErr::Overflow
        );
        assert_eq!(
            xstrtoumax(b"99999999999999999999x", sx).unwrap_err().0,
            XErr::Invalid
        );
        assert_eq!(xstrtoumax(b"1Q", sx).unwrap_err().0, XErr::Overflow);
    }
}
