//! Unit tests: syntax, errors, spans and sub-matches (values checked against glibc 2.36).

use super::*;

fn caps(pat: &str, cflags: u32, hay: &str) -> Option<Vec<Option<(usize, usize)>>> {
    let re = Regex::new(pat.as_bytes(), Flags(cflags)).unwrap();
    let mut c = vec![None; re.groups() + 1];
    re.captures_at(hay.as_bytes(), 0, 0, &mut c).then_some(c)
}

fn err(pat: &str, cflags: u32) -> &'static str {
    Regex::new(pat.as_bytes(), Flags(cflags))
        .unwrap_err()
        .0
        .message()
}

const E: u32 = Flags::EXTENDED;

#[test]
fn leftmost_longest() {
    assert_eq!(caps("a|ab", E, "abcd").unwrap()[0], Some((0, 2)));
    assert_eq!(caps("x*", 0, "abc").unwrap()[0], Some((0, 0)));
    assert_eq!(caps("b+", E, "abbbc").unwrap()[0], Some((1, 4)));
    assert!(caps("^b", 0, "ab").is_none());
}

#[test]
fn submatches_as_glibc() {
    assert_eq!(
        caps("(a|ab)(c|bcd)(d*)", E, "abcd").unwrap(),
        vec![Some((0, 4)), Some((0, 1)), Some((1, 4)), Some((4, 4))]
    );
    assert_eq!(
        caps("\\(a*\\)\\1", 0, "aaaa").unwrap(),
        vec![Some((0, 4)), Some((0, 2))]
    );
}

#[test]
fn errors_as_glibc() {
    assert_eq!(err("a\\{1", 0), "Unmatched \\{");
    assert_eq!(err("[a", 0), "Unmatched [, [^, [:, [., or [=");
    assert_eq!(err("\\(a", 0), "Unmatched ( or \\(");
    // regcomp folds REG_ERPAREN into REG_EPAREN; re_compile_pattern keeps it.
    assert_eq!(err("a\\)", 0), "Unmatched ( or \\(");
    let e = Regex::with_syntax(b"a\\)", Syntax::POSIX_BASIC, false).unwrap_err();
    assert_eq!(e.to_string(), "Unmatched ) or \\)");
    assert_eq!(err("*a", E), "Invalid preceding regular expression");
    assert_eq!(err("a**", 0), "Invalid preceding regular expression");
    assert_eq!(err("\\1", 0), "Invalid back reference");
    assert_eq!(err("a\\", 0), "Trailing backslash");
    assert_eq!(err("[[:foo:]]", 0), "Invalid character class name");
    assert_eq!(err("[z-a]", 0), "Invalid range end");
}

#[test]
fn exponential_patterns_end() {
    let hay = "a".repeat(10_000);
    let re = Regex::new(b"(a*)*b", Flags(E)).unwrap();
    assert!(!re.is_match(hay.as_bytes()));
    let re = Regex::new(b"(a|aa)*c", Flags(E)).unwrap();
    assert!(re.find_at(hay.as_bytes(), 0, 0).is_none());
}

/// A pattern whose DFA has more states than the cache holds: the matcher flushes, then
/// switches to the NFA simulation; answers stay the same throughout.
#[test]
fn dfa_cache_overflow_falls_back() {
    let re = Regex::new(b"(a|b)*a(a|b){14}c", Flags(E)).unwrap();
    let mut m = re.matcher();
    let mut x: u64 = 88172645463325252;
    let mut hay = Vec::new();
    for _ in 0..20_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        hay.push(if x & 1 == 0 { b'a' } else { b'b' });
    }
    let l = hay.len();
    hay[l - 15] = b'a';
    hay.push(b'c');
    for _ in 0..3 {
        assert_eq!(m.find_at(&hay, 0, 0), Some((0, hay.len())));
        assert!(!m.is_match(&hay[..hay.len() - 1], 0));
    }
}

#[test]
fn anchored_match_at() {
    let re = Regex::with_syntax(b"a*\\(b\\)", Syntax::POSIX_BASIC, false).unwrap();
    let mut c = [None, None];
    assert!(re.match_at(b"aab", 0, 0, &mut c));
    assert_eq!(c, [Some((0, 3)), Some((2, 3))]);
    assert!(!re.match_at(b"xaab", 0, 0, &mut c));
}

/// Random bytes as patterns and subjects, in every syntax: errors or answers, never a panic;
/// the entry points agree with each other.
#[test]
fn random_patterns_never_panic() {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    const ALPHA: &[u8] = b"ab\\()[]{}|*+?.^$-:=,0129<>`'wWsSbB\n\xff\0 ";
    for _ in 0..8_000 {
        let n = (rnd() % 10) as usize;
        let pat: Vec<u8> = (0..n)
            .map(|_| ALPHA[(rnd() % ALPHA.len() as u64) as usize])
            .collect();
        let m = (rnd() % 12) as usize;
        let hay: Vec<u8> = (0..m)
            .map(|_| ALPHA[(rnd() % ALPHA.len() as u64) as usize])
            .collect();
        let flags = Flags((rnd() % 16) as u32);
        if let Ok(re) = Regex::new(&pat, flags) {
            let mut caps = vec![None; 10];
            let f = re.captures_at(&hay, 0, 0, &mut caps);
            assert_eq!(re.is_match(&hay), f, "{:?}", String::from_utf8_lossy(&pat));
            assert_eq!(re.find_at(&hay, 0, 0), caps[0]);
            let mut c2 = [None, None];
            re.match_at(&hay, 0, 0, &mut c2);
        }
    }
}

#[test]
fn backreference_blowup_is_bounded() {
    let re = Regex::new(b"\\(a*\\)*\\1b", Flags(0)).unwrap();
    let hay = "a".repeat(25);
    // Either answer is acceptable within the step budget; it must end.
    let _ = re.find_at(hay.as_bytes(), 0, 0);
}

#[test]
fn next_line_by_required_literal() {
    let re = Regex::for_lines(b"^.*x", Syntax::POSIX_BASIC, b'\n').unwrap();
    let mut m = re.matcher();
    let hay = b"abc\nax\nxyz\nq\nzzx";
    assert_eq!(m.next_line(hay, 0, b'\n'), Some((4, 6)));
    assert_eq!(m.next_line(hay, 7, b'\n'), Some((7, 10)));
    assert_eq!(m.next_line(hay, 11, b'\n'), Some((13, 16)));
    // A literal the rest of the line cannot match around: `b.x` needs `x` two after a `b`.
    let re = Regex::for_lines(b"b.x", Syntax::POSIX_BASIC, b'\n').unwrap();
    let mut m = re.matcher();
    assert_eq!(m.next_line(b"x b\nbax\n", 0, b'\n'), Some((4, 7)));
    assert_eq!(m.next_line(b"x b\nbx\n", 0, b'\n'), None);
    // The literal on every line: after enough candidates the engine runs over the buffer.
    let re = Regex::for_lines(b"^a.*e", Syntax::POSIX_BASIC, b'\n').unwrap();
    let mut m = re.matcher();
    let hay: Vec<u8> = (0..2000)
        .flat_map(|i| if i % 3 == 0 { b"ae\n" } else { b"be\n" })
        .copied()
        .collect();
    let mut n = 0;
    let mut pos = 0;
    while let Some((s, e)) = m.next_line(&hay, pos, b'\n') {
        assert_eq!(&hay[s..e], b"ae");
        n += 1;
        pos = e + 1;
    }
    assert_eq!(n, 667);
}
