//! `pwd` (the applet, not the shell's builtin) against GNU coreutils' /bin/pwd.

use crate::harness::*;

#[test]
fn logical_and_physical_as_gnu() {
    let d = TempDir::new("pwd");
    std::fs::create_dir(d.join("real")).unwrap();
    std::os::unix::fs::symlink(d.join("real"), d.join("via")).unwrap();
    let via = d.join("via");
    let via_s = via.to_str().unwrap();
    let dotted = format!("{}/./via", d.path().display());
    let cases: &[(&[&str], Option<&str>, bool)] = &[
        (&[], Some(via_s), false),
        (&["-L"], Some(via_s), false),
        (&["-P"], Some(via_s), false),
        (&["-LP"], Some(via_s), false),
        (&["-PL"], Some(via_s), false),
        (&["--logical"], Some(&dotted), false),
        (&["-L"], Some("relative"), false),
        (&["-L"], None, false),
        (&[], Some(via_s), true),
        (&["-P"], Some(via_s), true),
        (&["x", "y"], Some(via_s), false),
        (&["--bogus"], Some(via_s), false),
        (&["-x"], Some(via_s), false),
    ];
    for (args, pwd, posix) in cases {
        let (mut a, mut g) = (
            applet("pwd").args(*args).cwd(&via),
            gnu("pwd").args(*args).cwd(&via),
        );
        match pwd {
            Some(p) => {
                a = a.env("PWD", p);
                g = g.env("PWD", p);
            }
            None => {
                a = a.env_remove("PWD");
                g = g.env_remove("PWD");
            }
        }
        if *posix {
            a = a.env("POSIXLY_CORRECT", "1");
            g = g.env("POSIXLY_CORRECT", "1");
        }
        let o = a.run();
        o.same_as(&g.run());
    }
    // The logical name is kept only where it names the directory.
    applet("pwd")
        .arg("-L")
        .cwd(&via)
        .env("PWD", via_s)
        .run()
        .stdout_is(format!("{via_s}\n"));
}

#[test]
fn removed_directory_and_full_output_as_gnu() {
    let d = TempDir::new("pwd-gone");
    let gone = d.join("gone");
    // The child starts in the directory, then it is removed: a shell does both, each run
    // with a directory of its own.
    let script = |tool: &str| {
        format!(
            "mkdir '{0}' && cd '{0}' && rmdir '{0}' && {tool}",
            gone.display()
        )
    };
    let a = gnu("sh")
        .arg("-c")
        .arg(script(&format!("'{}' pwd", rbox().display())))
        .run();
    let g = gnu("sh").arg("-c").arg(script("/bin/pwd")).run();
    assert_eq!((a.code, a.out()), (g.code, g.out()));
    assert_eq!(a.err(), g.err().replace("/bin/pwd", "pwd"));
    a.code(1);
    let f = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let o = applet("pwd").stdout_file(f()).run();
    o.same_as(&gnu("pwd").stdout_file(f()).run());
    o.code(1);
}
