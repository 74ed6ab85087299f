//! `pgrep` and `pkill` against procps-ng's on processes we start under names of their own.

use crate::harness::*;
use std::os::unix::process::ExitStatusExt;

#[test]
fn finds_as_procps() {
    let a = Sleeper::new("zzpg-one", &["0"]);
    let b = Sleeper::new("zzpg-two", &["00"]);
    let me = std::process::id().to_string();
    for args in [
        &["zzpg-one"][..],
        &["-l", "zzpg-one"],
        &["-a", "zzpg-one"],
        &["-f", "zzpg-.* 00"],
        &["-x", "zzpg-one"],
        &["-x", "zzpg"],
        &["-c", "zzpg-"],
        &["-d,", "zzpg-"],
        &["-n", "zzpg-"],
        &["-o", "zzpg-"],
        &["-i", "ZZPG-TWO"],
        &["-l", "-P", &me, "zzpg-"],
        &["-u", "0", "-U", "root", "zzpg-t"],
        &["-r", "SR", "zzpg-"],
        &["-O", "1000000", "zzpg-"],
        &["-t", "pts/999", "zzpg-"],
        &["nothing-runs-under-this"],
        &["zzpg-one-but-longer-than-15"],
        &["("],
        &[],
        &["a", "b"],
        &["-u", "no-such-user-zz", "x"],
        &["-P", "abc", "x"],
    ] {
        applet("pgrep")
            .args(args)
            .run()
            .same_as(&gnu("pgrep").args(args).run());
    }
    let o = applet("pgrep").args(["-P", &me, "zzpg-"]).run();
    o.ok();
    assert_eq!(o.out(), format!("{}\n{}\n", a.child.id(), b.child.id()));
    // A bad option: glibc's message, the usage on stderr, status 2.
    let o = applet("pgrep").arg("-e").run();
    o.code(2)
        .stderr_has("pgrep: invalid option -- 'e'\n\nUsage:\n pgrep [options] <pattern>\n");
}

#[test]
fn pkill_signals() {
    for (args, sig) in [
        (&["-USR1"][..], libc::SIGUSR1),
        (&["--signal", "HUP"], libc::SIGHUP),
        (&["-9"], libc::SIGKILL),
        (&[], libc::SIGTERM),
    ] {
        let mut s = Sleeper::new("zzpk-sig", &[]);
        applet("pkill")
            .args(args)
            .args(["-x", "zzpk-sig"])
            .run()
            .ok();
        assert_eq!(
            s.child.wait().unwrap().signal(),
            Some(sig),
            "pkill {args:?}"
        );
    }
    let mut s = Sleeper::new("zzpk-echo", &[]);
    let o = applet("pkill")
        .args(["-e", "-c", "-f", "zzpk-echo 60"])
        .run();
    o.ok()
        .stdout_is(format!("zzpk-echo killed (pid {})\n1\n", s.child.id()));
    assert_eq!(s.child.wait().unwrap().signal(), Some(libc::SIGTERM));
    for args in [
        &["nothing-runs-under-this"][..],
        &["-c", "nothing-runs-under-this"],
        &[],
    ] {
        applet("pkill")
            .args(args)
            .run()
            .same_as(&gnu("pkill").args(args).run());
    }
    applet("pkill")
        .arg("-l")
        .run()
        .code(2)
        .stderr_has("pkill: invalid option -- 'l'\n");
}
