//! rbox as the whole userland of a scratch image, end to end: inside a chroot holding only rbox
//! (built from the Dockerfile's last stage), a Dockerfile-style `RUN` line downloads an
//! application with wget, unpacks it with tar, lists it with ls and starts its `#!/bin/sh`
//! entrypoint, which ends in `exec "$@"`. Then the same in a root with nothing but `/bin/sh`
//! (a copy of rbox, no links), and as PID 1 of a new PID namespace receiving SIGTERM.

use crate::harness::*;
use crate::image::{build_image_root, chroot};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};

const ENTRYPOINT: &str = r#"#!/bin/sh
set -e

log() {
    echo "entrypoint: $*"
}

cat > /opt/app/app.conf <<EOF
name=${APP_NAME:-demo}
listen=${PORT:-8080}
EOF

for f in /opt/app/conf.d/*.sh; do
    . "$f"
done

case "$1" in
    run)
        shift
        log "config $(cat /opt/app/app.conf | while read -r l; do printf '%s;' "$l"; done)"
        log "greeting $GREETING"
        exec "$@"
        ;;
    version)
        echo "demo 1.0"
        ;;
    *)
        log "unknown command: $1" >&2
        exit 64
        ;;
esac
"#;

/// The "application" of the PID 1 test: says its PID, waits, and ends cleanly on SIGTERM.
const SERVER: &str = "#!/bin/sh\n\
trap 'echo \"got TERM as pid $$\"; exit 0' TERM\n\
echo \"ready pid $$\"\n\
while :; do read -r x || exit 3; done\n";

/// The application archive (gzip-compressed, made by GNU tar as a release would be).
fn app_tarball(d: &TempDir) -> Vec<u8> {
    let app = d.join("src/app");
    std::fs::create_dir_all(app.join("conf.d")).unwrap();
    std::fs::write(app.join("entrypoint.sh"), ENTRYPOINT).unwrap();
    std::fs::write(app.join("conf.d/10-greeting.sh"), "export GREETING=hello\n").unwrap();
    std::fs::write(
        app.join("conf.d/20-more.sh"),
        "GREETING=\"$GREETING world\"\n",
    )
    .unwrap();
    std::fs::write(app.join("server.sh"), SERVER).unwrap();
    let data: Vec<u8> = (0..1_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(app.join("data.bin"), data).unwrap();
    let st = Command::new("chmod")
        .arg("755")
        .arg(app.join("entrypoint.sh"))
        .arg(app.join("server.sh"))
        .status()
        .unwrap();
    assert!(st.success());
    let out = d.join("app.tar.gz");
    let st = Command::new("tar")
        .args(["-czf"])
        .arg(&out)
        .arg("-C")
        .arg(d.join("src"))
        .arg("app")
        .status()
        .unwrap();
    assert!(st.success());
    std::fs::read(out).unwrap()
}

/// A minimal HTTP/1.1 server on 127.0.0.1 that serves `body` for any GET, `count` times.
pub fn serve(body: Vec<u8>, count: usize) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for _ in 0..count {
            let Ok((mut s, _)) = l.accept() else { return };
            s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
                .ok();
            let mut req = Vec::new();
            let mut b = [0u8; 1024];
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                match s.read(&mut b) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => req.extend_from_slice(&b[..n]),
                }
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(&body);
        }
    });
    port
}

const RUN_LINE: &str = "set -e; \
    wget -q -O- URL | tar xz -C /opt; \
    ls -l /opt/app; \
    APP_NAME=e2e /opt/app/entrypoint.sh run /bin/sh -c 'echo \"app: $GREETING from $0\"' app-main";

fn check_scenario(root: &Path, port: u16) {
    check_scenario_url(root, &format!("http://127.0.0.1:{port}/app.tar.gz"), "");
}

fn check_scenario_url(root: &Path, url: &str, wget_opts: &str) {
    // /opt comes from the image (image/mkroot.sh), as in a real build: nothing made here.
    let line = RUN_LINE.replace("URL", &format!("{wget_opts} {url}"));
    let o = chroot(root, &["/bin/sh", "-c", &line]);
    assert_eq!(o.code, 0, "stderr: {}\nstdout: {}", o.err(), o.out());
    let out = o.out();
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("total "), "{out}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("drwxr-xr-x") && l.ends_with(" conf.d")),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("-rwxr-xr-x") && l.ends_with(" entrypoint.sh")),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains(" 1000000 ") && l.ends_with(" data.bin")),
        "{out}"
    );
    assert!(
        out.contains("entrypoint: config name=e2e;listen=8080;\n"),
        "{out}"
    );
    assert!(out.contains("entrypoint: greeting hello world\n"), "{out}");
    assert!(out.ends_with("app: hello world from app-main\n"), "{out}");
    assert_eq!(
        std::fs::read_to_string(root.join("opt/app/app.conf")).unwrap(),
        "name=e2e\nlisten=8080\n"
    );
    // The unknown-command path of the entrypoint: its own status and message.
    let o = chroot(root, &["/bin/sh", "/opt/app/entrypoint.sh", "bogus"]);
    o.code(64).stderr_is("entrypoint: unknown command: bogus\n");
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn scratch_image_download_unpack_run() {
    let Some(d) = build_image_root("e2e") else {
        return;
    };
    let body = app_tarball(&d);
    let port = serve(body, 1);
    check_scenario(&d.join("root"), port);
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn standalone_sh_without_links() {
    if !is_root() {
        skip("chroot test needs root");
        return;
    }
    let d = TempDir::new("e2e-alone");
    let root = d.join("root");
    for sub in ["bin", "etc", "tmp", "opt"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
    }
    std::fs::copy(rbox(), root.join("bin/sh")).unwrap();
    std::fs::write(root.join("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n").unwrap();
    std::fs::write(root.join("etc/group"), "root:x:0:\n").unwrap();
    let body = app_tarball(&d);
    let port = serve(body, 1);
    check_scenario(&root, port);
    // Nothing but /bin/sh was there: no links appeared.
    let bins: Vec<_> = std::fs::read_dir(root.join("bin")).unwrap().collect();
    assert_eq!(bins.len(), 1);
}

/// The entrypoint's final `exec` leaves the application as PID 1 of a new PID namespace, and
/// SIGTERM sent from outside reaches it (its trap runs).
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn exec_leaves_app_as_pid1_and_sigterm_reaches_it() {
    let Some(d) = build_image_root("e2e-pid1") else {
        return;
    };
    if !have("unshare") {
        skip("unshare (util-linux) missing");
        return;
    }
    let root = d.join("root");
    let body = app_tarball(&d);
    let port = serve(body, 1);
    let line = format!(
        "wget -q -O- http://127.0.0.1:{port}/app.tar.gz | tar xz -C /opt && \
         exec /opt/app/entrypoint.sh run /opt/app/server.sh"
    );
    let mut child = Command::new("unshare")
        .args(["--pid", "--fork", "--mount-proc", "--kill-child"])
        .arg("/usr/sbin/chroot")
        .arg(&root)
        .args(["/bin/sh", "-c", &line])
        .env_clear()
        .env("PATH", "/bin:/usr/bin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the app to say it is ready (it reads stdin, which we hold open).
    let mut stdout = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let mut b = [0u8; 256];
    while !String::from_utf8_lossy(&seen).contains("ready pid") {
        let n = stdout.read(&mut b).unwrap();
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&b[..n]);
    }
    let text = String::from_utf8_lossy(&seen).to_string();
    assert!(text.contains("ready pid 1\n"), "{text}");
    // The namespace's PID 1 is unshare's child; signal it by its host PID.
    let unshare_pid = child.id();
    let kids = std::fs::read_to_string(format!("/proc/{unshare_pid}/task/{unshare_pid}/children"))
        .unwrap();
    let pid1: i32 = kids.split_whitespace().next().unwrap().parse().unwrap();
    // Plain kill(2) on a process we started.
    let _ = rbox::common::sys::process::kill(pid1, libc::SIGTERM);
    let mut rest = Vec::new();
    stdout.read_to_end(&mut rest).unwrap();
    let status = child.wait().unwrap();
    let rest = String::from_utf8_lossy(&rest);
    assert!(rest.contains("got TERM as pid 1"), "{text}{rest}");
    assert!(status.success(), "{status:?}");
}

/// The same scenario over HTTPS from a real nginx, trusting the test's CA inside the chroot.
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn scratch_image_over_https_with_test_ca() {
    let Some(d) = build_image_root("e2e-https") else {
        return;
    };
    let Some(nginx) = crate::wget::Nginx::start() else {
        return;
    };
    nginx.put("app.tar.gz", &app_tarball(&d));
    let root = d.join("root");
    std::fs::copy(&nginx.certs.ca, root.join("etc/test-ca.pem")).unwrap();
    let url = format!("https://127.0.0.1:{}/app.tar.gz", nginx.https);
    check_scenario_url(&root, &url, "--ca-certificate=/etc/test-ca.pem");
    // Without the CA the built-in roots are used and the download is refused (exit 5).
    let o = chroot(
        &root,
        &["/bin/sh", "-c", &format!("wget -q -O /tmp/x {url}")],
    );
    o.code(5);
}

/// An entrypoint's `set -e` with a TERM trap: the signal interrupting `wait` runs the trap
/// (which chooses the status) before errexit ends the shell, as dash and BusyBox ash do.
#[test]
fn set_e_entrypoint_runs_term_trap_while_waiting() {
    let script = "set -e; trap 'echo stopping; exit 143' TERM; \
                  (sleep 0.2; kill -TERM $$) & while :; do sleep 1 & wait; done";
    let o = applet("sh").args(["-c", script]).run();
    o.code(143).stdout_is("stopping\n");
    if have("dash") {
        let d = gnu("dash").args(["-c", script]).run();
        assert_eq!((d.code, d.out()), (143, "stopping\n".to_string()));
    }
}
