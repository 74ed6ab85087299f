//! Arithmetic expansion `$((...))` (XCU 2.6.4): C's integer operators on signed 64-bit values,
//! variables by name (unset or empty = 0), decimal, octal (`010`) and hex (`0x1f`) constants,
//! assignment operators, `++`/`--` (as bash and BusyBox ash; dash lacks them). Parsed once into
//! a tree (cached by the caller), then evaluated. Messages follow dash:
//! `arithmetic expression: division by zero: "1/0"`.

use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bin {
    /// `**` (bash and BusyBox ash; right-associative, binds tighter than `*`).
    Pow,
    Mul,
    Div,
    Rem,
    Add,
    Sub,
    Shl,
    Shr,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    BitAnd,
    BitXor,
    BitOr,
    And,
    Or,
}

#[derive(Debug)]
pub enum Expr {
    Num(i64),
    Var(Vec<u8>),
    Neg(Box<Expr>),
    Pos(Box<Expr>),
    Not(Box<Expr>),
    BitNot(Box<Expr>),
    /// `++x` / `--x` (delta) and `x++` / `x--` (post = true).
    Inc(Vec<u8>, i64, bool),
    Bin(Bin, Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `x = e`, `x op= e`.
    Assign(Vec<u8>, Option<Bin>, Box<Expr>),
    Comma(Box<Expr>, Box<Expr>),
}

/// Variable access for evaluation.
pub trait Vars {
    fn get(&mut self, name: &[u8]) -> Result<i64, String>;
    fn set(&mut self, name: &[u8], v: i64) -> Result<(), String>;
}

struct P<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

type R<T> = Result<T, String>;

impl P<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }
    fn at(&self, k: usize) -> Option<u8> {
        self.s.get(self.i + k).copied()
    }
    fn eat(&mut self, t: &[u8]) -> bool {
        self.ws();
        if self.s[self.i..].starts_with(t) {
            self.i += t.len();
            true
        } else {
            false
        }
    }

    fn comma(&mut self) -> R<Expr> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("expression nested too deeply".into());
        }
        let r = self.comma_inner();
        self.depth -= 1;
        r
    }

    fn comma_inner(&mut self) -> R<Expr> {
        let mut e = self.assign()?;
        while self.peek() == Some(b',') {
            self.i += 1;
            let r = self.assign()?;
            e = Expr::Comma(Box::new(e), Box::new(r));
        }
        Ok(e)
    }

    fn assign(&mut self) -> R<Expr> {
        let save = self.i;
        self.ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_')
        {
            self.i += 1;
        }
        let name = &self.s[start..self.i];
        if !name.is_empty() && !name[0].is_ascii_digit() {
            self.ws();
            let ops: &[(&[u8], Option<Bin>)] = &[
                (b"<<=", Some(Bin::Shl)),
                (b">>=", Some(Bin::Shr)),
                (b"*=", Some(Bin::Mul)),
                (b"/=", Some(Bin::Div)),
                (b"%=", Some(Bin::Rem)),
                (b"+=", Some(Bin::Add)),
                (b"-=", Some(Bin::Sub)),
                (b"&=", Some(Bin::BitAnd)),
                (b"^=", Some(Bin::BitXor)),
                (b"|=", Some(Bin::BitOr)),
                (b"=", None),
            ];
            for (t, op) in ops {
                if self.s[self.i..].starts_with(t) && !(t == b"=" && self.at(1) == Some(b'=')) {
                    let name = name.to_vec();
                    self.i += t.len();
                    self.depth += 1;
                    if self.depth > 400 {
                        return Err("expression nested too deeply".into());
                    }
                    let rhs = self.assign()?;
                    self.depth -= 1;
                    return Ok(Expr::Assign(name, *op, Box::new(rhs)));
                }
            }
        }
        self.i = save;
        self.cond()
    }

    fn cond(&mut self) -> R<Expr> {
        let c = self.binary(1)?;
        if self.peek() == Some(b'?') {
            self.i += 1;
            let a = self.comma()?;
            if self.peek() != Some(b':') {
                return Err("expecting ':'".into());
            }
            self.i += 1;
            let b = self.assign_or_cond()?;
            return Ok(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)));
        }
        Ok(c)
    }

    /// The operand after `:` is a conditional expression, not an assignment (C; dash, bash,
    /// BusyBox ash): `1 ? 20 : x += 2` is an error.
    fn assign_or_cond(&mut self) -> R<Expr> {
        self.cond()
    }

    fn binop(&mut self) -> Option<(Bin, usize, usize)> {
        self.ws();
        let c = self.at(0)?;
        let d = self.at(1);
        let e = self.at(2);
        // (operator, precedence, length); precedence: higher binds tighter.
        let r = match (c, d) {
            (b'|', Some(b'|')) => (Bin::Or, 1, 2),
            (b'&', Some(b'&')) => (Bin::And, 2, 2),
            (b'|', Some(b'=')) => return None,
            (b'|', _) => (Bin::BitOr, 3, 1),
            (b'^', Some(b'=')) => return None,
            (b'^', _) => (Bin::BitXor, 4, 1),
            (b'&', Some(b'=')) => return None,
            (b'&', _) => (Bin::BitAnd, 5, 1),
            (b'=', Some(b'=')) => (Bin::Eq, 6, 2),
            (b'!', Some(b'=')) => (Bin::Ne, 6, 2),
            (b'<', Some(b'<')) if e == Some(b'=') => return None,
            (b'>', Some(b'>')) if e == Some(b'=') => return None,
            (b'<', Some(b'<')) => (Bin::Shl, 8, 2),
            (b'>', Some(b'>')) => (Bin::Shr, 8, 2),
            (b'<', Some(b'=')) => (Bin::Le, 7, 2),
            (b'>', Some(b'=')) => (Bin::Ge, 7, 2),
            (b'<', _) => (Bin::Lt, 7, 1),
            (b'>', _) => (Bin::Gt, 7, 1),
            (b'+', Some(b'=')) | (b'-', Some(b'=')) => return None,
            (b'+', _) => (Bin::Add, 9, 1),
            (b'-', _) => (Bin::Sub, 9, 1),
            (b'*', Some(b'*')) => (Bin::Pow, 11, 2),
            (b'*', Some(b'=')) | (b'/', Some(b'=')) | (b'%', Some(b'=')) => return None,
            (b'*', _) => (Bin::Mul, 10, 1),
            (b'/', _) => (Bin::Div, 10, 1),
            (b'%', _) => (Bin::Rem, 10, 1),
            _ => return None,
        };
        Some(r)
    }

    fn binary(&mut self, min: usize) -> R<Expr> {
        let mut l = self.unary()?;
        while let Some((op, prec, len)) = self.binop() {
            if prec < min {
                break;
            }
            self.i += len;
            let r = self.binary(if op == Bin::Pow { prec } else { prec + 1 })?;
            l = Expr::Bin(op, Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn unary(&mut self) -> R<Expr> {
        self.depth += 1;
        if self.depth > 400 {
            return Err("expression nested too deeply".into());
        }
        let r = self.unary_inner();
        self.depth -= 1;
        r
    }

    /// Does a name start after the two characters at the cursor (`++x`)? Otherwise `++3` and
    /// `+++3` are signs (bash, BusyBox ash).
    fn name_after_two(&self) -> bool {
        let mut k = self.i + 2;
        while k < self.s.len() && matches!(self.s[k], b' ' | b'\t' | b'\n') {
            k += 1;
        }
        k < self.s.len() && (self.s[k].is_ascii_alphabetic() || self.s[k] == b'_')
    }

    fn unary_inner(&mut self) -> R<Expr> {
        self.ws();
        let inc_ok = self.name_after_two();
        match self.peek() {
            Some(b'+') if self.at(1) == Some(b'+') && inc_ok => {
                self.i += 2;
                let n = self.name()?;
                Ok(Expr::Inc(n, 1, false))
            }
            Some(b'-') if self.at(1) == Some(b'-') && inc_ok => {
                self.i += 2;
                let n = self.name()?;
                Ok(Expr::Inc(n, -1, false))
            }
            Some(b'-') => {
                self.i += 1;
                Ok(Expr::Neg(Box::new(self.unary()?)))
            }
            Some(b'+') => {
                self.i += 1;
                Ok(Expr::Pos(Box::new(self.unary()?)))
            }
            Some(b'!') => {
                self.i += 1;
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            Some(b'~') => {
                self.i += 1;
                Ok(Expr::BitNot(Box::new(self.unary()?)))
            }
            _ => self.postfix(),
        }
    }

    fn name(&mut self) -> R<Vec<u8>> {
        self.ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_')
        {
            self.i += 1;
        }
        if start == self.i || self.s[start].is_ascii_digit() {
            return Err("expecting primary".into());
        }
        Ok(self.s[start..self.i].to_vec())
    }

    fn postfix(&mut self) -> R<Expr> {
        let c = self.peek().ok_or("expecting primary")?;
        if c == b'(' {
            self.i += 1;
            let e = self.comma()?;
            if !self.eat(b")") {
                return Err("expecting ')'".into());
            }
            return Ok(e);
        }
        if c.is_ascii_digit() {
            let start = self.i;
            while self.i < self.s.len() && self.s[self.i].is_ascii_alphanumeric() {
                self.i += 1;
            }
            if self.at(0) == Some(b'#') {
                // BASE#DIGITS (bash, BusyBox ash): bases 2 to 64.
                let base = parse_num(&self.s[start..self.i]).filter(|b| (2..=64).contains(b));
                let base = base.ok_or("invalid arithmetic base")?;
                self.i += 1;
                let ds = self.i;
                while self.i < self.s.len()
                    && (self.s[self.i].is_ascii_alphanumeric()
                        || matches!(self.s[self.i], b'@' | b'_'))
                {
                    self.i += 1;
                }
                return based_num(&self.s[ds..self.i], base)
                    .map(Expr::Num)
                    .ok_or_else(|| "value too great for base".into());
            }
            return parse_num(&self.s[start..self.i])
                .map(Expr::Num)
                .ok_or_else(|| "expecting EOF".into());
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let n = self.name()?;
            self.ws();
            if self.at(0) == Some(b'+') && self.at(1) == Some(b'+') {
                self.i += 2;
                return Ok(Expr::Inc(n, 1, true));
            }
            if self.at(0) == Some(b'-') && self.at(1) == Some(b'-') {
                self.i += 2;
                return Ok(Expr::Inc(n, -1, true));
            }
            return Ok(Expr::Var(n));
        }
        Err("expecting primary".into())
    }
}

/// The digits of `BASE#DIGITS`: 0-9, then a-z, A-Z, `@`, `_` (letters of either case are
/// the same digit up to base 36, as in bash). No digits at all (`2#`) is 0, as BusyBox ash
/// (bash rejects it).
fn based_num(s: &[u8], base: i64) -> Option<i64> {
    let mut v: i64 = 0;
    for &c in s {
        let d = match c {
            b'0'..=b'9' => (c - b'0') as i64,
            b'a'..=b'z' => (c - b'a') as i64 + 10,
            b'A'..=b'Z' if base <= 36 => (c - b'A') as i64 + 10,
            b'A'..=b'Z' => (c - b'A') as i64 + 36,
            b'@' => 62,
            _ => 63,
        };
        if d >= base {
            return None;
        }
        v = v.wrapping_mul(base).wrapping_add(d);
    }
    Some(v)
}

/// A C integer constant: decimal, 0 octal, 0x hex.
pub fn parse_num(s: &[u8]) -> Option<i64> {
    if s.is_empty() {
        return None;
    }
    let (digits, radix) = if s.len() > 2 && (s.starts_with(b"0x") || s.starts_with(b"0X")) {
        (&s[2..], 16)
    } else if s.len() > 1 && s[0] == b'0' {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    let mut v: i64 = 0;
    for &c in digits {
        let d = (c as char).to_digit(radix)? as i64;
        v = v.wrapping_mul(radix as i64).wrapping_add(d);
    }
    Some(v)
}

/// Parse an expression (the text after expansions).
pub fn parse(s: &[u8]) -> Result<Rc<Expr>, String> {
    let mut p = P { s, i: 0, depth: 0 };
    if p.peek().is_none() {
        return Ok(Rc::new(Expr::Num(0)));
    }
    let e = p.comma()?;
    if p.peek().is_some() {
        return Err("expecting EOF".into());
    }
    Ok(Rc::new(e))
}

fn apply(op: Bin, a: i64, b: i64) -> R<i64> {
    Ok(match op {
        Bin::Pow => {
            if b < 0 {
                return Err("exponent less than 0".into());
            }
            let mut r: i64 = 1;
            let (mut base, mut e) = (a, b as u64);
            while e > 0 {
                if e & 1 == 1 {
                    r = r.wrapping_mul(base);
                }
                base = base.wrapping_mul(base);
                e >>= 1;
            }
            r
        }
        Bin::Mul => a.wrapping_mul(b),
        Bin::Div | Bin::Rem => {
            if b == 0 {
                return Err("division by zero".into());
            }
            if op == Bin::Div {
                a.wrapping_div(b)
            } else {
                a.wrapping_rem(b)
            }
        }
        Bin::Add => a.wrapping_add(b),
        Bin::Sub => a.wrapping_sub(b),
        Bin::Shl => a.wrapping_shl(b as u32),
        Bin::Shr => a.wrapping_shr(b as u32),
        Bin::Lt => (a < b) as i64,
        Bin::Le => (a <= b) as i64,
        Bin::Gt => (a > b) as i64,
        Bin::Ge => (a >= b) as i64,
        Bin::Eq => (a == b) as i64,
        Bin::Ne => (a != b) as i64,
        Bin::BitAnd => a & b,
        Bin::BitXor => a ^ b,
        Bin::BitOr => a | b,
        Bin::And => (a != 0 && b != 0) as i64,
        Bin::Or => (a != 0 || b != 0) as i64,
    })
}

pub fn eval(e: &Expr, v: &mut dyn Vars) -> R<i64> {
    Ok(match e {
        Expr::Num(n) => *n,
        Expr::Var(n) => v.get(n)?,
        Expr::Neg(a) => eval(a, v)?.wrapping_neg(),
        Expr::Pos(a) => eval(a, v)?,
        Expr::Not(a) => (eval(a, v)? == 0) as i64,
        Expr::BitNot(a) => !eval(a, v)?,
        Expr::Inc(n, d, post) => {
            let old = v.get(n)?;
            let new = old.wrapping_add(*d);
            v.set(n, new)?;
            if *post {
                old
            } else {
                new
            }
        }
        Expr::Bin(Bin::And, a, b) => {
            if eval(a, v)? == 0 {
                0
            } else {
                (eval(b, v)? != 0) as i64
            }
        }
        Expr::Bin(Bin::Or, a, b) => {
            if eval(a, v)? != 0 {
                1
            } else {
                (eval(b, v)? != 0) as i64
            }
        }
        Expr::Bin(op, a, b) => {
            let x = eval(a, v)?;
            let y = eval(b, v)?;
            apply(*op, x, y)?
        }
        Expr::Cond(c, a, b) => {
            if eval(c, v)? != 0 {
                eval(a, v)?
            } else {
                eval(b, v)?
            }
        }
        Expr::Assign(n, op, r) => {
            let rv = eval(r, v)?;
            let nv = match op {
                None => rv,
                Some(op) => apply(*op, v.get(n)?, rv)?,
            };
            v.set(n, nv)?;
            nv
        }
        Expr::Comma(a, b) => {
            eval(a, v)?;
            eval(b, v)?
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct M(HashMap<Vec<u8>, i64>);
    impl Vars for M {
        fn get(&mut self, n: &[u8]) -> Result<i64, String> {
            Ok(*self.0.get(n).unwrap_or(&0))
        }
        fn set(&mut self, n: &[u8], v: i64) -> Result<(), String> {
            self.0.insert(n.to_vec(), v);
            Ok(())
        }
    }

    fn ev(s: &str) -> i64 {
        let mut m = M(HashMap::new());
        eval(&parse(s.as_bytes()).unwrap(), &mut m).unwrap()
    }

    #[test]
    fn precedence() {
        assert_eq!(ev("1+2*3"), 7);
        assert_eq!(ev("(1+2)*3"), 9);
        assert_eq!(ev("10-4-3"), 3);
        assert_eq!(ev("2<3 && 3<2 || 1"), 1);
        assert_eq!(ev("1 ? 2 : 3"), 2);
        assert_eq!(ev("0 ? 2 : 0 ? 4 : 5"), 5);
        assert_eq!(ev("0x10 + 010"), 24);
        assert_eq!(ev("-3 % 2"), -1);
        assert_eq!(ev("1 << 4 | 1"), 17);
        assert_eq!(ev("x = 5, x += 2, x * 2"), 14);
        assert_eq!(ev("~0"), -1);
        assert_eq!(ev("!0 + !5"), 1);
        assert_eq!(ev("7 & 3 ^ 1"), 2);
        assert_eq!(ev("1 == 1 != 0"), 1);
    }
}

#[cfg(test)]
mod pow_tests {
    use super::*;
    use std::collections::HashMap;

    struct M(HashMap<Vec<u8>, i64>);
    impl Vars for M {
        fn get(&mut self, n: &[u8]) -> Result<i64, String> {
            Ok(*self.0.get(n).unwrap_or(&0))
        }
        fn set(&mut self, n: &[u8], v: i64) -> Result<(), String> {
            self.0.insert(n.to_vec(), v);
            Ok(())
        }
    }

    fn ev(s: &str) -> Result<i64, ()> {
        let mut m = M(HashMap::new());
        let e = parse(s.as_bytes()).map_err(|_| ())?;
        eval(&e, &mut m).map_err(|_| ())
    }

    #[test]
    fn power_binds_tighter_and_right_to_left() {
        assert_eq!(ev("2**10"), Ok(1024));
        assert_eq!(ev("2**3**2"), Ok(512));
        assert_eq!(ev("2*3**2"), Ok(18));
        assert_eq!(ev("-2**2"), Ok(4));
        assert!(ev("x**=2").is_err(), "neither bash nor BusyBox ash has **=");
        assert_eq!(ev("0**0"), Ok(1));
        assert_eq!(ev("2**64"), Ok(0));
        assert!(ev("2**-1").is_err());
    }
}
