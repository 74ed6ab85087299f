//! Decimal text to binary floating point through the C library's `strtod`/`strtof` (musl's,
//! correctly rounded, the C locale's '.'): one converter for every applet. Rust's
//! `str::parse::<f64>` would link a second one (its Eisel-Lemire tables, 10 KB, and the big
//! decimal fallback) for the same results.

/// C's `strtod` over `text`: the value and how many bytes it used (0: no number). Bytes after
/// a NUL are never looked at.
pub fn strtod(text: &[u8]) -> (f64, usize) {
    let mut used = 0;
    let v = super::fd::with_cstr(until_nul(text), |c| {
        let mut end = std::ptr::null_mut();
        // SAFETY: c is a NUL-terminated string that outlives the call; strtod reads up to the
        // NUL and sets end to a position inside it.
        let v = unsafe { libc::strtod(c.as_ptr(), &mut end) };
        used = end as usize - c.as_ptr() as usize;
        Ok(v)
    });
    (v.unwrap_or(0.0), used)
}

/// C's `strtof`: `text` rounded once, straight to single precision.
pub fn strtof(text: &[u8]) -> (f32, usize) {
    let mut used = 0;
    let v = super::fd::with_cstr(until_nul(text), |c| {
        let mut end = std::ptr::null_mut();
        // SAFETY: as in strtod.
        let v = unsafe { libc::strtof(c.as_ptr(), &mut end) };
        used = end as usize - c.as_ptr() as usize;
        Ok(v)
    });
    (v.unwrap_or(0.0), used)
}

fn until_nul(text: &[u8]) -> &[u8] {
    match text.iter().position(|&c| c == 0) {
        Some(i) => &text[..i],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_as_rust_does() {
        for s in [
            "0.1",
            "1e23",
            "2.2250738585072011e-308",
            "4.9406564584124654e-324",
            "1.7976931348623157e308",
            "9007199254740993",
            "0.30000000000000004",
            "123456789012345678901234567890e-10",
        ] {
            assert_eq!(
                strtod(s.as_bytes()),
                (s.parse::<f64>().unwrap(), s.len()),
                "{s}"
            );
            assert_eq!(strtof(s.as_bytes()).0, s.parse::<f32>().unwrap(), "{s}");
        }
        assert_eq!(strtod(b"1.5e"), (1.5, 3));
        assert_eq!(strtod(b"x"), (0.0, 0));
        assert_eq!(strtod(b"2\x003"), (2.0, 1));
    }
}
