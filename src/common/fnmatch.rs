//! POSIX `fnmatch(3)` on bytes, in the C locale, shared by every applet that matches names:
//! `ls --hide/--ignore` and dircolors' `TERM` list, the shell's `case`, `${x#p}` and pathname
//! expansion, and tar's member and `--exclude` patterns.
//!
//! Patterns: `*`, `?`, bracket expressions (`[a-z]`, `[!x]`, `[^x]`, `[]x]`, `[[:alpha:]]`,
//! collating symbols `[[.-.]]` and equivalence classes `[[=a=]]`) and backslash escapes, inside
//! brackets too. An unclosed `[` is an ordinary character, and so is
//! the `[` of an unknown `[:class:]`: dash's reading, where glibc would fail the whole pattern.
//! What the callers need differently is chosen by [`Flags`].

/// How a pattern is matched; `Flags::default()` is plain matching, where wildcards match
/// any byte.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    /// FNM_PERIOD: a leading `.` of the name is matched only by a literal `.` (or `\.`). Only
    /// the first byte, even with `pathname`: the shell matches one component at a time.
    pub period: bool,
    /// FNM_PATHNAME: `*`, `?` and brackets never match `/`.
    pub pathname: bool,
    /// FNM_CASEFOLD: ASCII letters match either case (tar's --ignore-case).
    pub casefold: bool,
    /// FNM_NOESCAPE: a backslash is an ordinary character.
    pub noescape: bool,
}

impl Flags {
    /// `Flags::default()` usable in a `const`: `Flags { period: true, ..Flags::PLAIN }`.
    pub const PLAIN: Flags = Flags {
        period: false,
        pathname: false,
        casefold: false,
        noescape: false,
    };
}

/// Whether the whole of `name` matches `pat`.
pub fn fnmatch(pat: &[u8], name: &[u8], f: Flags) -> bool {
    if f.period && name.first() == Some(&b'.') {
        let explicit = pat.first() == Some(&b'.') || !f.noescape && pat.starts_with(b"\\.");
        if !explicit {
            return false;
        }
    }
    let eq = |a: u8, b: u8| a == b || f.casefold && a.eq_ignore_ascii_case(&b);
    let wild_ok = |c: u8| !(f.pathname && c == b'/');
    // Iterative, with backtracking to the last star only: no recursion, linear in practice.
    let (mut pi, mut si) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < pat.len() {
            match pat[pi] {
                b'*' => {
                    while pi < pat.len() && pat[pi] == b'*' {
                        pi += 1;
                    }
                    // The shell's `case x in *.d)` hot path: a trailing star takes the rest.
                    if pi == pat.len() && !f.pathname {
                        return true;
                    }
                    star = Some((pi, si));
                    continue;
                }
                b'?' => {
                    if si < name.len() && wild_ok(name[si]) {
                        pi += 1;
                        si += 1;
                        continue;
                    }
                }
                b'[' => {
                    if si < name.len() {
                        match bracket(&pat[pi..], name[si], f) {
                            Some((true, n)) if wild_ok(name[si]) => {
                                pi += n;
                                si += 1;
                                continue;
                            }
                            None if name[si] == b'[' => {
                                pi += 1;
                                si += 1;
                                continue;
                            }
                            _ => {}
                        }
                    }
                }
                b'\\' if !f.noescape && pi + 1 < pat.len() => {
                    if si < name.len() && eq(pat[pi + 1], name[si]) {
                        pi += 2;
                        si += 1;
                        continue;
                    }
                }
                c => {
                    if si < name.len() && eq(c, name[si]) {
                        pi += 1;
                        si += 1;
                        continue;
                    }
                }
            }
        } else if si == name.len() {
            return true;
        }
        // Mismatch: let the last star swallow one more byte.
        match star {
            Some((sp, ss)) if ss < name.len() && wild_ok(name[ss]) => {
                star = Some((sp, ss + 1));
                pi = sp;
                si = ss + 1;
            }
            _ => return false,
        }
    }
}

/// Match `c` against the bracket expression at `p[0] == b'['`: (matched, length of the
/// expression), or None when it is not closed.
fn bracket(p: &[u8], c: u8, f: Flags) -> Option<(bool, usize)> {
    let mut i = 1;
    let neg = matches!(p.get(i), Some(b'!' | b'^'));
    if neg {
        i += 1;
    }
    let lc = c.to_ascii_lowercase();
    let mut found = false;
    let mut first = true;
    loop {
        let &b = p.get(i)?;
        // A `]` right after `[` or `[!` is a member, not the end.
        if b == b']' && !first {
            i += 1;
            break;
        }
        first = false;
        if b == b'[' && p.get(i + 1) == Some(&b':') {
            if let Some(end) = p[i + 2..].windows(2).position(|w| w == b":]") {
                // Classes test the byte as given: under casefold `[[:upper:]]` still means upper case.
                if let Some(m) = class_match(&p[i + 2..i + 2 + end], c) {
                    found |= m;
                    i += end + 4;
                    continue;
                }
            }
        }
        if b == b'[' && p.get(i + 1) == Some(&b'=') {
            // An equivalence class: in the C locale, the one character it names.
            if let Some(e) = collating(p, i, b'=') {
                found |= e.0 == c || f.casefold && e.0.to_ascii_lowercase() == lc;
                i += e.1;
                continue;
            }
        }
        let (lo, n) = element(p, i, f.noescape);
        i += n;
        let mut hi = lo;
        if p.get(i) == Some(&b'-') && p.get(i + 1).is_some_and(|&x| x != b']') {
            let (h, m) = element(p, i + 1, f.noescape);
            hi = h;
            i += 1 + m;
        }
        if (lo..=hi).contains(&c)
            || f.casefold && (lo.to_ascii_lowercase()..=hi.to_ascii_lowercase()).contains(&lc)
        {
            found = true;
        }
    }
    Some((found != neg, i))
}

/// One member or range end at `p[i]`: a byte, a backslash-escaped byte or a collating symbol
/// `[.c.]`; (the byte, its length in the pattern).
fn element(p: &[u8], i: usize, noescape: bool) -> (u8, usize) {
    if p[i] == b'[' && p.get(i + 1) == Some(&b'.') {
        if let Some(e) = collating(p, i, b'.') {
            return e;
        }
    }
    if !noescape && p[i] == b'\\' && i + 1 < p.len() {
        return (p[i + 1], 2);
    }
    (p[i], 1)
}

/// `[.c.]` or `[=c=]` at `p[i]` naming one character (the C locale has no multi-character
/// collating elements): (the character, the length of the whole form).
fn collating(p: &[u8], i: usize, kind: u8) -> Option<(u8, usize)> {
    match p.get(i + 2..i + 5)? {
        [c, k, b']'] if *k == kind => Some((*c, 5)),
        _ => None,
    }
}

/// A POSIX character class in the C locale; None for an unknown name.
fn class_match(class: &[u8], c: u8) -> Option<bool> {
    Some(match class {
        b"alpha" => c.is_ascii_alphabetic(),
        b"digit" => c.is_ascii_digit(),
        b"alnum" => c.is_ascii_alphanumeric(),
        b"upper" => c.is_ascii_uppercase(),
        b"lower" => c.is_ascii_lowercase(),
        b"space" => matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c),
        b"blank" => c == b' ' || c == b'\t',
        b"punct" => c.is_ascii_punctuation(),
        b"print" => (0x20..0x7f).contains(&c),
        b"graph" => (0x21..0x7f).contains(&c),
        b"cntrl" => c < 0x20 || c == 0x7f,
        b"xdigit" => c.is_ascii_hexdigit(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::{fnmatch, Flags};

    const PLAIN: Flags = Flags::PLAIN;
    const PERIOD: Flags = Flags {
        period: true,
        ..PLAIN
    };
    const PATH: Flags = Flags {
        period: true,
        pathname: true,
        ..PLAIN
    };

    fn m(p: &str, s: &str) -> bool {
        fnmatch(p.as_bytes(), s.as_bytes(), PLAIN)
    }

    #[test]
    fn basics() {
        assert!(fnmatch(b"*~", b"a~", PERIOD));
        assert!(!fnmatch(b"*~", b".a~", PERIOD));
        assert!(fnmatch(b".*~", b".a~", PERIOD));
        assert!(fnmatch(b"\\.*", b".a", PERIOD));
        assert!(!fnmatch(b"[.]*", b".a", PERIOD));
        assert!(m("a?c", "abc"));
        assert!(m("*.[ch]", "x.h"));
        assert!(!m("*.[!ch]", "x.h"));
        assert!(!m("*.[^ch]", "x.h"));
        assert!(m("[[:digit:]]*", "1x"));
        assert!(m("xterm*", "xterm-256color"));
        assert!(m("con[0-9]*x[0-9]*", "con80x25"));
        assert!(m("a\\*", "a*"));
        assert!(!m("a\\*", "ab"));
        assert!(m("a\\", "a\\"));
        assert!(m("*", ""));
        assert!(!m("?", ""));
        assert!(m("*a*b*c", "xxaxxbxxc"));
        assert!(!m("*a*b*c", "xxaxxbxxcx"));
        assert!(!m("*a*b*c", "xxaxxbxx"));
    }

    #[test]
    fn brackets() {
        assert!(m("[", "["));
        assert!(m("[a", "[a"));
        assert!(m("[]]", "]"));
        assert!(m("[]a]", "a"));
        assert!(m("[!]]", "a"));
        assert!(!m("[!]]", "]"));
        assert!(m("[!]", "[!]"));
        assert!(m("[a-]", "-"));
        assert!(m("[\\]]", "]"));
        assert!(m("[a-\\z]", "m"));
        assert!(m("[[:space:]]", "\x0b"));
        assert!(m("[[:blank:][:cntrl:]]", "\x01"));
        // An unknown class leaves `[` an ordinary member (dash).
        assert!(m("[[:foo:]]", ":]"));
        assert!(!m("[[:foo:]]", "x]"));
        let noesc = Flags {
            noescape: true,
            ..PLAIN
        };
        assert!(fnmatch(b"a\\*", b"a\\bc", noesc));
        assert!(fnmatch(b"[\\]", b"\\", noesc));
        // Collating symbols and equivalence classes, as members and as range ends.
        assert!(fnmatch(b"[[.-.].]", b"-", PLAIN));
        assert!(fnmatch(b"[[.-.].]", b".", PLAIN));
        assert!(fnmatch(b"[[=a=]]", b"a", PLAIN));
        assert!(!fnmatch(b"[[=a=]]", b"b", PLAIN));
        assert!(fnmatch(b"[[.a.]-c]", b"b", PLAIN));
        assert!(fnmatch(b"[\\!]", b"!", PLAIN));
    }

    #[test]
    fn pathname() {
        assert!(!fnmatch(b"*", b".hidden", PATH));
        assert!(fnmatch(b".*", b".hidden", PATH));
        assert!(fnmatch(b"*.c", b"d/a.c", PLAIN));
        assert!(!fnmatch(b"*.c", b"d/a.c", PATH));
        assert!(!fnmatch(b"a?b", b"a/b", PATH));
        assert!(!fnmatch(b"a[/]b", b"a/b", PATH));
        assert!(fnmatch(b"a/*", b"a/b", PATH));
        assert!(!fnmatch(b"a*", b"a/b", PATH));
    }

    #[test]
    fn casefold() {
        let f = Flags {
            casefold: true,
            ..PLAIN
        };
        assert!(fnmatch(b"*.TXT", b"a.txt", f));
        assert!(fnmatch(b"[A-C]x", b"bX", f));
        assert!(fnmatch(b"\\A", b"a", f));
        assert!(!fnmatch(b"[[:upper:]]", b"a", f));
        assert!(!m("*.TXT", "a.txt"));
    }
}
