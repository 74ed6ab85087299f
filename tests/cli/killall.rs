//! `killall` against psmisc's on processes we start under names of their own.

use crate::harness::*;
use std::os::unix::process::ExitStatusExt;

#[test]
fn signals_by_name() {
    for (args, sig) in [
        (&["-USR1"][..], libc::SIGUSR1),
        (&["-s", "HUP"], libc::SIGHUP),
        (&["--signal=SIGINT"], libc::SIGINT),
        (&["-9"], libc::SIGKILL),
        (&[], libc::SIGTERM),
    ] {
        let mut s = Sleeper::new("zzka-sig", &[]);
        applet("killall").args(args).arg("zzka-sig").run().ok();
        assert_eq!(
            s.child.wait().unwrap().signal(),
            Some(sig),
            "killall {args:?}"
        );
    }
    // A name longer than the kernel's 15 bytes matches through the command line.
    let mut s = Sleeper::new("zzka-a-very-long-name", &[]);
    let o = applet("killall")
        .args(["-v", "zzka-a-very-long-name"])
        .run();
    o.ok().stderr_is(format!(
        "Killed zzka-a-very-long-name({}) with signal 15\n",
        s.child.id()
    ));
    assert_eq!(s.child.wait().unwrap().signal(), Some(libc::SIGTERM));
    let mut s = Sleeper::new("zzka-re", &[]);
    applet("killall").args(["-r", "-I", "^ZZKA-R."]).run().ok();
    assert_eq!(s.child.wait().unwrap().signal(), Some(libc::SIGTERM));
}

#[test]
fn messages_as_psmisc() {
    if !have("killall") {
        return skip("psmisc's killall is not installed");
    }
    for args in [
        &["nothing-runs-under-this"][..],
        &["-q", "nothing-runs-under-this"],
        &["-l"],
        &["-s", "FOO", "x"],
        &["-FOO", "x"],
        &["-u", "no-such-user-zz"],
        &["/no/such/file"],
        &["-r", "("],
    ] {
        applet("killall")
            .args(args)
            .run()
            .same_as(&gnu("killall").args(args).run());
    }
    for args in [&[][..], &["-z", "x"], &["-y", "5x", "x"]] {
        let o = applet("killall").args(args).run();
        o.code(1)
            .stderr_has("Usage: killall [OPTION]... [--] NAME...\n");
    }
}
