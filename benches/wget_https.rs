//! HTTPS download benchmark: rbox wget against curl (and GNU wget when installed), fetching
//! one file from a local nginx over TLS 1.3, rounds interleaved, medians and ratio printed.
//!
//!     cargo build --release && cargo bench --bench wget_https
//!     SIZE_MB=1024 ROUNDS=5 RBOX=target/x86_64-unknown-linux-musl/release/rbox cargo bench --bench wget_https
//!
//! Needs nginx, openssl and curl (Debian packages). The output goes to /dev/null so the
//! figure is the TLS receive path; peak RSS is taken from wait4's rusage.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn env_num(k: &str, d: u64) -> u64 {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(d)
}

fn sh(dir: &Path, args: &[&str]) {
    let o = Command::new(args[0])
        .args(&args[1..])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Run argv, return (wall seconds, max RSS KiB).
fn timed(argv: &[String]) -> (f64, i64) {
    let t = Instant::now();
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    // wait4 on our own child, for its peak RSS.
    let (status, ru) = match rbox::common::sys::process::wait4(pid, 0) {
        Ok(Some((_, st, ru))) => (st.0, ru),
        r => panic!("{argv:?}: wait4: {r:?}"),
    };
    let el = t.elapsed().as_secs_f64();
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut err);
    }
    let _ = child.try_wait();
    assert!(status == 0, "{argv:?} failed ({status}): {err}");
    (el, ru.ru_maxrss)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let size_mb = env_num("SIZE_MB", 256);
    let rounds = env_num("ROUNDS", 3) as usize;
    let rbox = PathBuf::from(
        std::env::var("RBOX")
            .unwrap_or_else(|_| "target/x86_64-unknown-linux-musl/release/rbox".into()),
    );
    let rbox = std::fs::canonicalize(&rbox).expect("build rbox first: cargo build --release");
    let dir = std::env::temp_dir().join(format!("rbox-wget-bench-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("www")).unwrap();
    std::fs::create_dir_all(dir.join("tmp")).unwrap();
    let new_key = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    sh(
        &dir,
        &[
            &["openssl", "req", "-x509"][..],
            &new_key,
            &[
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=bench CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign",
            ],
        ]
        .concat(),
    );
    sh(
        &dir,
        &[
            &["openssl", "req"][..],
            &new_key,
            &[
                "-keyout",
                "srv.key",
                "-out",
                "srv.csr",
                "-subj",
                "/CN=127.0.0.1",
            ],
        ]
        .concat(),
    );
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    sh(
        &dir,
        &[
            "openssl",
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
            "2",
            "-extfile",
            "ext.cnf",
        ],
    );
    {
        let mut f = std::fs::File::create(dir.join("www/big.bin")).unwrap();
        let mut block = vec![0u8; 1 << 20];
        let mut x: u64 = 42;
        for _ in 0..size_mb {
            for b in block.chunks_mut(8) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                b.copy_from_slice(&x.to_le_bytes()[..b.len()]);
            }
            f.write_all(&block).unwrap();
        }
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let d = dir.display();
    std::fs::write(
        dir.join("nginx.conf"),
        format!(
            "daemon off; master_process off; worker_processes 1; pid {d}/nginx.pid; error_log {d}/error.log;\n\
             events {{ worker_connections 64; }}\nhttp {{ access_log off; sendfile on;\n\
             client_body_temp_path {d}/tmp; proxy_temp_path {d}/tmp; fastcgi_temp_path {d}/tmp; uwsgi_temp_path {d}/tmp; scgi_temp_path {d}/tmp;\n\
             server {{ listen 127.0.0.1:{port} ssl; ssl_protocols TLSv1.2 TLSv1.3; ssl_certificate {d}/srv.pem; ssl_certificate_key {d}/srv.key; root {d}/www; }} }}\n"
        ),
    )
    .unwrap();
    let mut nginx = Command::new("nginx")
        .args([
            "-p",
            &d.to_string(),
            "-c",
            &format!("{d}/nginx.conf"),
            "-e",
            &format!("{d}/error.log"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx");
    let t0 = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            t0.elapsed() < Duration::from_secs(10),
            "nginx did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let url = format!("https://127.0.0.1:{port}/big.bin");
    let ca = format!("{d}/ca.pem");
    let link = dir.join("wget");
    std::os::unix::fs::symlink(&rbox, &link).unwrap();
    let mut tools: Vec<(&str, Vec<String>)> = vec![
        (
            "rbox",
            vec![
                link.display().to_string(),
                "-q".into(),
                format!("--ca-certificate={ca}"),
                "-O".into(),
                "/dev/null".into(),
                url.clone(),
            ],
        ),
        (
            "curl",
            vec![
                "curl".into(),
                "-sS".into(),
                "--cacert".into(),
                ca.clone(),
                "-o".into(),
                "/dev/null".into(),
                url.clone(),
            ],
        ),
    ];
    if Command::new("wget").arg("--version").output().is_ok() {
        tools.push((
            "GNU wget",
            vec![
                "wget".into(),
                "-q".into(),
                format!("--ca-certificate={ca}"),
                "-O".into(),
                "/dev/null".into(),
                url.clone(),
            ],
        ));
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); tools.len()];
    let mut rss = vec![0i64; tools.len()];
    for (i, t) in tools.iter().enumerate() {
        rss[i] = timed(&t.1).1; // warm-up
    }
    for r in 0..rounds {
        for k in 0..tools.len() {
            let i = (k + r) % tools.len();
            times[i].push(timed(&tools[i].1).0);
        }
    }
    let _ = nginx.kill();
    let _ = nginx.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let meds: Vec<f64> = times.iter_mut().map(|v| median(v)).collect();
    println!("wget/https {size_mb} MiB, {rounds} rounds (median wall, peak RSS):");
    for (i, t) in tools.iter().enumerate() {
        println!(
            "  {:<9} {:>8.3} s  {:>7.0} MB/s  {:>6} KiB",
            t.0,
            meds[i],
            size_mb as f64 / meds[i],
            rss[i]
        );
    }
    println!("  ratio rbox/curl: {:.2}", meds[0] / meds[1]);
}
