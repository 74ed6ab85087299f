//! `uniq` against GNU uniq as the oracle: same stdout, stderr and status.

use crate::harness::*;

const U1: &[u8] = b"a\na\nb\nA\nc\nc\nc\nx y\nz y\n  q 1\n\tq 2\n\xff\xfe\n\xff\xfe\nd";

#[test]
fn options_match_gnu() {
    let d = TempDir::new("uniq");
    d.write("u1", U1);
    d.write("z", b"a\0a\0b\0");
    for args in [
        &[][..],
        &["-c"],
        &["-d"],
        &["-u"],
        &["-D"],
        &["-du"],
        &["--all-repeated=prepend"],
        &["--all-repeated=separate"],
        &["--group"],
        &["--group=prepend"],
        &["--group=append"],
        &["--group=both"],
        &["-i"],
        &["-ic"],
        &["-f", "1"],
        &["-f1", "-c"],
        &["-s", "1"],
        &["-w", "1"],
        &["-s1", "-w1", "-c"],
        &["-f", "99999999999999999999999"],
        &["--group=separate", "-i"],
    ] {
        let mut a: Vec<&str> = args.to_vec();
        a.push("u1");
        same_as_gnu("uniq", &a, None, d.path());
        same_as_gnu("uniq", args, Some(U1), d.path());
    }
    same_as_gnu("uniq", &["-z", "-c", "z"], None, d.path());
}

#[test]
fn errors_match_gnu() {
    let d = TempDir::new("uniq");
    d.write("u1", U1);
    std::fs::create_dir(d.join("dir")).unwrap();
    for args in [
        &["--group", "-c", "u1"][..],
        &["-D", "-c", "u1"],
        &["-f", "x", "u1"],
        &["-s", "x", "u1"],
        &["-w", "x", "u1"],
        &["u1", "o1", "o2"],
        &["nope"],
        &["dir"],
        &["u1", "dir"],
        &["--all-repeated=foo", "u1"],
    ] {
        same_as_gnu("uniq", args, None, d.path());
    }
}

#[test]
fn output_operand_and_dev_full() {
    let d = TempDir::new("uniq");
    d.write("u1", U1);
    applet("uniq")
        .args(["-c", "u1", "out"])
        .cwd(d.path())
        .run()
        .ok();
    let g = gnu("uniq").args(["-c", "u1"]).cwd(d.path()).run();
    assert_eq!(std::fs::read(d.join("out")).unwrap(), g.stdout);
    let o = applet("uniq").args(["u1", "/dev/full"]).cwd(d.path()).run();
    o.code(1)
        .stderr_is("uniq: write error: No space left on device\n");
}

/// -D with -u writes every line of a repeated group but its last (GNU writes each line once the
/// next one proves it repeated; -u drops the one left). Found by benches/difftest.py.
#[test]
fn all_repeated_with_unique() {
    let d = TempDir::new("uniq");
    let text: &[u8] = b"_\n_\nx\nA\na\na\nb\nc\nc\n";
    for args in [
        &["-u", "-D"][..],
        &["-u", "-i", "-D"],
        &["-D", "-u", "-d"],
        &["-u", "--all-repeated=separate"],
        &["-u", "--all-repeated=prepend", "-w", "0"],
        &["-u", "-D", "-z", "-s", "3", "-w", "0"],
    ] {
        same_as_gnu("uniq", args, Some(text), d.path());
    }
}

#[test]
fn extra_operand_quoted_as_gnu() {
    // GNU's `quote` style: a newline shows as `\n` inside the quotes.
    let args = ["a", "b", "x\ny"];
    applet("uniq")
        .args(args)
        .run()
        .same_as(&gnu("uniq").args(args).run());
}
