//! `--backup`/`-b`/`-S` of cp, mv, ln and install (one shared `common::backup`) against GNU
//! coreutils as the oracle: the same output, messages, status and resulting tree.

use crate::harness::*;

const TOOLS: [&str; 4] = ["cp", "mv", "ln", "install"];

/// Runs `tool ARGS` with rbox and GNU in fresh copies of the fixture `setup` (a sh script),
/// with the environment `env` (VERSION_CONTROL and SIMPLE_BACKUP_SUFFIX otherwise unset), and
/// asserts the same status, stderr, stdout and tree. Returns rbox's output.
#[track_caller]
fn check(tool: &str, setup: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let (a, g) = (TempDir::new("bk-ours"), TempDir::new("bk-gnu"));
    sh_in(a.path(), setup);
    sh_in(g.path(), setup);
    let mut ours = applet(tool).args(args).cwd(a.path());
    let mut theirs = gnu(tool).args(args).cwd(g.path());
    for v in ["VERSION_CONTROL", "SIMPLE_BACKUP_SUFFIX"] {
        ours = ours.env_remove(v);
        theirs = theirs.env_remove(v);
    }
    for (k, v) in env {
        ours = ours.env(k, v);
        theirs = theirs.env(k, v);
    }
    let (o, t) = (ours.run(), theirs.run());
    assert_eq!(
        (o.code, o.err(), o.out()),
        (t.code, t.err(), t.out()),
        "{tool} {args:?} {env:?}: (status, stderr, stdout) differ from GNU's"
    );
    let snap = Snap {
        links: true,
        ..Snap::default()
    };
    assert_eq!(
        tree_snapshot(a.path(), snap),
        tree_snapshot(g.path(), snap),
        "{tool} {args:?} {env:?}: resulting trees differ"
    );
    o
}

/// Replace without asking (install has no -f: it always replaces).
fn force(tool: &str) -> &'static str {
    if tool == "install" {
        "-v"
    } else {
        "-f"
    }
}

const FILES: &str = "echo new > x && echo old > a && mkdir d && echo old > d/x";

#[test]
fn simple() {
    for t in TOOLS {
        let o = check(t, FILES, &["-v", "-b", "x", "a"], &[]);
        assert!(o.out().contains("a~"), "{t}: {}", o.out());
        check(t, FILES, &["-v", "-b", "x", "d"], &[]);
        check(t, FILES, &["--backup=never", "x", "d/x"], &[]);
    }
}

#[test]
fn simple_backup_stays_in_the_destination_directory() {
    // GNU 9.1's cp, mv and install put this backup in the working directory while saying
    // d/x~ (fixed in later releases); ours is where it says.
    for t in TOOLS {
        let d = TempDir::new("bk-dir");
        sh_in(d.path(), FILES);
        let o = applet(t)
            .args(["-v", "--backup=simple", "x", "d"])
            .cwd(d.path())
            .run();
        o.ok();
        assert!(o.out().contains("'d/x~'"), "{t}: {}", o.out());
        assert_eq!(std::fs::read(d.join("d/x~")).unwrap(), b"old\n", "{t}");
        assert!(!d.join("x~").exists(), "{t}");
    }
}

#[test]
fn numbered_after_existing_ones() {
    let setup = "echo new > x && echo old > a && echo 1 > a.~1~ && echo 2 > a.~2~ && \
                 echo 9 > a.~09~ && echo z > ab.~7~";
    for t in TOOLS {
        let o = check(t, setup, &["-v", "--backup=numbered", "x", "a"], &[]);
        assert!(o.out().contains("a.~3~"), "{t}: {}", o.out());
        check(t, setup, &["--backup=t", "x", "a"], &[]);
        check(t, FILES, &["-v", "--backup=numbered", "x", "a"], &[]);
    }
}

#[test]
fn existing_is_numbered_only_where_numbered_backups_are() {
    for t in TOOLS {
        let o = check(t, FILES, &["-v", "--backup=existing", "x", "a"], &[]);
        assert!(o.out().contains("a~"), "{t}: {}", o.out());
        let o = check(
            t,
            "echo new > x && echo old > a && echo 1 > a.~1~",
            &["-v", "--backup=nil", "x", "a"],
            &[],
        );
        assert!(o.out().contains("a.~2~"), "{t}: {}", o.out());
        // An empty control word and an abbreviation (`ni` is only `nil`).
        check(t, FILES, &["--backup=", "x", "a"], &[]);
        check(t, FILES, &["--backup=ni", "x", "a"], &[]);
    }
}

#[test]
fn none_makes_no_backup() {
    for t in TOOLS {
        let o = check(t, FILES, &[force(t), "-v", "--backup=none", "x", "a"], &[]);
        assert!(!o.out().contains("backup"), "{t}: {}", o.out());
        check(t, FILES, &[force(t), "--backup=off", "-b", "x", "a"], &[]);
        check(t, FILES, &["-b", "x", "a"], &[("VERSION_CONTROL", "off")]);
    }
}

#[test]
fn suffix_option_and_environment() {
    for t in TOOLS {
        let o = check(t, FILES, &["-v", "-S", ".orig", "x", "a"], &[]);
        assert!(o.out().contains("a.orig"), "{t}: {}", o.out());
        check(t, FILES, &["--suffix=.s", "-b", "x", "a"], &[]);
        check(
            t,
            FILES,
            &["-b", "x", "a"],
            &[("SIMPLE_BACKUP_SUFFIX", ".e")],
        );
        check(
            t,
            FILES,
            &["-S", ".o", "x", "a"],
            &[("SIMPLE_BACKUP_SUFFIX", ".e")],
        );
        // A suffix with a slash or an empty one would leave the directory: `~` instead.
        check(t, FILES, &["-S", "x/y", "x", "a"], &[]);
        check(t, FILES, &["-b", "x", "a"], &[("SIMPLE_BACKUP_SUFFIX", "")]);
        // coreutils' ln/misc.sh: --backup=simple --suffix=.orig leaves a.orig behind.
        check(
            t,
            FILES,
            &["--backup=simple", "--suffix=.orig", "x", "a"],
            &[],
        );
    }
}

#[test]
fn version_control_environment() {
    for t in TOOLS {
        let o = check(
            t,
            FILES,
            &["-v", "-b", "x", "a"],
            &[("VERSION_CONTROL", "t")],
        );
        assert!(o.out().contains("a.~1~"), "{t}: {}", o.out());
        // The option wins over the environment.
        check(
            t,
            FILES,
            &["--backup=simple", "x", "a"],
            &[("VERSION_CONTROL", "numbered")],
        );
        // Consulted only when a backup is asked for.
        check(
            t,
            FILES,
            &[force(t), "x", "a"],
            &[("VERSION_CONTROL", "bogus")],
        );
    }
}

#[test]
fn invalid_control_word() {
    for t in TOOLS {
        let o = check(t, FILES, &["--backup=foo", "x", "a"], &[]);
        o.code(1);
        assert!(o.err().contains("invalid argument 'foo' for 'backup type'"));
        let o = check(t, FILES, &["--backup=n", "x", "a"], &[]);
        assert!(o.err().contains("ambiguous argument 'n'"));
        let o = check(t, FILES, &["-b", "x", "a"], &[("VERSION_CONTROL", "foo")]);
        assert!(o.err().contains("for '$VERSION_CONTROL'"));
    }
}

#[test]
fn missing_destination_gets_no_backup() {
    for t in TOOLS {
        let o = check(t, FILES, &["-v", "-b", "x", "new"], &[]);
        assert!(!o.out().contains("backup"), "{t}: {}", o.out());
        check(t, FILES, &["-v", "--backup=t", "x", "d/new"], &[]);
    }
}

#[test]
fn no_clobber_conflicts() {
    for t in ["cp", "mv"] {
        let o = check(t, FILES, &["-n", "-b", "x", "a"], &[]);
        assert!(o.err().contains("mutually exclusive"));
        check(t, FILES, &["-n", "--backup=none", "x", "a"], &[]);
    }
}

#[test]
fn ln_backs_up_a_hard_link_of_the_source() {
    // coreutils' ln/misc.sh: b is a hard link of a; -f with a backup keeps it as b~.
    let setup = "echo a > a && ln a b";
    check("ln", setup, &["-f", "--b=simple", "a", "b"], &[]);
    check("ln", setup, &["-v", "--backup=simple", "a", "b"], &[]);
    check("ln", setup, &["-sv", "--backup=t", "a", "b"], &[]);
    // The very same name is still refused.
    let o = check("ln", setup, &["-b", "a", "a"], &[]);
    o.code(1);
}

#[test]
fn mv_backs_up_a_directory() {
    check(
        "mv",
        "mkdir e f && touch f/g",
        &["-v", "-b", "-T", "e", "f"],
        &[],
    );
}

#[test]
fn cp_same_file_with_a_backup() {
    // `cp -f --backup F F` copies F to its backup name (GNU's special case, the same string
    // only: `c ./c` is still the same file); another name of the file is backed up.
    let setup = "echo c > c && ln c h && ln -s c s";
    let o = check("cp", setup, &["-vfb", "c", "c"], &[]);
    assert_eq!(o.out(), "'c' -> 'c~'\n");
    check("cp", setup, &["-vfb", "c", "./c"], &[]).code(1);
    check("cp", setup, &["-vf", "--backup=t", "c", "c"], &[]);
    check("cp", setup, &["-vfb", "s", "s"], &[]);
    let o = check("cp", setup, &["-vb", "c", "h"], &[]);
    assert!(o.out().contains("(backup: 'h~')"));
    check("cp", setup, &["-vb", "c", "s"], &[]);
    check("cp", setup, &["-b", "c", "c"], &[]).code(1);
}

#[test]
fn mv_across_file_systems_names_the_backup() {
    let shm = std::path::Path::new("/dev/shm");
    if !shm.is_dir() {
        skip("no /dev/shm");
        return;
    }
    let mut outs = Vec::new();
    for tool in ["rbox", "gnu"] {
        let d = TempDir::new("bk-mvx");
        sh_in(d.path(), "echo new > x && echo new2 > y");
        let there = shm.join(format!("rbox-bk-{}-{tool}", std::process::id()));
        let _ = std::fs::remove_dir_all(&there);
        std::fs::create_dir(&there).unwrap();
        std::fs::write(there.join("x"), "old").unwrap();
        std::fs::write(there.join("y"), "old").unwrap();
        let t = there.to_str().unwrap().to_string();
        let run = |args: &[&str]| {
            if tool == "rbox" {
                applet("mv").args(args).cwd(d.path()).run()
            } else {
                gnu("mv").args(args).cwd(d.path()).run()
            }
        };
        let a = run(&["-vb", "x", &t]);
        let b = run(&["-v", "--backup=t", "y", &t]);
        a.ok();
        b.ok();
        assert_eq!(std::fs::read(there.join("x~")).unwrap(), b"old", "{tool}");
        assert_eq!(
            std::fs::read(there.join("y.~1~")).unwrap(),
            b"old",
            "{tool}"
        );
        outs.push((a.out() + &b.out()).replace(&t, "THERE"));
        let _ = std::fs::remove_dir_all(&there);
    }
    assert!(outs[0].contains("copied 'x' -> 'THERE/x' (backup: 'THERE/x~')"));
    assert_eq!(outs[0], outs[1]);
}
