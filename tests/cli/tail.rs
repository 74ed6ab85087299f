//! `tail` against GNU tail as the oracle; following checked through a pipe with bounded waits on
//! the output.

use crate::harness::*;
use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn fixture() -> TempDir {
    let d = TempDir::new("tail");
    let big: String = (1..=100000).map(|i| format!("{i}\n")).collect();
    d.write("big", big);
    d.write("nt", "a\nb\nc");
    d.write("nul", b"x\0y\0z\0\nw\xff\n");
    d.write("a\nb", "newline name\n");
    std::fs::create_dir(d.join("dir")).unwrap();
    d
}

#[test]
fn options_match_gnu() {
    let d = fixture();
    for args in [
        &["big"][..],
        &["-n", "3", "big"],
        &["-n", "+99995", "big"],
        &["-n", "99999", "big"],
        &["-n", "100000", "big"],
        &["-n", "200000", "big"],
        &["-n", "0", "nt"],
        &["-n", "+0", "nt"],
        &["-n", "+1", "nt"],
        &["-n", "-1", "nt"],
        &["-c", "7", "big"],
        &["-c", "+588890", "big"],
        &["-c", "1kB", "big"],
        &["-c", "2KiB", "big"],
        &["--bytes=5", "nt"],
        &["--lines=2", "nt", "nul"],
        &["-q", "nt", "nt"],
        &["-v", "nt"],
        &["-z", "-n", "2", "nul"],
        &["-5", "big"],
        &["+5", "big"],
        &["-2c", "nt"],
        &["-c"],
        &["a\nb", "nt", "-"],
        &["-n", "1", "/dev/null"],
        &["--retry", "nt"],
        &["--pid=1", "nt"],
    ] {
        same_as_gnu("tail", args, Some(b"in1\nin2\nin3"), d.path());
    }
}

#[test]
fn pipes_match_gnu() {
    let d = fixture();
    let big = std::fs::read(d.join("big")).unwrap();
    for args in [
        &["-n", "2"][..],
        &["-n", "99999"],
        &["-n", "+99995"],
        &["-c", "99999"],
        &["-c", "+5"],
        &["-n", "0"],
    ] {
        same_as_gnu("tail", args, Some(&big), d.path());
        same_as_gnu("tail", args, Some(b"a\nb\nc"), d.path());
    }
}

#[test]
fn errors_match_gnu() {
    let d = fixture();
    for args in [
        &["nope"][..],
        &["dir", "nt", "nope"],
        &["-n", "x", "nt"],
        &["-n", "1x", "nt"],
        &["-n", "99999999999999999999999", "nt"],
        &["-5", "nt", "nt"],
        &["-s", "x", "nt"],
        &["--pid=x", "nt"],
        &["--follow=foo", "nt"],
        &["--max-unchanged-stats=x", "nt"],
        &["-F", "-"],
        &["--bogus"],
    ] {
        same_as_gnu("tail", args, None, d.path());
    }
}

#[test]
fn dev_full() {
    let d = fixture();
    let f = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let a = applet("tail")
        .args(["-n", "5", "big"])
        .cwd(d.path())
        .stdout_file(f())
        .run();
    let g = gnu("tail")
        .args(["-n", "5", "big"])
        .cwd(d.path())
        .stdout_file(f())
        .run();
    a.same_as(&g).code(1);
}

/// A `tail -f`-style child whose stdout is read on a thread.
struct Follower {
    child: Child,
    rx: mpsc::Receiver<Vec<u8>>,
    got: Vec<u8>,
    err: std::process::ChildStderr,
}

impl Follower {
    fn start(args: &[&str], cwd: &std::path::Path) -> Follower {
        let mut child = Command::new(rbox())
            .arg("tail")
            .args(args)
            .current_dir(cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut b = [0u8; 4096];
            while let Ok(n) = out.read(&mut b) {
                if n == 0 || tx.send(b[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Follower {
            child,
            rx,
            got: Vec::new(),
            err,
        }
    }

    /// Waits (at most 20 s) until the output so far ends with `want`.
    #[track_caller]
    fn expect(&mut self, want: &str) {
        let end = Instant::now() + Duration::from_secs(20);
        while !self.got.ends_with(want.as_bytes()) {
            let left = end.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(b) => self.got.extend_from_slice(&b),
                Err(_) => panic!(
                    "waited for {want:?}; output so far {:?}",
                    String::from_utf8_lossy(&self.got)
                ),
            }
        }
    }

    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut e = String::new();
        let _ = self.err.read_to_string(&mut e);
        e
    }
}

fn append(p: &std::path::Path, s: &str) {
    let mut f = std::fs::OpenOptions::new().append(true).open(p).unwrap();
    f.write_all(s.as_bytes()).unwrap();
}

#[test]
fn follow_appends_and_truncation() {
    let d = fixture();
    let p = d.write("log", "one\ntwo\n");
    let mut t = Follower::start(&["-n", "1", "-f", "log"], d.path());
    t.expect("two\n");
    append(&p, "three\n");
    t.expect("two\nthree\n");
    append(&p, "four");
    t.expect("three\nfour");
    std::fs::write(&p, "new\n").unwrap();
    t.expect(
        "four", /* truncated to a shorter file: reread from the start */
    );
    t.expect("new\n");
    let e = t.stop();
    assert!(e.contains("tail: log: file truncated"), "stderr: {e}");
}

#[test]
fn follow_several_files_with_headers() {
    let d = fixture();
    let a = d.write("a", "a1\n");
    let b = d.write("b", "b1\n");
    let mut t = Follower::start(&["-f", "a", "b"], d.path());
    t.expect("==> a <==\na1\n\n==> b <==\nb1\n");
    append(&a, "a2\n");
    t.expect("b1\n\n==> a <==\na2\n");
    append(&b, "b2\n");
    t.expect("a2\n\n==> b <==\nb2\n");
    t.stop();
}

/// Data appended to several files comes out in the order it was written (GNU's tail handles
/// inotify's events in order), not in the order the files were named.
#[test]
fn follow_prints_in_write_order() {
    let d = fixture();
    let a = d.write("a", "a1\n");
    let b = d.write("b", "b1\n");
    let c = d.write("c", "c1\n");
    let mut t = Follower::start(&["-f", "a", "b", "c"], d.path());
    t.expect("==> c <==\nc1\n");
    // Once this is out, tail is watching: the next two writes are two events, c's first.
    append(&b, "b2\n");
    t.expect("==> b <==\nb2\n");
    append(&c, "c2\n");
    append(&a, "a2\n");
    t.expect("b2\n\n==> c <==\nc2\n\n==> a <==\na2\n");
    t.stop();
}

#[test]
fn follow_name_across_replacement() {
    let d = fixture();
    let p = d.write("log", "old\n");
    let mut t = Follower::start(&["-F", "-s", "0.1", "log"], d.path());
    t.expect("old\n");
    std::fs::write(d.join("log.new"), "fresh\n").unwrap();
    std::fs::rename(d.join("log.new"), &p).unwrap();
    t.expect("old\nfresh\n");
    std::fs::remove_file(&p).unwrap();
    std::fs::write(&p, "back\n").unwrap();
    t.expect("back\n");
    let e = t.stop();
    assert!(
        e.contains("tail: 'log' has been replaced;  following new file"),
        "stderr: {e}"
    );
}

#[test]
fn follow_stops_with_pid() {
    let d = fixture();
    d.write("log", "x\n");
    let mut sleeper = Command::new("sleep").arg("0.3").spawn().unwrap();
    let pid = sleeper.id();
    // Reaped as soon as it ends (a zombie would still answer kill(pid, 0)).
    let reaper = std::thread::spawn(move || sleeper.wait());
    let o = applet("tail")
        .args(["-f", "-s", "0.1", &format!("--pid={pid}"), "log"])
        .cwd(d.path())
        .run();
    let _ = reaper.join();
    o.ok().stdout_is("x\n");
}

#[test]
fn pipe_is_not_followed() {
    same_as_gnu(
        "tail",
        &["-f", "-n", "1"],
        Some(b"a\nb\n"),
        std::path::Path::new("/"),
    );
}

/// /proc and /sys files say 0 bytes or a page whatever they hold: no larger than a block, they
/// are read as a stream, as GNU does (coreutils' tail-c); GNU's hidden `---disable-inotify`
/// (follow by polling) is taken, here with a `--pid` that has already ended.
#[test]
fn notional_sizes_and_polling_as_gnu() {
    let d = fixture();
    let mut cases: Vec<Vec<&str>> = vec![
        vec!["-c", "3", "/proc/version"],
        vec!["-n", "2", "/proc/self/limits"],
        vec!["---disable-inotify", "-f", "--pid=2147483646", "nt"],
        vec![
            "---disable-inotify",
            "-F",
            "--pid=2147483646",
            "-n1",
            "nt",
            "big",
        ],
    ];
    if std::fs::metadata("/sys/kernel/profiling").is_ok() {
        cases.push(vec!["-c", "-1", "/sys/kernel/profiling"]);
        cases.push(vec!["-n", "1", "/sys/kernel/profiling"]);
    }
    for args in &cases {
        applet("tail")
            .args(args)
            .cwd(d.path())
            .run()
            .same_as(&gnu("tail").args(args).cwd(d.path()).run());
    }
}

/// A count of 0 without `-f` opens nothing: no header, no error for a missing file, status 0
/// (`+0` still reads).
#[test]
fn zero_count_opens_nothing() {
    let d = fixture();
    for args in [
        &["-n", "0", "nope"][..],
        &["-c", "0", "nt", "nope"],
        &["-n", "-0", "-v", "nt", "nt"],
        &["-c", "0", "-"],
        &["-n", "+0", "nt", "nope"],
        &["-n", "0", "-f", "nope"],
    ] {
        if args.contains(&"-f") {
            // Following a missing file with nothing to follow ends at once, as GNU.
            let r = applet("tail").args(args).cwd(d.path()).run();
            let g = gnu("tail").args(args).cwd(d.path()).run();
            r.same_as(&g);
        } else {
            same_as_gnu("tail", args, Some(b"in\n"), d.path());
        }
    }
}
