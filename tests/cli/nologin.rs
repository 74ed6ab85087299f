//! `nologin` against the system's /usr/sbin/nologin, and as the shell `su` runs.

use crate::harness::*;

#[test]
fn matches_the_system_nologin() {
    let Some(theirs) = ["/usr/sbin/nologin", "/sbin/nologin"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
    else {
        skip("no nologin on this system");
        return;
    };
    if std::path::Path::new("/etc/nologin.txt").exists() {
        skip("/etc/nologin.txt changes the message");
        return;
    }
    for args in [&[][..], &["-c", "id"], &["--help"]] {
        let ours = applet("nologin").args(args).run();
        let g = gnu(theirs).args(args).run();
        ours.same_as(&g);
        ours.code(1)
            .stdout_is("This account is currently not available.\n");
    }
}
