//! `hostname` against BusyBox's behaviour (the reference for its options) and `uname -n`; the
//! name is only ever set inside a new UTS namespace (`unshare --uts`), with a private
//! /etc/hosts bound over the real one in a new mount namespace.

use std::process::Command;

use crate::harness::*;

#[test]
fn plain_name_is_uname_n() {
    let want = gnu("uname").arg("-n").run();
    applet("hostname").run().ok().stdout_is(want.out());
    let short = want.out().split('.').next().unwrap().trim_end().to_string() + "\n";
    applet("hostname").arg("-s").run().ok().stdout_is(short);
}

#[test]
fn bad_option_and_write_error() {
    applet("hostname").arg("-x").run().code(1).stderr_is(
        "hostname: invalid option -- 'x'\nTry 'hostname --help' for more information.\n",
    );
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    applet("hostname")
        .stdout_file(full)
        .run()
        .code(1)
        .stderr_is("hostname: write error: No space left on device\n");
}

#[test]
fn setting_needs_root() {
    applet_as(65534, "hostname")
        .arg("nope")
        .run()
        .code(1)
        .stderr_is("hostname: sethostname: Operation not permitted\n");
    applet("hostname")
        .args(["-F", "/nonexistent/x"])
        .run()
        .code(1)
        .stderr_is("hostname: can't open '/nonexistent/x': No such file or directory\n");
}

/// Run `script` in new UTS and mount namespaces with `$R` the rbox binary, `$T` a temporary
/// directory whose `hosts` file is bound over /etc/hosts. None (skipped loudly) if impossible.
fn in_namespace(hosts: &str, script: &str) -> Option<(String, String, i32)> {
    if !is_root() || !have("unshare") {
        skip("hostname: setting the name needs root and util-linux unshare");
        return None;
    }
    let t = TempDir::new("hostname");
    t.write("hosts", hosts);
    t.write(
        "names",
        "# comment\n\n   \t# more\n  first.example.org  trailing\nsecond#x\n",
    );
    let full = format!("mount --bind \"$T/hosts\" /etc/hosts || exit 99\n{script}");
    let o = Command::new("unshare")
        .args(["--uts", "--mount", "sh", "-c", &full])
        .env("R", rbox())
        .env("T", t.path())
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    let code = o.status.code().unwrap_or(-1);
    if code == 99 {
        skip("hostname: cannot bind-mount a private /etc/hosts");
        return None;
    }
    Some((
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
        code,
    ))
}

#[test]
fn set_and_look_up_in_a_namespace() {
    let hosts = "# test\n127.0.0.1 localhost\n::1 box ip6-box\n10.1.2.3 Box.Example.Org box alias\n10.1.2.4 box\n";
    let script = r#"
"$R" hostname box.sub || exit 1
"$R" hostname; uname -n; "$R" hostname -s
"$R" hostname box || exit 2
uname -n
"$R" hostname -f; "$R" hostname -d; "$R" hostname -i; "$R" hostname --short
"$R" hostname -s -f; "$R" hostname -sd; "$R" hostname --fqdn --ip-address
"$R" hostname nowhere.lan
"$R" hostname -f; "$R" hostname -d; "$R" hostname -s
"$R" hostname -i; echo "status $?"
"$R" hostname -F "$T/names"; uname -n
"$R" hostname -F "$T/hosts" ignored; uname -n
"$R" hostname 0123456789012345678901234567890123456789012345678901234567890123456789; echo "status $?"
"#;
    let Some((out, err, code)) = in_namespace(hosts, script) else {
        return;
    };
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "box.sub\nbox.sub\nbox\n\
         box\n\
         Box.Example.Org\nExample.Org\n10.1.2.3 10.1.2.4\nbox\n\
         Box.Example.Org\nBox\nBox.Example.Org\n\
         nowhere.lan\nlan\nnowhere\n\
         status 1\n\
         second\n\
         10.1.2.4\n\
         status 1\n"
    );
    assert_eq!(
        err,
        "hostname: nowhere.lan: Unknown host\nhostname: sethostname: Invalid argument\n"
    );
}
