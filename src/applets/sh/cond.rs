//! `[[ expression ]]`, the conditional command of bash and BusyBox ash: words are expanded
//! without field splitting or pathname expansion; `==`/`=`/`!=` match the right side as a
//! pattern (its quoted parts literally); `=~` matches a POSIX ERE (the one engine in
//! `common::regex`; quoted parts literal); `<`/`>` compare bytes; `-eq` and the other integer
//! operators evaluate both sides as arithmetic (bash); `&&`, `||`, `!` and `( )` short-circuit.
//! The file and string primaries are the `test` builtin's (`common::test`). Status 0 true,
//! 1 false, 2 for an error (a bad regex, a bad number).

use super::ast::{CondExpr, Word, WordPart};
use super::exec::{Flow, Shell};
use super::pattern;
use crate::common::regex::{Flags, Regex};
use crate::common::test::{self as ctest, Dialect};

impl Shell {
    pub fn run_cond(&mut self, e: &CondExpr) -> Result<i32, Flow> {
        match self.cond(e) {
            Ok(true) => Ok(0),
            Ok(false) => Ok(1),
            Err(CondErr::Status(s)) => Ok(s),
            Err(CondErr::Flow(f)) => Err(f),
        }
    }

    fn cond(&mut self, e: &CondExpr) -> Result<bool, CondErr> {
        Ok(match e {
            CondExpr::Word(w) => !self.expand_str(w)?.is_empty(),
            CondExpr::Not(e) => !self.cond(e)?,
            CondExpr::And(a, b) => self.cond(a)? && self.cond(b)?,
            CondExpr::Or(a, b) => self.cond(a)? || self.cond(b)?,
            CondExpr::Unary(op, w) => {
                let arg = self.expand_str(w)?;
                match op.as_slice() {
                    b"-v" => self.vars.get(&arg).is_some(),
                    b"-o" => std::str::from_utf8(&arg)
                        .ok()
                        .and_then(|n| self.opts.get_mut(n).map(|v| *v))
                        .unwrap_or(false),
                    // `-a FILE` is `-e FILE` here (test's `-a` is its and-operator).
                    b"-a" => self.test_primary(&[b"-e", &arg])?,
                    _ => self.test_primary(&[op, &arg])?,
                }
            }
            CondExpr::Binary(op, l, r) => {
                let lv = self.expand_str(l)?;
                match op.as_slice() {
                    b"==" | b"=" | b"!=" => {
                        let pat = self.expand_pattern(r)?;
                        pattern::fnmatch(&pat, &lv, false) == (op != b"!=")
                    }
                    b"=~" => {
                        let re = self.regex_text(r)?;
                        match Regex::new(&re, Flags(Flags::EXTENDED)) {
                            Ok(rx) => rx.is_match(&lv),
                            Err(_) => return Err(CondErr::Status(2)),
                        }
                    }
                    b"<" => lv < self.expand_str(r)?,
                    b">" => lv > self.expand_str(r)?,
                    b"-eq" | b"-ne" | b"-lt" | b"-le" | b"-gt" | b"-ge" => {
                        let a = self.arith_text(&lv)?;
                        let rv = self.expand_str(r)?;
                        let b = self.arith_text(&rv)?;
                        match op.as_slice() {
                            b"-eq" => a == b,
                            b"-ne" => a != b,
                            b"-lt" => a < b,
                            b"-le" => a <= b,
                            b"-gt" => a > b,
                            _ => a >= b,
                        }
                    }
                    _ => {
                        let rv = self.expand_str(r)?;
                        self.test_primary(&[&lv, op, &rv])?
                    }
                }
            }
        })
    }

    fn test_primary(&mut self, args: &[&[u8]]) -> Result<bool, CondErr> {
        ctest::eval(args, Dialect::Dash).map_err(|m| {
            self.errf(&[b"[[: ", &m]);
            CondErr::Status(2)
        })
    }

    /// The right side of `=~`: expansions and unquoted text as they are, quoted text with the
    /// ERE's special characters escaped so that it matches literally.
    fn regex_text(&mut self, w: &Word) -> Result<Vec<u8>, Flow> {
        let mut out = Vec::new();
        for p in w {
            match p {
                WordPart::Lit(s) => out.extend_from_slice(s),
                WordPart::Quoted(s) => escape_ere(s, &mut out),
                WordPart::Dq(inner) => {
                    let text = self.expand_str(&inner.iter().map(clone_quoted).collect())?;
                    escape_ere(&text, &mut out);
                }
                other => {
                    let text = self.expand_str(&vec![clone_quoted(other)])?;
                    out.extend_from_slice(&text);
                }
            }
        }
        Ok(out)
    }
}

fn escape_ere(s: &[u8], out: &mut Vec<u8>) {
    for &c in s {
        if b"\\.[]()*+?{}|^$".contains(&c) {
            out.push(b'\\');
        }
        out.push(c);
    }
}

/// A copy of one word part (words in the tree are shared, expansion takes a `Word`).
fn clone_quoted(p: &WordPart) -> WordPart {
    super::parser::clone_part(p)
}

enum CondErr {
    Status(i32),
    Flow(Flow),
}

impl From<Flow> for CondErr {
    fn from(f: Flow) -> Self {
        CondErr::Flow(f)
    }
}
