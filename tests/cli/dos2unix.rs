//! `dos2unix` and `unix2dos` against BusyBox's (GNU has no such tool).

use crate::harness::*;

#[test]
fn streams_as_busybox() {
    let inputs: &[&[u8]] = &[
        b"a\r\nb\rc\n",
        b"",
        b"\r\n\r\n",
        b"x",
        b"a\nb\r",
        b"\r",
        b"one\r\ntwo\nthree",
        b"\xff\r\n\0\r\n",
    ];
    for tool in ["dos2unix", "unix2dos"] {
        for args in [&[][..], &["-u"], &["-d"]] {
            for data in inputs {
                let o = applet(tool).args(args).stdin(*data).run();
                let mut bb = vec![tool];
                bb.extend_from_slice(args);
                let g = gnu("busybox").args(&bb).stdin(*data).run();
                assert_eq!(
                    (o.code, o.out()),
                    (g.code, g.out()),
                    "{tool} {args:?} {data:?}"
                );
            }
        }
    }
}

#[test]
fn in_place_keeps_mode_and_links() {
    use std::os::unix::fs::PermissionsExt;
    let d = TempDir::new("dos2unix");
    let f = d.write("f", "a\r\nb\r\n");
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("f", d.join("link")).unwrap();
    // Through the symlink: the file it leads to is converted, the link stays a link.
    applet("dos2unix").arg("link").cwd(d.path()).run().ok();
    assert_eq!(std::fs::read(&f).unwrap(), b"a\nb\n");
    assert!(std::fs::symlink_metadata(d.join("link"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::metadata(&f).unwrap().permissions().mode() & 0o7777,
        0o640
    );
    applet("unix2dos").arg("f").cwd(d.path()).run().ok();
    assert_eq!(std::fs::read(&f).unwrap(), b"a\r\nb\r\n");
    // The first file that cannot be opened ends the run, as BusyBox's.
    let o = applet("dos2unix")
        .args(["f", "missing"])
        .cwd(d.path())
        .run();
    o.code(1)
        .stderr_is("dos2unix: can't open 'missing': No such file or directory\n");
    assert_eq!(std::fs::read(&f).unwrap(), b"a\nb\n");
    // No temporary file is left beside it.
    let names: Vec<_> = sorted_entries(d.path())
        .iter()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, ["f", "link"]);
    applet("dos2unix").args(["-u", "-d"]).run().code(1);
}
