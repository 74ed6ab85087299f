//! `truncate` against GNU coreutils as the oracle: messages, status and resulting sizes.

use crate::harness::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn fixture(d: &Path) {
    std::fs::write(d.join("a"), vec![b'x'; 1000]).unwrap();
    std::fs::write(d.join("b"), b"0123456789").unwrap();
    std::fs::write(d.join("ro"), b"ro").unwrap();
    std::fs::set_permissions(d.join("ro"), std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::create_dir(d.join("dir")).unwrap();
}

#[test]
fn matches_gnu() {
    for case in [
        "-s 0 a",
        "-s 1K a n",
        "-s +1M a",
        "-s -100 a",
        "-s -10000 a",
        "-s /300 a",
        "-s %300 a",
        "-s %1000 a",
        "-s <10 a b",
        "-s >2000 a b",
        "-s <+5 a",
        "-s /0 a",
        "-s 1x a",
        "-s 5KB a",
        "-s 2KiB a",
        "-s 1MB a",
        "-s 1Y a",
        "-s  a",
        "-s / a",
        "-s -5 new",
        "-c -s 5 new",
        "-s 5 -c nodir/x",
        "-s 5 nodir/x",
        "-s 5 dir",
        "-r b a",
        "-r b -s +1 a",
        "-r b -s 5 a",
        "-r nope a",
        "-o -s 2 a",
        "-o a",
        "a",
        "-s 3",
        "",
        "-q -s 1 a",
    ] {
        let args: Vec<&str> = case
            .split(' ')
            .filter(|s| !s.is_empty() || case.starts_with("-s  "))
            .collect();
        let args: Vec<&str> = if case == "-s  a" {
            vec!["-s", "", "a"]
        } else {
            args
        };
        same_effect("truncate", None, &fixture, &args);
    }
}

#[test]
fn permission_denied_matches_gnu() {
    if !have("setpriv") {
        return skip("setpriv (util-linux) missing");
    }
    for case in [["-s", "0", "ro"], ["-s", "0", "x"]] {
        same_effect("truncate", Some(65534), &fixture, &case);
    }
}
