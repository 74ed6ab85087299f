//! The scratch image under a real container runtime: image/oci.sh's OCI image is unpacked into
//! an OCI bundle (its rootfs plus a config.json written here as `runc spec` would, with the
//! image config's Env and Cmd, Docker's default capabilities and the host's network namespace)
//! and run with runc: the default CMD's shell, `--user 65532:65532`, a read-only root with a
//! tmpfs /tmp, a `docker exec -it` session through a pseudo-terminal, `runc kill TERM` reaching
//! the shell as PID 1, a wget health check against a server on loopback, real-world
//! entrypoints (tests/data/entrypoints) compared with dash and GNU tools on the host, and the
//! README's "Using rbox in your own image" example. Needs root and Debian's runc; every
//! container has a unique id, a time bound, and is deleted (`runc delete -f`) at the end.

use crate::harness::*;
use crate::image::{build_oci, unpack_layer, validate_layout, Json};
use rbox::common::sys::fd::AsFd;
use rbox::common::sys::term;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const RUNC: &str = "/usr/sbin/runc";
/// Every container is stopped after this long, whatever it does.
const BOUND: Duration = Duration::from_secs(60);

/// The image, built once per test run: its unpacked layer, Env and Cmd.
struct Image {
    base: PathBuf,
    env: Vec<String>,
    cmd: Vec<String>,
}

/// Whether runc can run here; says why not (skip) when it cannot.
fn runc_ready() -> bool {
    if !is_root() {
        skip("runc tests need root (CI runs as root)");
        return false;
    }
    if !Path::new(RUNC).exists() {
        skip("runc missing (apt-get install runc)");
        return false;
    }
    true
}

fn image() -> &'static Image {
    static IMG: OnceLock<Image> = OnceLock::new();
    IMG.get_or_init(|| {
        // One directory per test process; those of finished runs are removed here.
        let tmp = std::env::temp_dir();
        for e in std::fs::read_dir(&tmp).unwrap().flatten() {
            let n = e.file_name().to_string_lossy().to_string();
            if let Some(pid) = n.strip_prefix("rbox-runc-img-") {
                if !Path::new("/proc").join(pid).exists() {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let dir = tmp.join(format!("rbox-runc-img-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        build_oci(&dir.join("oci"));
        let lay = dir.join("oci/rbox-oci");
        let layer = validate_layout(&lay);
        let base = dir.join("base");
        unpack_layer(&layer, &base);
        let idx = Json::parse(&std::fs::read_to_string(lay.join("index.json")).unwrap());
        let blob = |d: &str| {
            lay.join("blobs/sha256")
                .join(d.strip_prefix("sha256:").unwrap())
        };
        let man = Json::parse(
            &std::fs::read_to_string(blob(idx.get("manifests").arr()[0].get("digest").str()))
                .unwrap(),
        );
        let cfg = Json::parse(
            &std::fs::read_to_string(blob(man.get("config").get("digest").str())).unwrap(),
        );
        let strs = |j: &Json| j.arr().iter().map(|s| s.str().to_string()).collect();
        // Only the unpacked tree is needed from here on.
        let _ = std::fs::remove_dir_all(dir.join("oci"));
        Image {
            base,
            env: strs(cfg.get("config").get("Env")),
            cmd: strs(cfg.get("config").get("Cmd")),
        }
    })
}

/// What the bundle's config.json says beyond `runc spec`'s defaults.
#[derive(Clone)]
struct Spec {
    args: Vec<String>,
    user: (u32, u32),
    readonly: bool,
    tmpfs_tmp: bool,
    env: Vec<String>,
    cwd: String,
}

fn q(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\t' => o.push_str("\\t"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn qlist(v: &[String]) -> String {
    format!("[{}]", v.iter().map(|s| q(s)).collect::<Vec<_>>().join(","))
}

/// Docker's default capability set (what `docker run` grants without --cap-add).
const CAPS: &[&str] = &[
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_FSETID",
    "CAP_FOWNER",
    "CAP_MKNOD",
    "CAP_NET_RAW",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETFCAP",
    "CAP_SETPCAP",
    "CAP_NET_BIND_SERVICE",
    "CAP_SYS_CHROOT",
    "CAP_KILL",
    "CAP_AUDIT_WRITE",
];

/// config.json as `runc spec` writes it, with the image's settings and the host's network.
fn config_json(s: &Spec) -> String {
    let caps = qlist(&CAPS.iter().map(|c| c.to_string()).collect::<Vec<_>>());
    let mut mounts = vec![
        r#"{"destination":"/proc","type":"proc","source":"proc"}"#.to_string(),
        r#"{"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]}"#.to_string(),
        r#"{"destination":"/dev/pts","type":"devpts","source":"devpts","options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620","gid=5"]}"#.to_string(),
        r#"{"destination":"/dev/shm","type":"tmpfs","source":"shm","options":["nosuid","noexec","nodev","mode=1777","size=65536k"]}"#.to_string(),
        r#"{"destination":"/dev/mqueue","type":"mqueue","source":"mqueue","options":["nosuid","noexec","nodev"]}"#.to_string(),
        r#"{"destination":"/sys","type":"sysfs","source":"sysfs","options":["nosuid","noexec","nodev","ro"]}"#.to_string(),
    ];
    if s.tmpfs_tmp {
        mounts.push(
            r#"{"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev","mode=1777","size=65536k"]}"#
                .to_string(),
        );
    }
    format!(
        r#"{{"ociVersion":"1.0.2-dev",
"process":{{"terminal":false,"user":{{"uid":{uid},"gid":{gid}}},"args":{args},"env":{env},"cwd":{cwd},
"capabilities":{{"bounding":{caps},"effective":{caps},"permitted":{caps}}},
"rlimits":[{{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}}],"noNewPrivileges":false}},
"root":{{"path":"rootfs","readonly":{ro}}},
"hostname":"rbox-test",
"mounts":[{mounts}],
"linux":{{"resources":{{"devices":[{{"allow":false,"access":"rwm"}}]}},
"namespaces":[{{"type":"pid"}},{{"type":"ipc"}},{{"type":"uts"}},{{"type":"mount"}}],
"maskedPaths":["/proc/acpi","/proc/asound","/proc/kcore","/proc/keys","/proc/latency_stats","/proc/timer_list","/proc/timer_stats","/proc/sched_debug","/sys/firmware","/proc/scsi"],
"readonlyPaths":["/proc/bus","/proc/fs","/proc/irq","/proc/sys","/proc/sysrq-trigger"]}}}}
"#,
        uid = s.user.0,
        gid = s.user.1,
        args = qlist(&s.args),
        env = qlist(&s.env),
        cwd = q(&s.cwd),
        ro = s.readonly,
        mounts = mounts.join(",\n"),
    )
}

/// An OCI bundle with the image's rootfs, and the container made from it (deleted on drop).
pub struct Bundle {
    dir: TempDir,
    id: String,
    spec: Spec,
}

impl Bundle {
    /// A bundle running the image's default Cmd as root; change `spec` before running.
    fn new(tag: &str) -> Bundle {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let img = image();
        let dir = TempDir::new(&format!("runc-{tag}"));
        let st = Command::new("cp")
            .arg("-a")
            .arg(&img.base)
            .arg(dir.join("rootfs"))
            .status()
            .unwrap();
        assert!(st.success());
        let mut env = img.env.clone();
        env.push("HOSTNAME=rbox-test".into());
        env.push("HOME=/root".into());
        Bundle {
            id: format!("rbox-{tag}-{}-{n}", std::process::id()),
            dir,
            spec: Spec {
                args: img.cmd.clone(),
                user: (0, 0),
                readonly: false,
                tmpfs_tmp: false,
                env,
                cwd: "/".into(),
            },
        }
    }

    fn rootfs(&self) -> PathBuf {
        self.dir.join("rootfs")
    }

    fn args(mut self, a: &[&str]) -> Bundle {
        self.spec.args = a.iter().map(|s| s.to_string()).collect();
        self
    }

    fn write_config(&self) {
        std::fs::write(self.dir.join("config.json"), config_json(&self.spec)).unwrap();
    }

    /// `runc run` in the foreground, stdin/stdout/stderr piped.
    fn spawn(&self) -> Child {
        self.write_config();
        Command::new(RUNC)
            .arg("run")
            .arg("-b")
            .arg(self.dir.path())
            .arg(&self.id)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// Run to the end with `stdin` fed; the container's output and status.
    fn run(&self, stdin: &str) -> Output {
        let mut c = self.spawn();
        let mut i = c.stdin.take().unwrap();
        let data = stdin.as_bytes().to_vec();
        let w = std::thread::spawn(move || {
            let _ = i.write_all(&data);
        });
        let o = self.wait(c);
        w.join().unwrap();
        o
    }

    /// Collect the output of a spawned `runc run` within the time bound.
    fn wait(&self, mut c: Child) -> Output {
        let mut so = c.stdout.take().unwrap();
        let mut se = c.stderr.take().unwrap();
        let t1 = std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = so.read_to_end(&mut v);
            v
        });
        let t2 = std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = se.read_to_end(&mut v);
            v
        });
        let deadline = Instant::now() + BOUND;
        let st = loop {
            if let Some(st) = c.try_wait().unwrap() {
                break st;
            }
            if Instant::now() > deadline {
                self.runc(&["kill", &self.id, "KILL"]);
                let _ = c.kill();
                let _ = c.wait();
                panic!("container {} still running after {BOUND:?}", self.id);
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stdout = t1.join().unwrap();
        let stderr = t2.join().unwrap();
        use std::os::unix::process::ExitStatusExt;
        Output {
            stdout,
            stderr,
            code: st.code().unwrap_or_else(|| 128 + st.signal().unwrap_or(0)),
        }
    }

    /// `runc ARGS` (kill, exec, state, delete); its output.
    fn runc(&self, args: &[&str]) -> Output {
        let o = Command::new(RUNC).args(args).output().unwrap();
        Output {
            stdout: o.stdout,
            stderr: o.stderr,
            code: o.status.code().unwrap_or(-1),
        }
    }
}

impl Drop for Bundle {
    fn drop(&mut self) {
        let _ = Command::new(RUNC)
            .args(["delete", "-f", &self.id])
            .stderr(Stdio::null())
            .status();
    }
}

/// Read `r` until `want` appears (or EOF / the bound); what was read.
fn read_until(r: &mut impl Read, want: &str) -> String {
    let mut seen = Vec::new();
    let mut b = [0u8; 1024];
    while !String::from_utf8_lossy(&seen).contains(want) {
        match r.read(&mut b) {
            Ok(0) | Err(_) => break,
            Ok(n) => seen.extend_from_slice(&b[..n]),
        }
    }
    String::from_utf8_lossy(&seen).into_owned()
}

/// The image's default CMD is a shell: a script on its standard input runs as PID 1 in a
/// root that holds only rbox, and its exit status is the container's.
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn default_cmd_is_a_shell() {
    if !runc_ready() {
        return;
    }
    let b = Bundle::new("cmd");
    assert_eq!(b.spec.args, ["/bin/sh"]);
    let o = b.run(
        "echo \"pid $$ user $(id -un) host $(hostname)\"\n\
         . /etc/os-release; echo \"$NAME $VERSION_ID\"\n\
         ls /\n\
         echo \"$PATH\"\n\
         env | sort | grep -c .\n\
         exit 7\n",
    );
    assert_eq!(o.code, 7, "{}", o.err());
    let path = crate::image::dockerfile_path();
    assert_eq!(
        o.out(),
        format!(
            "pid 1 user root host rbox-test\nrbox {}\nbin\ndev\netc\nhome\nmnt\nopt\nproc\nroot\n\
             run\nsbin\nsrv\nsys\ntmp\nusr\nvar\n{path}\n4\n",
            env!("CARGO_PKG_VERSION")
        )
    );
    // `docker run rbox sh -c '...'`, and exec form without a shell finding the applet on PATH.
    let b = Bundle::new("cmd-c").args(&["sh", "-c", "echo $0 $1; exec echo hi", "a", "b"]);
    b.run("").ok().stdout_is("a b\nhi\n");
    // Exec-form `CMD ["echo", "hi"]`: the runtime finds the applet on the image's PATH.
    Bundle::new("cmd-echo")
        .args(&["echo", "hi"])
        .run("")
        .ok()
        .stdout_is("hi\n");
    let b = Bundle::new("cmd-env").args(&["/usr/bin/env"]);
    let o = b.run("");
    o.ok();
    assert!(o.out().contains("HOME=/root\n"), "{}", o.out());
}

/// `docker run --user 65532:65532`: nonroot writes /tmp and its home, not /etc.
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn nonroot_user_writes_tmp_and_home_not_etc() {
    if !runc_ready() {
        return;
    }
    let mut b = Bundle::new("user");
    b.spec.user = (65532, 65532);
    b.spec.env.retain(|e| !e.starts_with("HOME="));
    b.spec.env.push("HOME=/home/nonroot".into());
    let o = b.run(
        "id\n\
         echo a > /tmp/a && echo tmp ok\n\
         cd && echo b > b && echo home ok && pwd\n\
         echo c > /etc/c || echo etc refused\n\
         touch /root/x 2>/dev/null || echo root refused\n\
         ls -ln /tmp/a | cut -d' ' -f3,4\n",
    );
    o.ok();
    assert_eq!(
        o.out(),
        "uid=65532(nonroot) gid=65532(nonroot) groups=65532(nonroot)\ntmp ok\nhome ok\n\
         /home/nonroot\netc refused\nroot refused\n65532 65532\n"
    );
    // The shell's own wording (dash's or BusyBox's) is sh's business; the refusal is ours.
    let err = o.err();
    assert!(
        err.starts_with("/bin/sh: ") && err.ends_with(" create /etc/c: Permission denied\n"),
        "{err}"
    );
    let m = std::fs::metadata(b.rootfs().join("home/nonroot/b")).unwrap();
    assert_eq!(std::os::unix::fs::MetadataExt::uid(&m), 65532);
}

/// `docker run --read-only --tmpfs /tmp`: the root cannot be written, /tmp can.
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn read_only_root_with_tmpfs_tmp() {
    if !runc_ready() {
        return;
    }
    let mut b = Bundle::new("ro");
    b.spec.readonly = true;
    b.spec.tmpfs_tmp = true;
    let o = b.run(
        "echo x > /tmp/x && cat /tmp/x\n\
         mkdir /tmp/d && tar -cf /tmp/d/etc.tar -C / etc && tar -tf /tmp/d/etc.tar | grep -c .\n\
         touch /newfile\n\
         echo st=$?\n\
         mkdir /opt/app; echo st=$?\n",
    );
    o.ok();
    let n = std::fs::read_dir(b.rootfs().join("etc"))
        .unwrap()
        .flatten()
        .map(|e| {
            if e.path().is_dir() {
                1 + std::fs::read_dir(e.path()).unwrap().count()
            } else {
                1
            }
        })
        .sum::<usize>()
        + 1;
    assert_eq!(o.out(), format!("x\n{n}\nst=1\nst=1\n"));
    assert_eq!(
        o.err(),
        "touch: cannot touch '/newfile': Read-only file system\n\
         mkdir: cannot create directory '/opt/app': Read-only file system\n"
    );
}

/// A pseudo-terminal pair; the test holds the master as a harness::Screen.
struct Pty;

impl Pty {
    /// Start `cmd` with the slave as its standard input, output and error.
    fn spawn(cmd: &mut Command) -> (Screen, Child) {
        let (m, s) = term::openpty().unwrap();
        term::set_window_size(
            m.as_fd(),
            term::WinSize {
                rows: 24,
                cols: 80,
                xpixel: 0,
                ypixel: 0,
            },
        )
        .unwrap();
        let child = cmd
            .stdin(Stdio::from(s.try_clone().unwrap()))
            .stdout(Stdio::from(s.try_clone().unwrap()))
            .stderr(Stdio::from(s))
            .spawn()
            .unwrap();
        (Screen::new(m, Duration::from_secs(20)), child)
    }
}

/// The PID 1 of the long-running tests: a shell that ends with 143 on SIGTERM.
const PID1: &str = "trap 'echo got TERM; exit 143' TERM; echo ready; \
                    while :; do sleep 1 & wait; done";

/// `docker exec -it c sh`: `runc exec -t` into a running container gives an interactive shell
/// on a terminal: prompt, `ls`, job control (Ctrl-Z, bg, jobs, kill %1), exit status.
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn exec_it_session_with_job_control() {
    if !runc_ready() {
        return;
    }
    let b = Bundle::new("exec").args(&["sh", "-c", PID1]);
    let mut c = b.spawn();
    let mut out = c.stdout.take().unwrap();
    assert!(read_until(&mut out, "ready\n").contains("ready"));
    let (mut p, mut ex) = Pty::spawn(
        Command::new(RUNC)
            .args(["exec", "-t", "-e", "PS1=c# ", "-e", "TERM=xterm"])
            .arg(&b.id)
            .args(["/bin/sh", "-i"]),
    );
    p.expect("c# ");
    p.send(b"ls /usr/local\r");
    p.expect("bin  sbin");
    p.expect("c# ");
    // The markers are split by quotes so that only the output matches, never the echoed
    // command line; no line ends are expected: runc copies the container's terminal to ours,
    // and until runc has put ours in raw mode both add a \r before a \n (`\r\r\n`).
    p.send(b"test -t 0 && echo on-a-term''inal; echo \"pp\"id=$PPID.\r");
    p.expect("on-a-terminal");
    p.expect("ppid=0.");
    // The marker is quoted so that the echoed command line does not match it.
    p.send(b"sh -c 'echo \"st\"arted; exec sleep 100'\r");
    p.expect("started");
    p.send(b"\x1a");
    p.expect("[1]+  Stopped");
    p.expect("c# ");
    p.send(b"bg; jobs\r");
    p.expect("[1]+  Running");
    p.expect("c# ");
    p.send(b"kill %1; wait %1; echo st=$?\r");
    p.expect("st=143");
    p.send(b"exit 5\r");
    let deadline = Instant::now() + BOUND;
    let st = loop {
        if let Some(st) = ex.try_wait().unwrap() {
            break st;
        }
        assert!(Instant::now() < deadline, "runc exec did not end");
        // Keep the terminal drained.
        p.pump(20);
    };
    assert_eq!(st.code(), Some(5));
    // The container's PID 1 was not disturbed; stop it.
    b.runc(&["kill", &b.id, "TERM"]).ok();
    c.stdout = Some(out);
    let o = b.wait(c);
    assert_eq!(o.code, 143, "{}", o.err());
}

/// `docker stop`: `runc kill ID TERM` reaches the shell as PID 1, whose trap ends it with the
/// status it chose; without a trap PID 1 ignores TERM (the kernel's rule) and KILL ends it.
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn sigterm_reaches_pid1_shell() {
    if !runc_ready() {
        return;
    }
    let b = Bundle::new("term").args(&["sh", "-c", PID1]);
    let mut c = b.spawn();
    let mut out = c.stdout.take().unwrap();
    read_until(&mut out, "ready\n");
    let st = b.runc(&["state", &b.id]);
    st.ok();
    assert!(st.out().contains("\"status\": \"running\""), "{}", st.out());
    b.runc(&["kill", &b.id, "TERM"]).ok();
    let rest = read_until(&mut out, "got TERM\n");
    assert_eq!(rest, "got TERM\n");
    c.stdout = Some(out);
    let o = b.wait(c);
    assert_eq!(o.code, 143, "{}", o.err());

    let b = Bundle::new("kill").args(&["sh", "-c", "echo ready; while :; do sleep 1; done"]);
    let mut c = b.spawn();
    let mut out = c.stdout.take().unwrap();
    read_until(&mut out, "ready\n");
    b.runc(&["kill", &b.id, "KILL"]).ok();
    c.stdout = Some(out);
    assert_eq!(b.wait(c).code, 137);
}

/// A Dockerfile HEALTHCHECK: `wget -qO- http://127.0.0.1:PORT/health` from inside the
/// container (host network) reaches a server the test runs on loopback.
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn healthcheck_wget_on_loopback() {
    if !runc_ready() {
        return;
    }
    let port = crate::e2e::serve(b"ok\n".to_vec(), 1);
    let b = Bundle::new("health").args(&[
        "sh",
        "-c",
        &format!("wget -qO- -T 10 http://127.0.0.1:{port}/health && echo healthy"),
    ]);
    b.run("").ok().stdout_is("ok\nhealthy\n");
    // Nothing listens on the port any more: the check fails with wget's status 4.
    let b = Bundle::new("unhealthy").args(&[
        "wget",
        "-qO-",
        "-T",
        "5",
        &format!("http://127.0.0.1:{port}/health"),
    ]);
    b.run("").code(4);
}

// ---- real-world entrypoints (tests/data/entrypoints), compared with dash + GNU tools ----

/// One entrypoint scenario: files copied into the image, then the same runs inside the
/// container and on the host.
struct Scenario<'a> {
    /// Directory under tests/data/entrypoints: a root tree laid over the image.
    name: &'a str,
    /// The image's `RUN` adding accounts (container only: the host side gets the resulting
    /// /etc/passwd and /etc/group bind-mounted over its own in a private mount namespace).
    accounts: &'a str,
    /// A `RUN` with file system effects, run on both sides (`$R` is the root: empty inside).
    fs_setup: &'a str,
    /// Working directory (the image's WORKDIR).
    cwd: &'a str,
    /// Environment; `{ROOT}` in a value becomes the host's stand-in root.
    env: &'a [(&'a str, &'a str)],
    /// Container runs, one after another (argv[0] is a path in the image).
    runs: &'a [&'a [&'a str]],
    /// Trees compared at the end (with owners and modes).
    snap: &'a [&'a str],
}

fn entrypoints_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/entrypoints")
}

fn cp_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let st = Command::new("cp")
        .arg("-a")
        .arg(format!("{}/.", from.display()))
        .arg(to)
        .status()
        .unwrap();
    assert!(st.success());
}

/// Run the scenario on both sides; returns the container's outputs (after asserting that the
/// host's are the same, and the trees too).
fn compare_entrypoint(s: &Scenario) -> Vec<Output> {
    // Inside: the only userland is rbox.
    let mut b = Bundle::new(s.name);
    cp_tree(&entrypoints_dir().join(s.name), &b.rootfs());
    b.spec.args = vec!["sh".into(), "-c".into(), s.accounts.into()];
    b.run("").ok();
    b.spec.args = vec!["sh".into(), "-c".into(), s.fs_setup.into()];
    b.run("").ok();
    b.spec.cwd = s.cwd.into();
    for (k, v) in s.env {
        b.spec.env.push(format!("{k}={}", v.replace("{ROOT}", "")));
    }
    let inside: Vec<Output> = s
        .runs
        .iter()
        .map(|argv| {
            b.spec.args = argv.iter().map(|a| a.to_string()).collect();
            b.run("")
        })
        .collect();

    // On the host: dash and GNU tools, in a directory standing in for /.
    let t = TempDir::new(&format!("host-{}", s.name));
    cp_tree(&entrypoints_dir().join(s.name), t.path());
    cp_tree(&entrypoints_dir().join("host-bin"), &t.join("host-bin"));
    let acc = TempDir::new(&format!("acc-{}", s.name));
    for f in ["passwd", "group"] {
        std::fs::copy(b.rootfs().join("etc").join(f), acc.join(f)).unwrap();
    }
    let root = t.path().display().to_string();
    let host = |argv: &[String]| -> Output {
        let mut env = vec![
            format!(
                "PATH={root}/host-bin:{root}/usr/local/bin:/usr/local/sbin:/usr/local/bin:\
                 /usr/sbin:/usr/bin:/sbin:/bin"
            ),
            "HOSTNAME=rbox-test".to_string(),
            "HOME=/root".to_string(),
            format!("R={root}"),
        ];
        for (k, v) in s.env {
            env.push(format!("{k}={}", v.replace("{ROOT}", &root)));
        }
        let o = Command::new("unshare")
            .args(["-m", "--propagation", "private", "dash", "-c"])
            .arg(
                "mount --bind \"$1\" /etc/passwd && mount --bind \"$2\" /etc/group && \
                 cd \"$3\" && shift 3 && exec env -i \"$@\"",
            )
            .arg("sh")
            .arg(acc.join("passwd"))
            .arg(acc.join("group"))
            .arg(format!("{root}{}", s.cwd))
            .args(&env)
            .arg("dash")
            .args(argv)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let norm = |v: Vec<u8>| String::from_utf8_lossy(&v).replace(&root, "").into_bytes();
        Output {
            stdout: norm(o.stdout),
            stderr: norm(o.stderr),
            code: o.status.code().unwrap_or(-1),
        }
    };
    let o = host(&["-c".to_string(), s.fs_setup.to_string()]);
    assert_eq!(o.code, 0, "host setup: {}", o.err());
    for (argv, inside) in s.runs.iter().zip(&inside) {
        let mut a: Vec<String> = argv.iter().map(|a| a.to_string()).collect();
        a[0] = format!("{root}{}", a[0]);
        let o = host(&a);
        assert_eq!(
            (inside.out(), inside.err(), inside.code),
            (o.out(), o.err(), o.code),
            "{argv:?}: container (left) and dash + GNU tools (right) differ"
        );
    }
    let what = Snap {
        owner: true,
        ..Snap::default()
    };
    // Entries, modes and owners; then the files' contents, the host's root removed (a path
    // written into a file is the stand-in root's there).
    let strip = |v: Vec<String>| -> Vec<String> {
        v.into_iter()
            .map(|l| match l.find(" size=") {
                Some(i) => l[..i].to_string(),
                None => l,
            })
            .collect()
    };
    for p in s.snap {
        let rel = p.trim_start_matches('/');
        let (a, h) = (b.rootfs().join(rel), t.join(rel));
        assert_eq!(
            strip(tree_snapshot(&a, what)),
            strip(tree_snapshot(&h, what)),
            "tree {p}"
        );
        let files = Command::new("find")
            .arg(".")
            .args(["-type", "f"])
            .current_dir(&a)
            .output()
            .unwrap();
        for f in String::from_utf8(files.stdout).unwrap().lines() {
            let ca = std::fs::read(a.join(f)).unwrap();
            let ch = String::from_utf8_lossy(&std::fs::read(h.join(f)).unwrap()).replace(&root, "");
            assert_eq!(String::from_utf8_lossy(&ca), ch, "{p}/{f}");
        }
    }
    inside
}

fn have_host_tools() -> bool {
    for t in ["dash", "unshare", "setpriv", "envsubst", "getent"] {
        if !have(t) {
            skip(&format!("{t} missing on the host (the side compared with)"));
            return false;
        }
    }
    true
}

/// nginx's docker-entrypoint.sh with /docker-entrypoint.d: an .envsh sourced, templates
/// through envsubst (only defined variables), sed -i on the config, non-executable and other
/// files ignored, then `exec nginx -g 'daemon off;'`.
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn entrypoint_nginx_style() {
    if !runc_ready() || !have_host_tools() {
        return;
    }
    let outs = compare_entrypoint(&Scenario {
        name: "nginx",
        accounts: "true",
        fs_setup: "true",
        cwd: "/",
        env: &[
            ("DOCKER_ENTRYPOINT_D", "{ROOT}/docker-entrypoint.d"),
            ("NGINX_ENVSUBST_TEMPLATE_DIR", "{ROOT}/etc/nginx/templates"),
            ("NGINX_ENVSUBST_OUTPUT_DIR", "{ROOT}/etc/nginx/conf.d"),
            ("NGINX_HOST", "example.test"),
            ("BACKEND_ADDR", "10.0.0.2:8080"),
            ("APP_NAME", "shop"),
            ("NGINX_WORKERS", "4"),
        ],
        runs: &[
            &["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"],
            &[
                "/docker-entrypoint.sh",
                "sh",
                "-c",
                "echo not nginx: no configuration",
            ],
        ],
        snap: &["/etc/nginx"],
    });
    let out = outs[0].out();
    assert!(
        out.contains("Launching /docker-entrypoint.d/20-envsubst"),
        "{out}"
    );
    assert!(out.contains("Ignoring /docker-entrypoint.d/40-disabled.sh, not executable"));
    assert!(out.contains("listen       80;\n"), "{out}");
    assert!(out.contains("proxy_set_header Host $host;"), "{out}");
    assert!(out.contains("max_fails=${MAX_FAILS}"), "{out}");
    assert!(out.contains("worker_processes 4;"), "{out}");
    assert!(out.ends_with("}\n"), "{out}");
    outs[1].stdout_is("not nginx: no configuration\n");
}

/// redis's entrypoint: as root, `find . \! -user redis -exec chown redis '{}' +` on the data
/// volume, then `exec su-exec redis "$0" "$@"`, the umask tightened, the server as redis.
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn entrypoint_redis_style() {
    if !runc_ready() || !have_host_tools() {
        return;
    }
    let outs = compare_entrypoint(&Scenario {
        name: "redis",
        accounts: "addgroup -S -g 1000 redis && adduser -S -D -H -h /data -s /sbin/nologin \
                   -G redis -u 999 redis",
        fs_setup: "chown redis:redis \"$R/data\" && echo 'mine' > \"$R/data/own.rdb\" && \
                   chown redis \"$R/data/own.rdb\"",
        cwd: "/data",
        env: &[],
        runs: &[&["/usr/local/bin/docker-entrypoint.sh", "--appendonly", "yes"]],
        snap: &["/data"],
    });
    assert_eq!(
        outs[0].out(),
        "redis-server stand-in: --appendonly yes\n\
         user redis uid 999 groups redis home /data umask 0077\n\
         cwd data\n\
         drwxr-xr-x 999 0 appendonlydir\n\
         -rw------- 999 1000 dump.rdb\n\
         -rw-r--r-- 999 0 old.rdb\n\
         -rw-r--r-- 999 0 own.rdb\n"
    );
}

/// postgres's entrypoint: first run (empty PGDATA) creates and chowns the directories as root,
/// re-runs itself as postgres, initialises (stand-in initdb), edits postgresql.conf with
/// `sed -ri` and `sed -i`, runs the init files; the second run skips initialisation.
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn entrypoint_postgres_style() {
    if !runc_ready() || !have_host_tools() {
        return;
    }
    let outs = compare_entrypoint(&Scenario {
        name: "postgres",
        accounts: "addgroup -S -g 70 postgres && adduser -S -D -H -h /var/lib/postgresql \
                   -s /bin/sh -G postgres -u 70 postgres",
        fs_setup: "mkdir -p \"$R/var/lib/postgresql\" && chown postgres:postgres \"$R/var/lib/postgresql\"",
        cwd: "/",
        env: &[
            ("PGDATA", "{ROOT}/var/lib/postgresql/data"),
            ("PGSOCKETDIR", "{ROOT}/run/postgresql"),
            ("INITDB_D", "{ROOT}/docker-entrypoint-initdb.d"),
            ("POSTGRES_HOST_AUTH_METHOD", "md5"),
        ],
        runs: &[
            &["/usr/local/bin/docker-entrypoint.sh", "postgres", "-c", "fsync=off"],
            &["/usr/local/bin/docker-entrypoint.sh", "postgres"],
        ],
        snap: &["/var/lib/postgresql", "/run/postgresql"],
    });
    let first = outs[0].out();
    assert!(first.contains("owned by user \"postgres\""), "{first}");
    assert!(first.contains("listen_addresses = '*'"), "{first}");
    assert!(first.contains("running 01-schema.sql"), "{first}");
    assert!(first.contains("ignoring README"), "{first}");
    assert!(first.contains("init process complete"), "{first}");
    assert!(
        first.contains("postgres stand-in: -c fsync=off as postgres"),
        "{first}"
    );
    let second = outs[1].out();
    assert!(second.contains("Skipping initialization"), "{second}");
}

// ---- the README's example, verbatim ----

/// The `dockerfile` block under "### Using rbox in your own image" in README.md.
fn readme_example() -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let sec = readme
        .split("### Using rbox in your own image")
        .nth(1)
        .expect("README section");
    let block = sec
        .split("```dockerfile\n")
        .nth(1)
        .expect("dockerfile block");
    block.split("\n```").next().unwrap().to_string()
}

/// Docker's PATH for a container whose image sets none (FROM scratch).
const DOCKER_DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The README's "Using rbox in your own image" Dockerfile, each instruction carried out as
/// Docker would (RUN lines under runc with /bin/sh -c, as the current USER, in the WORKDIR, with
/// the ARGs and ENVs), then the container started with its ENTRYPOINT and CMD, its
/// HEALTHCHECK run with `runc exec`, and stopped with TERM.
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn readme_example_runs_verbatim() {
    if !runc_ready() {
        return;
    }
    let text = readme_example();
    // The build context: the application and the tool the example downloads.
    let ctx = TempDir::new("readme-ctx");
    let app = ctx.join("src/app");
    std::fs::create_dir_all(app.join("data")).unwrap();
    std::fs::write(app.join("data/seed"), "seed\n").unwrap();
    std::fs::write(
        app.join("entrypoint.sh"),
        "#!/bin/sh\nset -e\ncase \"$1\" in\n\
         serve)\n    trap 'echo stopping; exit 143' TERM\n    touch data/started\n\
         \x20   echo \"serving as $(id -un) in $(pwd) on $APP_PORT with $(tool --version)\"\n\
         \x20   while :; do sleep 1 & wait; done ;;\n\
         *) exec \"$@\" ;;\nesac\n",
    )
    .unwrap();
    std::fs::create_dir_all(ctx.join("tool/bin")).unwrap();
    std::fs::write(ctx.join("tool/bin/tool"), "#!/bin/sh\necho tool 1.0\n").unwrap();
    let st = Command::new("sh")
        .arg("-c")
        .arg(
            "chmod 755 src/app/entrypoint.sh tool/bin/tool && tar czf app.tar.gz -C src app && \
             tar czf tool.tar.gz -C tool bin",
        )
        .current_dir(ctx.path())
        .status()
        .unwrap();
    assert!(st.success());
    let tool_port = crate::e2e::serve(std::fs::read(ctx.join("tool.tar.gz")).unwrap(), 1);
    let build_args = [(
        "TOOL_URL",
        format!("http://127.0.0.1:{tool_port}/tool.tar.gz"),
    )];

    let mut b = Bundle::new("readme");
    let mut env: Vec<String> = vec![format!("PATH={DOCKER_DEFAULT_PATH}")];
    let mut args_env: Vec<String> = Vec::new();
    let mut user = (0u32, 0u32);
    let mut workdir = "/".to_string();
    let mut health = None;
    let mut entrypoint: Vec<String> = Vec::new();
    let mut cmd: Vec<String> = Vec::new();
    let mut stage = 0;
    let mut outputs = String::new();
    let exec_form = |s: &str| -> Vec<String> {
        Json::parse(s)
            .arr()
            .iter()
            .map(|j| j.str().to_string())
            .collect()
    };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (ins, rest) = line.split_once(' ').unwrap();
        match ins {
            "FROM" => {
                // FROM rbox AS userland, then FROM scratch + COPY --from=userland / /: the
                // bundle's rootfs is the rbox image.
                stage += 1;
                let want = if stage == 1 {
                    "rbox AS userland"
                } else {
                    "scratch"
                };
                assert_eq!(rest, want);
            }
            "COPY" if rest.starts_with("--from=") => assert_eq!(rest, "--from=userland / /"),
            "COPY" => {
                let (src, dst) = rest.split_once(' ').unwrap();
                let dst = b.rootfs().join(dst.trim_start_matches('/'));
                std::fs::create_dir_all(&dst).unwrap();
                std::fs::copy(ctx.join(src), dst.join(src)).unwrap();
            }
            "ARG" => {
                let name = rest.split('=').next().unwrap();
                let v = build_args
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| rest.split_once('=').unwrap().1.to_string());
                args_env.push(format!("{name}={v}"));
            }
            "ENV" => env.push(rest.to_string()),
            "RUN" => {
                b.spec.args = vec!["/bin/sh".into(), "-c".into(), rest.into()];
                b.spec.user = user;
                b.spec.cwd = workdir.clone();
                b.spec.env = env.iter().chain(&args_env).cloned().collect();
                let o = b.run("");
                assert_eq!(o.code, 0, "RUN {rest}: {}{}", o.out(), o.err());
                outputs.push_str(&o.out());
            }
            "USER" => {
                let pw = std::fs::read_to_string(b.rootfs().join("etc/passwd")).unwrap();
                let f: Vec<&str> = pw
                    .lines()
                    .find(|l| l.starts_with(&format!("{rest}:")))
                    .expect("USER in /etc/passwd")
                    .split(':')
                    .collect();
                user = (f[2].parse().unwrap(), f[3].parse().unwrap());
            }
            "WORKDIR" => {
                std::fs::create_dir_all(b.rootfs().join(rest.trim_start_matches('/'))).unwrap();
                workdir = rest.to_string();
            }
            "HEALTHCHECK" => health = Some(rest.strip_prefix("CMD ").unwrap().to_string()),
            "ENTRYPOINT" => entrypoint = exec_form(rest),
            "CMD" => cmd = exec_form(rest),
            _ => panic!("instruction the test does not know: {line}"),
        }
    }
    // The RUN lines' output: ls -l of the unpacked application, the tool's version.
    assert!(outputs.contains(" entrypoint.sh\n"), "{outputs}");
    assert!(outputs.contains("tool 1.0\n"), "{outputs}");

    // docker run -e APP_PORT=<the test's health server>
    let health_port = crate::e2e::serve(b"ok\n".to_vec(), 1);
    b.spec.args = entrypoint.into_iter().chain(cmd).collect();
    b.spec.user = user;
    b.spec.cwd = workdir;
    b.spec.env = env;
    b.spec.env.push(format!("APP_PORT={health_port}"));
    let mut c = b.spawn();
    let mut out = c.stdout.take().unwrap();
    let first = read_until(&mut out, "\n");
    assert_eq!(
        first,
        format!("serving as app in /opt/app on {health_port} with tool 1.0\n")
    );
    let h = b.runc(&[
        "exec",
        &b.id,
        "/bin/sh",
        "-c",
        &health.expect("HEALTHCHECK"),
    ]);
    h.ok().stdout_is("ok\n");
    b.runc(&["kill", &b.id, "TERM"]).ok();
    let rest = read_until(&mut out, "stopping\n");
    c.stdout = Some(out);
    let o = b.wait(c);
    assert_eq!((rest.as_str(), o.code), ("stopping\n", 143), "{}", o.err());
    let m = std::fs::metadata(b.rootfs().join("opt/app/data/started")).unwrap();
    assert_eq!(std::os::unix::fs::MetadataExt::uid(&m), user.0);
}
