//! `realpath` against GNU coreutils as the oracle (same fixture, same command lines).

#[cfg(feature = "readlink")]
use crate::harness::*;

#[cfg(feature = "readlink")]
fn split(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

/// The fixture is readlink's (both canonicalize through common::path).
#[cfg(feature = "readlink")]
#[test]
fn matches_gnu() {
    for case in [
        "l1 l2 file .",
        "dangling",
        "-e dangling",
        "-m dangling/x",
        "nope/x",
        "-q nope/x file",
        "-e nope",
        "loop1",
        "ldir/up",
        "-L ldir/up",
        "-P ldir/..",
        "-L ldir/..",
        "-s ldir/up l2",
        "--no-symlinks ldir/../l1",
        "-z l1 l2",
        "--relative-to=dir l1 dir/sub/f /",
        "--relative-to=ldir file",
        "--relative-base=dir dir/sub/f file",
        "--relative-base=dir --relative-to=dir/sub dir/sub/f dir file",
        "--relative-base=dir/sub --relative-to=dir dir/sub/f file",
        "--relative-to=nope file",
        "-e --relative-to=file file",
        "--relative-to=/ /",
        "",
        "-x f",
        "nl bad",
        "file/x",
        "-m file/x/..",
        "file/",
        "-s file/ file/. l1/",
        "-s nope/ nope/x file/x",
        "-sm file/",
        "-L ldir/../file/",
        "--relative-to=dir file/",
    ] {
        same_effect(
            "realpath",
            None,
            &crate::readlink::link_fixture,
            &split(case),
        );
    }
}
