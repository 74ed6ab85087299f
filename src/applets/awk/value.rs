//! awk's values: numbers, strings, and strings from input that may compare as numbers
//! (POSIX's "numeric strings"); number-to-string conversion; the associative array.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

/// A string value: shared by reference count, and growable in place while only one value
/// holds it, so that `s = s x` appends instead of copying all of `s` (quadratic in a loop).
#[derive(Clone, Debug, Default)]
pub struct Bytes(Rc<Vec<u8>>);

impl Bytes {
    /// The buffer to append to: copied first only when another value shares it.
    #[inline]
    pub fn make_mut(&mut self) -> &mut Vec<u8> {
        Rc::make_mut(&mut self.0)
    }
    /// Whether two values hold the very same buffer.
    #[inline]
    pub fn same(&self, o: &Bytes) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Bytes {
    #[inline]
    fn from(v: Vec<u8>) -> Self {
        Bytes(Rc::new(v))
    }
}

impl From<&[u8]> for Bytes {
    #[inline]
    fn from(v: &[u8]) -> Self {
        Bytes(Rc::new(v.to_vec()))
    }
}

#[derive(Clone, Debug, Default)]
pub enum Value {
    #[default]
    Uninit,
    Num(f64),
    Str(Bytes),
    /// From input (fields, getline, ARGV, ENVIRON, -v, FS splits): a number when it looks
    /// like one. One allocation (fields are made by the million and seldom appended to).
    StrNum(Rc<[u8]>),
}

/// Parse a number the way awk converts a string: C's strtod on a prefix; 0 when none.
#[inline]
pub fn str_to_num(s: &[u8]) -> f64 {
    // fast path: optional blanks, optional sign, up to 15 digits, then the end or a blank
    let mut i = 0;
    while i < s.len() && (s[i] == b' ' || s[i] == b'\t') {
        i += 1;
    }
    let neg = i < s.len() && s[i] == b'-';
    if i < s.len() && (s[i] == b'-' || s[i] == b'+') {
        i += 1;
    }
    let st = i;
    let mut v: u64 = 0;
    while i < s.len() && s[i].is_ascii_digit() && i - st < 15 {
        v = v * 10 + (s[i] - b'0') as u64;
        i += 1;
    }
    if i > st && (i == s.len() || !matches!(s[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'x' | b'X')) {
        let f = v as f64;
        return if neg { -f } else { f };
    }
    crate::common::num::strtod(s).0
}

/// Whether a string from input looks like a number (leading and trailing blanks allowed):
/// then it compares numerically.
pub fn looks_numeric(s: &[u8]) -> Option<f64> {
    let (v, n) = crate::common::num::strtod(s);
    if n == 0 {
        return None;
    }
    let rest = &s[n..];
    if !rest
        .iter()
        .all(|&c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
    {
        return None;
    }
    // strtod takes "nan", "inf" and hex; awk's numeric strings are decimal (gawk, mawk
    // differ on hex: POSIX says decimal)
    let t = s.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(0);
    let mut b = &s[t..n];
    if let Some(r) = b.strip_prefix(b"+").or_else(|| b.strip_prefix(b"-")) {
        b = r;
    }
    if b.first().is_some_and(|c| c.is_ascii_alphabetic())
        || b.len() > 1 && (b[1] == b'x' || b[1] == b'X')
    {
        return None;
    }
    Some(v)
}

/// The integer text of an integral value, if it is one that prints as an integer.
#[inline]
pub fn int_text(v: f64, out: &mut Vec<u8>) -> bool {
    if v == v.trunc() && v.abs() < 1e18 {
        let i = v as i64;
        if i == 0 && v.is_sign_negative() {
            // -0 prints as "-0" in gawk, "0" in mawk... use 0 (mawk, onetrue awk)
            out.push(b'0');
            return true;
        }
        let mut b = [0u8; 24];
        out.extend_from_slice(crate::common::num::signed_digits(&mut b, i));
        return true;
    }
    if v == v.trunc() && v.is_finite() {
        // big integral values print in full (gawk)
        out.extend_from_slice(format!("{v:.0}").as_bytes());
        return true;
    }
    false
}

/// Number to string with the conversion format `fmt` (CONVFMT or OFMT): integers as
/// integers, the rest through the format.
pub fn num_to_str(v: f64, fmt: &[u8], out: &mut Vec<u8>) {
    if int_text(v, out) {
        return;
    }
    if v.is_nan() {
        out.extend_from_slice(if v.is_sign_negative() {
            b"-nan"
        } else {
            b"nan"
        });
        return;
    }
    if v.is_infinite() {
        out.extend_from_slice(if v < 0.0 { b"-inf" } else { b"inf" });
        return;
    }
    if fmt == b"%.6g" {
        let s = crate::common::printf::c_double(v, b'g', 6, false, false, false);
        out.extend_from_slice(&s);
        return;
    }
    super::format::sprintf_num(fmt, v, out);
}

/// A fast, non-cryptographic hash for array keys (FxHash).
#[derive(Default, Clone, Copy)]
pub struct Fx(u64);

impl Hasher for Fx {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h = self.0;
        let mut b = bytes;
        while b.len() >= 8 {
            let w = u64::from_le_bytes(b[..8].try_into().expect("8"));
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
            b = &b[8..];
        }
        if b.len() >= 4 {
            let w = u32::from_le_bytes(b[..4].try_into().expect("4")) as u64;
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
            b = &b[4..];
        }
        for &c in b {
            h = (h.rotate_left(5) ^ c as u64).wrapping_mul(K);
        }
        self.0 = h;
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FxBuild = BuildHasherDefault<Fx>;

/// An associative array that remembers insertion order (for-in walks it in that order).
#[derive(Default, Debug)]
pub struct Array {
    idx: HashMap<Rc<[u8]>, u32, FxBuild>,
    ents: Vec<Option<(Rc<[u8]>, Value)>>,
}

impl Array {
    pub fn len(&self) -> usize {
        self.idx.len()
    }
    pub fn get(&self, k: &[u8]) -> Option<&Value> {
        self.idx
            .get(k)
            .and_then(|&i| self.ents[i as usize].as_ref().map(|e| &e.1))
    }
    pub fn contains(&self, k: &[u8]) -> bool {
        self.idx.contains_key(k)
    }
    /// The element, created (uninitialised) when missing.
    pub fn get_mut(&mut self, k: &[u8]) -> &mut Value {
        let i = match self.idx.get(k) {
            Some(&i) => i,
            None => {
                let key: Rc<[u8]> = k.into();
                let i = self.ents.len() as u32;
                self.ents.push(Some((key.clone(), Value::Uninit)));
                self.idx.insert(key, i);
                i
            }
        };
        &mut self.ents[i as usize].as_mut().expect("live").1
    }
    pub fn set(&mut self, k: &[u8], v: Value) {
        *self.get_mut(k) = v;
    }
    pub fn delete(&mut self, k: &[u8]) {
        if let Some(i) = self.idx.remove(k) {
            self.ents[i as usize] = None;
            if self.ents.len() > 64 && self.idx.len() < self.ents.len() / 4 {
                self.compact();
            }
        }
        if self.idx.is_empty() {
            self.ents.clear();
        }
    }
    fn compact(&mut self) {
        self.ents.retain(|e| e.is_some());
        for (i, e) in self.ents.iter().enumerate() {
            if let Some((k, _)) = e {
                *self.idx.get_mut(&**k).expect("key") = i as u32;
            }
        }
    }
    pub fn clear(&mut self) {
        self.idx.clear();
        self.ents.clear();
    }
    pub fn keys(&self) -> Vec<Rc<[u8]>> {
        self.ents
            .iter()
            .filter_map(|e| e.as_ref().map(|e| e.0.clone()))
            .collect()
    }
}

pub type ArrRef = Rc<RefCell<Array>>;

/// A variable: a scalar or an array.
#[derive(Clone, Debug)]
pub enum Cell {
    Val(Value),
    Arr(ArrRef),
}

impl Default for Cell {
    fn default() -> Self {
        Cell::Val(Value::Uninit)
    }
}

impl Value {
    /// The numeric value.
    #[inline]
    pub fn num(&self) -> f64 {
        match self {
            Value::Num(n) => *n,
            Value::Uninit => 0.0,
            Value::Str(s) => str_to_num(s),
            Value::StrNum(s) => str_to_num(s),
        }
    }
    /// Append the string value (numbers through `convfmt`).
    #[inline]
    pub fn append_str(&self, convfmt: &[u8], out: &mut Vec<u8>) {
        match self {
            Value::Num(n) => num_to_str(*n, convfmt, out),
            Value::Uninit => {}
            Value::Str(s) => out.extend_from_slice(s),
            Value::StrNum(s) => out.extend_from_slice(s),
        }
    }
    /// The string value.
    pub fn to_bytes(&self, convfmt: &[u8]) -> Cow<'_, [u8]> {
        match self {
            Value::Str(s) => Cow::Borrowed(s),
            Value::StrNum(s) => Cow::Borrowed(s),
            Value::Uninit => Cow::Borrowed(b""),
            Value::Num(n) => {
                let mut v = Vec::new();
                num_to_str(*n, convfmt, &mut v);
                Cow::Owned(v)
            }
        }
    }
    /// The string value as a buffer of its own to append to (the value's own buffer when
    /// nothing else shares it).
    pub fn into_bytes(self, convfmt: &[u8]) -> Bytes {
        match self {
            Value::Str(s) => s,
            v => v.to_bytes(convfmt).into_owned().into(),
        }
    }
    pub fn truth(&self) -> bool {
        match self {
            Value::Num(n) => *n != 0.0,
            Value::Uninit => false,
            Value::Str(s) => !s.is_empty(),
            Value::StrNum(s) => match looks_numeric(s) {
                Some(n) => n != 0.0,
                None => !s.is_empty(),
            },
        }
    }
}
