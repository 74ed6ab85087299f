//! `tty` against GNU coreutils; the terminal case through util-linux's `script`.

use crate::harness::*;

#[test]
fn not_a_tty_and_usage_as_gnu() {
    for args in [
        &[][..],
        &["-s"],
        &["--silent"],
        &["--quiet"],
        &["x"],
        &["-s", "x"],
        &["-q"],
        &["a\nb"],
    ] {
        let o = applet("tty").args(args).stdin("").run();
        o.same_as(&gnu("tty").args(args).stdin("").run());
    }
    applet("tty")
        .stdin("")
        .run()
        .code(1)
        .stdout_is("not a tty\n");
    applet("tty").arg("x").run().code(2);
    let f = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let o = applet("tty").stdin("").stdout_file(f()).run();
    o.same_as(&gnu("tty").stdin("").stdout_file(f()).run());
    o.code(3);
}

#[test]
fn terminal_name() {
    if !have("script") {
        skip("util-linux's script is needed for a terminal");
        return;
    }
    let cmd = format!(
        "'{0}' tty; echo \"st=$?\"; '{0}' tty -s; echo \"s=$?\"; tty",
        rbox().display()
    );
    let o = gnu("script")
        .args(["-qec", &cmd, "/dev/null"])
        .stdin("")
        .run();
    let out = o.out().replace('\r', "");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out:?}");
    // The same terminal as GNU's tty names, status 0 for both forms.
    assert!(lines[0].starts_with("/dev/pts/"), "{out:?}");
    assert_eq!(lines[0], lines[3], "{out:?}");
    assert_eq!(&lines[1..3], ["st=0", "s=0"]);
}
