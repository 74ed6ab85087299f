//! `tar -c` over the tree walker: member order for each `--sort`, exclusions inside
//! directories, hard links, `-h` loops, and `--one-file-system` on one file system.

use std::os::unix::fs::symlink;

#[allow(unused_imports)]
use crate::harness::*;
use crate::tar::tar_in;

fn names(t: &TempDir, archive: &str) -> String {
    tar_in(t, ["tf", archive]).ok().out()
}

#[test]
fn sort_orders_and_exclusions() {
    let t = TempDir::new("tarc-sort");
    for n in ["d/z", "d/a", "d/m/q", "d/m/b.o", "d/.git/x", "d/k.o"] {
        t.write(n, n);
    }
    tar_in(&t, ["cf", "n.tar", "--sort=name", "d"]).ok();
    assert_eq!(
        names(&t, "n.tar"),
        "d/\nd/.git/\nd/.git/x\nd/a\nd/k.o\nd/m/\nd/m/b.o\nd/m/q\nd/z\n"
    );
    // Exclusions match inside directories and leave the rest in order.
    tar_in(
        &t,
        [
            "cf",
            "x.tar",
            "--sort=name",
            "--exclude=*.o",
            "--exclude-vcs",
            "d",
        ],
    )
    .ok();
    assert_eq!(names(&t, "x.tar"), "d/\nd/a\nd/m/\nd/m/q\nd/z\n");
    // Inode and directory order hold the same members.
    for s in ["--sort=inode", "--sort=none"] {
        tar_in(&t, ["cf", "i.tar", s, "d"]).ok();
        let mut got: Vec<String> = names(&t, "i.tar").lines().map(String::from).collect();
        got.sort();
        let mut want: Vec<String> = names(&t, "n.tar").lines().map(String::from).collect();
        want.sort();
        assert_eq!(got, want, "{s}");
    }
}

#[test]
fn hard_links_and_root_children_names() {
    let t = TempDir::new("tarc-links");
    t.write("d/a/f", "data");
    std::fs::hard_link(t.join("d/a/f"), t.join("d/g")).unwrap();
    tar_in(&t, ["cvf", "l.tar", "--sort=name", "-C", "d", "."])
        .ok()
        .stdout_is("./\n./a/\n./a/f\n./g\n");
    let list = tar_in(&t, ["tvf", "l.tar"]).ok().out();
    assert!(list.contains("./g link to ./a/f"), "{list}");
}

#[test]
fn dereference_loop_is_an_error_not_a_crash() {
    let t = TempDir::new("tarc-loop");
    t.write("l/a/f", "x");
    symlink("..", t.join("l/a/up")).unwrap();
    let r = tar_in(&t, ["chf", "o.tar", "--sort=name", "l"]);
    r.code(2);
    r.stderr_has("l/a/up: Cannot open: Too many levels of symbolic links");
    assert_eq!(names(&t, "o.tar"), "l/\nl/a/\nl/a/f\nl/a/up/\n");
    // Without -h the link is a member.
    tar_in(&t, ["cf", "p.tar", "--sort=name", "--one-file-system", "l"]).ok();
    assert_eq!(names(&t, "p.tar"), "l/\nl/a/\nl/a/f\nl/a/up\n");
}
