//! `mknod` against GNU coreutils as the oracle (messages, status, resulting nodes).

use crate::harness::*;
use std::path::Path;

fn fixture(d: &Path) {
    std::fs::write(d.join("f"), b"").unwrap();
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn matches_gnu() {
    if !is_root() {
        return skip("device nodes need root");
    }
    for case in [
        "x p",
        "-m 600 x p",
        "x c 1 3",
        "x u 1 5",
        "x b 7 0",
        "-m 640 x c 0x1 010",
        "x",
        "x b",
        "x c 1",
        "x p 1 2",
        "x q",
        "x q 1 2",
        "x b 1 z",
        "x b z 1",
        "x c 1 99999999999",
        "f p",
        "-m 4777 x p",
        "-m bad x p",
        "",
        "nodir/x p",
        "x pipe",
        "x character 1 3",
    ] {
        let args: Vec<&str> = case.split_whitespace().collect();
        same_effect("mknod", None, &fixture, &args);
    }
}
