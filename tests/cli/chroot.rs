//! `chroot` against GNU coreutils' chroot, both running rbox's `id` and `pwd` in a small root.

use crate::harness::*;

/// A root holding rbox as /rbox and its own users: `ann` (1234) and the group `staff` (4321)
/// that the host has not.
fn small_root(d: &TempDir) -> std::path::PathBuf {
    let root = d.join("root");
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::create_dir_all(root.join("home/sub")).unwrap();
    // Copied by cp(1), not here: a descriptor this process held open for writing could be
    // inherited by a child another test forks, and exec would meet ETXTBSY.
    gnu("cp").arg(rbox()).arg(root.join("rbox")).run().ok();
    std::fs::write(
        root.join("etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\nann:x:1234:4321::/home:/bin/sh\n",
    )
    .unwrap();
    std::fs::write(
        root.join("etc/group"),
        "root:x:0:\nstaff:x:4321:\nextra:x:777:ann\nother:x:888:\n",
    )
    .unwrap();
    root
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn runs_in_the_new_root_as_gnu() {
    if !is_root() {
        skip("chroot needs root");
        return;
    }
    let d = TempDir::new("chroot");
    let root = small_root(&d);
    let r = root.to_str().unwrap();
    let cases: &[&[&str]] = &[
        &[r, "/rbox", "pwd"],
        &[r, "/rbox", "id"],
        &["--userspec=ann", r, "/rbox", "id"],
        &["--userspec=ann:", r, "/rbox", "id"],
        &["--userspec=ann:other", r, "/rbox", "id"],
        &["--userspec=1234:888", r, "/rbox", "id"],
        &["--userspec=:888", r, "/rbox", "id", "-g"],
        &["--userspec=ann", "--groups=other,0", r, "/rbox", "id"],
        &["--userspec=ann", "--groups=", r, "/rbox", "id"],
        &["--userspec=ann.staff", r, "/rbox", "id"],
        &["--userspec=nosuch", r, "/rbox", "id"],
        &["--userspec=5555", r, "/rbox", "id"],
        &["--userspec=ann:nosuch", r, "/rbox", "id"],
        &["--groups=nosuch", r, "/rbox", "id"],
        &[r, "/missing"],
        &[r, "/etc/passwd"],
        &[r, "missing-everywhere"],
        &["--skip-chdir", r, "/rbox", "true"],
        &[&format!("{r}/nonexistent"), "/rbox", "true"],
        &[],
        &["--bogus"],
        &[r, "/rbox", "sh", "-c", "exit 7"],
    ];
    for args in cases {
        let o = applet("chroot").args(*args).run();
        o.same_as(&gnu("chroot").args(*args).run());
    }
    // The applet fallback: a name on no PATH of the new root that is an applet runs from
    // this binary (GNU's chroot has no such fallback: not compared).
    applet("chroot")
        .args([r, "id", "-u"])
        .run()
        .ok()
        .stdout_is("0\n");
    // `/` itself: no chroot, and --skip-chdir keeps the directory.
    let o = applet("chroot")
        .args(["--skip-chdir", "/", "pwd"])
        .cwd(&root)
        .run();
    o.same_as(
        &gnu("chroot")
            .args(["--skip-chdir", "/", "pwd"])
            .cwd(&root)
            .run(),
    );
    o.ok().stdout_is(format!("{r}\n"));
}

#[test]
fn usage_errors_as_gnu() {
    for args in [
        &[][..],
        &["--bogus"],
        &["--skip-chdir", "/tmp"],
        &["--userspec"],
    ] {
        let o = applet("chroot").args(args).run();
        o.same_as(&gnu("chroot").args(args).run());
        o.code(125);
    }
}
