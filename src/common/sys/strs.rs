//! Two short `&'static str`s and two bytes in 24 bytes, for tables of many small entries.
//!
//! A `&str` is a pointer and a length of 8 bytes each, so an entry holding two of them and a
//! byte or two takes 40 bytes. The option tables ([`crate::common::args::Opt`], 1,100 entries)
//! were 46 KB of relocated data that way; with the lengths in a byte each they are 24 bytes
//! per entry, the pointers still aligned (the relocation packing needs that).

use std::marker::PhantomData;

#[derive(Clone, Copy)]
pub struct StrPair {
    a: *const u8,
    b: *const u8,
    a_len: u8,
    b_len: u8,
    /// Two bytes the owner of the pair uses as it likes.
    pub x: u8,
    pub y: u8,
    _static: PhantomData<&'static str>,
}

// SAFETY: the pointers only ever point into `&'static str`s, which are immutable and shared
// freely between threads.
unsafe impl Sync for StrPair {}
// SAFETY: as above.
unsafe impl Send for StrPair {}

impl StrPair {
    /// Fails to compile (in a `static`) when a string is 256 bytes or longer.
    pub const fn new(a: &'static str, b: &'static str, x: u8, y: u8) -> StrPair {
        assert!(
            a.len() < 256 && b.len() < 256,
            "StrPair holds strings under 256 bytes"
        );
        StrPair {
            a: a.as_ptr(),
            b: b.as_ptr(),
            a_len: a.len() as u8,
            b_len: b.len() as u8,
            x,
            y,
            _static: PhantomData,
        }
    }

    pub fn a(&self) -> &'static str {
        // SAFETY: `a` and `a_len` were taken from a `&'static str` in `new`.
        unsafe {
            std::str::from_utf8_unchecked(std::slice::from_raw_parts(self.a, self.a_len as usize))
        }
    }

    pub fn b(&self) -> &'static str {
        // SAFETY: `b` and `b_len` were taken from a `&'static str` in `new`.
        unsafe {
            std::str::from_utf8_unchecked(std::slice::from_raw_parts(self.b, self.b_len as usize))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_strings_and_bytes_come_back() {
        static P: StrPair = StrPair::new("extract", "get", b'x', 2);
        assert_eq!((P.a(), P.b(), P.x, P.y), ("extract", "get", b'x', 2));
        assert_eq!(StrPair::new("", "", 0, 0).b(), "");
        assert_eq!(std::mem::size_of::<StrPair>(), 24);
    }
}
