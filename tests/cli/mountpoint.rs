//! `mountpoint` against util-linux's.

use crate::harness::*;

#[test]
fn mount_points_as_util_linux() {
    let d = TempDir::new("mountpoint");
    std::os::unix::fs::symlink("/", d.join("rootlink")).unwrap();
    std::os::unix::fs::symlink("/proc", d.join("proclink")).unwrap();
    d.write("file", "x");
    let (rl, pl, f) = (d.join("rootlink"), d.join("proclink"), d.join("file"));
    let (rl, pl, f) = (
        rl.to_str().unwrap(),
        pl.to_str().unwrap(),
        f.to_str().unwrap(),
    );
    let dp = d.path().to_str().unwrap();
    let cases: &[&[&str]] = &[
        &["/"],
        &["/proc"],
        &["/proc/"],
        &["/proc/../proc"],
        &["/proc/self"],
        &[dp],
        &[f],
        &["/nonexistent"],
        &["-q", "/"],
        &["-q", dp],
        &["-q", "/nonexistent"],
        &["-d", "/"],
        &["-d", "/proc"],
        &["-d", dp],
        &["-q", "-d", "/proc"],
        &["-d", f],
        &["-x", "/dev/null"],
        &["-x", "/"],
        &["-x", "/nonexistent"],
        &["--nofollow", rl],
        &[rl],
        &[pl],
        &["-d", pl],
        &["--nofollow", "-x", "/dev/null"],
        &[],
        &["/", "/proc"],
        &["-x"],
        &["--bogus", "/"],
    ];
    for args in cases {
        let o = applet("mountpoint").args(*args).run();
        o.same_as(&gnu("mountpoint").args(*args).run());
    }
    applet("mountpoint")
        .arg("/proc")
        .run()
        .ok()
        .stdout_is("/proc is a mountpoint\n");
    applet("mountpoint").arg(dp).run().code(32);
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn bind_mounts_count_as_util_linux() {
    if !is_root() || !have("unshare") {
        skip("a bind mount in a private mount namespace needs root and unshare");
        return;
    }
    let d = TempDir::new("mountpoint-bind");
    std::fs::create_dir(d.join("src")).unwrap();
    std::fs::create_dir(d.join("dst")).unwrap();
    d.write("f", "x");
    d.write("g", "y");
    let script = format!(
        "cd '{0}' && mount --bind src dst && mount --bind f g && \
         for t in '{1} mountpoint' mountpoint; do \
           for p in dst g src f; do $t $p; echo \"$?\"; $t -d $p; echo \"$?\"; done; done",
        d.path().display(),
        rbox().display()
    );
    let o = gnu("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c", &script])
        .run();
    o.ok();
    let out = o.out();
    let lines: Vec<&str> = out.lines().collect();
    let (ours, theirs) = lines.split_at(lines.len() / 2);
    assert_eq!(ours, theirs, "{out}");
    assert!(
        ours.contains(&"dst is a mountpoint") && ours.contains(&"g is a mountpoint"),
        "{out}"
    );
}
