//! Name matching: shell wildcards (fnmatch without FNM_PERIOD), GNU tar's exclusion rules
//! (unanchored, wildcards matching '/', a pattern also matching a leading directory) and its
//! member selection rules (anchored, literal unless --wildcards, a directory operand selecting
//! everything below it).

/// fnmatch: `*`, `?`, `[...]` (with `!`/`^` negation and ranges), backslash escapes. `slash`:
/// whether wildcards match '/'.
pub fn fnmatch(pat: &[u8], name: &[u8], slash: bool, icase: bool) -> bool {
    let eq = |a: u8, b: u8| {
        if icase {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    // Iterative matcher with single-star backtracking: linear-ish, no recursion depth issues.
    let (mut p, mut n) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pat.len() {
            match pat[p] {
                b'*' => {
                    while p < pat.len() && pat[p] == b'*' {
                        p += 1;
                    }
                    star = Some((p, n));
                    continue;
                }
                b'?' if slash || name[n] != b'/' => {
                    p += 1;
                    n += 1;
                    continue;
                }
                b'[' => {
                    if let Some((ok, len)) = class(&pat[p..], name[n], icase) {
                        if ok && (slash || name[n] != b'/') {
                            p += len;
                            n += 1;
                            continue;
                        }
                    } else if eq(b'[', name[n]) {
                        p += 1;
                        n += 1;
                        continue;
                    }
                }
                b'\\' if p + 1 < pat.len() => {
                    if eq(pat[p + 1], name[n]) {
                        p += 2;
                        n += 1;
                        continue;
                    }
                }
                c => {
                    if c != b'?' && eq(c, name[n]) {
                        p += 1;
                        n += 1;
                        continue;
                    }
                }
            }
        }
        // Mismatch: let the last star eat one more byte.
        match star {
            Some((sp, sn)) if slash || name[sn] != b'/' => {
                p = sp;
                n = sn + 1;
                star = Some((sp, sn + 1));
            }
            _ => return false,
        }
    }
    while p < pat.len() && pat[p] == b'*' {
        p += 1;
    }
    p == pat.len()
}

/// A bracket expression at the start of `pat`: (matches, length) or None when unterminated.
fn class(pat: &[u8], c: u8, icase: bool) -> Option<(bool, usize)> {
    let mut i = 1;
    let neg = i < pat.len() && (pat[i] == b'!' || pat[i] == b'^');
    if neg {
        i += 1;
    }
    let mut ok = false;
    let mut first = true;
    let lc = c.to_ascii_lowercase();
    while i < pat.len() && (first || pat[i] != b']') {
        first = false;
        let mut lo = pat[i];
        if lo == b'\\' && i + 1 < pat.len() {
            i += 1;
            lo = pat[i];
        }
        if lo == b'[' && pat.get(i + 1) == Some(&b':') {
            if let Some(end) = pat[i + 2..].windows(2).position(|w| w == b":]") {
                let name = &pat[i + 2..i + 2 + end];
                let m = match name {
                    b"alpha" => c.is_ascii_alphabetic(),
                    b"digit" => c.is_ascii_digit(),
                    b"alnum" => c.is_ascii_alphanumeric(),
                    b"upper" => c.is_ascii_uppercase(),
                    b"lower" => c.is_ascii_lowercase(),
                    b"space" => c.is_ascii_whitespace(),
                    b"punct" => c.is_ascii_punctuation(),
                    b"xdigit" => c.is_ascii_hexdigit(),
                    _ => false,
                };
                ok |= m;
                i += 2 + end + 2;
                continue;
            }
        }
        i += 1;
        let mut hi = lo;
        if i + 1 < pat.len() && pat[i] == b'-' && pat[i + 1] != b']' {
            hi = pat[i + 1];
            i += 2;
        }
        if (lo..=hi).contains(&c)
            || (icase && (lo.to_ascii_lowercase()..=hi.to_ascii_lowercase()).contains(&lc))
        {
            ok = true;
        }
    }
    if i >= pat.len() {
        return None;
    }
    Some((ok != neg, i + 1))
}

pub fn has_wildcards(p: &[u8]) -> bool {
    p.iter().any(|&c| matches!(c, b'*' | b'?' | b'[' | b'\\'))
}

fn trim_slashes(n: &[u8]) -> &[u8] {
    let mut n = n;
    while n.len() > 1 && n.ends_with(b"/") {
        n = &n[..n.len() - 1];
    }
    n
}

/// Exclusion patterns with GNU's defaults: wildcards, not anchored, wildcards match '/',
/// and a match on a leading directory excludes what is below it.
pub struct Excluder {
    pats: Vec<Vec<u8>>,
    pub anchored: bool,
    pub wildcards: bool,
    pub icase: bool,
    pub vcs: bool,
}

const VCS: &[&[u8]] = &[
    b"CVS",
    b".cvsignore",
    b"RCS",
    b"SCCS",
    b".svn",
    b".git",
    b".gitignore",
    b".gitattributes",
    b".gitmodules",
    b".arch-ids",
    b"{arch}",
    b"=RELEASE-ID",
    b"=meta-update",
    b"=update",
    b".bzr",
    b".bzrignore",
    b".bzrtags",
    b".hg",
    b".hgignore",
    b".hgtags",
    b"_darcs",
];

impl Excluder {
    pub fn new(pats: Vec<Vec<u8>>) -> Excluder {
        Excluder {
            pats,
            anchored: false,
            wildcards: true,
            icase: false,
            vcs: false,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pats.is_empty() && !self.vcs
    }

    pub fn excluded(&self, name: &[u8]) -> bool {
        if self.is_empty() {
            return false;
        }
        let name = trim_slashes(name);
        if self.vcs {
            let base = match memchr::memrchr(b'/', name) {
                Some(i) => &name[i + 1..],
                None => name,
            };
            if VCS.contains(&base) {
                return true;
            }
        }
        for p in &self.pats {
            let p = trim_slashes(p);
            // Candidate start points: the whole name, or (unanchored) after any '/'.
            let mut starts = vec![0usize];
            if !self.anchored {
                starts.extend(memchr::memchr_iter(b'/', name).map(|i| i + 1));
            }
            for s in starts {
                let sub = &name[s..];
                // Leading-directory match: the pattern may match a prefix ending at a '/'.
                let mut ends: Vec<usize> = memchr::memchr_iter(b'/', sub).collect();
                ends.push(sub.len());
                for e in ends {
                    let cand = &sub[..e];
                    let m = if self.wildcards {
                        fnmatch(p, cand, true, self.icase)
                    } else if self.icase {
                        p.eq_ignore_ascii_case(cand)
                    } else {
                        p == cand
                    };
                    if m {
                        return true;
                    }
                }
            }
        }
        false
    }
}

/// Member operands for extract/list/delete: anchored, literal unless --wildcards; an operand
/// matches the member itself and everything below it.
pub struct Selector {
    pub pats: Vec<(Vec<u8>, bool)>,
    pub used: Vec<bool>,
    pub wildcards: bool,
    pub anchored: bool,
    pub slash: bool,
    pub icase: bool,
    /// An operand also selects what is below it (off with --no-recursion).
    pub recursive: bool,
}

impl Selector {
    pub fn new(pats: Vec<Vec<u8>>) -> Selector {
        let n = pats.len();
        Selector {
            pats: pats.into_iter().map(|p| (p, false)).collect(),
            used: vec![false; n],
            wildcards: false,
            anchored: true,
            slash: true,
            icase: false,
            recursive: true,
        }
    }

    pub fn all(&self) -> bool {
        self.pats.is_empty()
    }

    /// Index of the first operand selecting `name`.
    pub fn find(&mut self, name: &[u8]) -> Option<usize> {
        if self.pats.is_empty() {
            return None;
        }
        let name = trim_slashes(name);
        for (i, (p, _)) in self.pats.iter().enumerate() {
            if self.matches(trim_slashes(p), name) {
                self.used[i] = true;
                return Some(i);
            }
        }
        None
    }

    fn matches(&self, p: &[u8], name: &[u8]) -> bool {
        let lit = |a: &[u8], b: &[u8]| {
            if self.icase {
                a.eq_ignore_ascii_case(b)
            } else {
                a == b
            }
        };
        let mut starts = vec![0usize];
        if !self.anchored {
            starts.extend(memchr::memchr_iter(b'/', name).map(|i| i + 1));
        }
        for s in starts {
            let sub = &name[s..];
            if self.wildcards && has_wildcards(p) {
                let mut ends: Vec<usize> = memchr::memchr_iter(b'/', sub).collect();
                ends.push(sub.len());
                if ends
                    .iter()
                    .any(|&e| fnmatch(p, &sub[..e], self.slash, self.icase))
                {
                    return true;
                }
            } else if sub.len() >= p.len()
                && lit(&sub[..p.len()], p)
                && (sub.len() == p.len()
                    || (self.recursive && (sub[p.len()] == b'/' || p.is_empty())))
            {
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globbing() {
        assert!(fnmatch(b"*.c", b"a.c", true, false));
        assert!(fnmatch(b"*.c", b"d/a.c", true, false));
        assert!(!fnmatch(b"*.c", b"d/a.c", false, false));
        assert!(fnmatch(b"a?c", b"abc", true, false));
        assert!(fnmatch(b"[a-c]x", b"bx", true, false));
        assert!(!fnmatch(b"[!a-c]x", b"bx", true, false));
        assert!(fnmatch(b"\\*", b"*", true, false));
        assert!(fnmatch(b"*a*b*c", b"xxaxxbxxc", true, false));
        assert!(!fnmatch(b"*a*b*c", b"xxaxxbxx", true, false));
        assert!(fnmatch(b"[", b"[", true, false));
    }

    #[test]
    fn excludes() {
        let e = Excluder::new(vec![b"*.o".to_vec(), b"build".to_vec()]);
        assert!(e.excluded(b"src/x.o"));
        assert!(e.excluded(b"build"));
        assert!(e.excluded(b"a/build/x"));
        assert!(!e.excluded(b"a/builder"));
        assert!(!e.excluded(b"x.c"));
    }

    #[test]
    fn select() {
        let mut s = Selector::new(vec![b"a".to_vec(), b"d/".to_vec()]);
        assert_eq!(s.find(b"a"), Some(0));
        assert_eq!(s.find(b"a/b"), Some(0));
        assert_eq!(s.find(b"ab"), None);
        assert_eq!(s.find(b"d/x"), Some(1));
        let mut w = Selector::new(vec![b"*.txt".to_vec()]);
        w.wildcards = true;
        assert_eq!(w.find(b"x/y.txt"), Some(0));
    }
}
