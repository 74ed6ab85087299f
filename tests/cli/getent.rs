//! `getent` against glibc's getent (/usr/bin/getent) on this machine's own files under /etc
//! (read only). rbox reads the files directly; glibc goes through NSS, which here is `files`
//! for these databases, so the two agree. Host names are only those in /etc/hosts: rbox never
//! asks DNS.

use crate::harness::*;

fn oracle() -> bool {
    if std::path::Path::new("/usr/bin/getent").exists() {
        true
    } else {
        skip("glibc's getent is not installed");
        false
    }
}

fn both(args: &[&str]) {
    let ours = applet("getent").args(args).run();
    let theirs = gnu("getent").args(args).run();
    ours.same_as(&theirs);
}

/// The first name and the first address of /etc/hosts, for keys that exist here.
fn a_host() -> (String, String) {
    let h = std::fs::read_to_string("/etc/hosts").unwrap_or_default();
    for l in h.lines() {
        let w: Vec<&str> = l.split('#').next().unwrap().split_whitespace().collect();
        if w.len() >= 2 {
            return (w[1].to_string(), w[0].to_string());
        }
    }
    ("localhost".into(), "127.0.0.1".into())
}

#[test]
fn whole_databases() {
    if !oracle() {
        return;
    }
    for db in [
        "passwd",
        "group",
        "hosts",
        "services",
        "protocols",
        "shadow",
        "gshadow",
    ] {
        both(&[db]);
    }
}

#[test]
fn keys_by_name_and_number() {
    if !oracle() {
        return;
    }
    both(&["passwd", "root", "0", "nobody", "65534"]);
    both(&["passwd", "+0", "00", " 0"]);
    both(&["group", "0", "root", "nogroup", "adm"]);
    both(&["shadow", "root"]);
    both(&["gshadow", "root"]);
    both(&["services", "22", "ssh/tcp", "53/udp", "domain", "http"]);
    both(&["protocols", "tcp", "17", "TCP", "icmp"]);
    both(&["initgroups", "root", "daemon"]);
    let (name, addr) = a_host();
    both(&["hosts", &name, &addr, &name.to_uppercase()]);
    for db in ["ahosts", "ahostsv4", "ahostsv6"] {
        both(&[db, &name, &addr]);
        both(&[db, "rbox-no-such-host.invalid"]);
    }
    both(&["ahosts"]);
}

#[test]
fn missing_keys_are_status_2() {
    if !oracle() {
        return;
    }
    both(&["passwd", "root", "nosuchuser", "0"]);
    both(&["passwd", ""]);
    both(&["group", "nosuchgroup"]);
    both(&["services", "nosuch", "22/xyz"]);
    both(&["protocols", "nosuch"]);
    both(&["shadow", "nosuchuser"]);
    applet("getent")
        .args(["passwd", "nosuchuser"])
        .run()
        .code(2);
    // Never DNS: a name that is not in /etc/hosts is simply not found.
    applet("getent")
        .args(["hosts", "rbox-no-such-host.invalid"])
        .run()
        .code(2);
}

#[test]
fn usage_errors() {
    if !oracle() {
        return;
    }
    both(&[]);
    both(&["nosuchdb"]);
    both(&["-x", "passwd"]);
    both(&["--bogus"]);
    both(&["initgroups"]);
    applet("getent").arg("nosuchdb").run().code(1);
}

#[test]
fn write_error_on_full_device() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        skip("no /dev/full");
        return;
    };
    let o = applet("getent").arg("services").stdout_file(full).run();
    o.code(1)
        .stderr_is("getent: write error: No space left on device\n");
}
