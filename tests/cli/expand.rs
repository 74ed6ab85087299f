//! `expand` against GNU expand 9 as the oracle: output, messages and status.

use crate::harness::*;

pub const SAMPLE: &[u8] =
    b"a\tb\tc\n\tx\ty\n  \t z\tq\nab\x08c\td\n\t\t\n12345678\tx\n\xff\xfe\tnul\0\tx\nno newline\t";

#[test]
fn matches_gnu() {
    let d = TempDir::new("expand");
    d.write("t1", SAMPLE);
    let cases: &[&[&str]] = &[
        &["t1"],
        &["-t", "4", "t1"],
        &["-4", "t1"],
        &["-3,7", "t1"],
        &["-t", "3,5", "t1"],
        &["-t", "3,+5", "t1"],
        &["-t", "3,/5", "t1"],
        &["-t", "2 6", "t1"],
        &["-t", "/4", "t1"],
        &["-t", "+4", "t1"],
        &["-t", "4", "-t", "8", "t1"],
        &["-t", "1", "t1"],
        &["-i", "t1"],
        &["-i", "-t2", "t1"],
        &["t1", "t1"],
        &["nope", "t1"],
        &["."],
        &["-t", "0"],
        &["-t", "4,2"],
        &["-t", "x"],
        &["-t", "/4,8"],
        &["-t", "4,/8,+2"],
        &["-t", "+4 +8"],
        &["-t", "99999999999999999999999"],
        &["-x"],
    ];
    for c in cases {
        let r = applet("expand").args(*c).cwd(d.path()).stdin("").run();
        let g = gnu("expand").args(*c).cwd(d.path()).stdin("").run();
        r.same_as(&g);
    }
    let r = applet("expand").stdin(SAMPLE).run();
    let g = gnu("expand").stdin(SAMPLE).run();
    r.same_as(&g);
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full");
    let (Ok(f1), Ok(f2)) = (full(), full()) else {
        return skip("no /dev/full");
    };
    let r = applet("expand").stdin(SAMPLE).stdout_file(f1).run();
    let g = gnu("expand").stdin(SAMPLE).stdout_file(f2).run();
    r.same_as(&g);
}
