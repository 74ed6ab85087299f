//! The `test`/`[` expression evaluator: ONE implementation for the `test` and `[` applets (GNU
//! coreutils 9) and the shell's builtins (dash's messages).
//!
//! The algorithm is GNU's: POSIX's rules by argument count for up to four arguments (so
//! `test ! = a`, `test ( -n )` mean what POSIX says), the classic grammar beyond
//! (`!`, `-a` binding tighter than `-o`, parentheses), every unary file and string primary
//! (`-b -c -d -e -f -g -G -h -k -L -N -O -p -r -s -S -t -u -w -x -n -z`), string comparisons
//! (`= == !=`; dash's `< >` too, bytewise), integer comparisons of any length
//! (`-eq -ne -lt -le -gt -ge`, blanks around the digits allowed, `-l STRING` for its length),
//! and `-nt -ot -ef`. Errors end the evaluation with status 2; the dialect words them:
//! GNU `invalid integer 'abc'`, `missing argument after 'x'`, `extra argument 'b'`; dash
//! `Illegal number: abc`, `x: argument expected`, `b: unexpected operator`.

pub use super::printf::Dialect;
use super::quote::quote_locale;
use super::sys::{fd, user};

/// What went wrong, worded by [`Dialect`] in [`message`].
#[derive(Debug)]
enum Syntax {
    /// The expression ended early; the last argument.
    Beyond(Vec<u8>),
    Integer(Vec<u8>),
    UnaryExpected(Vec<u8>),
    BinaryExpected(Vec<u8>),
    Extra(Vec<u8>),
    /// `)` expected, and what was found instead.
    Paren(Option<Vec<u8>>),
    NoL(&'static str),
}

fn message(e: Syntax, d: Dialect) -> Vec<u8> {
    let gnu = d == Dialect::Gnu;
    let join = |a: &[u8], b: &[u8]| [a, b].concat();
    match e {
        Syntax::Beyond(a) if gnu => join(b"missing argument after ", &quote_locale(&a)),
        Syntax::Beyond(a) => join(&a, b": argument expected"),
        Syntax::Integer(a) if gnu => join(b"invalid integer ", &quote_locale(&a)),
        Syntax::Integer(a) => join(b"Illegal number: ", &a),
        Syntax::UnaryExpected(a) if gnu => join(&quote_locale(&a), b": unary operator expected"),
        Syntax::BinaryExpected(a) if gnu => join(&quote_locale(&a), b": binary operator expected"),
        Syntax::Extra(a) if gnu => join(b"extra argument ", &quote_locale(&a)),
        Syntax::UnaryExpected(a) | Syntax::BinaryExpected(a) | Syntax::Extra(a) => {
            join(&a, b": unexpected operator")
        }
        Syntax::Paren(None) if gnu => b"')' expected".to_vec(),
        Syntax::Paren(Some(f)) if gnu => join(b"')' expected, found ", &quote_locale(&f)),
        Syntax::Paren(_) => b"closing paren expected".to_vec(),
        Syntax::NoL(op) => format!("{op} does not accept -l").into_bytes(),
    }
}

/// Evaluate `test ARGS...` (without the program name). `Err`: the message for status 2,
/// without the `test: ` prefix.
pub fn eval(args: &[&[u8]], d: Dialect) -> Result<bool, Vec<u8>> {
    eval_in(args, d, None)
}

/// `after`: the word after the expression (`]`), which GNU's `(` without `)` names.
fn eval_in(args: &[&[u8]], d: Dialect, after: Option<&[u8]>) -> Result<bool, Vec<u8>> {
    if args.is_empty() {
        return Ok(false);
    }
    let mut t = T {
        a: args,
        pos: 0,
        d,
        after,
    };
    let r = t.posix(args.len()).and_then(|v| {
        if t.pos != args.len() {
            Err(Syntax::Extra(args[t.pos].to_vec()))
        } else {
            Ok(v)
        }
    });
    r.map_err(|e| message(e, d))
}

/// Evaluate `[ ARGS... ]`: the last argument must be `]`.
pub fn eval_bracket(args: &[&[u8]], d: Dialect) -> Result<bool, Vec<u8>> {
    match args.split_last() {
        Some((&b"]", rest)) => eval_in(rest, d, Some(b"]")),
        _ if d == Dialect::Gnu => Err(b"missing ']'".to_vec()),
        _ => Err(b"missing ]".to_vec()),
    }
}

type R = Result<bool, Syntax>;

struct T<'a, 'b> {
    a: &'a [&'b [u8]],
    pos: usize,
    d: Dialect,
    after: Option<&'b [u8]>,
}

fn is_binop(s: &[u8], d: Dialect) -> bool {
    matches!(
        s,
        b"=" | b"=="
            | b"!="
            | b"-eq"
            | b"-ne"
            | b"-lt"
            | b"-le"
            | b"-gt"
            | b"-ge"
            | b"-nt"
            | b"-ot"
            | b"-ef"
    ) || (d == Dialect::Dash && matches!(s, b"<" | b">"))
}

fn is_unop(s: &[u8]) -> bool {
    s.len() == 2 && s[0] == b'-' && b"abcdefghknoprstuwxzGLOSN".contains(&s[1])
}

/// A dashed two-character word (`-x`): a unary operator, or a syntax error.
fn looks_unary(s: &[u8]) -> bool {
    s.len() == 2 && s[0] == b'-'
}

impl<'b> T<'_, 'b> {
    fn argc(&self) -> usize {
        self.a.len()
    }
    fn arg(&self, i: usize) -> &'b [u8] {
        self.a[i]
    }
    fn beyond(&self) -> Syntax {
        Syntax::Beyond(self.a.last().map(|a| a.to_vec()).unwrap_or_default())
    }
    fn advance(&mut self, check: bool) -> Result<(), Syntax> {
        self.pos += 1;
        if check && self.pos >= self.argc() {
            return Err(self.beyond());
        }
        Ok(())
    }

    fn posix(&mut self, n: usize) -> R {
        match n {
            1 => Ok(self.one()),
            2 => self.two(),
            3 => self.three(),
            4 if self.arg(self.pos) == b"!" => {
                self.advance(true)?;
                Ok(!self.three()?)
            }
            4 if self.arg(self.pos) == b"(" && self.arg(self.pos + 3) == b")" => {
                self.advance(false)?;
                let v = self.two()?;
                self.advance(false)?;
                Ok(v)
            }
            _ => self.expr(),
        }
    }

    fn one(&mut self) -> bool {
        let v = !self.arg(self.pos).is_empty();
        self.pos += 1;
        v
    }

    fn two(&mut self) -> R {
        let a = self.arg(self.pos);
        if a == b"!" {
            self.advance(false)?;
            Ok(!self.one())
        } else if looks_unary(a) {
            if is_unop(a) {
                self.unary()
            } else {
                Err(Syntax::UnaryExpected(a.to_vec()))
            }
        } else {
            Err(self.beyond())
        }
    }

    fn three(&mut self) -> R {
        let p = self.pos;
        if is_binop(self.arg(p + 1), self.d) {
            self.binary(false)
        } else if self.d == Dialect::Dash && matches!(self.arg(p + 1), b"-a" | b"-o") {
            // POSIX's three-argument rule takes `-a`/`-o` as binary primaries before a
            // leading `!`: both sides are one-argument tests (`[ x -a -a ]`, `[ ! -o x ]`),
            // as dash, BusyBox and bash read `[ x -a -a ]`; GNU parses an expression.
            let (l, op, r) = (self.arg(p), self.arg(p + 1), self.arg(p + 2));
            self.pos += 3;
            Ok(if op == b"-a" {
                !l.is_empty() && !r.is_empty()
            } else {
                !l.is_empty() || !r.is_empty()
            })
        } else if self.arg(p) == b"!" {
            self.advance(true)?;
            Ok(!self.two()?)
        } else if self.arg(p) == b"(" && self.arg(p + 2) == b")" {
            self.advance(false)?;
            let v = self.one();
            self.advance(false)?;
            Ok(v)
        } else if matches!(self.arg(p + 1), b"-a" | b"-o") {
            self.expr()
        } else {
            Err(Syntax::BinaryExpected(self.arg(p + 1).to_vec()))
        }
    }

    fn expr(&mut self) -> R {
        if self.pos >= self.argc() {
            return Err(self.beyond());
        }
        self.or()
    }

    fn or(&mut self) -> R {
        let mut v = false;
        loop {
            v |= self.and()?;
            if !(self.pos < self.argc() && self.arg(self.pos) == b"-o") {
                return Ok(v);
            }
            self.advance(false)?;
        }
    }

    fn and(&mut self) -> R {
        let mut v = true;
        loop {
            v &= self.term()?;
            if !(self.pos < self.argc() && self.arg(self.pos) == b"-a") {
                return Ok(v);
            }
            self.advance(false)?;
        }
    }

    fn term(&mut self) -> R {
        let mut negated = false;
        while self.pos < self.argc() && self.arg(self.pos) == b"!" {
            self.advance(true)?;
            negated = !negated;
        }
        if self.pos >= self.argc() {
            return Err(self.beyond());
        }
        let left = self.argc() - self.pos;
        let a = self.arg(self.pos);
        let v = if a == b"(" {
            self.advance(true)?;
            let mut n = 1;
            while self.pos + n < self.argc() && self.arg(self.pos + n) != b")" {
                if n == 4 {
                    n = self.argc() - self.pos;
                    break;
                }
                n += 1;
            }
            let v = self.posix(n)?;
            let past = if self.pos == self.argc() {
                self.after
            } else {
                None
            };
            match self.a.get(self.pos).copied().or(past) {
                None => return Err(Syntax::Paren(None)),
                Some(b")") => {}
                Some(f) => return Err(Syntax::Paren(Some(f.to_vec()))),
            }
            self.advance(false)?;
            v
        } else if left >= 4 && a == b"-l" && is_binop(self.arg(self.pos + 2), self.d) {
            self.binary(true)?
        } else if left >= 3 && is_binop(self.arg(self.pos + 1), self.d) {
            self.binary(false)?
        } else if looks_unary(a) {
            if is_unop(a) {
                self.unary()?
            } else {
                return Err(Syntax::UnaryExpected(a.to_vec()));
            }
        } else {
            self.pos += 1;
            !a.is_empty()
        };
        Ok(negated ^ v)
    }

    /// An integer operand: GNU's (blanks around, any length: compared as digit strings) or
    /// dash's (an intmax_t, white space around: strtoimax skips it before, dash after).
    fn int(&self, s: &[u8]) -> Result<Int, Syntax> {
        let bad = || Syntax::Integer(s.to_vec());
        let blank = |c: &u8| match self.d {
            Dialect::Gnu => *c == b' ' || *c == b'\t',
            Dialect::Dash => c.is_ascii_whitespace() || *c == b'\x0b',
        };
        let i = s.iter().take_while(|c| blank(c)).count();
        let (neg, mut i) = crate::common::num::sign_at(s, i);
        let start = i;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let digits = &s[start..i];
        let tail_ok = s[i..].iter().all(blank);
        if digits.is_empty() || !tail_ok {
            return Err(bad());
        }
        let z = digits.iter().take_while(|&&c| c == b'0').count();
        let digits = digits[z..].to_vec();
        if self.d == Dialect::Dash {
            // strtoimax's range.
            let v: i128 = std::str::from_utf8(&digits)
                .ok()
                .and_then(|t| {
                    if t.is_empty() {
                        Some(0)
                    } else {
                        t.parse().ok()
                    }
                })
                .ok_or_else(bad)?;
            let v = if neg { -v } else { v };
            if v < i64::MIN as i128 || v > i64::MAX as i128 {
                return Err(bad());
            }
        }
        Ok(Int {
            neg: neg && !digits.is_empty(),
            digits,
        })
    }

    fn binary(&mut self, l_is_l: bool) -> R {
        if l_is_l {
            self.advance(false)?;
        }
        let op = self.pos + 1;
        let r_is_l = op + 2 < self.argc() && self.arg(op + 1) == b"-l";
        if r_is_l {
            self.advance(false)?;
        }
        let o = self.arg(op);
        let length = |s: &[u8]| Int {
            neg: false,
            digits: if s.is_empty() {
                Vec::new()
            } else {
                s.len().to_string().into_bytes()
            },
        };
        match o {
            b"-eq" | b"-ne" | b"-lt" | b"-le" | b"-gt" | b"-ge" => {
                let l = if l_is_l {
                    length(self.arg(op - 1))
                } else {
                    self.int(self.arg(op - 1))?
                };
                let r = if r_is_l {
                    length(self.arg(op + 2))
                } else {
                    self.int(self.arg(op + 1))?
                };
                self.pos += 3;
                let c = l.cmp(&r);
                use std::cmp::Ordering::*;
                Ok(match o {
                    b"-eq" => c == Equal,
                    b"-ne" => c != Equal,
                    b"-lt" => c == Less,
                    b"-le" => c != Greater,
                    b"-gt" => c == Greater,
                    _ => c != Less,
                })
            }
            b"-nt" | b"-ot" | b"-ef" => {
                self.pos += 3;
                if l_is_l || r_is_l {
                    let name = match o {
                        b"-nt" => "-nt",
                        b"-ot" => "-ot",
                        _ => "-ef",
                    };
                    return Err(Syntax::NoL(name));
                }
                let l = fd::stat(self.arg(op - 1)).ok();
                let r = fd::stat(self.arg(op + 1)).ok();
                let mtime = |s: &fd::Stat| (s.st_mtime, s.st_mtime_nsec);
                Ok(match o {
                    b"-nt" => match (&l, &r) {
                        (Some(l), Some(r)) => mtime(l) > mtime(r),
                        (l, _) => l.is_some(),
                    },
                    b"-ot" => match (&l, &r) {
                        (Some(l), Some(r)) => mtime(l) < mtime(r),
                        (_, r) => r.is_some(),
                    },
                    _ => match (&l, &r) {
                        (Some(l), Some(r)) => l.st_dev == r.st_dev && l.st_ino == r.st_ino,
                        _ => false,
                    },
                })
            }
            _ => {
                let (l, r) = (self.arg(self.pos), self.arg(self.pos + 2));
                self.pos += 3;
                Ok(match o {
                    b"=" | b"==" => l == r,
                    b"!=" => l != r,
                    b"<" => l < r,
                    _ => l > r,
                })
            }
        }
    }

    fn unary(&mut self) -> R {
        let op = self.arg(self.pos)[1];
        if matches!(op, b'a' | b'o') {
            return Err(Syntax::UnaryExpected(self.arg(self.pos).to_vec()));
        }
        self.advance(true)?;
        self.pos += 1;
        let a = self.arg(self.pos - 1);
        let st = |follow: bool| if follow { fd::stat(a) } else { fd::lstat(a) }.ok();
        let fmt = |s: &fd::Stat| s.st_mode & libc::S_IFMT;
        Ok(match op {
            b'n' => !a.is_empty(),
            b'z' => a.is_empty(),
            b'r' | b'w' | b'x' => {
                let m = match op {
                    b'r' => libc::R_OK,
                    b'w' => libc::W_OK,
                    _ => libc::X_OK,
                };
                !a.is_empty() && user::eaccess(a, m).is_ok()
            }
            b't' => {
                let n = self.int(a)?;
                // Descriptors are small: anything else is no terminal.
                let v = if n.neg || n.digits.len() > 10 {
                    -1
                } else {
                    std::str::from_utf8(&n.digits)
                        .ok()
                        .and_then(|t| t.parse::<i64>().ok())
                        .unwrap_or(0)
                };
                (0..=i32::MAX as i64).contains(&v) && fd::isatty(fd::borrow_raw(v as i32))
            }
            b'h' | b'L' => st(false).is_some_and(|s| fmt(&s) == libc::S_IFLNK),
            _ => {
                let Some(s) = st(true) else {
                    return Ok(false);
                };
                match op {
                    b'e' => true,
                    b'f' => fmt(&s) == libc::S_IFREG,
                    b'd' => fmt(&s) == libc::S_IFDIR,
                    b'b' => fmt(&s) == libc::S_IFBLK,
                    b'c' => fmt(&s) == libc::S_IFCHR,
                    b'p' => fmt(&s) == libc::S_IFIFO,
                    b'S' => fmt(&s) == libc::S_IFSOCK,
                    b's' => s.st_size > 0,
                    b'u' => s.st_mode & libc::S_ISUID != 0,
                    b'g' => s.st_mode & libc::S_ISGID != 0,
                    b'k' => s.st_mode & libc::S_ISVTX != 0,
                    b'O' => s.st_uid == user::geteuid(),
                    b'G' => s.st_gid == user::getegid(),
                    // -N: modified since last read.
                    _ => (s.st_mtime, s.st_mtime_nsec) > (s.st_atime, s.st_atime_nsec),
                }
            }
        })
    }
}

/// A decimal integer of any length: sign and digits without leading zeros (zero: no digits,
/// not negative).
#[derive(PartialEq, Eq)]
struct Int {
    neg: bool,
    digits: Vec<u8>,
}

impl Ord for Int {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        let mag = self
            .digits
            .len()
            .cmp(&o.digits.len())
            .then_with(|| self.digits.cmp(&o.digits));
        match (self.neg, o.neg) {
            (false, false) => mag,
            (true, true) => mag.reverse(),
            (true, false) => std::cmp::Ordering::Less,
            (false, true) => std::cmp::Ordering::Greater,
        }
    }
}

impl PartialOrd for Int {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(a: &[&str]) -> Result<bool, String> {
        let v: Vec<&[u8]> = a.iter().map(|s| s.as_bytes()).collect();
        eval(&v, Dialect::Gnu).map_err(|e| String::from_utf8(e).unwrap())
    }

    #[test]
    fn posix_rules_and_big_integers() {
        assert_eq!(g(&[]), Ok(false));
        assert_eq!(g(&["-n"]), Ok(true));
        assert_eq!(g(&["!", "="]), Ok(false));
        assert_eq!(g(&["(", "-n", ")"]), Ok(true));
        assert_eq!(
            g(&["99999999999999999999", "-gt", "-99999999999999999999"]),
            Ok(true)
        );
        assert_eq!(g(&[" 007 ", "-eq", "+7"]), Ok(true));
        assert_eq!(g(&["-0", "-eq", "0"]), Ok(true));
        assert_eq!(g(&["-l", "abc", "-eq", "3"]), Ok(true));
        assert_eq!(g(&["1", "-eq", "1x"]), Err("invalid integer '1x'".into()));
        assert_eq!(
            g(&["a", "b", "c"]),
            Err("'b': binary operator expected".into())
        );
        assert_eq!(g(&["a", "=", "b", "c"]), Err("extra argument 'c'".into()));
    }
}
