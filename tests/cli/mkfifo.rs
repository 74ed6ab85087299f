//! `mkfifo` against GNU coreutils as the oracle (messages, status, resulting modes).

use crate::harness::*;
use std::path::Path;

fn fixture(d: &Path) {
    std::fs::write(d.join("f"), b"").unwrap();
}

#[test]
fn matches_gnu() {
    for case in [
        "p",
        "p q",
        "f",
        "-m 600 p",
        "-m 777 p",
        "-m a=rw,o-w p",
        "-m +x p",
        "-m 4777 p",
        "-m bad p",
        "nodir/p",
        "",
        "-Z p",
        "--context=x p",
        "--context=x",
        "-x p",
    ] {
        let args: Vec<&str> = case.split_whitespace().collect();
        same_effect("mkfifo", None, &fixture, &args);
    }
    same_effect("mkfifo", None, &fixture, &["a\nb"]);
}
