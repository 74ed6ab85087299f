//! `sync` against GNU coreutils as the oracle (messages and status).

use crate::harness::*;
use std::path::Path;

fn fixture(d: &Path) {
    std::fs::write(d.join("f"), b"data").unwrap();
    std::fs::create_dir(d.join("dir")).unwrap();
}

#[test]
fn matches_gnu() {
    for case in [
        "",
        "f",
        "f dir",
        "-d f",
        "-f f",
        "--file-system dir",
        "-d",
        "-f",
        "-d -f f",
        "nope f",
        "-x",
    ] {
        let args: Vec<&str> = case.split_whitespace().collect();
        same_effect("sync", None, &fixture, &args);
    }
}

#[test]
fn unreadable_file_opened_for_writing_as_gnu() {
    if !have("setpriv") {
        return skip("setpriv (util-linux) missing");
    }
    let setup = |d: &Path| {
        use std::os::unix::fs::PermissionsExt;
        fixture(d);
        std::fs::write(d.join("wo"), b"").unwrap();
        std::fs::set_permissions(d.join("wo"), std::fs::Permissions::from_mode(0o222)).unwrap();
        std::fs::set_permissions(d.join("f"), std::fs::Permissions::from_mode(0o000)).unwrap();
    };
    same_effect("sync", Some(65534), &setup, &["wo", "f"]);
}
