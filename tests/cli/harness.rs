//! A small harness that runs the built rbox as a user would: `rbox APPLET ARGS` or through an
//! argv[0] link, with stdin fed from memory, capturing stdout, stderr and the exit status.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The binary under test (the static musl build: see .cargo/config.toml).
pub fn rbox() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_rbox"))
}

/// A directory of links `APPLET -> rbox`, made once per test run.
pub fn link_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("rbox-links-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let out = Command::new(rbox()).arg("--list").output().unwrap();
        for name in String::from_utf8(out.stdout).unwrap().lines() {
            let l = d.join(name);
            let _ = std::fs::remove_file(&l);
            std::os::unix::fs::symlink(rbox(), &l).unwrap();
        }
        d
    })
}

#[derive(Debug)]
pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Exit status, or 128+N when killed by signal N (as a shell reports it).
    pub code: i32,
}

impl Output {
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    pub fn err(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(self.code, 0, "exit status; stderr: {}", self.err());
        self
    }
    #[track_caller]
    pub fn code(&self, c: i32) -> &Self {
        assert_eq!(self.code, c, "exit status; stderr: {}", self.err());
        self
    }
    /// Assert the same stdout, stderr and status as the oracle's run (GNU's messages name the
    /// same program as ours, so stderr compares byte for byte).
    #[track_caller]
    pub fn same_as(&self, gnu: &Output) -> &Self {
        assert_eq!(
            (self.code, self.err(), self.out()),
            (gnu.code, gnu.err(), gnu.out()),
            "(status, stderr, stdout) differ from the reference tool's"
        );
        self
    }
    #[track_caller]
    pub fn stdout_is(&self, s: impl AsRef<[u8]>) -> &Self {
        assert_eq!(
            String::from_utf8_lossy(&self.stdout),
            String::from_utf8_lossy(s.as_ref()),
            "stdout"
        );
        self
    }
    #[track_caller]
    pub fn stderr_has(&self, s: &str) -> &Self {
        assert!(self.err().contains(s), "{}", self.err());
        self
    }
    #[track_caller]
    pub fn stderr_is(&self, s: impl AsRef<[u8]>) -> &Self {
        assert_eq!(
            String::from_utf8_lossy(&self.stderr),
            String::from_utf8_lossy(s.as_ref()),
            "stderr"
        );
        self
    }
}

/// Builder for one run.
pub struct Run {
    cmd: Command,
    stdin: Option<Vec<u8>>,
}

impl Run {
    pub fn arg(mut self, a: impl AsRef<OsStr>) -> Self {
        self.cmd.arg(a);
        self
    }
    pub fn args<I, S>(mut self, a: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd.args(a);
        self
    }
    pub fn stdin(mut self, data: impl AsRef<[u8]>) -> Self {
        self.stdin = Some(data.as_ref().to_vec());
        self
    }
    pub fn cwd(mut self, d: impl AsRef<Path>) -> Self {
        self.cmd.current_dir(d);
        self
    }
    pub fn env(mut self, k: impl AsRef<OsStr>, v: impl AsRef<OsStr>) -> Self {
        self.cmd.env(k, v);
        self
    }
    /// Start from an empty environment (the locale and zone variables set by the runner go too).
    pub fn env_clear(mut self) -> Self {
        self.cmd.env_clear();
        self
    }
    pub fn env_remove(mut self, k: impl AsRef<OsStr>) -> Self {
        self.cmd.env_remove(k);
        self
    }
    pub fn stdout_file(mut self, f: std::fs::File) -> Self {
        self.cmd.stdout(f);
        self
    }
    pub fn run(mut self) -> Output {
        self.cmd
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stderr(Stdio::piped());
        let mut child = self.cmd.spawn().expect("spawn rbox");
        let writer = self.stdin.take().map(|data| {
            let mut sin = child.stdin.take().unwrap();
            std::thread::spawn(move || {
                let _ = sin.write_all(&data);
            })
        });
        let o = child.wait_with_output().unwrap();
        if let Some(w) = writer {
            let _ = w.join();
        }
        let code = o
            .status
            .code()
            .unwrap_or_else(|| 128 + o.status.signal().unwrap_or(0));
        Output {
            stdout: o.stdout,
            stderr: o.stderr,
            code,
        }
    }
}

/// `rbox APPLET` — dispatch on the first argument.
pub fn applet(name: &str) -> Run {
    let mut cmd = Command::new(rbox());
    cmd.arg(name).env("LC_ALL", "C").env("TZ", "UTC0");
    cmd.stdout(Stdio::piped());
    Run { cmd, stdin: None }
}

/// `APPLET` run through a link named after it — dispatch on argv[0].
pub fn linked(name: &str) -> Run {
    let mut cmd = Command::new(link_dir().join(name));
    cmd.env("LC_ALL", "C").env("TZ", "UTC0");
    cmd.stdout(Stdio::piped());
    Run { cmd, stdin: None }
}

/// The reference tool itself (GNU coreutils and friends from PATH), run the way [`applet`] runs
/// rbox's: same locale and zone, so the two outputs can be compared with [`Output::same_as`].
pub fn gnu(prog: &str) -> Run {
    let mut cmd = Command::new(prog);
    cmd.env("LC_ALL", "C").env("TZ", "UTC0");
    cmd.stdout(Stdio::piped());
    Run { cmd, stdin: None }
}

/// `rbox APPLET` as an unprivileged user (uid and gid `id`, no supplementary groups), through
/// util-linux's `setpriv`: permission errors can be tested even when the tests run as root.
/// Use [`gnu_as`] for the oracle under the same identity.
pub fn applet_as(id: u32, name: &str) -> Run {
    let mut cmd = setpriv(id);
    cmd.arg(rbox()).arg(name);
    Run { cmd, stdin: None }
}

/// The reference tool as an unprivileged user (see [`applet_as`]).
pub fn gnu_as(id: u32, prog: &str) -> Run {
    let mut cmd = setpriv(id);
    cmd.arg(prog);
    Run { cmd, stdin: None }
}

fn setpriv(id: u32) -> Command {
    let mut cmd = Command::new("setpriv");
    cmd.arg(format!("--reuid={id}"))
        .arg(format!("--regid={id}"))
        .arg("--clear-groups")
        .arg("--")
        .env("LC_ALL", "C")
        .env("TZ", "UTC0")
        .stdout(Stdio::piped());
    cmd
}

/// `rbox ARGS` (the multiplexer itself).
pub fn rbox_cmd() -> Run {
    let mut cmd = Command::new(rbox());
    cmd.stdout(Stdio::piped());
    Run { cmd, stdin: None }
}

/// A fresh temporary directory, removed when dropped. It sits alone in a private parent, so
/// that `ls -la` output (the link count of `..`) does not change while parallel tests create
/// and remove their own directories in /tmp.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let parent = std::env::temp_dir().join(format!("rbox-t-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&parent);
        let d = parent.join("w");
        std::fs::create_dir_all(&d).unwrap();
        TempDir(d)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
    pub fn join(&self, p: impl AsRef<Path>) -> PathBuf {
        self.0.join(p)
    }
    pub fn write(&self, name: &str, data: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, data).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = Command::new("chmod")
            .arg("-R")
            .arg("u+rwx")
            .arg(&self.0)
            .status();
        if let Some(parent) = self.0.parent() {
            let _ = std::fs::remove_dir_all(parent);
        }
    }
}

/// The entries of `dir`, in name order.
pub fn sorted_entries(dir: &Path) -> Vec<std::fs::DirEntry> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    v.sort_by_key(|e| e.file_name());
    v
}

/// Run a fixture-building script with the host's `sh` in `dir`, in the C locale and UTC (so
/// that names, dates and messages do not depend on the machine); it must succeed.
pub fn sh_in(dir: &Path, script: &str) {
    let st = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("LC_ALL", "C")
        .env("TZ", "UTC0")
        .status()
        .unwrap();
    assert!(st.success(), "{script}");
}

/// A shell pipeline around one tool (`TOOL` in `script`) run with the host's `sh` in `dir`, once
/// with rbox's applet `tool` and once with the system's (GNU), in the C locale: the two give
/// the same status, output and messages. For what one command line cannot show, such as the
/// input offset a tool leaves behind (`(head -n -2; cat) < f`).
pub fn same_script_as_gnu(dir: &Path, tool: &str, script: &str) {
    let run = |cmd: String| {
        let o = Command::new("sh")
            .arg("-c")
            .arg(script.replace("TOOL", &cmd))
            .env("LC_ALL", "C")
            .current_dir(dir)
            .output()
            .unwrap();
        (o.status.code(), o.stdout, o.stderr)
    };
    assert_eq!(
        run(format!("{} {tool}", rbox().display())),
        run(tool.into()),
        "{script}"
    );
}

/// Whether an external program is installed (peer tools: GNU tar, bsdtar, dash, nginx, ...).
pub fn have(prog: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {prog} >/dev/null 2>&1"))
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Whether the tests run as root (CI does; the chroot, namespace and other-user tests need it).
pub fn is_root() -> bool {
    rbox::common::sys::user::geteuid() == 0
}

/// A test, or a part of one, cannot run here (`why`: not root, a tool missing). Never a silent
/// `ok`: this fails the test with a clear message, unless `RBOX_ALLOW_SKIP=1` allows skipping
/// outside CI, and then `SKIPPED <test>: <why>` goes straight to stderr (past libtest's output
/// capture, so it shows in `cargo test`'s output). With `CI=true` a missing prerequisite always
/// fails. Tests that need root as a whole are `#[cfg_attr(rbox_unprivileged, ignore = ...)]`
/// besides (build.rs sets the cfg for a build by another user), so they show as `ignored` in
/// cargo's summary line rather than running only to skip.
#[track_caller]
pub fn skip(why: &str) {
    let name = std::thread::current()
        .name()
        .unwrap_or("this test")
        .to_string();
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let allowed = std::env::var("RBOX_ALLOW_SKIP").is_ok_and(|v| v == "1");
    if ci {
        panic!("{name}: prerequisite missing in CI: {why}");
    }
    if !allowed {
        panic!(
            "{name} cannot run here: {why}.\n\
             Run the tests as root with the tools .ci/run installs, or set RBOX_ALLOW_SKIP=1 to \
             let this test pass without the part that cannot run (it is then reported as \
             SKIPPED on stderr)."
        );
    }
    let _ = writeln!(std::io::stderr(), "SKIPPED {name}: {why}");
}

/// What to record of each file in [`tree_snapshot`].
#[derive(Clone, Copy, Default)]
pub struct Snap {
    /// Owner and group ids.
    pub owner: bool,
    /// Modification time (seconds and nanoseconds) of everything but symlinks and directories.
    pub mtime: bool,
    /// Modification time of directories too.
    pub dir_mtime: bool,
    /// Link count and which names share an inode (hard links).
    pub links: bool,
}

/// A tree as sorted lines, one per entry below `root` (the root itself as `.`), for comparing
/// the trees two tools left: `path type mode [uid:gid] [mtime] [nlink inode-group]` then the
/// symlink target, the size and contents (a hash) of a file, or the device numbers. Names are
/// written with their bytes escaped (`\n`, `\xff`), so newlines and invalid UTF-8 stay visible.
pub fn tree_snapshot(root: &Path, what: Snap) -> Vec<String> {
    use std::collections::HashMap;
    use std::hash::{Hash, Hasher};
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let mut out = Vec::new();
    let mut inodes: HashMap<u64, String> = HashMap::new();
    let mut stack = vec![PathBuf::from(".")];
    while let Some(rel) = stack.pop() {
        let p = root.join(&rel);
        let Ok(m) = std::fs::symlink_metadata(&p) else {
            out.push(format!(
                "{} missing",
                rel.as_os_str().as_bytes().escape_ascii()
            ));
            continue;
        };
        let ft = m.file_type();
        let name = rel.as_os_str().as_bytes().escape_ascii().to_string();
        let mut l = format!("{name} {:o}", m.mode());
        if what.owner {
            l.push_str(&format!(" {}:{}", m.uid(), m.gid()));
        }
        if what.mtime && !ft.is_symlink() && (!ft.is_dir() || what.dir_mtime) {
            l.push_str(&format!(" t={}.{:09}", m.mtime(), m.mtime_nsec()));
        }
        if what.links && !ft.is_dir() {
            let first = inodes
                .entry(m.ino())
                .or_insert_with(|| name.clone())
                .clone();
            l.push_str(&format!(" n={} same-as={first}", m.nlink()));
        }
        if ft.is_symlink() {
            let t = std::fs::read_link(&p).unwrap();
            l.push_str(&format!(" -> {}", t.as_os_str().as_bytes().escape_ascii()));
        } else if ft.is_file() {
            let data = std::fs::read(&p).unwrap_or_default();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            data.hash(&mut h);
            l.push_str(&format!(" size={} data={:x}", m.len(), h.finish()));
        } else if ft.is_block_device() || ft.is_char_device() {
            l.push_str(&format!(" rdev={:x}", m.rdev()));
        } else if ft.is_dir() {
            if let Ok(rd) = std::fs::read_dir(&p) {
                // In reverse name order on the stack: visited in name order, so the first
                // name of a hard-linked inode does not depend on the directory's order.
                let mut names: Vec<_> = rd.flatten().map(|e| e.file_name()).collect();
                names.sort_by(|a, b| b.cmp(a));
                stack.extend(names.into_iter().map(|n| rel.join(n)));
            }
        }
        out.push(l);
    }
    out.sort();
    out
}

/// Run one command line with rbox's `applet` and with the GNU tool of the same name, each in
/// its own fresh copy of a fixture (`setup` fills the directory; the run's working directory
/// is it), as user `uid` when given (see [`applet_as`]); assert the same stdout, stderr and
/// status (each fixture's absolute path read as `$DIR`) and the same resulting tree ([`tree_snapshot`] with owners). Returns rbox's output.
#[track_caller]
pub fn same_effect<S: AsRef<OsStr>>(
    applet_name: &str,
    uid: Option<u32>,
    setup: &dyn Fn(&Path),
    args: &[S],
) -> Output {
    let ours = TempDir::new(&format!("{applet_name}-ours"));
    let theirs = TempDir::new(&format!("{applet_name}-gnu"));
    setup(ours.path());
    setup(theirs.path());
    let (o, g) = match uid {
        Some(id) => (
            applet_as(id, applet_name).args(args).cwd(ours.path()).run(),
            gnu_as(id, applet_name).args(args).cwd(theirs.path()).run(),
        ),
        None => (
            applet(applet_name).args(args).cwd(ours.path()).run(),
            gnu(applet_name).args(args).cwd(theirs.path()).run(),
        ),
    };
    let shown: Vec<_> = args.iter().map(|a| a.as_ref().to_owned()).collect();
    // Absolute names of the two fixtures (realpath, readlink -f) compare as `$DIR`.
    let norm = |s: String, d: &TempDir| s.replace(d.path().to_str().unwrap_or("\0"), "$DIR");
    assert_eq!(
        (o.code, norm(o.err(), &ours), norm(o.out(), &ours)),
        (g.code, norm(g.err(), &theirs), norm(g.out(), &theirs)),
        "{applet_name} {shown:?}: (status, stderr, stdout) differ from GNU's"
    );
    assert_eq!(
        tree_snapshot(
            ours.path(),
            Snap {
                owner: true,
                ..Snap::default()
            }
        ),
        tree_snapshot(
            theirs.path(),
            Snap {
                owner: true,
                ..Snap::default()
            }
        ),
        "{applet_name} {shown:?}: resulting trees differ"
    );
    o
}

/// Run `rbox PROG ARGS` and the GNU tool `PROG ARGS` in `cwd` on the same standard input (none:
/// /dev/null) and assert the same stdout, stderr and status; returns rbox's output.
#[track_caller]
pub fn same_as_gnu(prog: &str, args: &[&str], stdin: Option<&[u8]>, cwd: &Path) -> Output {
    let mut a = applet(prog).args(args).cwd(cwd);
    let mut g = gnu(prog).args(args).cwd(cwd);
    if let Some(s) = stdin {
        a = a.stdin(s);
        g = g.stdin(s);
    }
    let (a, g) = (a.run(), g.run());
    assert_eq!(
        (a.out(), a.err(), a.code),
        (g.out(), g.err(), g.code),
        "{prog} {args:?}: rbox (left) and GNU (right) differ"
    );
    assert_eq!(a.stdout, g.stdout, "{prog} {args:?}: stdout bytes");
    a
}

/// The test's end of a pseudo-terminal (sh_interactive, runc exec -t): keys are written to the
/// master and the screen is read back by a bounded poll until the expected text appears (no
/// sleeps as synchronisation).
pub struct Screen {
    pub master: std::os::fd::OwnedFd,
    /// Everything read from the terminal so far.
    pub seen: Vec<u8>,
    /// Where the next expectation starts looking in `seen`.
    mark: usize,
    timeout: std::time::Duration,
}

impl Screen {
    pub fn new(master: std::os::fd::OwnedFd, timeout: std::time::Duration) -> Screen {
        Screen {
            master,
            seen: Vec::new(),
            mark: 0,
            timeout,
        }
    }

    pub fn send(&mut self, keys: &[u8]) {
        use std::os::fd::AsFd;
        let n = rbox::common::sys::fd::write(self.master.as_fd(), keys).ok();
        assert_eq!(n, Some(keys.len()), "writing {keys:?} to the terminal");
    }

    /// Read what arrives within `ms` milliseconds; false once the terminal is closed.
    pub fn pump(&mut self, ms: i32) -> bool {
        use rbox::common::sys::term;
        use std::os::fd::AsFd;
        if !term::poll_readable(self.master.as_fd(), ms).unwrap_or(false) {
            return true;
        }
        let mut buf = [0u8; 4096];
        match rbox::common::sys::fd::read(self.master.as_fd(), &mut buf) {
            Ok(n) if n > 0 => {
                self.seen.extend_from_slice(&buf[..n]);
                true
            }
            _ => false,
        }
    }

    /// Read until `want` appears after the mark; the mark moves past it.
    pub fn expect(&mut self, want: &str) {
        let deadline = std::time::Instant::now() + self.timeout;
        loop {
            if let Some(i) = self.seen[self.mark..]
                .windows(want.len())
                .position(|w| w == want.as_bytes())
            {
                self.mark += i + want.len();
                return;
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            assert!(
                !left.is_zero(),
                "timed out waiting for {want:?}; screen so far:\n{}\nbytes after the mark: {:?}",
                String::from_utf8_lossy(&self.seen),
                String::from_utf8_lossy(&self.seen[self.mark..])
            );
            assert!(
                self.pump(left.as_millis().min(1000) as i32),
                "terminal closed while waiting for {want:?}; screen:\n{}",
                String::from_utf8_lossy(&self.seen)
            );
        }
    }

    /// `seen` holds `text` anywhere.
    pub fn saw(&self, text: &[u8]) -> bool {
        self.seen.windows(text.len()).any(|w| w == text)
    }
}

/// Deterministic pseudo-random numbers for generated fixtures (a 64-bit LCG's high bits).
pub fn lcg(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *seed >> 33
}

/// `n` bytes of lines of pseudo-random words (text that compresses like prose).
pub fn words_text(n: usize, mut seed: u64) -> Vec<u8> {
    let vocab: Vec<Vec<u8>> = (0..800)
        .map(|_| {
            let len = 1 + lcg(&mut seed) as usize % 9;
            (0..len)
                .map(|_| b'a' + (lcg(&mut seed) % 26) as u8)
                .collect()
        })
        .collect();
    let mut v = Vec::with_capacity(n + 100);
    while v.len() < n {
        for i in 0..3 + lcg(&mut seed) % 12 {
            if i > 0 {
                v.push(b' ');
            }
            v.extend_from_slice(&vocab[lcg(&mut seed) as usize % vocab.len()]);
        }
        v.push(b'\n');
    }
    v.truncate(n);
    v
}

/// Damaged copies of `data`, named by what was done where: at a few fixed offsets in the
/// first KiB (headers, the first block's code tables) and `count` pseudo-random ones, a byte
/// inverted (`x`), one bit flipped (`b`), the data cut there (`t`), 512 bytes zeroed (`z`).
pub fn damaged_copies(data: &[u8], mut seed: u64, count: usize) -> Vec<(String, Vec<u8>)> {
    let mut at: Vec<usize> = vec![3, 12, 50, 200, 1000];
    at.extend((0..count).map(|_| 10 + lcg(&mut seed) as usize % (data.len() - 10)));
    at.extend([data.len() - 9, data.len() - 4]);
    at.sort_unstable();
    at.dedup();
    let mut out = Vec::new();
    for p in at.into_iter().filter(|&p| p < data.len()) {
        let mut d = data.to_vec();
        d[p] ^= 0xff;
        out.push((format!("x{p}"), d));
        let mut d = data.to_vec();
        d[p] ^= 1 << (p % 8);
        out.push((format!("b{p}"), d));
        out.push((format!("t{p}"), data[..p].to_vec()));
        let mut d = data.to_vec();
        let end = (p + 512).min(d.len());
        d[p..end].fill(0);
        out.push((format!("z{p}"), d));
    }
    out
}

/// `rbox PROG ARGS` (tool "rbox") or GNU's `PROG ARGS` started in `cwd` for a dialogue: stdin
/// and stderr piped (its questions come on stderr), stdout discarded, the C locale.
pub fn spawn_asking<S: AsRef<OsStr>>(
    tool: &str,
    prog: &str,
    args: &[S],
    cwd: &Path,
) -> std::process::Child {
    let mut cmd = if tool == "rbox" {
        let mut c = Command::new(rbox());
        c.arg(prog);
        c
    } else {
        Command::new(prog)
    };
    cmd.args(args)
        .env("LC_ALL", "C")
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Reads stderr until a question (ending in "? ") has come, or the end; returns it.
pub fn question(err: &mut impl std::io::Read) -> String {
    let mut q = Vec::new();
    let mut b = [0u8];
    while !q.ends_with(b"? ") {
        if err.read(&mut b).unwrap() == 0 {
            break;
        }
        q.push(b[0]);
    }
    String::from_utf8_lossy(&q).into_owned()
}

/// A `sleep 60` running under a name of its own (a symlink to sleep in a private directory:
/// its command name and argv[0] are `name`), for the process tools to find; killed and reaped
/// when dropped. `spawn` returns after the exec, so the process already shows its name.
pub struct Sleeper {
    pub child: std::process::Child,
    _dir: TempDir,
}

impl Sleeper {
    pub fn new(name: &str, args: &[&str]) -> Sleeper {
        let dir = TempDir::new("sleeper");
        let link = dir.join(name);
        std::os::unix::fs::symlink(which_sleep(), &link).unwrap();
        let child = Command::new(&link)
            .arg("60")
            .args(args)
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        Sleeper { child, _dir: dir }
    }
    pub fn pid(&self) -> String {
        self.child.id().to_string()
    }
}

pub fn which_sleep() -> &'static str {
    if Path::new("/bin/sleep").exists() {
        "/bin/sleep"
    } else {
        "/usr/bin/sleep"
    }
}

impl Drop for Sleeper {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
