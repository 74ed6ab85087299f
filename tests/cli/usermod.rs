//! `usermod` and `groupmod` against shadow's (/usr/sbin/usermod, groupmod), both with `-R ROOT`
//! on twin temporary roots holding the same accounts and homes. Nothing here touches this
//! machine's own /etc. Needs root (chroot, chown).

use crate::harness::*;
use crate::users::{root_ok, twin_with};
use std::os::unix::fs::{symlink, MetadataExt};
use std::path::Path;

fn append(p: &Path, s: &str) {
    let mut t = std::fs::read_to_string(p).unwrap();
    t.push_str(s);
    std::fs::write(p, t).unwrap();
}

/// alice (1000, own group, in daemon and users, a gshadow admin of users), bob (1001), carol
/// (1002, primary group users); alice's home holds her files, a root-owned one, and a symlink
/// to the root's /etc/passwd (a chown must not follow it).
pub(crate) fn accounts(d: &Path) {
    let etc = d.join("etc");
    append(
        &etc.join("passwd"),
        "alice:x:1000:1000:Alice:/home/alice:/bin/sh\nbob:x:1001:1001::/home/bob:/bin/sh\n\
         carol:!:1002:100::/home/carol:/bin/sh\ndora:x:1006:100::/home/dora:/bin/sh\n",
    );
    append(
        &etc.join("shadow"),
        "alice:$6$s$h:1000:0:99999:7:::\nbob:!:1000:0:99999:7:::\n",
    );
    let g = std::fs::read_to_string(etc.join("group"))
        .unwrap()
        .replace("daemon:x:1:\n", "daemon:x:1:alice\n")
        .replace("users:x:100:\n", "users:x:100:bob,alice\n");
    std::fs::write(etc.join("group"), g + "alice:x:1000:\nbob:x:1001:alice\n").unwrap();
    let gs = std::fs::read_to_string(etc.join("gshadow"))
        .unwrap()
        .replace("daemon:*::\n", "daemon:*::alice\n")
        .replace("users:*::\n", "users:*:alice:bob,alice\n");
    std::fs::write(etc.join("gshadow"), gs + "alice:!::\nbob:!::alice\n").unwrap();
    let h = d.join("home/alice");
    std::fs::create_dir_all(h.join("sub")).unwrap();
    std::fs::write(h.join("f"), "x").unwrap();
    std::fs::write(h.join("sub/g"), "y").unwrap();
    std::fs::write(h.join("rootfile"), "z").unwrap();
    symlink("/etc/passwd", h.join("link")).unwrap();
    for p in ["", "f", "sub", "sub/g", "link"] {
        std::os::unix::fs::lchown(h.join(p), Some(1000), Some(1000)).unwrap();
    }
    std::fs::create_dir_all(d.join("var/mail")).unwrap();
    // shadow looks for the user's processes in the root's /proc (none here).
    std::fs::create_dir_all(d.join("proc")).unwrap();
}

fn twin(tool: &str, defs: bool, cases: &[&[&str]]) {
    twin_with(tool, defs, accounts, cases);
}

const USERMOD_CASES: &[&[&str]] = &[
    &["alice"],
    &["-u", "1000", "alice"],
    &["-s", "/bin/sh", "nosuch"],
    &["-u", "1001", "alice"],
    &["-a", "alice"],
    &["-o", "alice"],
    &["-m", "alice"],
    &["-L", "-U", "alice"],
    &["-s", "bin", "alice"],
    &["-c", "a:b", "alice"],
    &["-d", "rel", "alice"],
    &["-l", "bob", "alice"],
    &["-l", "b:d", "alice"],
    &["-g", "nosuch", "alice"],
    &["-G", "users,nosuch", "alice"],
    &["-e", "xx", "alice"],
    &["-f", "x", "alice"],
    &["-u", "x", "alice"],
    &["-U", "bob"],
    &["-x", "alice"],
    &[],
    &["-c", "Alice Liddell", "-s", "/bin/false", "alice"],
    &["-L", "alice"],
    &["-L", "alice"],
    &["-U", "alice"],
    &["-e", "2030-01-01", "-f", "7", "alice"],
    &["-e", "", "-f", "-1", "alice"],
    &["-p", "NEWHASH", "bob"],
    &["-p", "PLAIN", "carol"],
    &["-a", "-G", "root", "alice"],
    &["-G", "users,1001", "alice"],
    &["-r", "-G", "users", "alice"],
    &["-G", "", "bob"],
    &["-g", "users", "alice"],
    &["-u", "2000", "alice"],
    &["-o", "-u", "1001", "alice"],
    &["-l", "alicia", "alice"],
    &["-d", "/home/alicia", "-m", "alicia"],
    &["-d", "/srv/elsewhere", "alicia"],
    // No shadow line: one is made.
    &["-e", "2031-02-03", "carol"],
    &["-f", "3", "dora"],
    &["-p", "X", "dora"],
];

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn usermod_matches_shadow() {
    if !root_ok(true) || !Path::new("/usr/sbin/usermod").exists() {
        return;
    }
    twin("usermod", false, USERMOD_CASES);
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn usermod_moves_and_chowns_the_home() {
    if !root_ok(true) || !Path::new("/usr/sbin/usermod").exists() {
        return;
    }
    twin(
        "usermod",
        true,
        &[
            &[
                "-u",
                "3000",
                "-g",
                "users",
                "-d",
                "/home/new",
                "-m",
                "alice",
            ],
            &["-d", "/home/bob", "-m", "alice"],
            &["-d", "/home/x", "-m", "bob"],
            &["-d", "/home/new", "-m", "bob"],
            &["-e", "2031-02-03", "carol"],
        ],
    );
    // The symlink's target, the root's /etc/passwd, stayed root's.
    let d = TempDir::new("usermod");
    crate::users::mkroot(d.path(), false);
    accounts(d.path());
    applet("usermod")
        .arg("-R")
        .arg(d.path())
        .args(["-u", "4000", "alice"])
        .run()
        .ok();
    let m = |p: &str| std::fs::symlink_metadata(d.join(p)).unwrap();
    assert_eq!(m("etc/passwd").uid(), 0);
    assert_eq!(m("home/alice/link").uid(), 4000);
    assert_eq!(m("home/alice/sub/g").uid(), 4000);
    assert_eq!(m("home/alice/rootfile").uid(), 0);
    // The mail spool follows the uid and the login.
    std::fs::write(d.join("var/mail/alice"), "").unwrap();
    std::os::unix::fs::chown(d.join("var/mail/alice"), Some(4000), Some(0)).unwrap();
    applet("usermod")
        .arg("-R")
        .arg(d.path())
        .args(["-u", "4001", "-l", "al", "alice"])
        .run()
        .ok();
    assert_eq!(m("var/mail/al").uid(), 4001);
    assert!(!d.join("var/mail/alice").exists());
}

/// linuxserver.io's entrypoint idiom: the image's `abc` user takes the ids it is given.
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn entrypoint_puid_pgid_idiom() {
    if !root_ok(true) || !Path::new("/usr/sbin/usermod").exists() {
        return;
    }
    let setup = |d: &Path| {
        accounts(d);
        append(&d.join("etc/passwd"), "abc:x:911:911::/config:/bin/false\n");
        append(&d.join("etc/group"), "abc:x:911:\n");
        std::fs::create_dir_all(d.join("config")).unwrap();
        std::os::unix::fs::chown(d.join("config"), Some(911), Some(911)).unwrap();
    };
    for (pgid, puid) in [
        ("1000", "1000"),
        ("1001", "1000"),
        ("911", "911"),
        ("100", "0"),
    ] {
        let d = TempDir::new("usermod");
        let (a, b) = (d.join("a"), d.join("b"));
        for r in [&a, &b] {
            crate::users::mkroot(r, false);
            setup(r);
        }
        for (root, ours) in [(&a, true), (&b, false)] {
            for args in [
                ["groupmod", "-o", "-g", pgid, "abc"],
                ["usermod", "-o", "-u", puid, "abc"],
            ] {
                let r = if ours {
                    applet(args[0])
                } else {
                    gnu(&format!("/usr/sbin/{}", args[0]))
                };
                r.arg("-R").arg(root).args(&args[1..]).run().ok();
            }
        }
        for f in ["passwd", "group"] {
            assert_eq!(
                std::fs::read_to_string(a.join("etc").join(f)).unwrap(),
                std::fs::read_to_string(b.join("etc").join(f)).unwrap(),
                "{f} after {pgid}/{puid}"
            );
        }
        assert!(std::fs::read_to_string(a.join("etc/passwd"))
            .unwrap()
            .contains(&format!("abc:x:{puid}:{pgid}:")));
    }
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn groupmod_matches_shadow() {
    if !root_ok(true) || !Path::new("/usr/sbin/groupmod").exists() {
        return;
    }
    let cases: &[&[&str]] = &[
        &["users"],
        &["-g", "5", "nosuch"],
        &["-g", "1000", "users"],
        &["-o", "users"],
        &["-n", "alice", "users"],
        &["-n", "a:b", "users"],
        &["-g", "x", "users"],
        &["-x", "users"],
        &[],
        &["-g", "100", "users"],
        &["-g", "2000", "users"],
        &["-o", "-g", "1000", "bob"],
        &["-n", "staff", "users"],
        &["-n", "crew", "-g", "3000", "staff"],
        &["-p", "GPW", "crew"],
        &["-p", "GPW2", "nogroup"],
        &["-U", "bob,root", "alice"],
        &["-a", "-U", "daemon,bob", "alice"],
        &["-U", "nosuch", "alice"],
        &["-a", "alice"],
        &["-U", "", "bob"],
    ];
    twin_with("groupmod", false, accounts, cases);
    // Without gshadow, the password goes to group.
    twin_with(
        "groupmod",
        false,
        |d| {
            accounts(d);
            std::fs::remove_file(d.join("etc/gshadow")).unwrap();
        },
        &[&["-p", "GPW", "users"]],
    );
}
