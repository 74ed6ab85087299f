//! POSIX `fnmatch(3)` on bytes, in the C locale: `*`, `?`, bracket expressions (`[a-z]`, `[!x]`,
//! `[^x]`, `[[:alpha:]]`), backslash escapes, and the `FNM_PERIOD` rule (a leading `.` must be
//! matched explicitly). Used by `ls --hide/--ignore` and the `TERM` list of dircolors; the shell's
//! `case` patterns and tar's `--exclude` need the same thing.

/// Whether `name` matches `pat`. With `period`, a leading `.` in `name` is matched only by a
/// literal `.` in the pattern (glibc's FNM_PERIOD without FNM_PATHNAME).
pub fn fnmatch(pat: &[u8], name: &[u8], period: bool) -> bool {
    if period && name.first() == Some(&b'.') && !matches!(pat.first(), Some(b'.')) {
        // `\.` also matches a leading period explicitly.
        if !(pat.len() >= 2 && pat[0] == b'\\' && pat[1] == b'.') {
            return false;
        }
    }
    match_from(pat, name)
}

/// Iterative matcher with single-star backtracking: linear in practice, no recursion.
fn match_from(pat: &[u8], name: &[u8]) -> bool {
    let (mut p, mut n) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if p < pat.len() {
            match pat[p] {
                b'*' => {
                    while p < pat.len() && pat[p] == b'*' {
                        p += 1;
                    }
                    star = Some((p, n));
                    continue;
                }
                b'?' if n < name.len() => {
                    p += 1;
                    n += 1;
                    continue;
                }
                b'[' if n < name.len() => {
                    if let Some((ok, next)) = bracket(pat, p, name[n]) {
                        if ok {
                            p = next;
                            n += 1;
                            continue;
                        }
                    } else if name[n] == b'[' {
                        // An unterminated bracket is an ordinary character.
                        p += 1;
                        n += 1;
                        continue;
                    }
                }
                b'\\' if p + 1 < pat.len() => {
                    if n < name.len() && name[n] == pat[p + 1] {
                        p += 2;
                        n += 1;
                        continue;
                    }
                }
                c => {
                    if n < name.len() && name[n] == c {
                        p += 1;
                        n += 1;
                        continue;
                    }
                }
            }
        } else if n == name.len() {
            return true;
        }
        // Mismatch: let the last star swallow one more byte.
        match star {
            Some((sp, sn)) if sn < name.len() => {
                star = Some((sp, sn + 1));
                p = sp;
                n = sn + 1;
            }
            _ => return false,
        }
    }
}

/// Match `c` against the bracket expression starting at `pat[start] == b'['`. Returns
/// (matched, index after the closing `]`), or None if the bracket is not terminated.
fn bracket(pat: &[u8], start: usize, c: u8) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = i < pat.len() && (pat[i] == b'!' || pat[i] == b'^');
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        if i >= pat.len() {
            return None;
        }
        let mut lo = pat[i];
        if lo == b']' && !first {
            i += 1;
            break;
        }
        first = false;
        if lo == b'[' && i + 1 < pat.len() && pat[i + 1] == b':' {
            let rest = &pat[i + 2..];
            if let Some(end) = rest.windows(2).position(|w| w == b":]") {
                let class = &rest[..end];
                if class_match(class, c) {
                    matched = true;
                }
                i += 2 + end + 2;
                continue;
            }
        }
        if lo == b'\\' && i + 1 < pat.len() {
            i += 1;
            lo = pat[i];
        }
        i += 1;
        let mut hi = lo;
        if i + 1 < pat.len() && pat[i] == b'-' && pat[i + 1] != b']' {
            hi = pat[i + 1];
            i += 2;
            if hi == b'\\' && i < pat.len() {
                hi = pat[i];
                i += 1;
            }
        }
        if lo <= c && c <= hi {
            matched = true;
        }
    }
    Some((matched != negate, i))
}

fn class_match(class: &[u8], c: u8) -> bool {
    match class {
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
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::fnmatch;

    #[test]
    fn basics() {
        assert!(fnmatch(b"*~", b"a~", true));
        assert!(!fnmatch(b"*~", b".a~", true));
        assert!(fnmatch(b".*~", b".a~", true));
        assert!(fnmatch(b"a?c", b"abc", false));
        assert!(fnmatch(b"*.[ch]", b"x.h", false));
        assert!(!fnmatch(b"*.[!ch]", b"x.h", false));
        assert!(fnmatch(b"[[:digit:]]*", b"1x", false));
        assert!(fnmatch(b"xterm*", b"xterm-256color", false));
        assert!(fnmatch(b"con[0-9]*x[0-9]*", b"con80x25", false));
        assert!(fnmatch(b"a\\*", b"a*", false));
        assert!(!fnmatch(b"a\\*", b"ab", false));
        assert!(fnmatch(b"[", b"[", false));
        assert!(fnmatch(b"*", b"", false));
        assert!(!fnmatch(b"?", b"", false));
        assert!(fnmatch(b"*a*b*c", b"xxaxxbxxc", false));
        assert!(!fnmatch(b"*a*b*c", b"xxaxxbxxcx", false));
        assert!(fnmatch(b"[]a]", b"]", false));
    }
}
