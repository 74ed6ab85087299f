//! `--transform=EXPR` / `--xform`: GNU tar 1.34's name transformations, read and applied by
//! the `s` command sed uses ([`crate::common::subst`], tar dialect) over the one regex engine.
//!
//! EXPR is `s/REGEX/REPLACEMENT/[FLAGS]` (any delimiter), several separated by `;`, and
//! `flags=FLAGS;` setting the scope of the expressions after it. Flags: `g` every match, `N`
//! the Nth (strtoul base 0, as GNU: `0x10` is 16), `i` ignore case, `x` extended regex (BRE
//! otherwise); scope `r`/`R` regular member names, `s`/`S` symlink targets, `h`/`H` hard link
//! targets (lower case applies, upper case exempts; all three by default). A regex starting
//! with `^` or ending with `$` replaces once, as GNU's does. Expressions apply in order, each
//! to the result of the one before.
//!
//! Deviations: GNU tar 1.34 repeats the text before a skipped match with `N` (`s/a/X/2` turns
//! `bab` into `bbaX`... a bug) and loops forever on an empty match with `g`; rbox replaces the
//! Nth match as sed does and steps over empty matches.

use crate::common::regex::{Flags, Regex};
use crate::common::subst::{self, Cursor, Dialect, How, Rhs, EOF};

/// Scope bits (GNU's XFORM_*).
pub const REGFILE: u8 = 1;
pub const LINK: u8 = 2;
pub const SYMLINK: u8 = 4;
const ALL: u8 = REGFILE | LINK | SYMLINK;

struct Expr {
    re: Regex,
    rhs: Rhs,
    how: How,
    scope: u8,
}

/// The transformations of one run, in the order given.
pub struct Transform {
    exprs: Vec<Expr>,
    /// The scope `flags=` set for the expressions that follow.
    scope: u8,
}

impl Default for Transform {
    fn default() -> Self {
        Transform {
            exprs: Vec::new(),
            scope: ALL,
        }
    }
}

fn scope_flag(scope: &mut u8, c: u8) -> bool {
    match c {
        b'r' => *scope |= REGFILE,
        b'R' => *scope &= !REGFILE,
        b'h' => *scope |= LINK,
        b'H' => *scope &= !LINK,
        b's' => *scope |= SYMLINK,
        b'S' => *scope &= !SYMLINK,
        _ => return false,
    }
    true
}

/// strtoul(s, &end, 0) over the digits at the start of `s`: (value, bytes used).
fn strtoul0(s: &[u8]) -> (u64, usize) {
    let (base, start) = if s.len() > 2 && s[0] == b'0' && matches!(s[1], b'x' | b'X') {
        if s[2].is_ascii_hexdigit() {
            (16, 2)
        } else {
            // "0x" without hex digits: the 0 alone.
            return (0, 1);
        }
    } else if s[0] == b'0' {
        (8, 0)
    } else {
        (10, 0)
    };
    let mut n: u64 = 0;
    let mut i = start;
    while i < s.len() {
        let Some(d) = (s[i] as char).to_digit(base) else {
            break;
        };
        n = n.saturating_mul(base as u64).saturating_add(d as u64);
        i += 1;
    }
    (n, i)
}

impl Transform {
    pub fn is_empty(&self) -> bool {
        self.exprs.is_empty()
    }

    /// Add the expressions of one `--transform` argument. The error is GNU's message.
    pub fn add(&mut self, text: &[u8]) -> Result<(), Vec<u8>> {
        let mut rest = text;
        while !rest.is_empty() {
            rest = self.one(rest)?;
        }
        Ok(())
    }

    /// One expression at the start of `t`; returns what follows its `;`.
    fn one<'t>(&mut self, t: &'t [u8]) -> Result<&'t [u8], Vec<u8>> {
        let invalid = || b"Invalid transform expression".to_vec();
        if t[0] != b's' {
            let Some(f) = t.strip_prefix(b"flags=") else {
                return Err(invalid());
            };
            self.scope = 0;
            for (i, &c) in f.iter().enumerate() {
                if c == b';' {
                    return Ok(&f[i + 1..]);
                }
                if !scope_flag(&mut self.scope, c) {
                    let mut m = b"Unknown transform flag: ".to_vec();
                    m.push(c);
                    return Err(m);
                }
            }
            return Ok(&[]);
        }
        let mut cur = Cursor::new(t, 0);
        cur.pos = 1;
        let delim = cur.inchar();
        if delim == EOF || delim == 0 {
            return Err(invalid());
        }
        let pat = subst::match_slash(&mut cur, delim, true, Dialect::Tar).ok_or_else(invalid)?;
        let rep = subst::match_slash(&mut cur, delim, false, Dialect::Tar).ok_or_else(invalid)?;
        let mut how = How {
            fresh: true,
            ..How::default()
        };
        let mut flags = 0;
        let mut scope = self.scope;
        let mut p = cur.pos;
        while p < t.len() && t[p] != b';' {
            match t[p] {
                b'g' => how.global = true,
                b'i' => flags |= Flags::ICASE,
                b'x' => flags |= Flags::EXTENDED,
                b'0'..=b'9' => {
                    let (n, used) = strtoul0(&t[p..]);
                    how.nth = n;
                    p += used;
                    continue;
                }
                c => {
                    if !scope_flag(&mut scope, c) {
                        let mut m = b"Unknown flag in transform expression: ".to_vec();
                        m.push(c);
                        return Err(m);
                    }
                }
            }
            p += 1;
        }
        let next = if p < t.len() { &t[p + 1..] } else { &[][..] };
        let re = Regex::new(&pat, Flags(flags))
            .map_err(|e| format!("Invalid transform expression: {}", e.0.message()).into_bytes())?;
        if pat.first() == Some(&b'^') || pat.last() == Some(&b'$') || pat.is_empty() {
            how.global = false;
        }
        let rhs = Rhs::parse(&rep, delim as u8, Dialect::Tar, re.groups())
            .map_err(|e| e.as_bytes().to_vec())?;
        self.exprs.push(Expr {
            re,
            rhs,
            how,
            scope,
        });
        Ok(next)
    }

    /// `name` after every expression whose scope has `kind`; None when none changed it.
    pub fn apply(&self, name: &[u8], kind: u8) -> Option<Vec<u8>> {
        let mut cur: Option<Vec<u8>> = None;
        let mut acc = Vec::new();
        let mut caps = Vec::new();
        for x in &self.exprs {
            if x.scope & kind == 0 {
                continue;
            }
            caps.clear();
            caps.resize(x.re.groups() + 1, None);
            let subject = cur.as_deref().unwrap_or(name);
            let mut m = x.re.matcher();
            if subst::substitute(&mut m, subject, &x.rhs, x.how, &mut caps, &mut acc) {
                cur = Some(std::mem::take(&mut acc));
            }
        }
        cur
    }

    /// [`apply`](Self::apply), the name itself when nothing changed.
    pub fn name<'n>(&self, name: &'n [u8], kind: u8) -> std::borrow::Cow<'n, [u8]> {
        match self.apply(name, kind) {
            Some(v) => std::borrow::Cow::Owned(v),
            None => std::borrow::Cow::Borrowed(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(exprs: &[&str], name: &str, kind: u8) -> String {
        let mut x = Transform::default();
        for e in exprs {
            x.add(e.as_bytes()).unwrap();
        }
        String::from_utf8(x.name(name.as_bytes(), kind).into_owned()).unwrap()
    }

    #[test]
    fn expressions() {
        assert_eq!(t(&["s/a/X/"], "d/abcabc", REGFILE), "d/Xbcabc");
        assert_eq!(t(&["s/a/X/g"], "d/abcabc", REGFILE), "d/XbcXbc");
        assert_eq!(t(&["s/a/X/2"], "d/abcabc", REGFILE), "d/abcXbc");
        assert_eq!(t(&["s,^d/,,;s/b/B/g"], "d/abcabc", REGFILE), "aBcaBc");
        assert_eq!(t(&["s/\\(.*\\)c/[\\1]/"], "abc", REGFILE), "[ab]");
        assert_eq!(t(&["s/(a)(b)/\\2\\1/x"], "abc", REGFILE), "bac");
        assert_eq!(t(&["s/A/x/i"], "abc", REGFILE), "xbc");
        assert_eq!(t(&["s/a/x/S"], "abc", SYMLINK), "abc");
        assert_eq!(t(&["flags=S;s/a/x/"], "abc", SYMLINK), "abc");
        assert_eq!(t(&["flags=S;s/a/x/s"], "abc", SYMLINK), "xbc");
        assert_eq!(t(&["s/b*/Y/g"], "abc", REGFILE), "YaYcY");
        assert_eq!(t(&["s|a\\|b|X|g"], "abc", REGFILE), "XXc");
    }

    #[test]
    fn errors() {
        let e = |s: &str| {
            String::from_utf8(Transform::default().add(s.as_bytes()).unwrap_err()).unwrap()
        };
        assert_eq!(e("s/a"), "Invalid transform expression");
        assert_eq!(e("x/a/b/"), "Invalid transform expression");
        assert_eq!(e("s/a/b/q"), "Unknown flag in transform expression: q");
        assert_eq!(e("flags=q"), "Unknown transform flag: q");
        assert_eq!(
            e("s/a\\(/b/"),
            "Invalid transform expression: Unmatched ( or \\("
        );
        assert_eq!(
            e("s/a/\\1/"),
            "Invalid transform replacement: back reference out of range"
        );
    }
}
