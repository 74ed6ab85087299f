//! `readlink` against GNU coreutils as the oracle (same fixture, same command lines).

use crate::harness::*;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::symlink;
use std::path::Path;

/// Links: relative, absolute, chained, dangling, a loop, to a directory, through `..`.
pub fn link_fixture(d: &Path) {
    std::fs::create_dir_all(d.join("dir/sub")).unwrap();
    std::fs::write(d.join("file"), b"").unwrap();
    std::fs::write(d.join("dir/sub/f"), b"").unwrap();
    symlink("file", d.join("l1")).unwrap();
    symlink("l1", d.join("l2")).unwrap();
    symlink("nowhere", d.join("dangling")).unwrap();
    symlink("loop2", d.join("loop1")).unwrap();
    symlink("loop1", d.join("loop2")).unwrap();
    symlink("dir/sub", d.join("ldir")).unwrap();
    symlink("../..", d.join("dir/sub/up")).unwrap();
    symlink("/", d.join("root")).unwrap();
    symlink("a\nb", d.join("nl")).unwrap();
    symlink(OsString::from_vec(b"\xff".to_vec()), d.join("bad")).unwrap();
}

fn split(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

#[test]
fn matches_gnu() {
    for case in [
        "l1",
        "l2 l1",
        "file",
        "-v file nope l1",
        "-n l1",
        "-n l1 l2",
        "-z l1 l2",
        "nl bad",
        "dangling",
        "-f l2",
        "-f dangling",
        "-e dangling",
        "-m dangling/x/../y",
        "-f nope/x",
        "-fv nope/x",
        "-ev nope",
        "-f loop1",
        "-fv loop1",
        "-e ldir/up/dir/./sub/f",
        "-f ldir/..",
        "-f file/",
        "-e ./file/",
        "-f ./l1/.",
        "-f l2/",
        "-f nope/",
        "-f nope/.",
        "-m file/",
        "-e ldir/",
        "-f dangling/",
        "-m ldir/../x",
        "-f root/tmp/..",
        "-e file/x",
        "-ve file/x",
        "-m file/x",
        "-f .",
        "-f /",
        "-f //",
        "-f ''",
        "-vf ''",
        "",
        "-Q x",
        "-fe l1",
        "-ef l1",
    ] {
        let args: Vec<String> = split(case)
            .into_iter()
            .map(|a| {
                if a == "''" {
                    String::new()
                } else {
                    a.to_string()
                }
            })
            .collect();
        same_effect("readlink", None, &link_fixture, &args);
    }
}
