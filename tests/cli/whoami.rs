//! `whoami` against GNU coreutils as the oracle.

use crate::harness::*;

#[test]
fn names_as_gnu() {
    applet("whoami").run().same_as(&gnu("whoami").run());
    applet_as(65534, "whoami")
        .run()
        .same_as(&gnu_as(65534, "whoami").run());
    // No passwd entry: an error and status 1.
    let o = applet_as(54321, "whoami").run();
    o.same_as(&gnu_as(54321, "whoami").run());
    o.code(1);
}

#[test]
fn usage_errors_as_gnu() {
    // An operand with a newline: quoted as GNU's `quote` does ('a\nb').
    for a in [&["x"][..], &["a\nb"], &["-x"], &["--v"]] {
        let o = applet("whoami").args(a).run();
        if a == ["--v"] {
            o.ok();
            continue;
        }
        o.same_as(&gnu("whoami").args(a).run());
    }
}
