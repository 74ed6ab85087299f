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
    assert_eq!(err("a\\)", 0), "Unmatched ) or \\)");
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
