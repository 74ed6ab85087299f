//! `touch` against GNU coreutils as the oracle: the same command in two fresh trees, then the
//! outputs and the resulting times compared (explicit dates only, so nothing depends on the
//! clock, except creation with the current time, checked for existence).

use crate::harness::*;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// A tree with an old file, a link to it and a dangling link.
fn tree(d: &Path) {
    std::fs::write(d.join("old"), "x").unwrap();
    let t = std::time::UNIX_EPOCH + std::time::Duration::new(1_000_000_000, 123_456_789);
    let f = std::fs::File::options()
        .write(true)
        .open(d.join("old"))
        .unwrap();
    f.set_times(std::fs::FileTimes::new().set_accessed(t).set_modified(t))
        .unwrap();
    std::os::unix::fs::symlink("old", d.join("link")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.join("dangling")).unwrap();
    std::fs::create_dir(d.join("dir")).unwrap();
    // The links' own times, fixed (GNU touch -h: std cannot set a link's times).
    gnu("touch")
        .args(["-h", "-d", "@1", "link", "dangling"])
        .cwd(d)
        .run()
        .ok();
}

/// Access and modification times (seconds, nanoseconds) of a file.
type Times = Option<(i64, i64, i64, i64)>;

fn times(d: &Path) -> Vec<(String, Times)> {
    let mut v = Vec::new();
    for e in sorted_entries(d) {
        let m = std::fs::symlink_metadata(e.path()).unwrap();
        // A link's access time moves whenever it is followed: only its mtime is compared.
        let (a, an) = if m.is_symlink() {
            (0, 0)
        } else {
            (m.atime(), m.atime_nsec())
        };
        let t = (!m.is_dir()).then(|| (a, an, m.mtime(), m.mtime_nsec()));
        v.push((e.file_name().to_string_lossy().into_owned(), t));
    }
    v
}

#[track_caller]
fn same(args: &[&str]) {
    let (a, b) = (TempDir::new("touch-r"), TempDir::new("touch-g"));
    tree(a.path());
    tree(b.path());
    let r = applet("touch")
        .env("TZ", "America/New_York")
        .args(args)
        .cwd(a.path())
        .run();
    let g = gnu("touch")
        .env("TZ", "America/New_York")
        .args(args)
        .cwd(b.path())
        .run();
    r.same_as(&g);
    assert_eq!(times(a.path()), times(b.path()), "touch {args:?}");
}

#[test]
fn dates_and_stamps() {
    for a in [
        &["-d", "2024-01-02 10:00", "old", "new"][..],
        &["-d", "@1700000000.5", "old"],
        &["--date=2024-07-01T12:00:00.25Z", "new"],
        &["-a", "-d", "2024-01-02", "old"],
        &["-m", "-d", "2024-01-02", "old"],
        &["--time=atime", "-d", "@5", "old"],
        &["--time=modify", "-d", "@5", "old"],
        &["-t", "202401021030", "old", "new"],
        &["-t", "2401021030.59", "old"],
        &["-t", "01021030", "old"],
        &["-t", "197001010000.60", "old"],
        &["-r", "old", "new"],
        &["-r", "old", "-d", "+1 day", "new"],
        &["--reference=old", "-m", "-h", "link"],
        &["-h", "-d", "@7", "link"],
        &["-d", "@7", "link"],
        &["-d", "@7", "dir"],
        &["-c", "-d", "@7", "old", "nope"],
        &["-h", "-d", "@8", "dangling"],
        &["-f", "-d", "@9", "old"],
    ] {
        same(a);
    }
}

#[test]
fn errors() {
    for a in [
        &[][..],
        &["-d", "2024-02-30", "f"],
        &["-d", "xyzzy", "f"],
        &["-t", "x", "f"],
        &["-t", "202401021030.61", "f"],
        &["-t", "202401021030", "-d", "@0", "f"],
        &["-r", "nope", "f"],
        &["--time=x", "f"],
        &["missing/f"],
        &["-c", "missing/f"],
        &["-h", "nope"],
        &["new/"],
        &["-c", "new/", "f"],
        &["-x"],
        &["-d"],
    ] {
        same(a);
    }
}

#[test]
fn creates_with_the_current_time() {
    let d = TempDir::new("touch-new");
    applet("touch").args(["a", "b"]).cwd(d.path()).run().ok();
    assert!(d.join("a").is_file() && d.join("b").is_file());
    applet("touch").args(["-c", "c"]).cwd(d.path()).run().ok();
    assert!(!d.join("c").exists());
}

#[test]
fn permission_denied_as_gnu() {
    let d = TempDir::new("touch-perm");
    let ro = d.join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::write(ro.join("f"), "").unwrap();
    std::fs::set_permissions(&ro, std::os::unix::fs::PermissionsExt::from_mode(0o555)).unwrap();
    for a in [
        &["ro/new"][..],
        &["ro/f"],
        &["-d", "@0", "ro/f"],
        &["-c", "ro/f"],
    ] {
        let r = applet_as(65534, "touch").args(a).cwd(d.path()).run();
        let g = gnu_as(65534, "touch").args(a).cwd(d.path()).run();
        r.same_as(&g);
    }
}

/// `-d now` (a date that is whatever "now" is) sets the current time as plain `touch` does, so
/// another owner's file the user may write is touched, as GNU's (coreutils'
/// now-owned-by-other); a real date on it is refused as GNU refuses it.
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn now_on_a_writable_file_of_another_owner() {
    if !is_root() {
        skip("setpriv to uid 65534 needs root");
        return;
    }
    let d = TempDir::new("touch-other");
    std::fs::write(d.join("root-owned"), b"\n").unwrap();
    let st = std::process::Command::new("sh")
        .arg("-c")
        .arg("chmod 755 .. && chgrp 65534 . root-owned && chmod g+w root-owned && chmod g+x .")
        .current_dir(d.path())
        .status()
        .unwrap();
    assert!(st.success());
    for args in [
        &["-d", "now", "root-owned"][..],
        &["-d", "today", "root-owned"],
        &["root-owned"],
        &["-d", "2020-01-01", "root-owned"],
        &["-d", "now", "-m", "root-owned"],
    ] {
        let a = applet_as(65534, "touch").args(args).cwd(d.path()).run();
        a.same_as(&gnu_as(65534, "touch").args(args).cwd(d.path()).run());
    }
}

/// `_POSIX2_VERSION` before 2001: a first operand `MMDDhhmm[YY]` (YY 69-99) among two or more
/// is the time, with GNU's warning unless POSIXLY_CORRECT is set (touch/obsolescent).
#[test]
fn obsolete_time_operand_matches_gnu() {
    let d = TempDir::new("touchobs");
    for (env, args) in [
        ("_POSIX2_VERSION=199209", "01010000 f"),
        ("_POSIX2_VERSION=199209", "-- 0101000099 f"),
        ("_POSIX2_VERSION=199209", "0101000000 f"),
        ("_POSIX2_VERSION=199209", "0101000069 f"),
        ("_POSIX2_VERSION=199209", "01010000"),
        ("_POSIX2_VERSION=199209", "13010000 f"),
        ("_POSIX2_VERSION=199209", "-d 2020-01-01 01010000 f"),
        ("_POSIX2_VERSION=199209", "-d now 01010000 f"),
        ("_POSIX2_VERSION=199209 POSIXLY_CORRECT=1", "01010000 f"),
        ("_POSIX2_VERSION=200112", "01010000 f"),
        ("", "01010000 f"),
    ] {
        same_script_as_gnu(
            d.path(),
            "touch",
            &format!(
                "rm -f *; env {env} TZ=UTC0 TOOL {args}; echo $?; ls; \
                 for f in *; do echo \"$f $(TZ=UTC0 stat -c %y \"$f\" | cut -c1-10)\"; done"
            ),
        );
    }
}
