//! `link` and `unlink` against GNU coreutils.

use crate::harness::*;

#[test]
fn link_and_unlink_as_gnu() {
    for tool in ["link", "unlink"] {
        let (a, g) = (TempDir::new("link-r"), TempDir::new("link-g"));
        for d in [&a, &g] {
            d.write("f", "data");
            std::fs::create_dir(d.join("dir")).unwrap();
            std::os::unix::fs::symlink("f", d.join("sym")).unwrap();
            std::os::unix::fs::symlink("nowhere", d.join("dangling")).unwrap();
        }
        let cases: &[&[&str]] = &[
            &[],
            &["f"],
            &["f", "new"],
            &["f", "new", "extra"],
            &["f", "new", "tab\tnewline\n"],
            &["only\none"],
            &["missing", "x"],
            &["f", "dir"],
            &["dir", "d2"],
            &["sym", "sym2"],
            &["dangling", "dl2"],
            &["f", "nodir/x"],
            &["dir"],
            &["sym"],
            &["missing"],
            &["--bogus"],
            &["--", "f", "n2"],
        ];
        for args in cases {
            let o = applet(tool).args(*args).cwd(a.path()).run();
            o.same_as(&gnu(tool).args(*args).cwd(g.path()).run());
        }
        // Same trees after the same calls: names, types, link counts, symlinks not followed.
        let snap = Snap {
            links: true,
            ..Snap::default()
        };
        assert_eq!(tree_snapshot(a.path(), snap), tree_snapshot(g.path(), snap));
    }
}

#[test]
fn unlink_removes_one_name_and_link_makes_one() {
    let d = TempDir::new("link-one");
    d.write("a", "x");
    applet("link").args(["a", "b"]).cwd(d.path()).run().ok();
    use std::os::unix::fs::MetadataExt;
    assert_eq!(std::fs::metadata(d.join("a")).unwrap().nlink(), 2);
    applet("unlink").arg("a").cwd(d.path()).run().ok();
    assert_eq!(std::fs::read(d.join("b")).unwrap(), b"x");
    assert!(!d.join("a").exists());
    applet("unlink")
        .arg("a")
        .cwd(d.path())
        .run()
        .code(1)
        .stderr_is("unlink: cannot unlink 'a': No such file or directory\n");
}
