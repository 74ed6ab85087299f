//! `wget` integration tests: a real nginx (HTTP and HTTPS, certificates made by `openssl` here)
//! and a purpose-built misbehaving server on 127.0.0.1; every server is stopped by a Drop guard
//! and every wait is bounded (socket timeouts, `-T`, `-t 1`).

use crate::harness::*;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A test CA and a server certificate for 127.0.0.1 and localhost.
pub struct Certs {
    pub ca: PathBuf,
    chain: PathBuf,
    key: PathBuf,
}

fn make_certs(dir: &Path) -> Certs {
    let ossl = |args: &[&str]| {
        let o = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl");
        assert!(
            o.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut a = vec!["req", "-x509"];
    a.extend(ec);
    a.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "3",
        "-subj",
        "/O=rbox tests/CN=rbox test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    ossl(&a);
    let mut a = vec!["req"];
    a.extend(ec);
    a.extend([
        "-keyout",
        "srv.key",
        "-out",
        "srv.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    ossl(&a);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    ossl(&[
        "x509",
        "-req",
        "-in",
        "srv.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "srv.pem",
        "-days",
        "3",
        "-extfile",
        "ext.cnf",
    ]);
    let mut chain = std::fs::read(dir.join("srv.pem")).unwrap();
    chain.extend(std::fs::read(dir.join("ca.pem")).unwrap());
    std::fs::write(dir.join("chain.pem"), chain).unwrap();
    Certs {
        ca: dir.join("ca.pem"),
        chain: dir.join("chain.pem"),
        key: dir.join("srv.key"),
    }
}

/// nginx serving `www/` over HTTP and HTTPS; killed on drop.
pub struct Nginx {
    dir: TempDir,
    child: Child,
    http: u16,
    pub https: u16,
    pub certs: Certs,
}

impl Nginx {
    pub fn start() -> Option<Nginx> {
        if !have("nginx") || !have("openssl") {
            skip("nginx and openssl are needed (Debian packages nginx, openssl)");
            return None;
        }
        let dir = TempDir::new("nginx");
        let certs = make_certs(dir.path());
        let www = dir.join("www");
        std::fs::create_dir_all(&www).unwrap();
        std::fs::create_dir_all(dir.join("tmp")).unwrap();
        let (http, https) = (free_port(), free_port());
        let d = dir.path().display();
        let conf = format!(
            "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\n\
             error_log {d}/error.log;\nevents {{ worker_connections 64; }}\n\
             http {{\n access_log off;\n client_body_temp_path {d}/tmp;\n proxy_temp_path {d}/tmp;\n\
             fastcgi_temp_path {d}/tmp;\n uwsgi_temp_path {d}/tmp;\n scgi_temp_path {d}/tmp;\n\
             types {{ text/plain txt; }}\n default_type application/octet-stream;\n\
             server {{\n  listen 127.0.0.1:{http};\n  listen 127.0.0.1:{https} ssl;\n\
             ssl_protocols TLSv1.2 TLSv1.3;\n  ssl_certificate {};\n  ssl_certificate_key {};\n  root {d}/www;\n\
             location = /redir {{ return 301 /f.txt; }}\n\
             location = /secret {{ return 401; }}\n }}\n}}\n",
            certs.chain.display(),
            certs.key.display()
        );
        std::fs::write(dir.join("nginx.conf"), conf).unwrap();
        let child = Command::new("nginx")
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .arg("-e")
            .arg(dir.join("error.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx");
        let n = Nginx {
            dir,
            child,
            http,
            https,
            certs,
        };
        let t0 = Instant::now();
        while TcpStream::connect(("127.0.0.1", https)).is_err()
            || TcpStream::connect(("127.0.0.1", http)).is_err()
        {
            assert!(
                t0.elapsed() < Duration::from_secs(10),
                "nginx did not start: {}",
                std::fs::read_to_string(n.dir.join("error.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(n)
    }

    pub fn put(&self, name: &str, data: &[u8]) {
        self.dir.write(&format!("www/{name}"), data);
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.http)
    }

    fn surl(&self, path: &str) -> String {
        format!("https://127.0.0.1:{}/{path}", self.https)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Deterministic test data.
fn data(n: usize) -> Vec<u8> {
    let mut x: u32 = 0x1234_5678;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

type Handler = dyn Fn(&mut TcpStream, &str) + Send + Sync;

/// A one-connection-at-a-time server that answers with whatever the test's handler writes.
/// Requests are recorded for assertions.
struct Fake {
    port: u16,
    stop: Arc<AtomicBool>,
    reqs: Arc<Mutex<Vec<String>>>,
    th: Option<JoinHandle<()>>,
}

impl Fake {
    fn start(h: impl Fn(&mut TcpStream, &str) + Send + Sync + 'static) -> Fake {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let reqs = Arc::new(Mutex::new(Vec::new()));
        let (s2, r2) = (stop.clone(), reqs.clone());
        let h: Box<Handler> = Box::new(h);
        let th = std::thread::spawn(move || {
            for c in l.incoming() {
                if s2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut c) = c else { continue };
                c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                c.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
                let req = read_request(&mut c);
                r2.lock().unwrap().push(req.clone());
                h(&mut c, &req);
            }
        });
        Fake {
            port,
            stop,
            reqs,
            th: Some(th),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    fn requests(&self) -> Vec<String> {
        self.reqs.lock().unwrap().clone()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.th.take() {
            let _ = t.join();
        }
    }
}

/// Head plus a Content-Length body, as text (tests send ASCII).
fn read_request(c: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut b = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                break;
            }
        }
        match c.read(&mut b) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&b[..n]),
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// Wait until the client closes (bounded by the read timeout): a server that stalls.
fn drain(c: &mut TcpStream) {
    let mut b = [0u8; 1024];
    while let Ok(n) = c.read(&mut b) {
        if n == 0 {
            break;
        }
    }
}

fn wget(dir: &TempDir) -> Run {
    applet("wget")
        .cwd(dir.path())
        .env_remove("http_proxy")
        .env_remove("https_proxy")
}

#[test]
fn usage_errors() {
    let o = applet("wget").run();
    o.code(1);
    assert!(
        o.err()
            .starts_with("wget: missing URL\nUsage: wget [OPTION]... [URL]...\n"),
        "{}",
        o.err()
    );
    let o = applet("wget").arg("--bogus").arg("http://x/").run();
    o.code(2);
    o.stderr_has("unrecognized option '--bogus'");
    applet("wget")
        .args(["-T", "abc", "http://x/"])
        .run()
        .code(2);
    let o = applet("wget").arg("--help").run();
    o.ok();
    assert!(o.out().contains("--output-document"));
    let o = applet("wget").args(["ftp://h/x"]).run();
    o.code(1);
    o.stderr_has("Unsupported scheme");
}

#[test]
fn nginx_http() {
    let Some(n) = Nginx::start() else { return };
    let body = data(300_000);
    n.put("big.bin", &body);
    n.put("f.txt", b"hello\n");
    let d = TempDir::new("wget-http");

    // Plain download: name from the URL, GNU log lines.
    let o = wget(&d).arg(n.url("big.bin")).run();
    o.ok();
    assert_eq!(std::fs::read(d.join("big.bin")).unwrap(), body);
    let e = o.err();
    assert!(
        e.contains(&format!("Connecting to 127.0.0.1:{}... connected.", n.http)),
        "{e}"
    );
    assert!(
        e.contains("HTTP request sent, awaiting response... 200 OK"),
        "{e}"
    );
    assert!(
        e.contains("Length: 300000 (293K) [application/octet-stream]"),
        "{e}"
    );
    assert!(e.contains("'big.bin' saved [300000/300000]"), "{e}");

    // No clobbering: numbered copies; -nc refuses.
    wget(&d)
        .args(["-q", &n.url("f.txt")])
        .run()
        .ok()
        .stderr_is("");
    wget(&d).args(["-q", &n.url("f.txt")]).run().ok();
    assert_eq!(std::fs::read(d.join("f.txt.1")).unwrap(), b"hello\n");
    let o = wget(&d).args(["-nc", &n.url("f.txt")]).run();
    o.ok();
    o.stderr_has("File 'f.txt' already there; not retrieving.");
    assert!(!d.join("f.txt.2").exists());

    // -O - to stdout, -O FILE, -P DIR, -nv.
    wget(&d)
        .args(["-qO-", &n.url("f.txt")])
        .run()
        .ok()
        .stdout_is("hello\n");
    wget(&d)
        .args(["-q", "-O", "named", &n.url("f.txt")])
        .run()
        .ok();
    assert_eq!(std::fs::read(d.join("named")).unwrap(), b"hello\n");
    let o = wget(&d)
        .args(["-nv", "-P", "sub/dir", &n.url("f.txt")])
        .run();
    o.ok();
    o.stderr_has(&format!(
        "URL:{} [6/6] -> \"sub/dir/f.txt\" [1]",
        n.url("f.txt")
    ));
    assert_eq!(std::fs::read(d.join("sub/dir/f.txt")).unwrap(), b"hello\n");

    // Through a link named wget, with localhost resolved even without asking DNS.
    linked("wget")
        .cwd(d.path())
        .args(["-qO-", &format!("http://localhost:{}/f.txt", n.http)])
        .run()
        .ok()
        .stdout_is("hello\n");

    // Server errors: exit 8, GNU's text; --spider.
    let o = wget(&d).arg(n.url("nope")).run();
    o.code(8);
    o.stderr_has("ERROR 404: Not Found.");
    assert!(!d.join("nope").exists());
    let o = wget(&d).args(["-nv", &n.url("nope")]).run();
    o.code(8);
    o.stderr_has(&format!("{}:\n", n.url("nope")));
    wget(&d)
        .args(["-q", "--spider", &n.url("nope")])
        .run()
        .code(8);
    let o = wget(&d).args(["--spider", &n.url("f.txt")]).run();
    o.ok();
    o.stderr_has("Remote file exists.");
    wget(&d).args(["-q", &n.url("secret")]).run().code(6);

    // Redirect (nginx sends an absolute Location).
    let o = wget(&d).args(["-O", "r.txt", &n.url("redir")]).run();
    o.ok();
    o.stderr_has("[following]");
    assert_eq!(std::fs::read(d.join("r.txt")).unwrap(), b"hello\n");
    wget(&d)
        .args(["-q", "--max-redirect=0", "-O", "r0", &n.url("redir")])
        .run()
        .code(8);

    // -c: 206 appends the rest; a complete file gets 416 and nothing to do.
    std::fs::write(d.join("part.bin"), &body[..1000]).unwrap();
    n.put("part.bin", &body);
    let o = wget(&d).args(["-c", &n.url("part.bin")]).run();
    o.ok();
    o.stderr_has("Length: 300000 (293K), 299000 (292K) remaining");
    assert_eq!(std::fs::read(d.join("part.bin")).unwrap(), body);
    let o = wget(&d).args(["-c", &n.url("part.bin")]).run();
    o.ok();
    o.stderr_has("already fully retrieved");
    assert_eq!(std::fs::read(d.join("part.bin")).unwrap(), body);

    // -S shows the server's head; -o writes the log to a file.
    let o = wget(&d)
        .args(["-S", "-O", "/dev/null", "-o", "log.txt", &n.url("f.txt")])
        .run();
    o.ok().stderr_is("");
    let log = std::fs::read_to_string(d.join("log.txt")).unwrap();
    assert!(log.contains("  HTTP/1.1 200 OK\n  Server: nginx"), "{log}");
    // As GNU's, the head is shown even with -q (healthchecks grep it), and nothing else.
    let o = wget(&d)
        .args(["-q", "-S", "-O", "/dev/null", &n.url("f.txt")])
        .run();
    o.ok();
    assert!(o.err().starts_with("  HTTP/1.1 200 OK\n"), "{}", o.err());
    assert!(o.err().lines().all(|l| l.starts_with("  ")), "{}", o.err());

    // --progress=dot writes GNU's dot lines.
    let o = wget(&d)
        .args(["--progress=dot", "-O", "/dev/null", &n.url("big.bin")])
        .run();
    o.ok();
    o.stderr_has("     0K .......... .......... ");
    o.stderr_has("100%");

    // Writing to a full device: exit 3.
    let o = wget(&d).args(["-O", "/dev/full", &n.url("big.bin")]).run();
    o.code(3);
    o.stderr_has("No space left on device");
    assert!(!o.err().contains("saved"), "{}", o.err());

    // Output into a pipe (the splice path towards a FIFO).
    let o = wget(&d).args(["-q", "-O", "-", &n.url("big.bin")]).run();
    o.ok();
    assert!(
        o.stdout == body,
        "stdout differs ({} bytes)",
        o.stdout.len()
    );
}

#[test]
fn nginx_https() {
    let Some(n) = Nginx::start() else { return };
    let body = data(200_000);
    n.put("s.bin", &body);
    let d = TempDir::new("wget-https");
    let ca = n.certs.ca.to_str().unwrap().to_string();

    let o = wget(&d)
        .args([
            &format!("--ca-certificate={ca}"),
            "-O",
            "s.bin",
            &n.surl("s.bin"),
        ])
        .run();
    o.ok();
    assert_eq!(std::fs::read(d.join("s.bin")).unwrap(), body);
    // Host name verification against the DNS SAN, and SNI.
    wget(&d)
        .args([
            &format!("--ca-certificate={ca}"),
            "-qO",
            "l.bin",
            &format!("https://localhost:{}/s.bin", n.https),
        ])
        .run()
        .ok();
    assert_eq!(std::fs::read(d.join("l.bin")).unwrap(), body);
    // SSL_CERT_FILE is honoured.
    wget(&d)
        .args(["-qO", "e.bin", &n.surl("s.bin")])
        .env("SSL_CERT_FILE", &ca)
        .run()
        .ok();
    // TLS 1.2 only, and TLS 1.3 only.
    for p in ["TLSv1_2", "TLSv1_3"] {
        wget(&d)
            .args([
                &format!("--ca-certificate={ca}"),
                &format!("--secure-protocol={p}"),
                "-qO",
                "/dev/null",
                &n.surl("s.bin"),
            ])
            .run()
            .ok();
    }

    // Unknown CA (system bundle or built-in roots): exit 5, GNU's wording, no file.
    let o = wget(&d)
        .args(["-O", "bad.bin", &n.surl("s.bin")])
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR")
        .run();
    o.code(5);
    let e = o.err();
    assert!(
        e.contains("ERROR: cannot verify 127.0.0.1's certificate, issued by 'CN=rbox test CA,O=rbox tests':\n  Unable to locally verify the issuer's authority.\nTo connect to 127.0.0.1 insecurely, use `--no-check-certificate'."),
        "{e}"
    );
    // --no-check-certificate: a warning, and the data.
    let o = wget(&d)
        .args(["--no-check-certificate", "-O", "nc.bin", &n.surl("s.bin")])
        .run();
    o.ok();
    o.stderr_has("WARNING: cannot verify 127.0.0.1's certificate");
    assert_eq!(std::fs::read(d.join("nc.bin")).unwrap(), body);
    // Name mismatch: the certificate is for 127.0.0.1 and localhost, not this name.
    let hosts_ok = std::fs::read_to_string("/etc/hosts")
        .map(|h| h.contains("127.0.0.1"))
        .unwrap_or(false);
    let _ = hosts_ok;
}

#[test]
fn requests_headers_auth_post() {
    let f = Fake::start(|c, req| {
        let first = req.lines().next().unwrap_or("");
        let resp: String = if first.starts_with("GET /go ") {
            // Redirect to the same server under another host name: credentials stay behind.
            let port = c.local_addr().unwrap().port();
            format!("HTTP/1.1 302 Found\r\nLocation: http://localhost:{port}/dest\r\nContent-Length: 0\r\n\r\n")
        } else if first.starts_with("GET /rel/a ") {
            "HTTP/1.1 301 Moved\r\nLocation: ../b?x=1\r\nContent-Length: 0\r\n\r\n".into()
        } else if first.starts_with("GET /cd ") {
            "HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename=\"../evil/name.txt\"\r\nContent-Length: 2\r\n\r\nok".into()
        } else {
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".into()
        };
        let _ = c.write_all(resp.as_bytes());
    });
    let d = TempDir::new("wget-req");
    wget(&d)
        .args(["-qO-", &f.url("plain")])
        .run()
        .ok()
        .stdout_is("ok");
    let r = &f.requests()[0];
    assert!(r.starts_with("GET /plain HTTP/1.1\r\n"), "{r}");
    assert!(
        r.contains(&format!("Host: 127.0.0.1:{}\r\n", f.port)),
        "{r}"
    );
    assert!(r.contains("User-Agent: Wget/"), "{r}");
    assert!(r.contains("(rbox)"), "{r}");
    assert!(r.contains("Accept: */*\r\n"), "{r}");

    // --header overrides a default; -U; --post-data.
    wget(&d)
        .args([
            "-qO-",
            "--header=Accept: text/x-test",
            "--header",
            "X-One: 1",
            "-U",
            "agent/9",
            "--post-data=a=1&b=2",
            &f.url("p"),
        ])
        .run()
        .ok();
    let r = f.requests().last().unwrap().clone();
    assert!(r.starts_with("POST /p HTTP/1.1\r\n"), "{r}");
    assert!(
        r.contains("Accept: text/x-test\r\n") && !r.contains("Accept: */*"),
        "{r}"
    );
    assert!(
        r.contains("X-One: 1\r\n") && r.contains("User-Agent: agent/9\r\n"),
        "{r}"
    );
    assert!(
        r.contains("Content-Type: application/x-www-form-urlencoded\r\n"),
        "{r}"
    );
    assert!(
        r.contains("Content-Length: 7\r\n") && r.ends_with("\r\n\r\na=1&b=2"),
        "{r}"
    );

    // --method with --body-data.
    wget(&d)
        .args(["-qO-", "--method=PUT", "--body-data=xyz", &f.url("m")])
        .run()
        .ok();
    let r = f.requests().last().unwrap().clone();
    assert!(
        r.starts_with("PUT /m HTTP/1.1\r\n") && r.ends_with("xyz"),
        "{r}"
    );

    // URL userinfo → Basic auth to that host only, not to the redirect target.
    let n0 = f.requests().len();
    wget(&d)
        .args([
            "-qO-",
            &format!("http://user:pa%3Ass@127.0.0.1:{}/go", f.port),
        ])
        .run()
        .ok()
        .stdout_is("ok");
    let rs = f.requests();
    assert!(
        rs[n0].contains("Authorization: Basic dXNlcjpwYTpzcw==\r\n"),
        "{}",
        rs[n0]
    );
    assert!(rs[n0 + 1].starts_with("GET /dest "), "{}", rs[n0 + 1]);
    assert!(!rs[n0 + 1].contains("Authorization"), "{}", rs[n0 + 1]);
    // --user/--password.
    wget(&d)
        .args(["-qO-", "--user=u", "--password=p", &f.url("a")])
        .run()
        .ok();
    assert!(f
        .requests()
        .last()
        .unwrap()
        .contains("Authorization: Basic dTpw\r\n"));

    // Relative Location.
    wget(&d).args(["-qO-", &f.url("rel/a")]).run().ok();
    assert!(f
        .requests()
        .last()
        .unwrap()
        .starts_with("GET /b?x=1 HTTP/1.1"));

    // --content-disposition keeps only the last component.
    wget(&d)
        .args(["-q", "--content-disposition", &f.url("cd")])
        .run()
        .ok();
    assert_eq!(std::fs::read(d.join("name.txt")).unwrap(), b"ok");

    // A proxy from the environment gets the absolute URI; no_proxy bypasses it.
    let n0 = f.requests().len();
    wget(&d)
        .args(["-qO-", "http://example.invalid/via"])
        .env("http_proxy", format!("http://127.0.0.1:{}", f.port))
        .run()
        .ok()
        .stdout_is("ok");
    assert!(f.requests()[n0].starts_with("GET http://example.invalid/via HTTP/1.1\r\n"));
    wget(&d)
        .args(["-qO-", &f.url("direct")])
        .env("http_proxy", "http://127.0.0.1:1")
        .env("no_proxy", "localhost,127.0.0.1")
        .run()
        .ok();
    wget(&d)
        .args(["-qO-", "--no-proxy", &f.url("direct")])
        .env("http_proxy", "http://127.0.0.1:1")
        .run()
        .ok();
}

#[test]
fn chunked_body() {
    let f = Fake::start(|c, _| {
        let _ = c.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext\r\nhello\r\n1\r\n \r\n6\r\nworld\n\r\n0\r\nX-T: 1\r\n\r\n");
    });
    let d = TempDir::new("wget-chunk");
    wget(&d)
        .args(["-qO-", &f.url("c")])
        .run()
        .ok()
        .stdout_is("hello world\n");
    let o = wget(&d).arg(f.url("c")).run();
    o.ok();
    o.stderr_has("Length: unspecified");
    o.stderr_has("'c' saved [12]");
}

#[test]
fn bad_servers() {
    let f = Fake::start(|c, req| {
        let path = req.split(' ').nth(1).unwrap_or("").to_string();
        match path.as_str() {
            "/trunc" => {
                let _ = c.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
            }
            "/garbage" => {
                let _ = c.write_all(b"SSH-2.0-OpenSSH\r\nwhat is this\r\n\r\n");
            }
            "/huge" => {
                let _ = c.write_all(b"HTTP/1.1 200 OK\r\n");
                let line = format!("X-Big: {}\r\n", "a".repeat(8000));
                for _ in 0..200 {
                    if c.write_all(line.as_bytes()).is_err() {
                        break;
                    }
                }
            }
            "/loop" => {
                let _ = c.write_all(
                    b"HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n",
                );
            }
            "/slow" => {
                let _ = c.write_all(b"HTTP/1.1 200 OK\r\nX-Slow: 1\r\n");
                drain(c);
            }
            "/slowbody" => {
                let _ = c.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab");
                drain(c);
            }
            "/badchunk" => {
                let _ = c.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\nxx\r\n");
            }
            "/hugechunk" => {
                let _ = c.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n");
            }
            "/gzip" => {
                let _ = c.write_all(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\n\x1f\x8b\x08\x00");
            }
            "/badlen" => {
                let _ = c.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nabc");
            }
            _ => {
                let _ = c.write_all(b"HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n");
            }
        }
    });
    let d = TempDir::new("wget-bad");
    let t0 = Instant::now();

    let o = wget(&d).args(["-t", "1", &f.url("trunc")]).run();
    o.code(4);
    o.stderr_has("Connection closed at byte 10. Giving up.");
    assert!(!o.err().contains("saved"), "{}", o.err());
    // The partial file stays, for -c.
    assert_eq!(std::fs::read(d.join("trunc")).unwrap(), b"0123456789");

    let o = wget(&d)
        .args(["-t", "1", "-O", "g", &f.url("garbage")])
        .run();
    o.code(7);
    o.stderr_has("Malformed status line");

    let o = wget(&d).args(["-t", "1", "-O", "h", &f.url("huge")]).run();
    o.code(7);
    o.stderr_has("Response header too large");

    let o = wget(&d)
        .args(["-t", "1", "--max-redirect=5", &f.url("loop")])
        .run();
    o.code(8);
    o.stderr_has("5 redirections exceeded.");
    let o = wget(&d).args(["-t", "1", "-O", "l", &f.url("loop")]).run();
    o.code(8);
    o.stderr_has("20 redirections exceeded.");

    let t1 = Instant::now();
    let o = wget(&d)
        .args(["-T", "1", "-t", "1", "-O", "s", &f.url("slow")])
        .run();
    o.code(4);
    o.stderr_has("Read error (Connection timed out) in headers.");
    assert!(t1.elapsed() < Duration::from_secs(8), "-T 1 not honoured");
    let o = wget(&d)
        .args(["-T", "1", "-t", "1", "-O", "sb", &f.url("slowbody")])
        .run();
    o.code(4);
    o.stderr_has("Read error at byte 2/10 (Connection timed out).");

    let o = wget(&d)
        .args(["-t", "1", "-O", "bc", &f.url("badchunk")])
        .run();
    o.code(4);
    o.stderr_has("Invalid chunk size");
    let o = wget(&d)
        .args(["-t", "1", "-O", "hc", &f.url("hugechunk")])
        .run();
    o.code(4);
    o.stderr_has("Invalid chunk size");

    let o = wget(&d).args(["-t", "1", "-O", "z", &f.url("gzip")]).run();
    o.ok();
    o.stderr_has("Content-Encoding: gzip which was not requested");
    assert_eq!(std::fs::read(d.join("z")).unwrap(), b"\x1f\x8b\x08\x00");

    let o = wget(&d)
        .args(["-t", "1", "-O", "bl", &f.url("badlen")])
        .run();
    o.code(7);

    let o = wget(&d).args(["-t", "1", &f.url("err")]).run();
    o.code(8);
    o.stderr_has("ERROR 500: Oops.");

    // Several URLs: the lowest non-zero code wins (4 before 8), the rest still runs.
    let o = wget(&d)
        .args(["-q", "-t", "1", &f.url("err"), &f.url("trunc")])
        .run();
    o.code(4);
    assert!(t0.elapsed() < Duration::from_secs(30));
}

#[test]
fn retries_resume_after_truncation() {
    // First answer is cut short; the retry asks for the rest with Range.
    let n = Arc::new(Mutex::new(0));
    let n2 = n.clone();
    let f = Fake::start(move |c, req| {
        let mut k = n2.lock().unwrap();
        *k += 1;
        if *k == 1 {
            let _ = c.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234");
        } else if req.contains("Range: bytes=5-") {
            let _ = c.write_all(b"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 5-9/10\r\nContent-Length: 5\r\n\r\n56789");
        } else {
            let _ = c.write_all(b"HTTP/1.1 500 No range\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let d = TempDir::new("wget-retry");
    let o = wget(&d)
        .args(["-t", "2", "--waitretry=0", &f.url("r.bin")])
        .run();
    o.ok();
    o.stderr_has("Connection closed at byte 5. Retrying.");
    assert_eq!(std::fs::read(d.join("r.bin")).unwrap(), b"0123456789");
}

#[test]
fn network_errors() {
    let d = TempDir::new("wget-net");
    // A port nobody listens on.
    let port = free_port();
    let o = wget(&d)
        .args(["-t", "3", &format!("http://127.0.0.1:{port}/")])
        .run();
    o.code(4);
    o.stderr_has("failed: Connection refused.");
    let o = wget(&d).args(["http://nonexistent.invalid/"]).run();
    o.code(4);
    o.stderr_has("wget: unable to resolve host address 'nonexistent.invalid'");
    // IPv6 literal, when the machine has ::1.
    if let Ok(l) = TcpListener::bind("[::1]:0") {
        let port = l.local_addr().unwrap().port();
        let th = std::thread::spawn(move || {
            if let Ok((mut c, _)) = l.accept() {
                c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                let req = read_request(&mut c);
                let _ = c.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nv6");
                req
            } else {
                String::new()
            }
        });
        wget(&d)
            .args(["-qO-", &format!("http://[::1]:{port}/x")])
            .run()
            .ok()
            .stdout_is("v6");
        let req = th.join().unwrap();
        assert!(req.contains(&format!("Host: [::1]:{port}\r\n")), "{req}");
    }
}

#[test]
fn scratch_chroot_https() {
    if !have("nginx") || !have("openssl") {
        skip("nginx and openssl are needed");
        return;
    }
    let Some(img) = crate::image::build_image_root("wget-img") else {
        return;
    };
    let Some(n) = Nginx::start() else { return };
    n.put("f.bin", &data(50_000));
    let root = img.join("root");
    std::fs::copy(&n.certs.ca, root.join("ca.pem")).unwrap();
    assert!(!root.join("etc/hosts").exists() && !root.join("etc/ssl").exists());
    let o = crate::image::chroot(
        &root,
        &[
            "wget",
            "-q",
            "--ca-certificate=/ca.pem",
            "-O",
            "/tmp/x",
            &n.surl("f.bin"),
        ],
    );
    o.ok();
    assert_eq!(std::fs::read(root.join("tmp/x")).unwrap(), data(50_000));
    // No CA given, no system bundle: the built-in roots are used and reject the test CA.
    let o = crate::image::chroot(&root, &["wget", "-O", "/tmp/y", &n.surl("f.bin")]);
    o.code(5);
    o.stderr_has(
        "ERROR: cannot verify 127.0.0.1's certificate, issued by 'CN=rbox test CA,O=rbox tests'",
    );
    // localhost without /etc/hosts (a health check).
    let o = crate::image::chroot(
        &root,
        &[
            "wget",
            "-qO-",
            &format!("http://localhost:{}/f.bin", n.http),
        ],
    );
    o.ok();
    assert_eq!(o.stdout.len(), 50_000);
}

/// The response-parser fuzz target over the saved corpus plus deterministic mutations.
#[test]
fn fuzz_response_parser() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/wget/corpus");
    let mut corpus: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    assert!(corpus.len() >= 5);
    corpus.sort();
    for c in &corpus {
        rbox::applets::wget::fuzz_one(c);
    }
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rnd = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for i in 0..4000 {
        let mut d = corpus[i % corpus.len()].clone();
        for _ in 0..1 + rnd() % 8 {
            let r = rnd();
            let pos = if d.is_empty() {
                0
            } else {
                (r >> 8) as usize % d.len()
            };
            match r % 5 {
                0 if !d.is_empty() => d[pos] = (r >> 40) as u8,
                1 if !d.is_empty() => {
                    d.remove(pos);
                }
                2 => d.insert(pos.min(d.len()), b"\r\n:;0fF- \t"[(r >> 32) as usize % 10]),
                3 => {
                    let other = &corpus[(r >> 16) as usize % corpus.len()];
                    let a = (r >> 24) as usize % (other.len() + 1);
                    d.splice(
                        pos.min(d.len())..pos.min(d.len()),
                        other[a..].iter().copied().take(64),
                    );
                }
                _ => d.truncate(pos),
            }
        }
        rbox::applets::wget::fuzz_one(&d);
    }
}

/// `openssl s_server -WWW` serving its directory with one certificate; killed on drop.
struct SServer {
    child: Child,
    port: u16,
}

impl SServer {
    fn start(dir: &Path, cert: &str) -> SServer {
        SServer::start_with(dir, cert, &[])
    }

    /// With more s_server options (`-groups`, `-sigalgs`, `-tls1_2` ...).
    fn start_with(dir: &Path, cert: &str, extra: &[&str]) -> SServer {
        let port = free_port();
        let child = Command::new("openssl")
            .args(["s_server", "-quiet", "-WWW", "-accept"])
            .arg(format!("127.0.0.1:{port}"))
            .args([
                "-cert",
                &format!("{cert}.pem"),
                "-key",
                &format!("{cert}.key"),
            ])
            .args(extra)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("openssl s_server");
        let t0 = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                t0.elapsed() < Duration::from_secs(10),
                "s_server did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        SServer { child, port }
    }
}

impl Drop for SServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Certificates for the TLS verdicts: a self-signed one (`openssl req -x509`: CA:TRUE), and
/// leaves of a test CA that are good, expired, not yet valid, for another name, or both.
const CERT_SCRIPT: &str = r#"set -e
ss() { openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout $1.key -out $1.pem -days 30 -subj "/CN=$2" -addext "subjectAltName=DNS:$2,IP:127.0.0.1" 2>/dev/null; }
ss self localhost
ss selfother other.example
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem -days 30 -subj "/C=XX/O=Test CA/CN=Test Root" 2>/dev/null
mkdir db && : > db/index.txt && echo 01 > db/serial
printf '[ca]\ndefault_ca=t\n[t]\ndir=.\ndatabase=db/index.txt\nserial=db/serial\nnew_certs_dir=db\ndefault_md=sha256\npolicy=p\ncopy_extensions=copy\nunique_subject=no\n[p]\ncommonName=supplied\n' > ca.cnf
leaf() {
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout $1.key -out $1.csr -subj "/CN=$2" -addext "subjectAltName=DNS:$2" 2>/dev/null
  openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in $1.csr -out $1.pem -startdate $3 -enddate $4 -notext 2>/dev/null
}
leaf good localhost 20200101000000Z 20491231000000Z
leaf expired localhost 20200101000000Z 20200201000000Z
leaf future localhost 20480101000000Z 20491231000000Z
leaf other other.example 20200101000000Z 20491231000000Z
leaf otherexp other.example 20200101000000Z 20200201000000Z
for n in cnonly:localhost cnother:other.example; do
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ${n%%:*}.key -out ${n%%:*}.csr -subj "/CN=${n#*:}" -addext basicConstraints=CA:FALSE 2>/dev/null
  openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in ${n%%:*}.csr -out ${n%%:*}.pem -startdate 20200101000000Z -enddate 20491231000000Z -notext 2>/dev/null
done
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout selfexp.key -out selfexp.csr -subj /CN=localhost -addext subjectAltName=DNS:localhost 2>/dev/null
openssl ca -batch -config ca.cnf -selfsign -keyfile selfexp.key -in selfexp.csr -out selfexp.pem -startdate 20200101000000Z -enddate 20200201000000Z -notext 2>/dev/null
echo hello > index.html
"#;

/// Every key-exchange group and ECDSA pairing wget offers, over TLS 1.2 and 1.3, each forced on
/// the server side: P-256 (key exchange and signatures) is RustCrypto's code, the rest ring's,
/// so each must complete a real handshake with OpenSSL. A server that insists on a group wget
/// does not offer is refused with status 5.
#[test]
fn tls_every_group_and_curve() {
    if !have("openssl") {
        skip("openssl is needed");
        return;
    }
    let d = TempDir::new("wget-groups");
    let script = r#"set -e
for c in prime256v1:p256 secp384r1:p384; do
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:${c%%:*} -nodes -keyout ${c#*:}.key -out ${c#*:}.pem -days 30 -subj /CN=localhost -addext subjectAltName=DNS:localhost 2>/dev/null
done
echo hello > index.html
"#;
    let o = Command::new("sh")
        .args(["-c", script])
        .current_dir(d.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for version in ["-tls1_2", "-tls1_3"] {
        for group in ["P-256", "X25519", "P-384"] {
            for (cert, sigalg) in [
                ("p256", "ECDSA+SHA256"),
                ("p256", "ECDSA+SHA384"),
                ("p384", "ECDSA+SHA384"),
            ] {
                // TLS 1.3 ties each ECDSA scheme to its curve: P-256 with SHA-384 is 1.2 only.
                if version == "-tls1_3" && cert == "p256" && sigalg == "ECDSA+SHA384" {
                    continue;
                }
                let srv = SServer::start_with(
                    d.path(),
                    cert,
                    &[version, "-groups", group, "-sigalgs", sigalg],
                );
                let url = format!("https://localhost:{}/index.html", srv.port);
                let ca = format!("--ca-certificate={cert}.pem");
                let o = applet("wget")
                    .args(["-q", "-O", "-", &ca, &url])
                    .cwd(d.path())
                    .run();
                assert_eq!(
                    (o.code, o.stdout.as_slice()),
                    (0, &b"hello\n"[..]),
                    "{version} {group} {cert} {sigalg}: {}",
                    o.err()
                );
            }
        }
    }
    // A group wget does not offer (GnuTLS's wget offers P-521, ring has no P-521): no shared
    // group, a failed handshake in GNU wget's words and its network-failure status.
    let srv = SServer::start_with(d.path(), "p256", &["-groups", "P-521"]);
    let url = format!("https://localhost:{}/index.html", srv.port);
    let o = applet("wget")
        .args(["-nv", "-O", "-", "--ca-certificate=p256.pem", &url])
        .cwd(d.path())
        .run();
    assert_eq!(o.code, 4, "{}", o.err());
    assert!(
        o.err().ends_with("Unable to establish SSL connection.\n"),
        "{}",
        o.err()
    );
}

/// A server certificate that is itself trusted is accepted (as GNU wget and curl with OpenSSL
/// accept it), still checked for name and dates; every refusal is told in GNU wget's (OpenSSL
/// build's) words with status 5, never a Rust debug text.
#[test]
fn tls_verdicts_in_words() {
    if !have("openssl") {
        skip("openssl is needed");
        return;
    }
    let d = TempDir::new("wget-tlsv");
    let o = Command::new("sh")
        .args(["-c", CERT_SCRIPT])
        .current_dir(d.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    const REFUSE: &str = "To connect to localhost insecurely, use `--no-check-certificate'.\n";
    const ROOT: &str = "issued by 'CN=Test Root,O=Test CA,C=XX':\n";
    let cannot = |detail: &str, issuer: &str| {
        format!("ERROR: cannot verify localhost's certificate, {issuer}  {detail}\n")
    };
    let name = "ERROR: no certificate subject alternative name matches\n\trequested host name 'localhost'.\n";
    let self_issuer = "issued by 'CN=localhost':\n";
    // (server certificate, --ca-certificate, expected stderr or "" for success)
    let cases: Vec<(&str, Option<&str>, String)> = vec![
        ("self", Some("self"), String::new()),
        ("good", Some("ca"), String::new()),
        (
            "self",
            Some("ca"),
            cannot("Self-signed certificate encountered.", self_issuer) + REFUSE,
        ),
        (
            "selfexp",
            Some("selfexp"),
            cannot("Issued certificate has expired.", self_issuer) + REFUSE,
        ),
        ("selfother", Some("selfother"), name.to_string() + REFUSE),
        (
            "good",
            Some("self"),
            cannot("Unable to locally verify the issuer's authority.", ROOT) + REFUSE,
        ),
        (
            "expired",
            Some("ca"),
            cannot("Issued certificate has expired.", ROOT) + REFUSE,
        ),
        (
            "future",
            Some("ca"),
            cannot("Issued certificate not yet valid.", ROOT) + REFUSE,
        ),
        ("other", Some("ca"), name.to_string() + REFUSE),
        // No subject alternative name: the common name decides, as in OpenSSL.
        ("cnonly", Some("ca"), String::new()),
        (
            "cnother",
            Some("ca"),
            "ERROR: certificate common name 'other.example' doesn't match requested host name 'localhost'.\n".to_string() + REFUSE,
        ),
        (
            "otherexp",
            Some("ca"),
            cannot("Issued certificate has expired.", ROOT) + name + REFUSE,
        ),
    ];
    for (cert, ca, want) in &cases {
        let srv = SServer::start(d.path(), cert);
        let url = format!("https://localhost:{}/index.html", srv.port);
        let mut args = vec!["-nv".to_string(), "-O".into(), "-".into()];
        if let Some(ca) = ca {
            args.push(format!("--ca-certificate={ca}.pem"));
        }
        args.push(url.clone());
        let o = applet("wget").args(&args).cwd(d.path()).run();
        if want.is_empty() {
            o.ok().stdout_is("hello\n");
        } else {
            assert_eq!((o.code, o.err()), (5, want.clone()), "{cert} with {ca:?}");
            assert!(o.stdout.is_empty());
        }
        // GNU wget (built with GnuTLS here, so other words) agrees on the verdict.
        if have("wget") {
            let g = gnu("wget").args(&args).cwd(d.path()).run();
            assert_eq!(
                g.code,
                o.code,
                "GNU wget's status for {cert} with {ca:?}: {}",
                g.err()
            );
        }
        // So does curl, with OpenSSL.
        if have("curl") && ca.is_some() {
            let c = Command::new("curl")
                .args(["-sS", "-o", "/dev/null", "--max-time", "10", "--cacert"])
                .arg(format!("{}.pem", ca.unwrap()))
                .arg(&url)
                .current_dir(d.path())
                .status()
                .unwrap();
            assert_eq!(c.success(), want.is_empty(), "curl's verdict for {cert}");
        }
        // --no-check-certificate: the same words as warnings, and the data.
        if !want.is_empty() {
            let mut args = args.clone();
            args.insert(0, "--no-check-certificate".into());
            let o = applet("wget").args(&args).cwd(d.path()).run();
            o.ok().stdout_is("hello\n");
            let warn = want.replace("ERROR:", "WARNING:").replace(REFUSE, "");
            assert!(o.err().starts_with(&warn), "{cert}: {}", o.err());
        }
    }
}

/// Local failures as GNU wget 1.21 reports them (the same stderr and status as /usr/bin/wget on
/// the same loopback server): `-O` that cannot be opened is perror's text on stderr even with -q
/// and exit 1; a log (`-o`/`-a`) that cannot be opened, `wget: LOG: ...` and exit 1; a write
/// error `Cannot write to 'F' (...)` and exit 3; a `-P` file that cannot be created, both
/// lines and exit 3. Every path stays inside the test's directory (GNU's `-P` removes a
/// *file* standing where a directory should be: never point it outside).
#[test]
fn local_failures_as_gnu() {
    let body = data(100_000);
    let b2 = body.clone();
    let srv = Fake::start(move |c, _| {
        let _ = c.write_all(
            format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", b2.len()).as_bytes(),
        );
        let _ = c.write_all(&b2);
    });
    let url = srv.url("f.bin");
    let d = TempDir::new("wget-local");
    std::fs::write(d.join("plain"), "x").unwrap();
    let cases: &[(&[&str], &str, i32)] = &[
        (
            &["-nv", "-O", "no/dir/f"],
            "no/dir/f: No such file or directory\n",
            1,
        ),
        (
            &["-q", "-O", "no/dir/f"],
            "no/dir/f: No such file or directory\n",
            1,
        ),
        (
            &["-O", "no/dir/f"],
            "no/dir/f: No such file or directory\n",
            1,
        ),
        (
            &["-q", "-o", "lg", "-O", "plain/f"],
            "plain/f: Not a directory\n",
            1,
        ),
        (
            &["-nv", "-o", "no/dir/log"],
            "wget: no/dir/log: No such file or directory\n",
            1,
        ),
        (
            &["-nv", "-a", "no/dir/log"],
            "wget: no/dir/log: No such file or directory\n",
            1,
        ),
        (
            &["-nv", "-O", "/dev/full"],
            "Cannot write to '/dev/full' (No space left on device).\n",
            3,
        ),
        (&["-q", "-O", "/dev/full"], "", 3),
    ];
    for (args, err, code) in cases {
        let o = wget(&d).args(*args).arg(&url).run();
        assert_eq!(
            (o.err(), o.code),
            (err.to_string(), *code),
            "rbox wget {args:?}"
        );
        if have("wget") {
            let g = gnu("wget").cwd(d.path()).args(*args).arg(&url).run();
            assert_eq!(
                (g.err(), g.code),
                (err.to_string(), *code),
                "GNU wget {args:?}"
            );
        }
    }
    assert!(!d.join("no").exists());
    // -P into a directory that cannot be written (as an unprivileged user): both of GNU's
    // lines, status 3.
    let ro = d.join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::os::unix::fs::PermissionsExt::from_mode(0o555)).unwrap();
    let world = std::fs::set_permissions(
        d.path().parent().unwrap(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .and_then(|_| {
        std::fs::set_permissions(
            d.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
    });
    if is_root() && have("setpriv") && world.is_ok() {
        let ro_s = ro.to_str().unwrap();
        let want = format!(
            "{ro_s}/f.bin: Permission denied\nCannot write to '{ro_s}/f.bin' (Permission denied).\n"
        );
        let o = applet_as(65534, "wget")
            .args(["-nv", "-P", ro_s, &url])
            .run();
        assert_eq!((o.err(), o.code), (want.clone(), 3));
        if have("wget") {
            let g = gnu_as(65534, "wget").args(["-nv", "-P", ro_s, &url]).run();
            assert_eq!((g.err(), g.code), (want, 3), "GNU wget -P");
        }
    }
}
