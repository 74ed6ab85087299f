//! Integer formatting without `format!`: the hot output paths (ls -l columns, tar tvf lines,
//! the shell's `$((...))` and `$#`, the line editor's cursor moves) write digits straight into
//! a buffer. Also C's `strtod` in the C locale and GNU's time intervals (`sleep`, `timeout`).

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
}
