//! `userdel`, `groupdel` against shadow's (`-R ROOT` on twin temporary roots), and BusyBox's
//! `deluser`, `delgroup` run in a chroot holding a copy of rbox (Debian's busybox is built
//! without them: the expected lines are BusyBox's messages). Nothing here touches this
//! machine's own /etc. Needs root.

use crate::harness::*;
use crate::usermod::accounts;
use crate::users::{bbroot, inroot, line_of, root_ok, twin_with};
use std::path::Path;

fn with_mail(d: &Path) {
    accounts(d);
    std::fs::write(d.join("var/mail/alice"), "").unwrap();
    std::os::unix::fs::chown(d.join("var/mail/alice"), Some(1000), Some(0)).unwrap();
    std::fs::write(d.join("var/mail/bob"), "").unwrap();
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn userdel_matches_shadow() {
    if !root_ok(true) || !Path::new("/usr/sbin/userdel").exists() {
        return;
    }
    let cases: &[&[&str]] = &[
        &["nosuch"],
        &[],
        &["-x", "alice"],
        &["alice", "bob"],
        &["-r", "alice"],
        &["-r", "bob"],
        &["carol"],
    ];
    // Without login.defs (USERGROUPS_ENAB unset: own groups stay) and with Debian's.
    twin_with("userdel", false, with_mail, cases);
    twin_with("userdel", true, with_mail, cases);
    // A group with other members or some other user's primary group stays; -f removes the
    // second and a home not owned by the user.
    let shared = |d: &Path| {
        with_mail(d);
        let p = d.join("etc/passwd");
        let t = std::fs::read_to_string(&p).unwrap() + "dan:x:1003:1001::/home/dan:/bin/sh\n";
        std::fs::write(&p, t).unwrap();
        std::os::unix::fs::chown(d.join("home/alice"), Some(0), Some(0)).unwrap();
    };
    twin_with("userdel", true, shared, &[&["bob"], &["-r", "alice"]]);
    twin_with(
        "userdel",
        true,
        shared,
        &[&["-f", "bob"], &["-r", "-f", "alice"]],
    );
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn groupdel_matches_shadow() {
    if !root_ok(true) || !Path::new("/usr/sbin/groupdel").exists() {
        return;
    }
    twin_with(
        "groupdel",
        false,
        accounts,
        &[
            &["nosuch"],
            &["alice"],
            &["users"],
            &["-f", "users"],
            &["daemon"],
            &["-f", "alice"],
            &[],
        ],
    );
}

fn bb() -> TempDir {
    let d = bbroot();
    accounts(d.path());
    d
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn deluser_busybox() {
    if !root_ok(false) {
        return;
    }
    let d = bb();
    inroot(&d, &["deluser", "nosuch"])
        .code(1)
        .stderr_is("deluser: unknown user nosuch\n");
    inroot(&d, &["deluser"]).code(1);
    // bob: gone from passwd, shadow, member lists; his group too.
    inroot(&d, &["deluser", "bob"]).ok().stderr_is("");
    assert!(line_of(&d, "passwd", "bob").is_none());
    assert!(line_of(&d, "shadow", "bob").is_none());
    assert!(line_of(&d, "group", "bob").is_none());
    assert!(line_of(&d, "gshadow", "bob").is_none());
    assert_eq!(line_of(&d, "group", "users").unwrap(), "users:x:100:alice");
    assert_eq!(
        line_of(&d, "gshadow", "users").unwrap(),
        "users:*:alice:alice"
    );
    // A same-named group someone else has as primary stays, with BusyBox's complaint.
    let p = d.join("etc/passwd");
    let t = std::fs::read_to_string(&p).unwrap() + "eve:x:1004:1000::/:/bin/sh\n";
    std::fs::write(&p, t).unwrap();
    inroot(&d, &["deluser", "--remove-home", "alice"])
        .code(1)
        .stderr_is("deluser: 'eve' still has 'alice' as their primary group!\n");
    assert!(line_of(&d, "passwd", "alice").is_none());
    assert!(line_of(&d, "group", "alice").is_some());
    assert!(!d.join("home/alice").exists());
    // The home's symlink was removed, not followed.
    assert!(d.join("etc/passwd").exists());
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn delgroup_busybox() {
    if !root_ok(false) {
        return;
    }
    let d = bb();
    inroot(&d, &["delgroup", "nosuch"])
        .code(1)
        .stderr_is("delgroup: unknown group nosuch\n");
    inroot(&d, &["delgroup", "users"])
        .code(1)
        .stderr_is("delgroup: 'carol' still has 'users' as their primary group!\n");
    inroot(&d, &["delgroup", "alice", "users"])
        .ok()
        .stderr_is("");
    assert_eq!(line_of(&d, "group", "users").unwrap(), "users:x:100:bob");
    assert_eq!(
        line_of(&d, "gshadow", "users").unwrap(),
        "users:*:alice:bob"
    );
    inroot(&d, &["delgroup", "alice", "users"]).ok().stderr_is(
        "delgroup: can't find alice in /etc/group\ndelgroup: can't find alice in /etc/gshadow\n",
    );
    // Debian's `deluser USER GROUP`.
    inroot(&d, &["deluser", "alice", "daemon"]).ok();
    assert_eq!(line_of(&d, "group", "daemon").unwrap(), "daemon:x:1:");
    inroot(&d, &["delgroup", "daemon"]).code(1);
    let p = d.join("etc/passwd");
    let t = std::fs::read_to_string(&p)
        .unwrap()
        .replace("daemon:x:1:1:", "daemon:x:1:65534:");
    std::fs::write(&p, t).unwrap();
    inroot(&d, &["delgroup", "daemon"]).ok();
    assert!(line_of(&d, "group", "daemon").is_none());
    assert!(line_of(&d, "gshadow", "daemon").is_none());
    inroot(&d, &["delgroup", "a", "b", "c"]).code(1);
    applet_as(65534, "delgroup")
        .arg("x")
        .run()
        .code(1)
        .stderr_is("delgroup: permission denied (are you root?)\n");
}
