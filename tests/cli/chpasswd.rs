//! `chpasswd` (hashes checked with `openssl passwd`, the rest against shadow's chpasswd on twin
//! roots) and `passwd`'s non-interactive forms against shadow's passwd (`-R ROOT`). Nothing
//! here touches this machine's own /etc. Needs root.

use crate::harness::*;
use crate::usermod::accounts;
use crate::users::{masked, mkroot, root_ok, twin_with};
use std::path::Path;

fn shadow_field(d: &Path, user: &str, i: usize) -> String {
    std::fs::read_to_string(d.join("etc/shadow"))
        .unwrap()
        .lines()
        .find(|l| l.starts_with(&format!("{user}:")))
        .and_then(|l| l.split(':').nth(i).map(str::to_string))
        .unwrap()
}

fn openssl(flag: &str, salt: &str, pw: &[u8]) -> String {
    let mut input = pw.to_vec();
    input.push(b'\n');
    let o = gnu("openssl")
        .args(["passwd", flag, "-salt", salt, "-stdin"])
        .stdin(input)
        .run();
    o.ok();
    o.out().trim_end().to_string()
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn chpasswd_hashes_match_openssl() {
    if !root_ok(false) || !Path::new("/usr/bin/openssl").exists() {
        return;
    }
    let d = TempDir::new("chpasswd");
    mkroot(d.path(), false);
    accounts(d.path());
    let long = "Lo,ng pass word with $ and : inside ".repeat(5);
    let cases: &[(&[&str], &str, &str, usize)] = &[
        (&[], "$6$", "-6", 16),
        (&["-c", "SHA512"], "$6$", "-6", 16),
        (&["-c", "SHA256"], "$5$", "-5", 16),
        (&["-c", "SHA512", "-s", "1500"], "$6$rounds=1500$", "-6", 16),
        (&["-c", "SHA256", "-s", "10"], "$5$rounds=1000$", "-5", 16),
        (&["-c", "SHA512", "-s", "5000"], "$6$", "-6", 16),
        (&["--crypt-method", "md5"], "$1$", "-1", 8),
        (&["-m"], "$1$", "-1", 8),
    ];
    for (args, prefix, flag, saltlen) in cases {
        for pw in ["secret", "", long.as_str()] {
            applet("chpasswd")
                .arg("-R")
                .arg(d.path())
                .args(*args)
                .stdin(format!("alice:{pw}\nbob:{pw}x\n"))
                .run()
                .ok()
                .stderr_is("");
            let h = shadow_field(d.path(), "alice", 1);
            assert!(h.starts_with(prefix), "{args:?}: {h}");
            let rest = &h[prefix.len()..];
            let salt = &rest[..rest.find('$').unwrap()];
            assert_eq!(salt.len(), *saltlen, "{h}");
            if !pw.is_empty() {
                assert_eq!(
                    openssl(flag, &h[3..h.rfind('$').unwrap()], pw.as_bytes()),
                    h
                );
            }
            assert_ne!(shadow_field(d.path(), "bob", 1), h, "salts differ");
            // Today as the last change.
            assert_eq!(shadow_field(d.path(), "alice", 2).len(), 5);
        }
    }
    // -e and NONE store the text as given.
    applet("chpasswd")
        .arg("-R")
        .arg(d.path())
        .arg("-e")
        .stdin("alice:$6$given$hash\n")
        .run()
        .ok();
    assert_eq!(shadow_field(d.path(), "alice", 1), "$6$given$hash");
}

/// ours and shadow's chpasswd with the same input on twin roots: statuses, messages, files.
fn twin_stdin(args: &[&str], input: &str, setup: impl Fn(&Path)) {
    let d = TempDir::new("chpasswd");
    let (a, b) = (d.join("a"), d.join("b"));
    for r in [&a, &b] {
        mkroot(r, false);
        setup(r);
    }
    let ours = applet("chpasswd")
        .arg("-R")
        .arg(&a)
        .args(args)
        .stdin(input)
        .run();
    let theirs = gnu("/usr/sbin/chpasswd")
        .arg("-R")
        .arg(&b)
        .args(args)
        .stdin(input)
        .run();
    let first = |o: &Output| {
        let e = o.err().replace("/usr/sbin/chpasswd:", "chpasswd:");
        if o.code == 2 {
            e.lines().next().unwrap_or_default().to_string()
        } else {
            e
        }
    };
    assert_eq!(
        (ours.code, first(&ours), ours.out()),
        (theirs.code, first(&theirs), theirs.out()),
        "{args:?} {input:?}"
    );
    for f in ["passwd", "shadow"] {
        assert_eq!(masked(&a, f), masked(&b, f), "{f} after {args:?} {input:?}");
    }
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn chpasswd_matches_shadow() {
    if !root_ok(true) || !Path::new("/usr/sbin/chpasswd").exists() {
        return;
    }
    twin_stdin(&["-e"], "alice:HASH1\nbob:HASH2\n", accounts);
    twin_stdin(&["-c", "NONE"], "alice:plain", accounts);
    twin_stdin(&["-e"], "carol:C\n", accounts);
    twin_stdin(&["-e"], "alice:A\nnosuch:x\nbad\n\nbob:B\n", accounts);
    twin_stdin(&["-e"], "", accounts);
    twin_stdin(&["-c", "FOO"], "alice:x\n", accounts);
    twin_stdin(&["-e", "-m"], "alice:x\n", accounts);
    twin_stdin(&["-s", "10"], "alice:x\n", accounts);
    twin_stdin(&["-c", "SHA512", "-s", "x"], "alice:x\n", accounts);
    twin_stdin(&["-x"], "alice:x\n", accounts);
    twin_stdin(&["-e", "extra"], "alice:x\n", accounts);
    // No shadow file: passwd takes the password.
    twin_stdin(&["-e"], "alice:H\n", |d| {
        accounts(d);
        std::fs::remove_file(d.join("etc/shadow")).unwrap();
    });
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn passwd_matches_shadow() {
    if !root_ok(true) || !Path::new("/usr/bin/passwd").exists() {
        return;
    }
    let setup = |d: &Path| {
        accounts(d);
        let p = d.join("etc/passwd");
        let t = std::fs::read_to_string(&p).unwrap()
            + "dan:x:1003:1003::/:/bin/sh\ned:PW:1004:1004::/:/bin/sh\nfay:x:1005:1005::/:/bin/sh\n";
        std::fs::write(&p, t).unwrap();
        let s = d.join("etc/shadow");
        let t = std::fs::read_to_string(&s).unwrap() + "dan:$1$a:0::::::\nfay::1000:1:2:3:4:5:\n";
        std::fs::write(&s, t).unwrap();
    };
    let cases: &[&[&str]] = &[
        &["-S", "root"],
        &["-S", "alice"],
        &["-S", "bob"],
        &["-S", "carol"],
        &["-S", "dan"],
        &["-S", "ed"],
        &["-S", "fay"],
        &["-S", "nosuch"],
        &["-S"],
        &["-S", "-a"],
        &["-a"],
        &["-S", "-a", "alice"],
        &["-S", "alice", "bob"],
        &["-l", "-u", "alice"],
        &["-l", "-S", "alice"],
        &["-x", "abc", "alice"],
        &["-i", "-2", "alice"],
        &["-y"],
        &["-l", "alice"],
        &["-l", "alice"],
        &["-u", "alice"],
        &["-u", "bob"],
        &["-d", "alice"],
        &["-e", "bob"],
        &["-u", "fay"],
        &["-d", "ed"],
        &["-l", "ed"],
        &["-q", "-l", "dan"],
        &["-d", "-l", "carol"],
        &["-l", "nosuch"],
        &["-x", "5", "alice"],
        &["-n", "1", "-w", "2", "-i", "3", "alice"],
        &["-x", "-1", "alice"],
        &["-S", "-a"],
    ];
    twin_with("passwd", false, setup, cases);
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn passwd_interactive_is_a_usage_error() {
    if !root_ok(false) {
        return;
    }
    let d = TempDir::new("passwd");
    mkroot(d.path(), false);
    let o = applet("passwd").arg("-R").arg(d.path()).arg("root").run();
    o.code(2);
    assert!(o.err().starts_with("passwd: setting a password interactively is not built into rbox; use chpasswd\nUsage: passwd [options] [LOGIN]\n"), "{}", o.err());
}
