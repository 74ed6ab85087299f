//! `uname` against GNU coreutils as the oracle.

use crate::harness::*;

#[test]
fn every_option_as_gnu() {
    for a in [
        &[][..],
        &["-a"],
        &["--all"],
        &["-s"],
        &["-n"],
        &["-r"],
        &["-v"],
        &["-m"],
        &["-p"],
        &["-i"],
        &["-o"],
        &["-sn"],
        &["-mrs"],
        &["-snrvmpio"],
        &["-ap"],
        &["-ai"],
        &["--kernel-name", "--nodename", "--operating-system"],
        &["--processor", "--hardware-platform"],
        &["-x"],
        &["x"],
        &["-a", "x", "y"],
        &["--foo"],
        &["--kernel"],
    ] {
        applet("uname")
            .args(a)
            .run()
            .same_as(&gnu("uname").args(a).run());
    }
}

#[test]
fn write_error() {
    let f = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let r = applet("uname").stdout_file(f()).run();
    r.same_as(&gnu("uname").stdout_file(f()).run());
}
