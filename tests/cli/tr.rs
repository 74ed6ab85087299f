//! `tr` against GNU tr as the oracle: same stdout, stderr and status.

use crate::harness::*;

const INPUT: &[u8] = b"Hello Wo\\rld aabbcc 123 [ZZz]  \n\x01\xff\x00x\tend";

#[test]
fn sets_match_gnu() {
    let d = TempDir::new("tr");
    for args in [
        &["a-z", "A-Z"][..],
        &["[:lower:]", "[:upper:]"],
        &["[:upper:]", "[:lower:]"],
        &["-c", "[:alpha:]", "\\n"],
        &["-cs", "[:alnum:]", "\\n"],
        &["-C", "ab", "x"],
        &["a-c", "[x*]"],
        &["a-z", "[x*3]Y"],
        // Repeat counts far past anything spelled out (these asked for 2^63 bytes and aborted).
        &["a", "[b*9223372036854775807]"],
        &["ab", "[x*9223372036854775807]y"],
        &["a-c", "[b*18446744073709551614]"],
        &["-t", "abc", "[z*18446744073709551615]"],
        &["[:alpha:][:digit:]", "[x*]"],
        &["-c", "a", "[a*]b"],
        &["-d", "[=a=]"],
        &["-d", "a-c"],
        &["-d", "[:digit:]\\\\"],
        &["-ds", "a-c", "l"],
        &["-s", "a-z"],
        &["-s", " "],
        &["-t", "abcdef", "xy"],
        &["\\101-\\103", "x"],
        &["\\n\\t\\000\\377", "NT0F"],
        &["\\400", "x"],
        &["\\", "x"],
        &["[a", "x"],
        &["a-", "xy"],
        &["[:lower:]", "A-Z"],
        &["a-z", "[:upper:]"],
    ] {
        same_as_gnu("tr", args, Some(INPUT), d.path());
    }
}

#[test]
fn errors_match_gnu() {
    let d = TempDir::new("tr");
    for args in [
        &[][..],
        &["a"],
        &["-d"],
        &["-d", "a", "b"],
        &["-ds", "a"],
        &["a", "b", "c"],
        &["z-a", "x"],
        &["[:foo:]", "x"],
        &["a", "[:digit:]"],
        &["[a*]", "x"],
        // both strings parsed before either is checked (difftest)
        &["-c", "-C", "[b*]", "z-a"],
        &["a", "[=b=]"],
        &["a", ""],
        &["a[:lower:]", "[:upper:]"],
        &["a", "[b*][c*]"],
        &["a", "[b*x]"],
        &["--bogus"],
    ] {
        same_as_gnu("tr", args, Some(INPUT), d.path());
    }
}

/// GNU's checks of string2 against string1: a class may not be what extends string2, case
/// classes align only without `-c`, and a complemented class must map to one character.
#[test]
fn case_and_complement_checks_match_gnu() {
    let d = TempDir::new("tr");
    for args in [
        &["[:upper:] ", "[:lower:]"][..],
        &["-t", "[:upper:] ", "[:lower:]"],
        &["-c", "[:upper:]\\000-\\370", "[:lower:]"],
        &["-c", "[:upper:]", "[:lower:]"],
        &["-c", "a-z", "[:upper:]"],
        &["-c", "a", "[:upper:]"],
        &["-ct", "a", "[:upper:]"],
        &["-c", "[:upper:]", "ab"],
        &["-c", "[:upper:]", "a[x*]"],
        &["-c", "[:digit:]", "[x*300]"],
        &["-c", "[:digit:]", "xx"],
        &["-ct", "[:digit:]", "xy"],
        &["-ct", "[:digit:]", "x"],
        &["-c", "[:digit:]", "x"],
        &["A-Z[:lower:]", "a-y[:upper:]"],
        &["A-Z[:lower:]", "[:lower:]A-Z"],
        &["[:upper:][:lower:]", "a-z[:upper:]"],
        &["[:lower:].", "[:upper:]x"],
        &["[:upper:]", "[.*]"],
    ] {
        same_as_gnu("tr", args, Some(INPUT), d.path());
    }
}

#[test]
fn big_input_and_dev_full() {
    let d = TempDir::new("tr");
    let big: Vec<u8> = (0..1_000_000u32).map(|i| (i % 253) as u8).collect();
    same_as_gnu("tr", &["a-z\\000-\\037", "A-Z[.*]"], Some(&big), d.path());
    same_as_gnu("tr", &["-s", "\\000-\\377"], Some(&big), d.path());
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = applet("tr")
        .args(["a", "b"])
        .stdin("abc")
        .stdout_file(f)
        .run();
    o.code(1)
        .stderr_is("tr: write error: No space left on device\n");
}
