//! Shell pattern matching (XCU 2.13) on top of [`common::fnmatch`]: pathname expansion over
//! the file system, and the prefix/suffix matches of `${x#p}` and `${x%p}` with fast paths for
//! the common literal shapes (`*/`, `.*`).
//!
//! Patterns come from the expander with quoted characters escaped by a backslash, so quoting
//! survives into matching. Bytes are compared as bytes (the C locale), as dash does.

use crate::common::{self, fnmatch::Flags};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// Does the pattern contain an unescaped metacharacter?
pub fn has_meta(p: &[u8]) -> bool {
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'\\' => i += 1,
            b'*' | b'?' | b'[' => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// Could pathname expansion change this pattern? `*`, `?`, or a `[` closed by a later `]`
/// (an unclosed `[` is an ordinary character, so `[` the command is never globbed).
pub fn needs_glob(p: &[u8]) -> bool {
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'\\' => i += 1,
            b'*' | b'?' => return true,
            b'[' if p[i + 1..].iter().skip(1).any(|&c| c == b']') => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// Remove the escaping backslashes of a pattern without metacharacters.
pub fn unescape(p: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(p.len());
    let mut i = 0;
    while i < p.len() {
        if p[i] == b'\\' && i + 1 < p.len() {
            i += 1;
        }
        v.push(p[i]);
        i += 1;
    }
    v
}

/// Match the whole of `s` against pattern `p`. `path`: `*`, `?` and brackets never match `/`
/// and a leading `.` must be matched explicitly (pathname expansion rules).
#[inline]
pub fn fnmatch(p: &[u8], s: &[u8], path: bool) -> bool {
    let f = Flags {
        period: path,
        pathname: path,
        ..Flags::PLAIN
    };
    common::fnmatch::fnmatch(p, s, f)
}

/// Pathname expansion: the sorted list of matching paths (empty when nothing matches).
pub fn glob(pat: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let (start, rest): (Vec<u8>, &[u8]) = if pat.first() == Some(&b'/') {
        (b"/".to_vec(), &pat[1..])
    } else {
        (Vec::new(), pat)
    };
    let segs: Vec<&[u8]> = rest.split(|&c| c == b'/').collect();
    walk(start, &segs, &mut out);
    crate::common::sort::sort(&mut out);
    out
}

fn walk(base: Vec<u8>, segs: &[&[u8]], out: &mut Vec<Vec<u8>>) {
    let Some((seg, more)) = segs.split_first() else {
        out.push(base);
        return;
    };
    let join = |base: &[u8], name: &[u8]| {
        let mut p = base.to_vec();
        if !p.is_empty() && !p.ends_with(b"/") {
            p.push(b'/');
        }
        p.extend_from_slice(name);
        p
    };
    if seg.is_empty() {
        // `a//b` or a trailing slash: keep it, and a trailing one needs a directory.
        let p = join(&base, b"");
        if more.is_empty() {
            if std::fs::metadata(OsStr::from_bytes(&p)).is_ok_and(|m| m.is_dir()) {
                out.push(p);
            }
        } else {
            walk(p, more, out);
        }
        return;
    }
    if !has_meta(seg) {
        let p = join(&base, &unescape(seg));
        if more.is_empty() {
            if std::fs::symlink_metadata(OsStr::from_bytes(&p)).is_ok() {
                out.push(p);
            }
        } else {
            walk(p, more, out);
        }
        return;
    }
    let dir: &[u8] = if base.is_empty() { b"." } else { &base };
    let Ok(rd) = std::fs::read_dir(OsStr::from_bytes(dir)) else {
        return;
    };
    let mut names: Vec<Vec<u8>> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().as_bytes().to_vec())
        .filter(|n| fnmatch(seg, n, true))
        .collect();
    // std's read_dir hides `.` and `..`; readdir(3) does not, and dash's `.*` matches them.
    if seg.first() == Some(&b'.') {
        for d in [&b"."[..], b".."] {
            if fnmatch(seg, d, true) {
                names.push(d.to_vec());
            }
        }
    }
    crate::common::sort::sort(&mut names);
    for n in names {
        let p = join(&base, &n);
        if more.is_empty() {
            out.push(p);
        } else {
            walk(p, more, out);
        }
    }
}

/// The text of a pattern without metacharacters (escapes removed), if it is one.
fn literal(p: &[u8]) -> Option<Vec<u8>> {
    if has_meta(p) || p.last() == Some(&b'\\') && !ends_escaped(p) {
        return None;
    }
    Some(unescape(p))
}

/// Does `p` end with a backslash that is itself escaped (an even run of backslashes)?
fn ends_escaped(p: &[u8]) -> bool {
    p.iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 0
}

/// Split `p` into (literal, star at start?, star at end?) for the shapes `lit`, `*lit`, `lit*`.
fn shape(p: &[u8]) -> Option<(Vec<u8>, bool, bool)> {
    if let Some(rest) = p.strip_prefix(b"*") {
        if !rest.starts_with(b"*") {
            return literal(rest).map(|l| (l, true, false));
        }
        return None;
    }
    if let Some(head) = p.strip_suffix(b"*") {
        if ends_escaped(head) {
            return literal(head).map(|l| (l, false, true));
        }
        return None;
    }
    literal(p).map(|l| (l, false, false))
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    memchr::memmem::find(h, n)
}

fn rfind(h: &[u8], n: &[u8]) -> Option<usize> {
    memchr::memmem::rfind(h, n)
}

/// Shortest or longest prefix of `s` matching `p`: the length, if any.
pub fn match_prefix(p: &[u8], s: &[u8], longest: bool) -> Option<usize> {
    if let Some((l, star_first, star_last)) = shape(p) {
        return match (star_first, star_last) {
            (false, false) => s.starts_with(&l).then_some(l.len()),
            (true, _) => {
                let at = if longest { rfind(s, &l) } else { find(s, &l) };
                at.map(|i| i + l.len())
            }
            (false, true) => s
                .starts_with(&l)
                .then_some(if longest { s.len() } else { l.len() }),
        };
    }
    if longest {
        (0..=s.len()).rev().find(|&i| fnmatch(p, &s[..i], false))
    } else {
        (0..=s.len()).find(|&i| fnmatch(p, &s[..i], false))
    }
}

/// Start of the shortest or longest suffix of `s` matching `p`, if any.
pub fn match_suffix(p: &[u8], s: &[u8], longest: bool) -> Option<usize> {
    if let Some((l, star_first, star_last)) = shape(p) {
        return match (star_first, star_last) {
            (false, false) => s.ends_with(&l).then(|| s.len() - l.len()),
            (false, true) => {
                if longest {
                    find(s, &l)
                } else {
                    rfind(s, &l)
                }
            }
            (true, _) => s
                .ends_with(&l)
                .then(|| if longest { 0 } else { s.len() - l.len() }),
        };
    }
    if longest {
        (0..=s.len()).find(|&i| fnmatch(p, &s[i..], false))
    } else {
        (0..=s.len()).rev().find(|&i| fnmatch(p, &s[i..], false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching() {
        assert!(fnmatch(b"*.c", b"a.c", false));
        assert!(!fnmatch(b"*.c", b"a.h", false));
        assert!(fnmatch(b"a?c", b"abc", false));
        assert!(fnmatch(b"[a-c]x", b"bx", false));
        assert!(fnmatch(b"[!a-c]x", b"dx", false));
        assert!(fnmatch(b"[[:digit:]]*", b"1abc", false));
        assert!(fnmatch(b"\\*", b"*", false));
        assert!(!fnmatch(b"\\*", b"a", false));
        assert!(fnmatch(b"[", b"[", false));
        assert!(fnmatch(b"*a*b*", b"xxaxxbxx", false));
        assert!(!fnmatch(b"*", b".hidden", true));
        assert!(fnmatch(b".*", b".hidden", true));
        assert!(fnmatch(b"[]]", b"]", false));
        assert_eq!(match_prefix(b"*/", b"a/b/c", false), Some(2));
        assert_eq!(match_prefix(b"*/", b"a/b/c", true), Some(4));
        assert_eq!(match_suffix(b".*", b"a.b.c", false), Some(3));
        assert_eq!(match_suffix(b".*", b"a.b.c", true), Some(1));
        // The fast shapes agree with the general matcher.
        let subjects: &[&[u8]] = &[b"", b"a", b"a/b/c", b"//", b"x.y.z", b"*a*", b"a\\b"];
        let pats: &[&[u8]] = &[
            b"*/", b"/*", b"a", b"*", b".*", b"*.", b"\\*", b"*\\*", b"a*", b"*a", b"", b"\\\\*",
        ];
        for s in subjects {
            for p in pats {
                for long in [false, true] {
                    let slow_p = if long {
                        (0..=s.len()).rev().find(|&i| fnmatch(p, &s[..i], false))
                    } else {
                        (0..=s.len()).find(|&i| fnmatch(p, &s[..i], false))
                    };
                    assert_eq!(match_prefix(p, s, long), slow_p, "prefix {:?} {:?}", p, s);
                    let slow_s = if long {
                        (0..=s.len()).find(|&i| fnmatch(p, &s[i..], false))
                    } else {
                        (0..=s.len()).rev().find(|&i| fnmatch(p, &s[i..], false))
                    };
                    assert_eq!(match_suffix(p, s, long), slow_s, "suffix {:?} {:?}", p, s);
                }
            }
        }
    }
}
