//! Name matching on top of [`crate::common::fnmatch`]: GNU tar's exclusion rules
//! (unanchored, wildcards matching '/', a pattern also matching a leading directory) and its
//! member selection rules (anchored, literal unless --wildcards, a directory operand selecting
//! everything below it).

use crate::common::fnmatch::{fnmatch, Flags};

/// Wildcard match with tar's knobs: `slash` lets wildcards match '/' (GNU's default for
/// excludes, and --wildcards-match-slash), `icase` is --ignore-case. No FNM_PERIOD: `*` in
/// `--exclude='*'` matches dot files too.
fn wild(pat: &[u8], name: &[u8], slash: bool, icase: bool) -> bool {
    let f = Flags {
        pathname: !slash,
        casefold: icase,
        ..Flags::PLAIN
    };
    fnmatch(pat, name, f)
}

/// Would --wildcards treat this operand as a pattern? A backslash counts: it is an escape.
pub fn has_wildcards(p: &[u8]) -> bool {
    p.iter().any(|&c| matches!(c, b'*' | b'?' | b'[' | b'\\'))
}

/// gnulib's fnmatch_pattern_has_wildcards (no FNM_NOESCAPE, no extmatch): `* ? [ ]`, a
/// backslash escaping the byte after it. GNU tar's "Pattern matching characters" hint.
pub fn pattern_has_wildcards(p: &[u8]) -> bool {
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'\\' => i += 1,
            b'*' | b'?' | b'[' | b']' => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// How one exclusion pattern matches: the matching options in force where it was given
/// (GNU applies `--anchored`, `--wildcards`, `--ignore-case` and `--wildcards-match-slash` to
/// the patterns after them only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatchFlags {
    pub anchored: bool,
    pub wildcards: bool,
    pub icase: bool,
    pub slash: bool,
}

/// An exclusion pattern, its flags, and how many name operands came before it: on create
/// it applies only to the names after it (GNU's positional options).
#[derive(Clone, Debug)]
pub struct ExclPat {
    pub pat: Vec<u8>,
    pub flags: MatchFlags,
    pub after: usize,
}

/// Exclusion patterns with GNU's defaults: wildcards, not anchored, wildcards match '/',
/// and a match on a leading directory excludes what is below it.
pub struct Excluder {
    pats: Vec<ExclPat>,
    pub vcs: bool,
    /// On create: the index of the name operand being added; patterns given after it wait.
    pub operand: usize,
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
    pub fn new(pats: Vec<ExclPat>) -> Excluder {
        Excluder {
            pats,
            vcs: false,
            operand: usize::MAX,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pats.is_empty() && !self.vcs
    }

    pub fn excluded(&self, name: &[u8]) -> bool {
        if self.is_empty() {
            return false;
        }
        let name = crate::common::fs::strip_trailing_slashes(name);
        if self.vcs {
            let base = match memchr::memrchr(b'/', name) {
                Some(i) => &name[i + 1..],
                None => name,
            };
            if VCS.contains(&base) {
                return true;
            }
        }
        for ExclPat { pat, flags, after } in &self.pats {
            if *after > self.operand {
                continue;
            }
            let p = crate::common::fs::strip_trailing_slashes(pat);
            // Candidate start points: the whole name, or (unanchored) after any '/'.
            let mut starts = vec![0usize];
            if !flags.anchored {
                starts.extend(memchr::memchr_iter(b'/', name).map(|i| i + 1));
            }
            for s in starts {
                let sub = &name[s..];
                // Leading-directory match: the pattern may match a prefix ending at a '/'.
                let mut ends: Vec<usize> = memchr::memchr_iter(b'/', sub).collect();
                ends.push(sub.len());
                for e in ends {
                    let cand = &sub[..e];
                    let m = if flags.wildcards {
                        wild(p, cand, flags.slash, flags.icase)
                    } else if flags.icase {
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
}

impl Selector {
    /// Operands, each with whether it selects what is below it too (`--no-recursion` before
    /// it turns that off).
    pub fn new(pats: Vec<(Vec<u8>, bool)>) -> Selector {
        let n = pats.len();
        Selector {
            pats,
            used: vec![false; n],
            wildcards: false,
            anchored: true,
            slash: true,
            icase: false,
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
        let name = crate::common::fs::strip_trailing_slashes(name);
        for (i, (p, recursive)) in self.pats.iter().enumerate() {
            if self.matches(
                crate::common::fs::strip_trailing_slashes(p),
                name,
                *recursive,
            ) {
                self.used[i] = true;
                return Some(i);
            }
        }
        None
    }

    fn matches(&self, p: &[u8], name: &[u8], recursive: bool) -> bool {
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
                    .any(|&e| wild(p, &sub[..e], self.slash, self.icase))
                {
                    return true;
                }
            } else if sub.len() >= p.len()
                && lit(&sub[..p.len()], p)
                && (sub.len() == p.len() || (recursive && (sub[p.len()] == b'/' || p.is_empty())))
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
        assert!(wild(b"*.c", b"d/a.c", true, false));
        assert!(!wild(b"*.c", b"d/a.c", false, false));
        assert!(wild(b"*", b".a", true, false));
        assert!(wild(b"*.C", b"d/a.c", true, true));
        assert!(!wild(b"*.C", b"d/a.c", true, false));
    }

    #[test]
    fn excludes() {
        let flags = MatchFlags {
            anchored: false,
            wildcards: true,
            icase: false,
            slash: true,
        };
        let pat = |p: &[u8]| ExclPat {
            pat: p.to_vec(),
            flags,
            after: 0,
        };
        let e = Excluder::new(vec![pat(b"*.o"), pat(b"build")]);
        assert!(e.excluded(b"src/x.o"));
        assert!(e.excluded(b"build"));
        assert!(e.excluded(b"a/build/x"));
        assert!(!e.excluded(b"a/builder"));
        assert!(!e.excluded(b"x.c"));
    }

    #[test]
    fn select() {
        let mut s = Selector::new(vec![(b"a".to_vec(), true), (b"d/".to_vec(), true)]);
        assert_eq!(s.find(b"a"), Some(0));
        assert_eq!(s.find(b"a/b"), Some(0));
        assert_eq!(s.find(b"ab"), None);
        assert_eq!(s.find(b"d/x"), Some(1));
        let mut w = Selector::new(vec![(b"*.txt".to_vec(), true)]);
        w.wildcards = true;
        assert_eq!(w.find(b"x/y.txt"), Some(0));
    }
}
