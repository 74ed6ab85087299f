//! `unexpand` against GNU unexpand 9 as the oracle: output, messages and status.

use crate::harness::*;

const SAMPLE: &[u8] =
    b"        a       b\n   \t x  y        z\n a\n\t  \t \n                    end\n\
ab\x08        c\n1234567 8\n       \tq\n\xff        \0       x\nno newline        ";

#[test]
fn matches_gnu() {
    let d = TempDir::new("unexpand");
    d.write("u1", SAMPLE);
    d.write("t1", "a\tb  c\n    x        y\n");
    let cases: &[&[&str]] = &[
        &["u1"],
        &["-a", "u1"],
        &["-t", "4", "u1"],
        &["-4", "u1"],
        &["-3,7", "u1"],
        &["-a", "-3,7", "u1"],
        &["-t", "4", "--first-only", "u1"],
        &["-a", "--first-only", "u1"],
        &["-t", "3,5", "u1"],
        &["-t", "3,+5", "u1"],
        &["-t", "3,/5", "u1"],
        &["-t", "2 6", "u1"],
        &["-t", "1", "u1"],
        &["u1", "t1"],
        &["-a", "t1"],
        &["-t", "2", "t1"],
        &["nope", "u1"],
        &["."],
        &["-t", "0"],
        &["-t", "4,2"],
        &["-t", "x"],
        &["-x"],
    ];
    for c in cases {
        let r = applet("unexpand").args(*c).cwd(d.path()).stdin("").run();
        let g = gnu("unexpand").args(*c).cwd(d.path()).stdin("").run();
        r.same_as(&g);
    }
    let r = applet("unexpand").arg("-a").stdin(SAMPLE).run();
    let g = gnu("unexpand").arg("-a").stdin(SAMPLE).run();
    r.same_as(&g);
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full");
    let (Ok(f1), Ok(f2)) = (full(), full()) else {
        return skip("no /dev/full");
    };
    let r = applet("unexpand").stdin(SAMPLE).stdout_file(f1).run();
    let g = gnu("unexpand").stdin(SAMPLE).stdout_file(f2).run();
    r.same_as(&g);
}

/// BusyBox's `-f` is `--first-only` wherever it stands, `-t` included (GNU has only the long
/// form, so GNU's `--first-only` is the oracle).
#[test]
fn short_f_is_first_only() {
    let d = TempDir::new("unexpand-f");
    d.write("u1", SAMPLE);
    for (ours, theirs) in [
        (&["-f", "u1"][..], &["--first-only", "u1"][..]),
        (&["-f", "-t4", "u1"], &["--first-only", "-t4", "u1"]),
        (&["-t4", "-f", "u1"], &["-t4", "--first-only", "u1"]),
        (&["-af", "u1"], &["-a", "--first-only", "u1"]),
    ] {
        let r = applet("unexpand").args(ours).cwd(d.path()).run();
        let g = gnu("unexpand").args(theirs).cwd(d.path()).run();
        r.same_as(&g);
    }
}
