//! x87 long doubles (64-bit mantissa, 15-bit exponent), as GNU's printf reads its arguments,
//! od's `-t fL` shows memory and sort's `-g` compares numbers: a software copy, correctly
//! rounded both ways with big integers, so `%.20f 0.1`, `%a` and `1e400` print what GNU prints.

/// A finite value is `m * 2^e` (m may be 0); sign apart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum X {
    Fin { neg: bool, m: u64, e: i32 },
    Inf(bool),
    Nan(bool),
}

const MIN_LSB: i64 = -16445;
const MAX_TOP: i64 = 16383;

// --- little-endian u32-limb unsigned integers ---
type Big = Vec<u32>;

fn trim(a: &mut Big) {
    while a.last() == Some(&0) {
        a.pop();
    }
}
fn mul_small(a: &mut Big, k: u32, add: u32) {
    let mut carry = add as u64;
    for x in a.iter_mut() {
        let v = *x as u64 * k as u64 + carry;
        *x = v as u32;
        carry = v >> 32;
    }
    if carry > 0 {
        a.push(carry as u32);
    }
}
fn bitlen(a: &Big) -> u64 {
    match a.last() {
        None => 0,
        Some(&t) => (a.len() as u64 - 1) * 32 + (32 - t.leading_zeros() as u64),
    }
}
fn shl(a: &Big, n: u64) -> Big {
    let (w, b) = ((n / 32) as usize, (n % 32) as u32);
    let mut r = vec![0u32; w];
    let mut carry = 0u32;
    for &x in a {
        if b == 0 {
            r.push(x);
        } else {
            r.push((x << b) | carry);
            carry = x >> (32 - b);
        }
    }
    if carry > 0 {
        r.push(carry);
    }
    trim(&mut r);
    r
}
fn bit(a: &Big, i: u64) -> bool {
    let w = (i / 32) as usize;
    w < a.len() && (a[w] >> (i % 32)) & 1 == 1
}
fn any_below(a: &Big, i: u64) -> bool {
    (0..i.min(bitlen(a))).any(|k| bit(a, k))
}
fn cmp(a: &Big, b: &Big) -> std::cmp::Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.iter().rev().cmp(b.iter().rev()))
}
fn sub(a: &mut Big, b: &Big) {
    let mut borrow = 0i64;
    for (i, x) in a.iter_mut().enumerate() {
        let v = *x as i64 - borrow - *b.get(i).unwrap_or(&0) as i64;
        *x = v.rem_euclid(1 << 32) as u32;
        borrow = i64::from(v < 0);
    }
    trim(a);
}
fn pow10(k: u64) -> Big {
    let mut r = vec![1u32];
    for _ in 0..k / 9 {
        mul_small(&mut r, 1_000_000_000, 0);
    }
    for _ in 0..k % 9 {
        mul_small(&mut r, 10, 0);
    }
    r
}
/// Decimal digits of `a` (empty for zero).
fn decimal(a: &Big) -> Vec<u8> {
    let mut a = a.clone();
    let mut chunks = Vec::new();
    while !a.is_empty() {
        let mut rem = 0u64;
        for x in a.iter_mut().rev() {
            let v = (rem << 32) | *x as u64;
            *x = (v / 1_000_000_000) as u32;
            rem = v % 1_000_000_000;
        }
        trim(&mut a);
        chunks.push(rem as u32);
    }
    let mut s = Vec::new();
    for (i, c) in chunks.iter().rev().enumerate() {
        let t = if i == 0 {
            c.to_string()
        } else {
            format!("{c:09}")
        };
        s.extend_from_slice(t.as_bytes());
    }
    s
}

/// Round `q * 2^e` (plus a sticky bit below) to the x87 format. (value, out of range)
fn round(neg: bool, q: u128, mut e: i64, sticky: bool) -> (X, bool) {
    if q == 0 {
        return (X::Fin { neg, m: 0, e: 0 }, sticky);
    }
    let bl = 128 - q.leading_zeros() as i64;
    let mut shift = bl - 64;
    if e + shift < MIN_LSB {
        shift = MIN_LSB - e;
    }
    let mut m: u128;
    if shift > 0 {
        if shift >= 128 {
            return (X::Fin { neg, m: 0, e: 0 }, true);
        }
        let half = 1u128 << (shift - 1);
        let rem = q & ((1u128 << shift) - 1);
        m = q >> shift;
        if rem > half || (rem == half && (sticky || m & 1 == 1)) {
            m += 1;
        }
        e += shift;
        if m >> 64 != 0 {
            m >>= 1;
            e += 1;
        }
    } else {
        m = q << (-shift);
        e += shift;
    }
    if m == 0 {
        return (X::Fin { neg, m: 0, e: 0 }, true);
    }
    let top = e + 127 - (m.leading_zeros() as i64);
    if top > MAX_TOP {
        return (X::Inf(neg), true);
    }
    // A denormal result is out of range too, as glibc's strtold says.
    let denormal = top < -16382;
    (
        X::Fin {
            neg,
            m: m as u64,
            e: e as i32,
        },
        denormal,
    )
}

/// strtold: (value, bytes used (0: none), out of range).
pub fn parse(s: &[u8]) -> (X, usize, bool) {
    let i = s
        .iter()
        .take_while(|&&c| crate::common::printf::is_space(c))
        .count();
    let (neg, i) = crate::common::num::sign_at(s, i);
    let lower: Vec<u8> = s[i..].iter().take(8).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"inf") {
        let n = if lower.starts_with(b"infinity") { 8 } else { 3 };
        return (X::Inf(neg), i + n, false);
    }
    if lower.starts_with(b"nan") {
        let (_, j, _) = crate::common::num::strtod_range(s);
        return (X::Nan(neg), j, false);
    }
    let hex = lower.starts_with(b"0x")
        && s.get(i + 2)
            .is_some_and(|&c| crate::common::printf::hex_val(c).is_some() || c == b'.');
    let radix: u32 = if hex { 16 } else { 10 };
    let mut j = if hex { i + 2 } else { i };
    // Significant digits: up to a limit, the rest as a sticky digit.
    let limit = if hex { 30 } else { 800 };
    let mut digits: Vec<u32> = Vec::new();
    let mut sticky = false;
    let mut scale: i64 = 0; // digits after the point among those kept, or dropped before it
    let mut seen = 0;
    let mut dot = false;
    let mut lead = true;
    while let Some(&c) = s.get(j) {
        if c == b'.' && !dot {
            dot = true;
            j += 1;
            continue;
        }
        let Some(d) = (c as char).to_digit(radix) else {
            break;
        };
        seen += 1;
        j += 1;
        if lead && d == 0 {
            if dot {
                scale += 1;
            }
            continue;
        }
        lead = false;
        if digits.len() < limit {
            digits.push(d);
            if dot {
                scale += 1;
            }
        } else {
            sticky |= d != 0;
            if !dot {
                scale -= 1;
            }
        }
    }
    if seen == 0 {
        return (
            X::Fin { neg, m: 0, e: 0 },
            if hex { i + 1 } else { 0 },
            false,
        );
    }
    let mut exp: i64 = 0;
    let ech = if hex { [b'p', b'P'] } else { [b'e', b'E'] };
    if s.get(j).is_some_and(|c| ech.contains(c)) {
        let (v, n) = crate::common::num::exp_part(&s[j + 1..]);
        if n > 0 {
            exp = v;
            j += 1 + n;
        }
    }
    if digits.is_empty() {
        return (X::Fin { neg, m: 0, e: 0 }, j, false);
    }
    let mut big: Big = Vec::new();
    for &d in &digits {
        mul_small(&mut big, radix, d);
    }
    trim(&mut big);
    if hex {
        // value = big * 16^-scale * 2^exp
        let e = exp.saturating_sub(4 * scale);
        let bl = bitlen(&big) as i64;
        let (q, e2, st) = top_bits(&big, bl, e);
        let (x, r) = round(neg, q, e2, st || sticky);
        return (x, j, r);
    }
    // value = big * 10^k
    let k = exp.saturating_sub(scale);
    let nd = digits.len() as i64;
    if nd + k > 4940 {
        return (X::Inf(neg), j, true);
    }
    if nd + k < -4960 {
        return (X::Fin { neg, m: 0, e: 0 }, j, true);
    }
    let (q, e, st) = if k >= 0 {
        let n = mul_pow10(&big, k as u64);
        top_bits(&n, bitlen(&n) as i64, 0)
    } else {
        let p = pow10((-k) as u64);
        let s2 = (70 + bitlen(&p) as i64 - bitlen(&big) as i64).max(0) as u64;
        let mut n = shl(&big, s2);
        // Shift-subtract division: q = n / p, bit by bit.
        let qbits = bitlen(&n) as i64 - bitlen(&p) as i64 + 1;
        let mut q: u128 = 0;
        for b in (0..qbits.max(0)).rev() {
            let ps = shl(&p, b as u64);
            if cmp(&n, &ps) != std::cmp::Ordering::Less {
                sub(&mut n, &ps);
                q |= 1u128 << b;
            }
        }
        (q, -(s2 as i64), !n.is_empty())
    };
    let (x, r) = round(neg, q, e, st || sticky);
    (x, j, r)
}

fn mul_pow10(a: &Big, k: u64) -> Big {
    let mut r = a.clone();
    for _ in 0..k / 9 {
        mul_small(&mut r, 1_000_000_000, 0);
    }
    for _ in 0..k % 9 {
        mul_small(&mut r, 10, 0);
    }
    r
}

/// The top (at most 100) bits of `n * 2^e` as (q, exponent, sticky).
fn top_bits(n: &Big, bl: i64, e: i64) -> (u128, i64, bool) {
    let drop = (bl - 100).max(0) as u64;
    let mut q: u128 = 0;
    for b in (drop..bl as u64).rev() {
        q = (q << 1) | u128::from(bit(n, b));
    }
    (q, e + drop as i64, any_below(n, drop))
}

/// The exact decimal expansion of a finite value: integer digits, then fraction digits
/// on demand.
struct Dec {
    int: Vec<u8>,
    frac: Big,
    fbits: u64,
}

impl Dec {
    fn new(m: u64, e: i32) -> Dec {
        let mb: Big = {
            let mut v = vec![m as u32, (m >> 32) as u32];
            trim(&mut v);
            v
        };
        if e >= 0 {
            return Dec {
                int: decimal(&shl(&mb, e as u64)),
                frac: Vec::new(),
                fbits: 0,
            };
        }
        let f = (-e) as u64;
        let int = if f >= 64 {
            Vec::new()
        } else {
            decimal(&{
                let mut v = vec![(m >> f) as u32, ((m >> f) >> 32) as u32];
                trim(&mut v);
                v
            })
        };
        let low = if f >= 64 { m } else { m & ((1u64 << f) - 1) };
        let mut frac = vec![low as u32, (low >> 32) as u32];
        trim(&mut frac);
        Dec {
            int,
            frac,
            fbits: f,
        }
    }
    fn next(&mut self) -> u8 {
        if self.frac.is_empty() {
            return 0;
        }
        mul_small(&mut self.frac, 10, 0);
        // digit = frac >> fbits; frac &= mask
        let w = (self.fbits / 32) as usize;
        let b = (self.fbits % 32) as u32;
        let mut d: u64 = 0;
        for k in (w..self.frac.len()).rev() {
            let part = if k == w {
                (self.frac[k] >> b) as u64
            } else {
                (self.frac[k] as u64) << (32 * (k - w) as u32 - b)
            };
            d |= part;
        }
        self.frac.truncate(w + 1);
        if let Some(x) = self.frac.get_mut(w) {
            *x &= if b == 0 { 0 } else { (1u32 << b) - 1 };
        }
        trim(&mut self.frac);
        d as u8
    }
    fn rest_zero(&self) -> bool {
        self.frac.is_empty()
    }
}

/// Round the digit string up when `next`/`sticky` say so (ties to even); true when a carry
/// came out of the first digit.
fn round_up(d: &mut [u8], next: u8, sticky: bool) -> bool {
    let odd = d.last().is_some_and(|&c| (c - b'0') % 2 == 1);
    if !(next > 5 || (next == 5 && (sticky || odd))) {
        return false;
    }
    for c in d.iter_mut().rev() {
        if *c == b'9' {
            *c = b'0';
        } else {
            *c += 1;
            return false;
        }
    }
    true
}

/// `%f`: digits with `p` after the point.
fn fixed(m: u64, e: i32, p: usize) -> (Vec<u8>, Vec<u8>) {
    let mut d = Dec::new(m, e);
    let mut int = std::mem::take(&mut d.int);
    if int.is_empty() {
        int.push(b'0');
    }
    let mut frac: Vec<u8> = (0..p).map(|_| b'0' + d.next()).collect();
    let next = d.next();
    let sticky = !d.rest_zero();
    let mut all = int.clone();
    all.extend_from_slice(&frac);
    if round_up(&mut all, next, sticky) {
        all.insert(0, b'1');
    }
    frac = all.split_off(all.len() - p);
    (all, frac)
}

/// `%e`: `p+1` significant digits and the decimal exponent.
fn sci(m: u64, e: i32, p: usize) -> (Vec<u8>, i64) {
    if m == 0 {
        return (vec![b'0'; p + 1], 0);
    }
    let mut d = Dec::new(m, e);
    let mut digs: Vec<u8> = Vec::new();
    let mut x: i64;
    let int = std::mem::take(&mut d.int);
    let (next, sticky);
    if !int.is_empty() {
        x = int.len() as i64 - 1;
        if int.len() > p + 1 {
            digs.extend_from_slice(&int[..p + 1]);
            next = int[p + 1] - b'0';
            sticky = int[p + 2..].iter().any(|&c| c != b'0') || !d.rest_zero();
        } else {
            digs.extend_from_slice(&int);
            while digs.len() < p + 1 {
                digs.push(b'0' + d.next());
            }
            next = d.next();
            sticky = !d.rest_zero();
        }
    } else {
        x = -1;
        let mut c = d.next();
        while c == 0 {
            x -= 1;
            c = d.next();
        }
        digs.push(b'0' + c);
        while digs.len() < p + 1 {
            digs.push(b'0' + d.next());
        }
        next = d.next();
        sticky = !d.rest_zero();
    }
    if round_up(&mut digs, next, sticky) {
        digs.insert(0, b'1');
        digs.pop();
        x += 1;
    }
    (digs, x)
}

fn exp_text(x: i64) -> String {
    format!("e{}{:02}", if x < 0 { '-' } else { '+' }, x.abs())
}

/// Format a finite, non-negative `m * 2^e` for `conv` (`f e g` in either case, not `a`).
pub fn format(m: u64, e: i32, conv: u8, prec: Option<usize>, alt: bool) -> String {
    let p = prec.unwrap_or(6);
    let point = |int: &[u8], frac: &[u8]| {
        let mut s = String::from_utf8_lossy(int).into_owned();
        if !frac.is_empty() || alt {
            s.push('.');
        }
        s.push_str(&String::from_utf8_lossy(frac));
        s
    };
    match conv.to_ascii_lowercase() {
        b'f' => {
            let (i, f) = fixed(m, e, p);
            point(&i, &f)
        }
        b'e' => {
            let (d, x) = sci(m, e, p);
            point(&d[..1], &d[1..]) + &exp_text(x)
        }
        _ => {
            let pp = p.max(1);
            let (d, x) = sci(m, e, pp - 1);
            let mut r = if x < -4 || x >= pp as i64 {
                point(&d[..1], &d[1..]) + &exp_text(x)
            } else {
                let (i, f) = fixed(m, e, (pp as i64 - 1 - x) as usize);
                point(&i, &f)
            };
            if !alt {
                let (mant, ex) = match r.find('e') {
                    Some(k) => (r[..k].to_string(), r[k..].to_string()),
                    None => (r.clone(), String::new()),
                };
                let mant = if mant.contains('.') {
                    mant.trim_end_matches('0').trim_end_matches('.').to_string()
                } else {
                    mant
                };
                r = mant + &ex;
            }
            r
        }
    }
}

/// The value of 10 bytes of x87 extended precision (little-endian, as in memory). The
/// encodings the 80387 no longer accepts (unnormals, pseudo-infinities and pseudo-NaNs) are
/// NaNs, as glibc's printf shows them.
pub fn from_bytes(b: &[u8]) -> X {
    let m = u64::from_le_bytes(b[..8].try_into().unwrap_or([0; 8]));
    let se = u16::from_le_bytes([b[8], b[9]]);
    let (neg, exp) = (se >> 15 == 1, (se & 0x7fff) as i32);
    let int_bit = m >> 63 == 1;
    match exp {
        0 => X::Fin {
            neg,
            m,
            e: MIN_LSB as i32,
        },
        0x7fff if int_bit && m << 1 == 0 => X::Inf(neg),
        0x7fff => X::Nan(neg),
        _ if !int_bit => X::Nan(neg),
        _ => X::Fin {
            neg,
            m,
            e: exp - 16383 - 63,
        },
    }
}

/// Compare two values as C compares long doubles (-0 == 0); None when one is a NaN.
pub fn compare(a: X, b: X) -> Option<std::cmp::Ordering> {
    use std::cmp::Ordering;
    // (sign, exponent of the top bit, normalized mantissa), ordered for positive values.
    fn key(x: X) -> Option<(i8, i64, u64)> {
        match x {
            X::Nan(_) => None,
            X::Inf(neg) => Some((if neg { -1 } else { 1 }, i64::MAX, 0)),
            X::Fin { m: 0, .. } => Some((0, 0, 0)),
            X::Fin { neg, m, e } => {
                let lz = m.leading_zeros();
                Some((if neg { -1 } else { 1 }, e as i64 - lz as i64, m << lz))
            }
        }
    }
    let (ka, kb) = (key(a)?, key(b)?);
    Some(match ka.0.cmp(&kb.0) {
        Ordering::Equal => {
            let mag = (ka.1, ka.2).cmp(&(kb.1, kb.2));
            if ka.0 < 0 {
                mag.reverse()
            } else {
                mag
            }
        }
        o => o,
    })
}

/// What GNU's ftoastr makes of a long double: `%.*Lg` with the fewest digits, from LDBL_DIG
/// (18; 1 below LDBL_MIN) up to 21, that `strtold` reads back as the same value.
pub fn shortest(x: X) -> String {
    let (neg, m, e) = match x {
        X::Nan(neg) => return if neg { "-nan" } else { "nan" }.into(),
        X::Inf(neg) => return if neg { "-inf" } else { "inf" }.into(),
        X::Fin { neg, m, e } => (neg, m, e),
    };
    let tiny = m == 0 || (e as i64 + 63 - m.leading_zeros() as i64) < -16382;
    let sign = if neg { "-" } else { "" };
    let mut p = if tiny { 1 } else { 18 };
    loop {
        let s = format!("{sign}{}", format(m, e, b'g', Some(p), false));
        if p >= 21 || compare(parse(s.as_bytes()).0, x) == Some(std::cmp::Ordering::Equal) {
            return s;
        }
        p += 1;
    }
}

/// [`shortest`] of 10 bytes in memory, as GNU's od shows them: glibc prints a pseudo-denormal
/// (zero exponent, integer bit set) without its integer bit, a value that never reads back as
/// the one the FPU loads, so all 21 digits are shown.
pub fn shortest_in_memory(b: &[u8]) -> String {
    let x = from_bytes(b);
    let zero_exponent = b[8] == 0 && b[9] & 0x7f == 0;
    match x {
        X::Fin { neg, m, e } if zero_exponent && m >> 63 == 1 => {
            let sign = if neg { "-" } else { "" };
            format!("{sign}{}", format(m << 1 >> 1, e, b'g', Some(21), false))
        }
        _ => shortest(x),
    }
}
