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

/// C's `strtod` in the C locale: leading white space, a sign, then a decimal number with an
/// optional exponent, a hexadecimal one (`0x1.8p3`), `inf`/`infinity` or `nan[(chars)]` in any
/// case. Returns the value and how many bytes were used (0: no number).
pub fn strtod(s: &[u8]) -> (f64, usize) {
    let mut i = 0;
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        i += 1;
    }
    let neg = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let sign = |v: f64| if neg { -v } else { v };
    let rest = &s[i..];
    let starts = |w: &[u8]| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w);
    if starts(b"infinity") {
        return (sign(f64::INFINITY), i + 8);
    }
    if starts(b"inf") {
        return (sign(f64::INFINITY), i + 3);
    }
    if starts(b"nan") {
        let mut e = i + 3;
        if s.get(e) == Some(&b'(') {
            let mut k = e + 1;
            while k < s.len() && (s[k].is_ascii_alphanumeric() || s[k] == b'_') {
                k += 1;
            }
            if s.get(k) == Some(&b')') {
                e = k + 1;
            }
        }
        return (f64::NAN, e);
    }
    if (starts(b"0x")) && rest.len() > 2 {
        let (v, n) = hex_float(&rest[2..]);
        if n > 0 {
            return (sign(v), i + 2 + n);
        }
        // "0x" without hex digits: the 0 alone.
        return (sign(0.0), i + 1);
    }
    let st = i;
    let mut digits = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
        digits += 1;
    }
    if s.get(i) == Some(&b'.') {
        i += 1;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return (0.0, 0);
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        let mut k = i + 1;
        if matches!(s.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        if s.get(k).is_some_and(u8::is_ascii_digit) {
            while k < s.len() && s[k].is_ascii_digit() {
                k += 1;
            }
            i = k;
        }
    }
    let text = std::str::from_utf8(&s[st..i]).unwrap_or("0");
    // Rust's parser wants a digit before the exponent: "1.e3" reads as "1.0e3".
    let v = text.parse::<f64>().unwrap_or_else(|_| {
        let t = text.replace(".e", ".0e").replace(".E", ".0E");
        t.parse().unwrap_or(0.0)
    });
    (sign(v), i)
}

/// Hexadecimal digits, a point and a binary exponent after `0x`.
fn hex_float(s: &[u8]) -> (f64, usize) {
    let mut i = 0;
    let mut v = 0f64;
    let mut digits = 0;
    let mut scale = 0i32;
    let mut point = false;
    while i < s.len() {
        let c = s[i];
        if c == b'.' && !point {
            point = true;
        } else if let Some(d) = (c as char).to_digit(16) {
            v = v * 16.0 + d as f64;
            digits += 1;
            if point {
                scale -= 4;
            }
        } else {
            break;
        }
        i += 1;
    }
    if digits == 0 {
        return (0.0, 0);
    }
    if matches!(s.get(i), Some(b'p' | b'P')) {
        let mut k = i + 1;
        let mut neg = false;
        if matches!(s.get(k), Some(b'+' | b'-')) {
            neg = s[k] == b'-';
            k += 1;
        }
        if s.get(k).is_some_and(u8::is_ascii_digit) {
            let mut e = 0i32;
            while k < s.len() && s[k].is_ascii_digit() {
                e = e.saturating_mul(10).saturating_add((s[k] - b'0') as i32);
                k += 1;
            }
            scale = scale.saturating_add(if neg { -e } else { e });
            i = k;
        }
    }
    (v * 2f64.powi(scale), i)
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

/// gnulib's `xdectoumax` message for a count [`xstrtoumax`] refused: `WHAT: 'S'`, and the
/// reason for an overflow (`invalid number of lines: '1x'`, `...: Value too large for defined
/// data type`).
pub fn count_error(what: &str, s: &[u8], why: XErr) -> Vec<u8> {
    let mut m = what.as_bytes().to_vec();
    m.extend_from_slice(b": ");
    m.extend_from_slice(&super::quote::quote_locale(s));
    if why == XErr::Overflow {
        m.extend_from_slice(b": Value too large for defined data type");
    }
    m
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
