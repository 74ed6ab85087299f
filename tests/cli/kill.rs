//! `kill` against procps-ng's /bin/kill as the oracle (its messages name it "/bin/kill", so
//! those are compared with the prefix removed), and by signalling real children.

use crate::harness::*;
use std::os::unix::process::ExitStatusExt;
use std::process::Command;

fn procps(args: &[&str]) -> Output {
    let mut o = gnu("/bin/kill").args(args).run();
    let e = String::from_utf8_lossy(&o.stderr).replace("/bin/kill:", "kill:");
    o.stderr = e.into_bytes();
    o
}

#[test]
fn lists_as_procps() {
    for a in [
        &["-l"][..],
        &["-L"],
        &["--table"],
        &["-l", "9"],
        &["-l", "TERM"],
        &["-l", "SIGHUP"],
        &["-l", "29"],
        &["-l", "137"],
    ] {
        applet("kill").args(a).run().same_as(&procps(a));
    }
}

#[test]
fn errors_as_procps() {
    for a in [
        &["999999"][..],
        &["abc"],
        &["-0", "999999"],
        &["-s", "KILL", "999999"],
    ] {
        applet("kill").args(a).run().same_as(&procps(a));
    }
}

#[test]
fn signals_children() {
    for (args, sig) in [
        (&["-s", "USR1"][..], libc::SIGUSR1),
        (&["-9"], libc::SIGKILL),
        (&["-HUP"], libc::SIGHUP),
        (&["-n", "2"], libc::SIGINT),
        (&["--signal=SIGUSR2"], libc::SIGUSR2),
        (&[], libc::SIGTERM),
    ] {
        let mut c = Command::new("sleep").arg("30").spawn().unwrap();
        let pid = c.id().to_string();
        applet("kill").args(args).arg(&pid).run().ok();
        assert_eq!(c.wait().unwrap().signal(), Some(sig), "kill {args:?}");
    }
    // -0 checks existence only.
    let mut c = Command::new("sleep").arg("30").spawn().unwrap();
    applet("kill").args(["-0", &c.id().to_string()]).run().ok();
    c.kill().unwrap();
    c.wait().unwrap();
}
