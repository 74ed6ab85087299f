//! The interactive shell driven through a pseudo-terminal (issue 5): keys are written to the
//! pty master, the screen output is read back with a bounded poll loop until the expected text
//! appears (no sleeps as synchronisation). Expected texts were checked against `busybox sh -i`
//! and `dash -i`.

use crate::harness::{is_root, rbox, skip, Screen, TempDir};
use rbox::common::sys::fd::{self, AsFd};
use rbox::common::sys::process::{self as sp, Exec, Fork};
use rbox::common::sys::signal::{self, Handler};
use rbox::common::sys::term::{self, WinSize};
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::{Duration, Instant};

/// The shell on a terminal: the screen (harness::Screen) and the shell's pid.
struct Pty {
    screen: Screen,
    pid: i32,
}

impl std::ops::Deref for Pty {
    type Target = Screen;
    fn deref(&self) -> &Screen {
        &self.screen
    }
}

impl std::ops::DerefMut for Pty {
    fn deref_mut(&mut self) -> &mut Screen {
        &mut self.screen
    }
}

const TIMEOUT: Duration = Duration::from_secs(10);

impl Pty {
    /// Start `rbox sh ARGS` on a new pty as its controlling terminal, in `home` as $HOME.
    fn spawn(args: &[&str], home: &Path, env: &[(&str, &str)]) -> Pty {
        // Both ends are close-on-exec: commands that other tests spawn meanwhile must not find
        // them open (`echo <&9` in the sh golden table).
        let ws = WinSize {
            rows: 24,
            cols: 80,
            xpixel: 0,
            ypixel: 0,
        };
        let pair = term::openpty().and_then(|(m, s)| {
            term::set_window_size(m.as_fd(), ws)?;
            Ok((m, s))
        });
        let r = if pair.is_ok() { 0 } else { -1 };
        assert_eq!(r, 0, "openpty");
        let (master, slave) = pair.unwrap();
        let prog = rbox().as_os_str().as_bytes().to_vec();
        let mut argv: Vec<Vec<u8>> = vec![b"sh".to_vec()];
        argv.extend(args.iter().map(|a| a.as_bytes().to_vec()));
        let mut envs: Vec<CString> = vec![
            CString::new(format!("HOME={}", home.display())).unwrap(),
            CString::new("PATH=/usr/local/bin:/usr/bin:/bin").unwrap(),
            CString::new("TERM=xterm").unwrap(),
        ];
        envs.extend(
            env.iter()
                .map(|(k, v)| CString::new(format!("{k}={v}")).unwrap()),
        );
        // Everything the child needs is built here: after the fork of this multithreaded test
        // process it only makes system calls (the two ends close on exec).
        let exec = Exec::new(&prog, &argv, &envs).unwrap();
        let dir = home.as_os_str().as_bytes();
        let pid = match sp::fork() {
            Ok(Fork::Child) => 0,
            Ok(Fork::Parent(pid)) => pid,
            Err(_) => -1,
        };
        assert!(pid >= 0);
        if pid == 0 {
            let _ = sp::setsid();
            let _ = term::set_controlling_terminal(slave.as_fd(), false);
            for n in 0..3 {
                let _ = fd::dup2(slave.as_fd(), n);
            }
            let _ = sp::chdir(dir);
            for s in [libc::SIGINT, libc::SIGQUIT, libc::SIGTSTP, libc::SIGPIPE] {
                let _ = signal::set_handler(s, Handler::Default);
            }
            let _ = exec.exec();
            sp::exit_now(127);
        }
        drop(slave);
        Pty {
            screen: Screen::new(master, TIMEOUT),
            pid,
        }
    }

    /// Wait until a job owns the terminal (the shell handed it over), so that a Ctrl-C or
    /// Ctrl-Z typed now reaches the job.
    fn wait_job_in_foreground(&mut self) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            // TIOCGPGRP on the master reports the slave's foreground group.
            let pg = sp::tcgetpgrp(self.master.as_fd()).unwrap_or(-1);
            if pg > 0 && pg != self.pid {
                return;
            }
            assert!(Instant::now() < deadline, "no job took the terminal");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Wait for the shell to exit; its status.
    fn exit_status(&mut self) -> i32 {
        // Drain output so the child is never blocked on a full pty.
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let (r, st) = match sp::waitpid(self.pid, libc::WNOHANG) {
                Ok(Some((r, st))) => (r, st.0),
                _ => (0, 0),
            };
            if r == self.pid {
                self.pid = 0;
                return if libc::WIFEXITED(st) {
                    libc::WEXITSTATUS(st)
                } else {
                    128 + libc::WTERMSIG(st)
                };
            }
            assert!(Instant::now() < deadline, "shell did not exit");
            self.pump(50);
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if self.pid > 0 {
            let _ = sp::kill(self.pid, libc::SIGKILL);
            let _ = sp::waitpid(self.pid, 0);
        }
        // The master closes with its OwnedFd.
    }
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

fn shell(tag: &str) -> (TempDir, Pty) {
    let d = TempDir::new(tag);
    let p = Pty::spawn(&["-i"], d.path(), &[("PS1", "P> "), ("PS2", "C> ")]);
    (d, p)
}

#[test]
fn prompt_run_and_exit_status() {
    let (_d, mut p) = shell("ia-basic");
    p.expect("P> ");
    p.send(b"echo $((6*7))\r");
    p.expect("42\r\n");
    p.expect("P> ");
    p.send(b"exit 3\r");
    assert_eq!(p.exit_status(), 3);
}

#[test]
fn ps2_continuation_and_errors_do_not_exit() {
    let (_d, mut p) = shell("ia-ps2");
    p.expect("P> ");
    p.send(b"if true\r");
    p.expect("C> ");
    p.send(b"then echo yes; fi\r");
    p.expect("yes\r\n");
    p.send(b"echo (\r");
    p.expect("syntax error");
    p.expect("P> ");
    p.send(b"set -o bogus; echo not-reached\r");
    p.expect("P> ");
    p.send(b"echo ${nope?unset here}\r");
    p.expect("unset here");
    p.send(b"echo still-$((1+1))\r");
    p.expect("still-2");
    p.expect("P> ");
    p.send(b"\x04");
    assert_eq!(p.exit_status(), 0);
}

#[test]
fn prompt_expansion_and_escapes() {
    let d = TempDir::new("ia-ps1");
    std::fs::create_dir(d.join("sub")).unwrap();
    let mut p = Pty::spawn(&["-i"], d.path(), &[("PS1", "[$X|\\W|\\w]\\$ ")]);
    p.expect("|~]");
    p.send(b"X=abc; cd sub\r");
    p.expect("[abc|sub|~/sub]");
    let root = if is_root() { "# " } else { "$ " };
    p.expect(root);
    p.send(b"PS1='\\[\\e[1m\\]>\\[\\e[0m\\] '\r");
    p.expect("\x1b[1m>\x1b[0m ");
}

#[test]
fn default_ps1_is_busybox_style() {
    let d = TempDir::new("ia-defps1");
    let mut p = Pty::spawn(&["-i"], d.path(), &[]);
    let root = if is_root() { "~ # " } else { "~ $ " };
    p.expect(root);
}

#[test]
fn line_editing_and_history() {
    let (d, mut p) = shell("ia-edit");
    p.expect("P> ");
    // Left twice, insert, Home, Ctrl-K-free edit: "echo ac" -> "echo abc", then Ctrl-A "X".
    // Left, insert, Home, insert, End, insert: "echo ac" -> " echo abc!".
    p.send(b"echo ac\x1b[Db\x01X=1 \x05!\r");
    p.expect("abc!\r\n");
    p.expect("P> ");
    p.send(b"echo first\r");
    p.expect("first\r\n");
    p.expect("P> ");
    // Up recalls the last line; edit its end.
    p.send(b"\x1b[A\x7f\x7f\x7f\x7f\x7fagain\r");
    p.expect("again\r\n");
    p.send(b"history\r");
    p.expect("   1 echo first");
    p.expect("   2 echo again");
    p.expect("P> ");
    p.send(b"exit\r");
    assert_eq!(p.exit_status(), 0);
    let h = std::fs::read(d.join(".ash_history")).unwrap();
    assert!(find(&h, b"echo again\n").is_some(), "history file: {h:?}");
}

#[test]
fn tab_completes_commands_and_files() {
    let (d, mut p) = shell("ia-tab");
    d.write("unique-file-name.txt", "content-of-file\n");
    p.expect("P> ");
    // `hist<Tab>` -> `history ` (a builtin); `cat uniq<Tab>` -> the file.
    p.send(b"histo\t");
    p.expect("ry ");
    p.send(b"\x15cat uniq\t");
    p.expect("ue-file-name.txt ");
    p.send(b"\r");
    p.expect("content-of-file");
}

#[test]
fn ctrl_c_interrupts_a_loop_and_a_command() {
    let (_d, mut p) = shell("ia-intr");
    p.expect("P> ");
    p.send(b"echo looping; while :; do :; done\r");
    // The shell runs commands (the terminal is out of raw mode).
    p.expect("looping\r\n");
    p.send(b"\x03");
    p.expect("P> ");
    p.send(b"echo st=$?\r");
    p.expect("st=130");
    if Path::new("/bin/sleep").exists() {
        p.send(b"/bin/sleep 100; echo not-reached\r");
        p.expect("100; echo not-reached\r");
        p.wait_job_in_foreground();
        p.send(b"\x03");
        p.expect("P> ");
        p.send(b"echo after=$?\r");
        p.expect("after=130");
    }
    // `read` from the terminal is interrupted too.
    p.send(b"echo reading; read x; echo not-reached\r");
    p.expect("reading\r\n");
    p.send(b"\x03");
    p.expect("P> ");
    p.send(b"echo r=$?\r");
    p.expect("r=130");
    // Ctrl-C at the prompt cancels the line.
    p.send(b"echo cancelled\x03");
    p.expect("P> ");
    p.send(b"echo ok\r");
    p.expect("ok\r\n");
    assert!(!p.saw(b"cancelled\r\n"));
}

#[test]
fn job_control_stop_jobs_fg_bg() {
    if !Path::new("/bin/sleep").exists() {
        return skip("no /bin/sleep");
    }
    let (_d, mut p) = shell("ia-jobs");
    p.expect("P> ");
    p.send(b"/bin/sleep 100\r");
    p.expect("sleep 100\r");
    p.wait_job_in_foreground();
    p.send(b"\x1a");
    p.expect("[1]+  Stopped                    /bin/sleep 100");
    p.expect("P> ");
    p.send(b"echo $?\r");
    p.expect("148");
    p.send(b"/bin/sleep 200 &\r");
    p.expect("200 &\r");
    p.send(b"jobs\r");
    p.expect("[2]+  Running                    /bin/sleep 200\r\n");
    p.expect("[1]-  Stopped                    /bin/sleep 100\r\n");
    p.send(b"bg %1\r");
    p.expect("[1] /bin/sleep 100");
    p.send(b"fg %?200\r");
    p.expect("/bin/sleep 200\r\n");
    p.wait_job_in_foreground();
    p.send(b"\x03");
    p.expect("P> ");
    p.send(b"kill %1; wait %1; echo st=$?\r");
    p.expect("st=143");
    p.send(b"jobs; echo none\r");
    p.expect("none");
    p.send(b"true &\r");
    p.expect("true &\r");
    p.send(b"wait; echo waited\r");
    p.expect("waited");
}

#[test]
fn exit_with_stopped_jobs_warns_once() {
    if !Path::new("/bin/sleep").exists() {
        return skip("no /bin/sleep");
    }
    let (_d, mut p) = shell("ia-stopped");
    p.expect("P> ");
    p.send(b"/bin/sleep 100\r");
    p.expect("sleep 100\r");
    p.wait_job_in_foreground();
    p.send(b"\x1a");
    p.expect("Stopped");
    p.expect("P> ");
    p.send(b"exit\r");
    p.expect("You have stopped jobs.");
    p.expect("P> ");
    p.send(b"exit\r");
    assert_eq!(p.exit_status(), 148);
}

#[test]
fn ignoreeof() {
    let (_d, mut p) = shell("ia-eof");
    p.expect("P> ");
    p.send(b"set -o ignoreeof; echo set-1\r");
    p.expect("\nset-1\r\n");
    p.expect("P> ");
    p.send(b"\x04");
    p.expect("Use \"exit\" to leave shell.");
    // Type only at the prompt: a line typed while the terminal is still cooked is echoed by
    // the kernel, and that echo would satisfy the next expectation before the command ran.
    p.expect("P> ");
    p.send(b"set +o ignoreeof; IGNOREEOF=1; echo set-2\r");
    p.expect("\nset-2\r\n");
    p.expect("P> ");
    p.send(b"\x04");
    p.expect("Use \"exit\" to leave shell.");
    p.expect("P> ");
    p.send(b"\x04");
    assert_eq!(p.exit_status(), 0);
}

#[test]
fn env_file_is_sourced() {
    let d = TempDir::new("ia-env");
    d.write("envfile", "greet() { echo hello-from-env; }\n");
    let mut p = Pty::spawn(
        &["-i"],
        d.path(),
        &[("ENV", "$HOME/envfile"), ("PS1", "P> ")],
    );
    p.expect("P> ");
    p.send(b"greet\r");
    p.expect("hello-from-env");
}

#[test]
fn login_shell_reads_profile() {
    let d = TempDir::new("ia-login");
    d.write(".profile", "PS1='profile> '\n");
    let mut p = Pty::spawn(&["-l"], d.path(), &[]);
    p.expect("profile> ");
}

/// PID 1 in a new PID namespace: SIGTERM from outside ends the shell; an orphan is reaped.
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn pid1_sigterm_and_reaping() {
    if !is_root() || !Path::new("/usr/bin/unshare").exists() {
        return skip("needs root and unshare for a PID namespace");
    }
    // The orphan: a background process of a subshell that exits at once; it writes its pid
    // and ends. Each `( : )` makes the shell wait, which must reap it too (bounded loop).
    let d = TempDir::new("ia-pid1");
    let f = d.join("opid");
    let script = format!(
        "( '{rb}' sh -c 'echo $$ > {f}' & ); n=0; \
         while [ $n -lt 2000 ]; do n=$((n+1)); ( : ); [ -s {f} ] || continue; \
           read -r p < {f}; [ -e /proc/$p ] || {{ echo reaped; break; }}; done; \
         [ $n -lt 2000 ] || echo not-reaped; \
         echo ready; while :; do read -r x < /dev/null; done",
        rb = rbox().display(),
        f = f.display()
    );
    let mut child = std::process::Command::new("/usr/bin/unshare")
        .args(["--pid", "--fork", "--mount-proc"])
        .arg(rbox())
        .args(["sh", "-c", &script])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::BufRead;
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert_eq!(line, "reaped\n");
    line.clear();
    out.read_line(&mut line).unwrap();
    assert_eq!(line, "ready\n");
    // Find the namespace's PID 1: the child of unshare.
    let unshare_pid = child.id();
    let kids = std::fs::read_to_string(format!("/proc/{unshare_pid}/task/{unshare_pid}/children"))
        .unwrap_or_default();
    let sh_pid: i32 = kids.split_whitespace().next().unwrap().parse().unwrap();
    let _ = sp::kill(sh_pid, libc::SIGTERM);
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            // unshare --fork reports the child's status: 128+SIGTERM.
            assert_eq!(st.code(), Some(143));
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("PID 1 shell ignored SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn blank_and_comment_lines_prompt_ps1_again() {
    let (_d, mut p) = shell("ia-blank");
    p.expect("P> ");
    p.send(b"\r");
    p.expect("P> ");
    p.send(b"   \r");
    p.expect("P> ");
    p.send(b"# only a comment\r");
    p.expect("P> ");
    p.send(b"echo after-$((1+2))\r");
    p.expect("after-3\r\n");
    p.expect("P> ");
    assert!(
        !p.saw(b"C> "),
        "PS2 shown for a complete line:\n{}",
        String::from_utf8_lossy(&p.seen)
    );
    p.send(b"exit 0\r");
    assert_eq!(p.exit_status(), 0);
}

/// `set -m` in a script run from a terminal turns job control on, as in dash and BusyBox ash
/// (this output is theirs, under script(1)): `$-` has `m`, an asynchronous list keeps the
/// shell's stdin instead of /dev/null, each job has its own process group; `set +m` undoes it.
/// `bg` makes the job `$!` (POSIX, bash; dash and BusyBox ash leave `$!`: `bg 0`).
#[test]
fn set_m_in_a_script_on_a_terminal() {
    if !Path::new("/proc/self/stat").exists() {
        return skip("no /proc");
    }
    let d = TempDir::new("ia-setm");
    let script = "printf 'in\\n' > f; set -m; case $- in *m*) echo monitor-on;; esac\n\
                  exec < f; cat & wait\n\
                  cut -d' ' -f5 /proc/self/stat > pg; read g < pg; [ \"$g\" != $$ ] && echo own-group\n\
                  sh -c 'kill -s STOP $$; exit 17'\nbg > /dev/null; wait $!; echo \"bg $?\"\n\
                  set +m; exec < f; cat & wait; echo \"end $-\"\n";
    std::fs::write(d.path().join("m.sh"), script).unwrap();
    let mut p = Pty::spawn(&["./m.sh"], d.path(), &[]);
    p.expect("monitor-on\r\nin\r\nown-group\r\n");
    p.expect("bg 17\r\nend \r\n");
    assert_eq!(p.exit_status(), 0);
}

/// `sh -m -c 'cmd'` on a terminal forks the command into its own group (dash) instead of
/// replacing the shell, which then gives the terminal back when it ends.
#[test]
fn dash_m_c_forks_its_one_command() {
    if !Path::new("/proc/self/stat").exists() {
        return skip("no /proc");
    }
    let d = TempDir::new("ia-mc");
    let mut p = Pty::spawn(
        &["-m", "-c", "cut -d' ' -f1 /proc/self/stat"],
        d.path(),
        &[],
    );
    let shell = p.pid;
    p.expect("\r\n");
    assert_eq!(p.exit_status(), 0);
    let seen = String::from_utf8_lossy(&p.seen);
    let pid: i32 = seen.trim().parse().unwrap();
    assert_ne!(pid, shell, "the command replaced the shell");
}
