//! `df` against GNU coreutils as the oracle. Free space on a shared machine moves between two
//! runs, so a comparison is retried a few times before it counts as a difference; the pseudo
//! file systems (`/proc`, size 0) never move.

use crate::harness::*;

fn same(args: &[&str]) {
    same_env(args, &[]);
}

fn same_env(args: &[&str], env: &[(&str, &str)]) {
    let mut last = None;
    for _ in 0..10 {
        let (mut a, mut g) = (applet("df").args(args), gnu("df").args(args));
        for &(k, v) in env {
            a = a.env(k, v);
            g = g.env(k, v);
        }
        let (a, g) = (a.run(), g.run());
        if (a.code, &a.stdout, &a.stderr) == (g.code, &g.stdout, &g.stderr) {
            return;
        }
        last = Some((a, g));
    }
    // Still moving (a build writing to the root file system): compare with the figures of
    // file systems written to meanwhile masked.
    let (a, g) = last.unwrap();
    assert_eq!(
        (a.code, a.err(), mask(&a.out())),
        (g.code, g.err(), mask(&g.out())),
        "df {args:?}"
    );
}

/// Blanks squeezed, and the digits of lines whose numbers differ between runs (any line but
/// the header's and those of size-0 file systems) replaced by `#`.
fn mask(s: &str) -> String {
    s.lines()
        .map(|l| {
            let l = l.split_whitespace().collect::<Vec<_>>().join(" ");
            if l.starts_with("Filesystem") {
                l
            } else {
                l.chars()
                    .map(|c| if c.is_ascii_digit() { '#' } else { c })
                    .collect()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn listings_as_gnu() {
    for o in [
        &[][..],
        &["-h"],
        &["-H"],
        &["-i"],
        &["-P"],
        &["-T"],
        &["-hi"],
        &["-Pk"],
        &["-PT"],
        &["-Ph"],
        &["-Pi"],
        &["-k"],
        &["-m"],
        &["-a"],
        &["-aT"],
        &["-ai"],
        &["-t", "tmpfs"],
        &["-x", "tmpfs"],
        &["-t", "ext4", "-t", "tmpfs"],
        &["--total"],
        &["--total", "-h"],
        &["-i", "--total"],
        &["-l"],
        &["-BM"],
        &["-B1"],
        &["--block-size=KiB"],
        &["-B", "1000"],
        &["-v", "--sync"],
        &["--output"],
        &["--output=source,target,fstype"],
        &["--output=pcent,ipcent,avail", "-h"],
        &["--out=target", "--out=size,used", "-BM"],
        &["--output=itotal,iused,iavail", "-H"],
        &["--output=file,target", "--total"],
        &["--output=target,size", "--total", "-a"],
    ] {
        same(o);
    }
}

/// `--output`: the fields, their order and headers, the file operand as given, and GNU's
/// refusals (unknown or repeated field, with -i, -P or -T).
#[test]
fn output_fields_as_gnu() {
    same(&["--output=file,source,target", "/", "/proc", "."]);
    same(&["--output", "-i", "/"]);
    for o in [
        &["--output=bogus"][..],
        &["--output=target,source,target"],
        &["--output=size", "--output=size"],
        &["-i", "--output"],
        &["--output", "-P"],
        &["-T", "--output=source"],
        &["--output=used,"],
    ] {
        same(o);
    }
}

#[test]
fn pseudo_file_systems_exactly() {
    let a = applet("df")
        .args(["-aT", "-t", "proc", "-t", "sysfs"])
        .run();
    a.same_as(&gnu("df").args(["-aT", "-t", "proc", "-t", "sysfs"]).run());
    assert!(a.out().contains(" proc "), "{}", a.out());
    same(&["/proc", "-i"]);
    same(&["-a", "/sys", "/proc"]);
}

#[test]
fn file_operands_as_gnu() {
    let d = TempDir::new("df");
    d.write("f", b"x");
    d.write("new\nline", b"x");
    let f = d.join("f");
    let nl = d.join("new\nline");
    let f = f.to_str().unwrap();
    let nl = nl.to_str().unwrap();
    same(&[f, "/", "/dev/shm", "/proc", "/nonexistent", "/dev/null"]);
    same(&["-T", f, nl]);
    same(&["-t", "ext4", "/proc", "/"]);
    same(&["/nonexistent"]);
}

#[test]
fn environment_and_errors_as_gnu() {
    for (k, v) in [
        ("DF_BLOCK_SIZE", "MB"),
        ("BLOCK_SIZE", "human-readable"),
        ("POSIXLY_CORRECT", "1"),
    ] {
        same_env(&[], &[(k, v)]);
    }
    for o in [
        &["-t", "nope"][..],
        &["-t", "x", "-x", "x"],
        &["-B", "x"],
        &["-B0"],
        &["--bogus"],
    ] {
        same(o);
    }
}

/// Inside a mount namespace: a device operand stands for the file system mounted from it
/// (tmpfs mounts named after /dev/null and /dev/zero stand in for block devices), one
/// mounted over is refused as GNU does ("over-mounted by another device"), and a mount point
/// with a newline is printed with `?` for it (coreutils' df-symlink, over-mount-device and
/// problematic-chars, rewritten).
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn device_operands_and_odd_mount_points_as_gnu() {
    if !is_root() || !have("unshare") {
        skip("mounting in a namespace needs root and unshare (util-linux)");
        return;
    }
    let d = TempDir::new("df-mounts");
    let script = r#"
        nl=$(printf 'a\nb')
        mkdir m "$nl" && mount -t tmpfs /dev/null m && mount -t tmpfs tmpx "$nl" || exit 99
        run() {
            for t in ours gnu; do
                if [ $t = ours ]; then df="$RBOX df"; else df=df; fi
                LC_ALL=C $df "$@" >> $t 2>&1; echo "status $?" >> $t
            done
        }
        run --output=source,target,file /dev/null
        run /dev/null m
        run "$nl"
        run --output=target,file "$nl" /dev/null
        run -T /dev/null
        mount -t tmpfs /dev/zero m || exit 99
        run /dev/null m
        run --output=source,target /dev/zero
    "#;
    let st = std::process::Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c", script])
        .env("RBOX", rbox())
        .current_dir(d.path())
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(0), "the mounts could not be made");
    let read = |n: &str| String::from_utf8_lossy(&std::fs::read(d.join(n)).unwrap()).into_owned();
    let (ours, gnu) = (read("ours"), read("gnu"));
    assert_eq!(ours, gnu);
    assert!(gnu.contains("over-mounted by another device"), "{gnu}");
    assert!(gnu.contains("/a?b"), "{gnu}");
}
