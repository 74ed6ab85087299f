//! `expr`: evaluate an expression and print its value.
//!
//! GNU coreutils 9 `expr`: the operators `| & < <= = == != >= > + - * / % :` in GNU's
//! precedence, the keywords `match substr index length`, `+ TOKEN` quoting and parentheses;
//! integers of any size (GNU links GMP: `expr 99999999999999999999 + 1` works), division
//! truncating toward zero; comparisons numeric when both sides are integers, else byte-wise
//! (the C locale's strcoll); `STRING : REGEXP` an anchored BRE match through `common::regex`
//! with GNU expr's syntax (RE_SYNTAX_POSIX_BASIC without RE_CONTEXT_INVALID_DUP and
//! RE_NO_EMPTY_RANGES), giving `\1` or the match length. Exit status 0 (value neither null nor
//! 0), 1 (null or 0), 2 (invalid expression), 3 (error); GNU's messages. Like GNU, `--help`
//! and `--version` are options only when alone; lengths count bytes (the C locale).
//! Deviation: none known.

use std::cmp::Ordering;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use crate::common::help::{help_text, Help};
use crate::common::quote::{self, Style};
use crate::common::regex::{Regex, Syntax};
use crate::common::{Ctx, Error, Result};

pub const USAGE: Help = help_text!(
    "\
Usage: expr EXPRESSION
  or:  expr OPTION

      --help        display this help and exit
      --version     output version information and exit

Print the value of EXPRESSION to standard output.  A blank line below
separates increasing precedence groups.  EXPRESSION may be:

  ARG1 | ARG2       ARG1 if it is neither null nor 0, otherwise ARG2

  ARG1 & ARG2       ARG1 if neither argument is null or 0, otherwise 0

  ARG1 < ARG2       ARG1 is less than ARG2
  ARG1 <= ARG2      ARG1 is less than or equal to ARG2
  ARG1 = ARG2       ARG1 is equal to ARG2
  ARG1 != ARG2      ARG1 is unequal to ARG2
  ARG1 >= ARG2      ARG1 is greater than or equal to ARG2
  ARG1 > ARG2       ARG1 is greater than ARG2

  ARG1 + ARG2       arithmetic sum of ARG1 and ARG2
  ARG1 - ARG2       arithmetic difference of ARG1 and ARG2

  ARG1 * ARG2       arithmetic product of ARG1 and ARG2
  ARG1 / ARG2       arithmetic quotient of ARG1 divided by ARG2
  ARG1 % ARG2       arithmetic remainder of ARG1 divided by ARG2

  STRING : REGEXP   anchored pattern match of REGEXP in STRING

  match STRING REGEXP        same as STRING : REGEXP
  substr STRING POS LENGTH   substring of STRING, POS counted from 1
  index STRING CHARS         index in STRING where any CHARS is found, or 0
  length STRING              length of STRING
  + TOKEN                    interpret TOKEN as a string, even if it is a
                               keyword like 'match' or an operator like '/'

  ( EXPRESSION )             value of EXPRESSION

Beware that many operators need to be escaped or quoted for shells.
Comparisons are arithmetic if both ARGs are numbers, else lexicographical.
Pattern matches return the string matched between \\( and \\) or null; if
\\( and \\) are not used, they return the number of characters matched or 0.

Exit status is 0 if EXPRESSION is neither null nor 0, 1 if EXPRESSION is null
or 0, 2 if EXPRESSION is syntactically invalid, and 3 if an error occurred.
"
);

/// EXPR_INVALID: a bad expression.
const INVALID: i32 = 2;

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let mut args: Vec<Vec<u8>> = argv.into_iter().skip(1).map(|a| a.into_vec()).collect();
    // GNU's parse_long_options: --help and --version (any unambiguous prefix) only when they
    // are the one argument.
    if args.len() == 1 && args[0].len() > 2 && args[0].starts_with(b"--") {
        let a = &args[0];
        if b"--help".starts_with(a) {
            let r = ctx.out.write_all(&USAGE.bytes()).map_err(Error::from);
            return ctx.finish(r);
        }
        if b"--version".starts_with(a) {
            let v = format!("expr (rbox) {}\n", env!("CARGO_PKG_VERSION"));
            let r = ctx.out.write_all(v.as_bytes()).map_err(Error::from);
            return ctx.finish(r);
        }
    }
    if args.first().is_some_and(|a| a == b"--") {
        args.remove(0);
    }
    if args.is_empty() {
        ctx.msg(b"missing operand");
        ctx.try_help();
        return INVALID;
    }
    let mut p = Parser { args: &args, i: 0 };
    let r = p.eval(true).and_then(|v| {
        if p.i < args.len() {
            return Err(syntax(b"unexpected argument ", Some(&args[p.i])));
        }
        let mut line = v.to_bytes();
        line.push(b'\n');
        ctx.out.write_all(&line)?;
        Ok(v.is_null())
    });
    match r {
        Ok(null) => {
            let st = ctx.finish(Ok(()));
            if st != 0 {
                // A write error: GNU reports it and exits with EXPR_FAILURE.
                3
            } else {
                null as i32
            }
        }
        Err(e) => ctx.finish(Err(e)),
    }
}

fn syntax(what: &[u8], arg: Option<&[u8]>) -> Error {
    let mut m = b"syntax error: ".to_vec();
    m.extend_from_slice(what);
    if let Some(a) = arg {
        quote::quote_into(&mut m, a, Style::Locale);
    }
    Error::new(INVALID, m)
}

#[derive(Clone, Debug)]
enum Val {
    Int(Big),
    Str(Vec<u8>),
}

impl Val {
    fn to_bytes(&self) -> Vec<u8> {
        match self {
            Val::Int(b) => b.to_string().into_bytes(),
            Val::Str(s) => s.clone(),
        }
    }
    /// GNU's `null`: 0, or a string that is empty or all zeros after an optional '-'.
    fn is_null(&self) -> bool {
        match self {
            Val::Int(b) => b.is_zero(),
            Val::Str(s) => {
                if s.is_empty() {
                    return true;
                }
                let d = s.strip_prefix(b"-").unwrap_or(s);
                !d.is_empty() && d.iter().all(|&c| c == b'0')
            }
        }
    }
    fn to_int(&self) -> Option<Big> {
        match self {
            Val::Int(b) => Some(b.clone()),
            Val::Str(s) => Big::parse(s),
        }
    }
}

fn int(v: bool) -> Val {
    Val::Int(Big::from_u64(v as u64))
}

/// GNU's looks_like_integer: an optional '-' and at least one digit, nothing else.
fn looks_like_integer(s: &[u8]) -> bool {
    let d = s.strip_prefix(b"-").unwrap_or(s);
    !d.is_empty() && d.iter().all(u8::is_ascii_digit)
}

struct Parser<'a> {
    args: &'a [Vec<u8>],
    i: usize,
}

impl Parser<'_> {
    fn more(&self) -> bool {
        self.i < self.args.len()
    }

    fn next_is(&mut self, s: &[u8]) -> bool {
        if self.more() && self.args[self.i] == s {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn prev(&self) -> Option<&[u8]> {
        self.i.checked_sub(1).map(|i| &self.args[i][..])
    }

    fn eval(&mut self, ev: bool) -> Result<Val> {
        let mut l = self.eval1(ev)?;
        while self.next_is(b"|") {
            let r = self.eval1(ev && l.is_null())?;
            if l.is_null() {
                l = if r.is_null() { int(false) } else { r };
            }
        }
        Ok(l)
    }

    fn eval1(&mut self, ev: bool) -> Result<Val> {
        let mut l = self.eval2(ev)?;
        while self.next_is(b"&") {
            let r = self.eval2(ev && !l.is_null())?;
            if l.is_null() || r.is_null() {
                l = int(false);
            }
        }
        Ok(l)
    }

    fn eval2(&mut self, ev: bool) -> Result<Val> {
        let mut l = self.eval3(ev)?;
        loop {
            let ops: [&[u8]; 7] = [b"<", b"<=", b"=", b"==", b"!=", b">=", b">"];
            let Some(op) = ops.iter().position(|o| self.next_is(o)) else {
                return Ok(l);
            };
            let r = self.eval3(ev)?;
            let mut val = false;
            if ev {
                let (a, b) = (l.to_bytes(), r.to_bytes());
                let cmp = if looks_like_integer(&a) && looks_like_integer(&b) {
                    Big::parse(&a).unwrap().cmp(&Big::parse(&b).unwrap())
                } else {
                    a.cmp(&b)
                };
                val = match op {
                    0 => cmp == Ordering::Less,
                    1 => cmp != Ordering::Greater,
                    2 | 3 => cmp == Ordering::Equal,
                    4 => cmp != Ordering::Equal,
                    5 => cmp != Ordering::Less,
                    _ => cmp == Ordering::Greater,
                };
            }
            l = int(val);
        }
    }

    fn arith(&mut self, ev: bool, l: Val, r: Val, op: u8) -> Result<Val> {
        if !ev {
            return Ok(l);
        }
        let (Some(a), Some(b)) = (l.to_int(), r.to_int()) else {
            return Err(Error::new(INVALID, "non-integer argument"));
        };
        if matches!(op, b'/' | b'%') && b.is_zero() {
            return Err(Error::new(INVALID, "division by zero"));
        }
        Ok(Val::Int(match op {
            b'+' => a.add(&b),
            b'-' => a.sub(&b),
            b'*' => a.mul(&b),
            b'/' => a.divrem(&b).0,
            _ => a.divrem(&b).1,
        }))
    }

    fn eval3(&mut self, ev: bool) -> Result<Val> {
        let mut l = self.eval4(ev)?;
        loop {
            let op = if self.next_is(b"+") {
                b'+'
            } else if self.next_is(b"-") {
                b'-'
            } else {
                return Ok(l);
            };
            let r = self.eval4(ev)?;
            l = self.arith(ev, l, r, op)?;
        }
    }

    fn eval4(&mut self, ev: bool) -> Result<Val> {
        let mut l = self.eval5(ev)?;
        loop {
            let op = if self.next_is(b"*") {
                b'*'
            } else if self.next_is(b"/") {
                b'/'
            } else if self.next_is(b"%") {
                b'%'
            } else {
                return Ok(l);
            };
            let r = self.eval5(ev)?;
            l = self.arith(ev, l, r, op)?;
        }
    }

    fn eval5(&mut self, ev: bool) -> Result<Val> {
        let mut l = self.eval6(ev)?;
        while self.next_is(b":") {
            let r = self.eval6(ev)?;
            if ev {
                l = docolon(&l, &r)?;
            }
        }
        Ok(l)
    }

    fn eval6(&mut self, ev: bool) -> Result<Val> {
        if self.next_is(b"+") {
            if !self.more() {
                return Err(syntax(b"missing argument after ", self.prev()));
            }
            self.i += 1;
            return Ok(Val::Str(self.args[self.i - 1].clone()));
        }
        if self.next_is(b"length") {
            let r = self.eval6(ev)?;
            return Ok(Val::Int(Big::from_u64(r.to_bytes().len() as u64)));
        }
        if self.next_is(b"match") {
            let l = self.eval6(ev)?;
            let r = self.eval6(ev)?;
            return if ev { docolon(&l, &r) } else { Ok(l) };
        }
        if self.next_is(b"index") {
            let l = self.eval6(ev)?.to_bytes();
            let r = self.eval6(ev)?.to_bytes();
            let pos = l.iter().position(|c| r.contains(c)).map_or(0, |p| p + 1);
            return Ok(Val::Int(Big::from_u64(pos as u64)));
        }
        if self.next_is(b"substr") {
            let l = self.eval6(ev)?.to_bytes();
            let i1 = self.eval6(ev)?;
            let i2 = self.eval6(ev)?;
            let (Some(p), Some(n)) = (i1.to_int(), i2.to_int()) else {
                return Ok(Val::Str(Vec::new()));
            };
            let (pos, len) = (p.to_size(), n.to_size());
            if l.len() < pos || pos == 0 || len == 0 || len == usize::MAX {
                return Ok(Val::Str(Vec::new()));
            }
            let vlen = len.min(l.len() - pos + 1);
            return Ok(Val::Str(l[pos - 1..pos - 1 + vlen].to_vec()));
        }
        self.eval7(ev)
    }

    fn eval7(&mut self, ev: bool) -> Result<Val> {
        if !self.more() {
            return Err(syntax(b"missing argument after ", self.prev()));
        }
        if self.next_is(b"(") {
            let v = self.eval(ev)?;
            if !self.more() {
                return Err(syntax(b"expecting ')' after ", self.prev()));
            }
            if !self.next_is(b")") {
                return Err(syntax(
                    b"expecting ')' instead of ",
                    Some(&self.args[self.i]),
                ));
            }
            return Ok(v);
        }
        if self.next_is(b")") {
            return Err(syntax(b"unexpected ')'", None));
        }
        self.i += 1;
        Ok(Val::Str(self.args[self.i - 1].clone()))
    }
}

/// `STRING : REGEXP`: GNU expr's anchored match.
fn docolon(sv: &Val, pv: &Val) -> Result<Val> {
    let s = sv.to_bytes();
    let p = pv.to_bytes();
    // Arguments are C strings to GNU expr: they end at a NUL (none can hold one anyway).
    let syn = Syntax::POSIX_BASIC.without(Syntax::CONTEXT_INVALID_DUP | Syntax::NO_EMPTY_RANGES);
    let re = Regex::with_syntax(&p, syn, false)
        .map_err(|e| Error::new(INVALID, e.to_string().into_bytes()))?;
    let mut caps = [None, None];
    if re.match_at(&s, 0, 0, &mut caps) {
        if re.groups() > 0 {
            Ok(Val::Str(match caps[1] {
                Some((a, b)) => s[a..b].to_vec(),
                None => Vec::new(),
            }))
        } else {
            let (_, e) = caps[0].unwrap();
            Ok(Val::Int(Big::from_u64(e as u64)))
        }
    } else if re.groups() > 0 {
        Ok(Val::Str(Vec::new()))
    } else {
        Ok(int(false))
    }
}

/// Just enough arbitrary-precision integer for expr (GNU uses GMP): sign and magnitude in
/// base 10^9 limbs, least significant first, no trailing zero limbs.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Big {
    neg: bool,
    mag: Vec<u32>,
}

const BASE: u64 = 1_000_000_000;

impl Big {
    fn from_u64(mut v: u64) -> Big {
        let mut mag = Vec::new();
        while v > 0 {
            mag.push((v % BASE) as u32);
            v /= BASE;
        }
        Big { neg: false, mag }
    }

    fn parse(s: &[u8]) -> Option<Big> {
        if !looks_like_integer(s) {
            return None;
        }
        let neg = s[0] == b'-';
        let d = if neg { &s[1..] } else { s };
        let mut mag = Vec::with_capacity(d.len() / 9 + 1);
        let mut end = d.len();
        while end > 0 {
            let start = end.saturating_sub(9);
            let mut v = 0u32;
            for &c in &d[start..end] {
                v = v * 10 + (c - b'0') as u32;
            }
            mag.push(v);
            end = start;
        }
        Some(Big { neg, mag }.norm())
    }

    fn norm(mut self) -> Big {
        while self.mag.last() == Some(&0) {
            self.mag.pop();
        }
        if self.mag.is_empty() {
            self.neg = false;
        }
        self
    }

    fn is_zero(&self) -> bool {
        self.mag.is_empty()
    }

    /// GNU's getsize: negative is SIZE_MAX, too big is SIZE_MAX - 1.
    fn to_size(&self) -> usize {
        if self.neg {
            return usize::MAX;
        }
        let mut v: u128 = 0;
        for &l in self.mag.iter().rev() {
            v = v * BASE as u128 + l as u128;
            if v >= usize::MAX as u128 {
                return usize::MAX - 1;
            }
        }
        v as usize
    }

    fn cmp_mag(a: &[u32], b: &[u32]) -> Ordering {
        a.len()
            .cmp(&b.len())
            .then_with(|| a.iter().rev().cmp(b.iter().rev()))
    }

    fn add_mag(a: &[u32], b: &[u32]) -> Vec<u32> {
        let mut r = Vec::with_capacity(a.len().max(b.len()) + 1);
        let mut carry = 0u64;
        for i in 0..a.len().max(b.len()) {
            let s = *a.get(i).unwrap_or(&0) as u64 + *b.get(i).unwrap_or(&0) as u64 + carry;
            r.push((s % BASE) as u32);
            carry = s / BASE;
        }
        if carry > 0 {
            r.push(carry as u32);
        }
        r
    }

    /// |a| - |b| with |a| >= |b|.
    fn sub_mag(a: &[u32], b: &[u32]) -> Vec<u32> {
        let mut r = Vec::with_capacity(a.len());
        let mut borrow = 0i64;
        for (i, &x) in a.iter().enumerate() {
            let mut d = x as i64 - *b.get(i).unwrap_or(&0) as i64 - borrow;
            borrow = 0;
            if d < 0 {
                d += BASE as i64;
                borrow = 1;
            }
            r.push(d as u32);
        }
        r
    }

    fn add(&self, o: &Big) -> Big {
        if self.neg == o.neg {
            return Big {
                neg: self.neg,
                mag: Big::add_mag(&self.mag, &o.mag),
            }
            .norm();
        }
        match Big::cmp_mag(&self.mag, &o.mag) {
            Ordering::Less => Big {
                neg: o.neg,
                mag: Big::sub_mag(&o.mag, &self.mag),
            },
            _ => Big {
                neg: self.neg,
                mag: Big::sub_mag(&self.mag, &o.mag),
            },
        }
        .norm()
    }

    fn sub(&self, o: &Big) -> Big {
        let mut n = o.clone();
        n.neg = !n.neg && !n.is_zero();
        self.add(&n)
    }

    fn mul(&self, o: &Big) -> Big {
        let mut r = vec![0u64; self.mag.len() + o.mag.len() + 1];
        for (i, &a) in self.mag.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in o.mag.iter().enumerate() {
                let t = r[i + j] + a as u64 * b as u64 + carry;
                r[i + j] = t % BASE;
                carry = t / BASE;
            }
            let mut k = i + o.mag.len();
            while carry > 0 {
                let t = r[k] + carry;
                r[k] = t % BASE;
                carry = t / BASE;
                k += 1;
            }
        }
        Big {
            neg: self.neg != o.neg,
            mag: r.into_iter().map(|x| x as u32).collect(),
        }
        .norm()
    }

    fn mul_small(a: &[u32], m: u64) -> Vec<u32> {
        let mut r = Vec::with_capacity(a.len() + 1);
        let mut carry = 0u64;
        for &x in a {
            let t = x as u64 * m + carry;
            r.push((t % BASE) as u32);
            carry = t / BASE;
        }
        if carry > 0 {
            r.push(carry as u32);
        }
        while r.last() == Some(&0) {
            r.pop();
        }
        r
    }

    /// Quotient and remainder truncated toward zero (mpz_tdiv_q, mpz_tdiv_r); `o` non-zero.
    fn divrem(&self, o: &Big) -> (Big, Big) {
        let mut q = vec![0u32; self.mag.len()];
        let mut rem: Vec<u32> = Vec::new();
        for i in (0..self.mag.len()).rev() {
            // rem = rem * BASE + limb
            rem.insert(0, self.mag[i]);
            while rem.last() == Some(&0) {
                rem.pop();
            }
            // Largest d with o*d <= rem, by binary search.
            let (mut lo, mut hi) = (0u64, BASE - 1);
            while lo < hi {
                let mid = (lo + hi).div_ceil(2);
                if Big::cmp_mag(&Big::mul_small(&o.mag, mid), &rem) != Ordering::Greater {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            if lo > 0 {
                rem = Big::sub_mag(&rem, &Big::mul_small(&o.mag, lo));
                while rem.last() == Some(&0) {
                    rem.pop();
                }
            }
            q[i] = lo as u32;
        }
        let q = Big {
            neg: self.neg != o.neg,
            mag: q,
        }
        .norm();
        let r = Big {
            neg: self.neg,
            mag: rem,
        }
        .norm();
        (q, r)
    }
}

impl Ord for Big {
    fn cmp(&self, o: &Big) -> Ordering {
        match (self.neg, o.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => Big::cmp_mag(&self.mag, &o.mag),
            (true, true) => Big::cmp_mag(&o.mag, &self.mag),
        }
    }
}

impl PartialOrd for Big {
    fn partial_cmp(&self, o: &Big) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl std::fmt::Display for Big {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        if self.mag.is_empty() {
            return f.write_str("0");
        }
        if self.neg {
            f.write_str("-")?;
        }
        write!(f, "{}", self.mag[self.mag.len() - 1])?;
        for l in self.mag[..self.mag.len() - 1].iter().rev() {
            write!(f, "{l:09}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Big {
        Big::parse(s.as_bytes()).unwrap()
    }

    #[test]
    fn big_arithmetic() {
        assert_eq!(
            b("99999999999999999999").add(&b("1")).to_string(),
            "100000000000000000000"
        );
        assert_eq!(b("-5").add(&b("3")).to_string(), "-2");
        assert_eq!(b("5").sub(&b("5")).to_string(), "0");
        assert_eq!(b("-0").to_string(), "0");
        assert_eq!(
            b("123456789123456789")
                .mul(&b("-987654321987654321"))
                .to_string(),
            "-121932631356500531347203169112635269"
        );
        let (q, r) = b("-7").divrem(&b("2"));
        assert_eq!((q.to_string(), r.to_string()), ("-3".into(), "-1".into()));
        let (q, r) = b("100000000000000000000000").divrem(&b("-3000000000007"));
        assert_eq!(q.to_string(), "-33333333333");
        assert_eq!(r.to_string(), "766666666669");
    }
}
