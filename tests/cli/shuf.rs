//! `shuf` against GNU coreutils': the messages and statuses of every error, and what the output
//! holds (a permutation, the count asked for, the range's numbers, repeats only with `-r`);
//! the order itself is random, so it is compared sorted.

use crate::harness::*;

#[test]
fn errors_match_gnu() {
    let d = TempDir::new("shuf");
    let cases: &[&[&str]] = &[
        &["-i", "5-3"],
        &["-i", "5-4"],
        &["-i", "a-3"],
        &["-i", "3"],
        &["-i", "1-"],
        &["-i", "1-2-3"],
        &["-i", "1-18446744073709551616"],
        &["-n", "x"],
        &["-n", "-1"],
        &["-e", "-i", "1-2"],
        &["a", "b"],
        &["-i", "1-3", "x"],
        &["-r"],
        &["-r", "-n", "2"],
        &["-i", "1-2", "-i", "1-3"],
        &["nosuch"],
        &["-e"],
        &["--random-source=nosuch", "-i", "1-3"],
        &["--random-source=/dev/null", "-i", "1-3"],
        &["-o", "/nonexist/x", "-i", "1-2"],
        &["-n", "0", "nosuch"],
        &["-i", "1-2", "-r", "-n", "0"],
        &["-i", "3-3"],
        &["-i", "0-0", "-r", "-n", "3"],
        &["-x"],
    ];
    for args in cases {
        let ours = applet("shuf")
            .args(*args)
            .cwd(d.path())
            .stdin(&b""[..])
            .run();
        let theirs = gnu("shuf").args(*args).cwd(d.path()).stdin(&b""[..]).run();
        ours.same_as(&theirs);
    }
}

fn sorted_lines(b: &[u8], eol: u8) -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = b.split(|&c| c == eol).map(|l| l.to_vec()).collect();
    assert_eq!(v.pop(), Some(Vec::new()), "output ends with the delimiter");
    v.sort();
    v
}

#[test]
fn outputs_are_permutations() {
    let d = TempDir::new("shufp");
    // Input lines, the last without its newline: all of them, each once.
    let out = applet("shuf").stdin(&b"a\nb\nc\nb\nd"[..]).run();
    assert_eq!(out.code, 0);
    assert_eq!(
        sorted_lines(&out.stdout, b'\n'),
        [&b"a"[..], b"b", b"b", b"c", b"d"]
    );
    // -z, -e, -n.
    let out = applet("shuf").arg("-z").stdin(&b"x\0y\0z\0"[..]).run();
    assert_eq!(sorted_lines(&out.stdout, 0), [&b"x"[..], b"y", b"z"]);
    let out = applet("shuf").args(["-e", "-n", "2", "p", "q", "r"]).run();
    let got = sorted_lines(&out.stdout, b'\n');
    assert_eq!(got.len(), 2);
    assert!(got
        .iter()
        .all(|l| [&b"p"[..], b"q", b"r"].contains(&l.as_slice())));
    assert_ne!(got[0], got[1]);
    // A range: every number once; a huge one sampled without listing it.
    let out = applet("shuf").args(["-i", "7-106"]).run();
    let mut nums: Vec<u64> = out.out().lines().map(|l| l.parse().unwrap()).collect();
    nums.sort();
    assert_eq!(nums, (7..=106).collect::<Vec<u64>>());
    let out = applet("shuf").args(["-i", "1-4000000000", "-n", "5"]).run();
    let nums: Vec<u64> = out.out().lines().map(|l| l.parse().unwrap()).collect();
    assert_eq!(nums.len(), 5);
    assert!(nums.iter().all(|&n| (1..=4_000_000_000).contains(&n)));
    // -r: as many as asked, all from the set.
    let out = applet("shuf").args(["-r", "-n", "50", "-i", "1-3"]).run();
    let nums: Vec<u64> = out.out().lines().map(|l| l.parse().unwrap()).collect();
    assert_eq!(nums.len(), 50);
    assert!(nums.iter().all(|&n| (1..=3).contains(&n)));
    // -o onto the input file itself, as GNU allows.
    std::fs::write(d.join("f"), "1\n2\n3\n4\n").unwrap();
    let out = applet("shuf").args(["-o", "f", "f"]).cwd(d.path()).run();
    assert_eq!(out.code, 0);
    let back = std::fs::read(d.join("f")).unwrap();
    assert_eq!(sorted_lines(&back, b'\n'), [&b"1"[..], b"2", b"3", b"4"]);
    // The same random source gives the same order.
    let src: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 7) as u8)
        .collect();
    std::fs::write(d.join("rs"), &src).unwrap();
    let a = applet("shuf")
        .args(["--random-source=rs", "-i", "1-50"])
        .cwd(d.path())
        .run();
    let b = applet("shuf")
        .args(["--random-source=rs", "-i", "1-50"])
        .cwd(d.path())
        .run();
    assert_eq!(a.stdout, b.stdout);
}
