//! `df` against GNU coreutils as the oracle. Free space on a shared machine moves between two
//! runs, so a comparison is retried a few times before it counts as a difference; the pseudo
//! file systems (`/proc`, size 0) never move.

use crate::harness::*;

fn same(args: &[&str]) {
    let mut last = None;
    for _ in 0..10 {
        let a = applet("df").args(args).run();
        let g = gnu("df").args(args).run();
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
        let mut last = None;
        for _ in 0..5 {
            let a = applet("df").env(k, v).run();
            let g = gnu("df").env(k, v).run();
            if a.stdout == g.stdout {
                last = None;
                break;
            }
            last = Some((a, g));
        }
        if let Some((a, g)) = last {
            a.same_as(&g);
        }
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
