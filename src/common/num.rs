//! Integer formatting without `format!`: the hot output paths (ls -l columns, tar tvf lines,
//! the shell's `$((...))` and `$#`, the line editor's cursor moves) write digits straight into
//! a buffer.

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
}
