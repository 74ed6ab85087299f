//! `hostname` against BusyBox's as the oracle. Setting the name is only tried as an
//! unprivileged user (it must fail as BusyBox's does): never change the test machine's name.

use crate::harness::*;

fn busybox(args: &[&str]) -> Output {
    gnu("busybox").arg("hostname").args(args).run()
}

#[test]
fn shows_as_busybox() {
    if !have("busybox") {
        return skip("busybox not installed");
    }
    for a in [
        &[][..],
        &["-s"],
        &["-f"],
        &["-i"],
        &["-d"],
        &["-F", "/nonexistent"],
    ] {
        applet("hostname").args(a).run().same_as(&busybox(a));
    }
}

#[test]
fn setting_needs_root() {
    if !have("busybox") {
        return skip("busybox not installed");
    }
    let d = TempDir::new("hostname");
    let f = d.write("name", "# comment\n\n  newname extra\n");
    for a in [&["newname"][..], &["-F", f.to_str().unwrap()]] {
        let r = applet_as(65534, "hostname").args(a).run();
        let g = gnu_as(65534, "busybox").arg("hostname").args(a).run();
        r.same_as(&g);
    }
}
