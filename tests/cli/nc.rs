//! `nc` against Debian's OpenBSD netcat (package netcat-openbsd) on 127.0.0.1 only: port
//! checks (`-z -v`, ranges, refused ports), argument errors, a request and its answer through
//! an in-test server, and `-l` accepting one connection. Every wait is bounded (`-w`, socket
//! timeouts); the listener is waited for through its `-v` line, not by sleeping.

use crate::harness::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn port_checks_and_errors_match_openbsd_nc() {
    if !have("nc") {
        skip("netcat-openbsd's nc is not installed");
        return;
    }
    let open = TcpListener::bind("127.0.0.1:0").unwrap();
    let up = open.local_addr().unwrap().port().to_string();
    let down = closed_port().to_string();
    let range = format!("{down}-{down}");
    let cases: Vec<Vec<&str>> = vec![
        vec!["-z", "127.0.0.1", &up],
        vec!["-zv", "127.0.0.1", &up],
        vec!["-zv", "-w", "2", "127.0.0.1", &down],
        vec!["-z", "127.0.0.1", &down],
        vec!["-zvn", "127.0.0.1", &range],
        vec!["127.0.0.1", &up, "-zv"],
        vec!["-zv", "127.0.0.1"],
        vec!["-z", "127.0.0.1", "x"],
        vec!["-z", "127.0.0.1", "0"],
        vec!["-z", "127.0.0.1", "70000"],
        vec!["-z", "127.0.0.1", "a-3"],
        vec!["-w", "x", "127.0.0.1", &up],
        vec!["-q", "x", "127.0.0.1", &up],
        vec!["-zn", "not-a-number.invalid", "80"],
        vec!["-l"],
    ];
    for args in &cases {
        let ours = applet("nc").args(args).stdin("").run();
        let theirs = gnu("nc").args(args).stdin("").run();
        ours.same_as(&theirs);
    }
}

/// A server that reads one request line and answers it, then closes.
fn one_shot_server() -> (u16, std::thread::JoinHandle<String>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let h = std::thread::spawn(move || {
        let (s, _) = l.accept().unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut line = String::new();
        BufReader::new(&s).read_line(&mut line).unwrap();
        (&s).write_all(format!("got {line}").as_bytes()).unwrap();
        line
    });
    (port, h)
}

#[test]
fn copies_a_request_and_its_answer() {
    for args in [&["-N"][..], &["-q", "5"], &["-w", "5"]] {
        let (port, h) = one_shot_server();
        let p = port.to_string();
        let o = applet("nc")
            .args(args)
            .args(["127.0.0.1", &p])
            .stdin("PING\n")
            .run();
        o.ok().stdout_is("got PING\n");
        assert_eq!(h.join().unwrap(), "PING\n");
    }
}

#[test]
fn listens_for_one_connection() {
    for (style, args) in [("busybox", &["-lv", "-p"][..]), ("openbsd", &["-lv"])] {
        let port = closed_port().to_string();
        let mut child = Command::new(rbox())
            .arg("nc")
            .args(args)
            .arg(&port)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        err.read_line(&mut line).unwrap();
        assert_eq!(line, format!("Listening on 0.0.0.0 {port}\n"), "{style}");
        let mut s = TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"to the client\n")
            .unwrap();
        let mut got = [0u8; 14];
        s.read_exact(&mut got).unwrap();
        s.write_all(b"to the listener\n").unwrap();
        s.shutdown(std::net::Shutdown::Write).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "to the listener\n",
            "{style}"
        );
        assert_eq!(&got, b"to the client\n", "{style}");
        let mut rest = String::new();
        err.read_to_string(&mut rest).unwrap();
        assert!(
            rest.starts_with("Connection received on "),
            "{style}: {rest}"
        );
    }
}
