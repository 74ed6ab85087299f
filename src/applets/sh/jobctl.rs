//! Job control (XCU 2.11 "Job Control", `set -m`), as dash and BusyBox ash do it: every job
//! (pipeline, external command, subshell, background list) gets its own process group, the
//! terminal is handed to a foreground job with tcsetpgrp(3) and taken back when it ends or
//! stops; Ctrl-Z stops the job ("[1]+  Stopped   cmd"), `fg`/`bg` continue it, `jobs` lists
//! the table, "Done" notices are printed before the next prompt.
//!
//! The interpreter calls in through small hooks: [`begin`] before a job's first fork,
//! [`in_child`] / [`after_fork`] on both sides of every fork, [`wait_fg`] instead of a plain
//! waitpid, [`started_bg`] after an asynchronous list, [`check_interrupt`] where traps run.
//!
//! Deviations: a job's text is its source text, the background list's own or, for a foreground
//! job, its command line's (dash prints the command rebuilt from the tree); `jobs -l` shows
//! the group leader only; background jobs stopped by SIGTTIN/SIGTTOU say "Stopped" as ash.

use crate::common::io::push_fmt;
use std::sync::atomic::{AtomicBool, Ordering};

use super::exec::{Flow, Shell, ANY_PENDING};
use super::proc::Job;
use crate::common::io::{stderr_fd, write_all};
use crate::common::sys::fd::{self, AsFd, BorrowedFd, OwnedFd};
use crate::common::sys::process::{self as sp, WaitStatus};
use crate::common::sys::signal::{self, Handler};
use crate::common::sys::term;

/// Set by the interactive shell's SIGINT handler.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::Relaxed);
    ANY_PENDING.store(true, Ordering::Relaxed);
}

/// A job being started: its process group (0 until the first fork) and whether it owns the
/// terminal.
#[derive(Clone, Copy, Debug)]
pub struct Building {
    pub pgid: i32,
    pub fg: bool,
}

/// Token returned by [`begin`]: present when the job is under job control.
#[derive(Clone, Copy)]
pub struct JobStart(());

#[derive(Default)]
pub struct JobCtl {
    /// Job control active (`set -m` in an interactive shell on a terminal, not in a subshell).
    pub on: bool,
    /// The interactive shell set up its signal dispositions (children reset them).
    pub sigs: bool,
    /// This process was forked as a job under job control (background lists keep SIGINT).
    pub job_child: bool,
    /// The controlling terminal, and the shell's process group.
    pub tty: Option<OwnedFd>,
    pub pgid: i32,
    /// Process group of the shell before it took the terminal (given back on exit).
    pub orig_pgid: i32,
    pub building: Option<Building>,
    /// Source text of the command being run (the job's name).
    pub text: Vec<u8>,
    /// The line editor, between prompts (the `history` builtin reads it).
    pub editor: Option<std::rc::Rc<std::cell::RefCell<super::lineedit::Editor>>>,
    /// `exit` was run (as opposed to an error that would end a non-interactive shell).
    pub exit_requested: bool,
    /// Exit attempted with stopped jobs (a second `exit` leaves anyway).
    pub warned_stopped: bool,
}

fn set_sig(sig: i32, h: Handler) {
    let _ = signal::set_handler(sig, h);
}

impl JobCtl {
    /// The terminal (job control is on).
    fn tty(&self) -> Option<BorrowedFd<'_>> {
        self.tty.as_ref().map(|t| t.as_fd())
    }
}

/// Signal dispositions of an interactive shell (dash): SIGINT caught (it abandons the command
/// line), SIGQUIT and SIGTERM ignored; with job control also SIGTSTP/SIGTTIN/SIGTTOU ignored.
pub fn interactive_signals(sh: &mut Shell) {
    sh.jc.sigs = true;
    if sh.traps[libc::SIGINT as usize].is_none() {
        set_sig(libc::SIGINT, Handler::Catch(on_sigint));
    }
    for s in [libc::SIGQUIT, libc::SIGTERM] {
        if sh.traps[s as usize].is_none() {
            set_sig(s, Handler::Ignore);
        }
    }
}

/// Turn job control on: put the shell in its own process group in the foreground of its
/// terminal (waiting, as dash does, while it is started in the background). False when there
/// is no usable terminal.
pub fn enable(sh: &mut Shell) -> bool {
    if sh.jc.on {
        return true;
    }
    let fd = match fd::open(b"/dev/tty", libc::O_RDWR | libc::O_CLOEXEC, 0) {
        Ok(fd) => fd,
        Err(_) => match fd::dup_min(stderr_fd(), 10) {
            Ok(fd) if fd::isatty(fd.as_fd()) => fd,
            _ => return false,
        },
    };
    let fd = super::exec::move_high(fd);
    let mut tries = 0;
    loop {
        let Ok(pg) = sp::tcgetpgrp(fd.as_fd()) else {
            return false;
        };
        if pg == sp::getpgrp() {
            break;
        }
        tries += 1;
        if tries > 100 {
            return false;
        }
        let _ = sp::kill(0, libc::SIGTTIN);
    }
    for s in [libc::SIGTSTP, libc::SIGTTIN, libc::SIGTTOU] {
        set_sig(s, Handler::Ignore);
    }
    sh.jc.orig_pgid = sp::getpgrp();
    let me = sp::getpid();
    if me != sh.jc.orig_pgid {
        let _ = sp::setpgid(0, me);
    }
    let _ = sp::tcsetpgrp(fd.as_fd(), me);
    sh.jc.tty = Some(fd);
    sh.jc.pgid = me;
    sh.jc.on = true;
    sh.opts.monitor = true;
    true
}

/// After `-m`/`+m` (at invocation or by `set`) in a shell that is not interactive: `-m`
/// turns job control on when a terminal is there, else it says so and the option goes off
/// (dash, BusyBox ash: `set -m` in a script gives each job its own process group, and an
/// asynchronous list keeps the shell's stdin); `+m` turns it off.
pub fn monitor_option(sh: &mut Shell, builtin: &[u8]) {
    if sh.opts.interactive || sh.subshell {
        return;
    }
    if !sh.opts.monitor {
        disable(sh);
    } else if !sh.jc.on && !enable(sh) {
        sh.opts.monitor = false;
        sh.errf(&[builtin, b"can't access tty; job control turned off"]);
    }
}

/// Give the terminal back to the process group we started in (at exit, as dash).
pub fn disable(sh: &mut Shell) {
    if !sh.jc.on {
        return;
    }
    if sh.jc.orig_pgid != sh.jc.pgid && sh.jc.orig_pgid > 0 {
        let _ = sp::setpgid(0, sh.jc.orig_pgid);
        if let Some(tty) = sh.jc.tty() {
            let _ = sp::tcsetpgrp(tty, sh.jc.orig_pgid);
        }
    }
    sh.jc.tty = None;
    sh.jc.on = false;
}

/// Before the first fork of a job: Some when it runs under job control.
pub fn begin(sh: &mut Shell, fg: bool) -> Option<JobStart> {
    if !sh.jc.on || sh.subshell || !sh.opts.monitor {
        return None;
    }
    sh.jc.building = Some(Building { pgid: 0, fg });
    Some(JobStart(()))
}

/// In every forked child: join the job's process group (and take the terminal for a
/// foreground job) before anything runs, so that Ctrl-C/Ctrl-Z reach it; signals the
/// interactive shell ignores or catches go back to their defaults.
pub fn in_child(sh: &mut Shell) {
    let b = sh.jc.building.take();
    sh.jc.job_child = b.is_some();
    if sh.jc.sigs || sh.jc.on {
        for s in [
            libc::SIGINT,
            libc::SIGQUIT,
            libc::SIGTERM,
            libc::SIGTSTP,
            libc::SIGTTIN,
        ] {
            if sh.traps[s as usize].is_none() {
                set_sig(s, Handler::Default);
            }
        }
    }
    // SIGTTOU is still ignored, so that tcsetpgrp from what is not yet the foreground group
    // succeeds.
    if let Some(b) = b {
        let pg = if b.pgid == 0 { sp::getpid() } else { b.pgid };
        let _ = sp::setpgid(0, pg);
        if b.fg {
            if let Some(tty) = sh.jc.tty() {
                let _ = sp::tcsetpgrp(tty, pg);
            }
        }
    }
    if (sh.jc.sigs || sh.jc.on) && sh.traps[libc::SIGTTOU as usize].is_none() {
        set_sig(libc::SIGTTOU, Handler::Default);
    }
    super::pid1::in_child(sh);
    sh.jc.on = false;
    sh.jc.sigs = false;
    sh.jc.editor = None;
}

/// In the parent after a fork: the child joins the job's group here too (whichever runs
/// first wins the race; both calls are needed).
pub fn after_fork(sh: &mut Shell, pid: i32) {
    if pid <= 0 {
        return;
    }
    if let Some(b) = sh.jc.building.as_mut() {
        if b.pgid == 0 {
            b.pgid = pid;
        }
        let _ = sp::setpgid(pid, b.pgid);
    }
}

/// After an asynchronous list: record its group (under job control) and name, its source
/// text (`jobs` lists it with or without job control, as POSIX's format and bash do).
pub fn started_bg(sh: &mut Shell, _job: Option<JobStart>, id: usize, text: &[u8]) {
    let b = sh.jc.building.take();
    let text = if text.is_empty() {
        bg_text(&sh.jc.text)
    } else {
        text.to_vec()
    };
    if let Some(j) = sh.procs.jobs.iter_mut().find(|j| j.id == id) {
        if let Some(b) = b {
            j.pgid = b.pgid;
        }
        j.cmd = text;
    }
}

/// The name of a background job: the command text without its `&`.
fn bg_text(t: &[u8]) -> Vec<u8> {
    let mut t = t.trim_ascii();
    if t.ends_with(b"&") && !t.ends_with(b"&&") {
        t = t[..t.len() - 1].trim_ascii();
    }
    t.to_vec()
}

/// Where traps run: SIGINT in an interactive shell abandons what it is doing.
pub fn check_interrupt(sh: &mut Shell) -> Result<(), Flow> {
    if INTERRUPTED.load(Ordering::Relaxed) && sh.jc.sigs && !sh.subshell {
        INTERRUPTED.store(false, Ordering::Relaxed);
        sh.status = 130;
        return Err(Flow::Interrupt);
    }
    Ok(())
}

/// Forget a Ctrl-C that arrived at the prompt (the editor already handled it).
pub fn clear_interrupt() {
    INTERRUPTED.store(false, Ordering::Relaxed);
}

fn raise_interrupt() {
    INTERRUPTED.store(true, Ordering::Relaxed);
    ANY_PENDING.store(true, Ordering::Relaxed);
}

/// Wait for a foreground job started since [`begin`]: None when it is not under job control.
pub fn wait_fg(sh: &mut Shell, job: Option<JobStart>, pids: &[i32]) -> Option<i32> {
    job?;
    let b = sh.jc.building.take()?;
    if pids.is_empty() {
        return Some(2);
    }
    Some(wait_job(sh, b.pgid, pids, None))
}

/// Run job `pgid` in the foreground until it ends or stops; the terminal (and its modes, in
/// case the job left it raw) come back to the shell afterwards. `existing`: its id in the job
/// table (fg), else a stopped job is added to the table.
pub fn wait_job(sh: &mut Shell, pgid: i32, pids: &[i32], existing: Option<usize>) -> i32 {
    let tty = sh.jc.tty.as_ref().map(|t| t.as_fd());
    let modes = tty.and_then(|t| term::tcgetattr(t).ok());
    // A new job's processes take the terminal themselves once their signals are reset (a
    // Ctrl-Z typed earlier must not reach a process that still ignores it); `fg` gives it.
    if existing.is_some() {
        if let Some(tty) = tty {
            let _ = sp::tcsetpgrp(tty, pgid);
        }
    }
    let mut stopped = 0;
    let mut last = 0;
    let mut fail = 0;
    let mut last_raw = WaitStatus(0);
    for (i, &p) in pids.iter().enumerate() {
        let raw = sh.procs.wait_untraced(p);
        if let Some(sig) = raw.and_then(|st| st.stop_signal()) {
            stopped = sig;
            continue;
        }
        let s = raw.map_or(127, WaitStatus::shell_status);
        if i + 1 == pids.len() {
            last = s;
            last_raw = raw.unwrap_or_default();
        }
        if s != 0 {
            fail = s;
        }
        if let Some(raw) = raw {
            if i + 1 < pids.len() || stopped != 0 {
                // Kept for a later `fg` of the stopped job.
                sh.procs.keep(p, raw);
            }
        }
    }
    // Taking the terminal back; SIGTTOU is ignored by the shell.
    if let Some(tty) = tty {
        let _ = sp::tcsetpgrp(tty, sh.jc.pgid);
        if let Some(m) = &modes {
            let _ = term::tcsetattr(tty, term::SetWhen::Drain, m);
        }
    }
    if stopped != 0 {
        let id = match existing {
            Some(id) => id,
            None => {
                let text = sh.jc.text.trim_ascii().to_vec();
                sh.procs.add_job(pids.to_vec(), text)
            }
        };
        if let Some(i) = sh.procs.jobs.iter().position(|j| j.id == id) {
            let mut j = sh.procs.jobs.remove(i);
            j.stopped = true;
            j.pgid = pgid;
            sh.procs.jobs.push(j);
        }
        let line = job_line(sh, id, b"Stopped", false, false);
        let _ = sh.out.flush();
        let _ = write_all(stderr_fd(), &line);
        return 128 + stopped;
    }
    match existing {
        Some(id) => sh.procs.remove_job(id),
        None => sh.procs.forget(pids),
    }
    if let Some(sig) = last_raw.term_signal() {
        if sig == libc::SIGINT {
            let _ = write_all(stderr_fd(), b"\n");
            raise_interrupt();
        } else if sig != libc::SIGPIPE {
            let mut m = signal::describe(sig);
            if last_raw.core_dumped() {
                m.extend_from_slice(b" (core dumped)");
            }
            m.push(b'\n');
            let _ = write_all(stderr_fd(), &m);
        }
    }
    if sh.opts.pipefail {
        fail
    } else {
        last
    }
}

/// `[1]+  Stopped                    cmd` (BusyBox ash when interactive, dash's
/// `[1] + Stopped` otherwise); the command starts at column 33 in both.
fn job_line(sh: &Shell, id: usize, state: &[u8], with_pid: bool, _x: bool) -> Vec<u8> {
    let n = sh.procs.jobs.len();
    let i = sh.procs.jobs.iter().position(|j| j.id == id).unwrap_or(0);
    let mark = if i + 1 == n {
        b'+'
    } else if i + 2 == n {
        b'-'
    } else {
        b' '
    };
    let j = &sh.procs.jobs[i.min(n.saturating_sub(1))];
    let mut out = format!("[{id}]").into_bytes();
    if sh.opts.interactive {
        out.push(mark);
        out.extend_from_slice(b"  ");
    } else {
        out.push(b' ');
        out.push(mark);
        out.push(b' ');
    }
    let mut width = 26;
    if with_pid {
        let p = format!("{} ", j.pids.first().copied().unwrap_or(0));
        width = 26usize.saturating_sub(p.len());
        out.extend_from_slice(p.as_bytes());
    }
    out.extend_from_slice(state);
    let pad = width.saturating_sub(state.len()) + 1;
    out.resize(out.len() + pad, b' ');
    out.extend_from_slice(&j.cmd);
    out.push(b'\n');
    out
}

fn state_text(j: &Job, raw: Option<WaitStatus>) -> Vec<u8> {
    match raw {
        None if j.stopped => b"Stopped".to_vec(),
        None => b"Running".to_vec(),
        Some(st) => match (st.term_signal(), st.exit_code().unwrap_or(0)) {
            (Some(sig), _) => signal::describe(sig),
            (None, 0) => b"Done".to_vec(),
            (None, n) => format!("Done({n})").into_bytes(),
        },
    }
}

/// Before a prompt: "[1]+  Done   cmd" for each finished job, which leaves the table.
pub fn notify(sh: &mut Shell) {
    // Process 1 reaps orphans here too (its statuses kept for the jobs among them).
    sh.procs.reap_orphans();
    if sh.procs.jobs.is_empty() {
        return;
    }
    let done = sh.procs.poll();
    let mut out = Vec::new();
    for &(id, raw) in &done {
        if let Some(j) = sh.procs.jobs.iter().find(|j| j.id == id && !j.waited) {
            let st = state_text(j, Some(raw));
            out.extend_from_slice(&job_line(sh, id, &st, false, false));
        }
    }
    for &(id, _) in &done {
        sh.procs.remove_job(id);
    }
    if !out.is_empty() {
        let _ = sh.out.flush();
        let _ = write_all(stderr_fd(), &out);
    }
}

/// Any stopped job (exit warns once, as ash: "You have stopped jobs.").
pub fn has_stopped(sh: &Shell) -> bool {
    sh.procs.has_stopped()
}

/// Job from a spec (`%1 %+ %- %% %str %?str`), or the current job.
fn find(sh: &mut Shell, name: &[u8], spec: Option<&Vec<u8>>) -> Result<usize, i32> {
    let j = match spec {
        Some(s) => {
            if s.starts_with(b"%") {
                sh.procs.by_spec(s)
            } else {
                match std::str::from_utf8(s)
                    .ok()
                    .and_then(|t| t.parse::<i32>().ok())
                {
                    Some(p) => sh.procs.jobs.iter().find(|j| j.pids.contains(&p)),
                    None => None,
                }
            }
        }
        None => sh.procs.jobs.last(),
    };
    match j {
        Some(j) => Ok(j.id),
        None => {
            // BusyBox ash's wording: "fg: %5: no such job".
            let what: &[u8] = spec.map_or(b"current", |s| s.as_slice());
            sh.errf(&[name, b": ", what, b": no such job"]);
            Err(2)
        }
    }
}

/// `fg [job]`: continue a job in the foreground.
pub fn fg(sh: &mut Shell, args: &[Vec<u8>]) -> Result<i32, Flow> {
    if !sh.jc.on {
        sh.errf(&[b"fg: job control not enabled"]);
        return Ok(2);
    }
    let id = match find(sh, b"fg", args.get(1)) {
        Ok(id) => id,
        Err(s) => return Ok(s),
    };
    let Some(j) = sh.procs.jobs.iter_mut().find(|j| j.id == id) else {
        return Ok(2);
    };
    j.stopped = false;
    let (pgid, pids) = (j.pgid, j.pids.clone());
    let mut line = j.cmd.clone();
    line.push(b'\n');
    sh.print(&line);
    let _ = sh.out.flush();
    // The terminal goes to the job before it continues.
    if let Some(tty) = sh.jc.tty() {
        let _ = sp::tcsetpgrp(tty, pgid);
    }
    let _ = sp::kill(-pgid, libc::SIGCONT);
    Ok(wait_job(sh, pgid, &pids, Some(id)))
}

/// `bg [job...]`: continue stopped jobs in the background ("[1] cmd").
pub fn bg(sh: &mut Shell, args: &[Vec<u8>]) -> Result<i32, Flow> {
    if !sh.jc.on {
        sh.errf(&[b"bg: job control not enabled"]);
        return Ok(2);
    }
    let specs: Vec<Option<&Vec<u8>>> = if args.len() > 1 {
        args[1..].iter().map(Some).collect()
    } else {
        vec![None]
    };
    let mut st = 0;
    for s in specs {
        let id = match find(sh, b"bg", s) {
            Ok(id) => id,
            Err(e) => {
                st = e;
                continue;
            }
        };
        if let Some(i) = sh.procs.jobs.iter().position(|j| j.id == id) {
            let mut j = sh.procs.jobs.remove(i);
            j.stopped = false;
            let _ = sp::kill(-j.pgid, libc::SIGCONT);
            // Known to the shell as if started with `&` (POSIX): `$!` is its last process (as
            // bash; dash and BusyBox ash leave `$!`).
            if let Some(&p) = j.pids.last() {
                sh.last_bg = Some(p);
            }
            let mut line = format!("[{}] ", j.id).into_bytes();
            line.extend_from_slice(&j.cmd);
            line.push(b'\n');
            sh.procs.jobs.push(j);
            sh.print(&line);
        }
    }
    let _ = sh.out.flush();
    Ok(st)
}

/// `jobs [-lp] [job...]`.
pub fn jobs(sh: &mut Shell, args: &[Vec<u8>]) -> Result<i32, Flow> {
    let (flags, i) = match super::builtins::opts(args, b"lp") {
        Ok(r) => r,
        Err(c) => {
            sh.errf(&[b"jobs: illegal option -", &[c]]);
            return Ok(2);
        }
    };
    let long = flags.contains(&b'l');
    let pids_only = flags.contains(&b'p');
    let done = sh.procs.poll();
    let ids: Vec<usize> = if i < args.len() {
        let mut v = Vec::new();
        for s in &args[i..] {
            match find(sh, b"jobs", Some(s)) {
                Ok(id) => v.push(id),
                Err(e) => return Ok(e),
            }
        }
        v
    } else {
        sh.procs.jobs.iter().rev().map(|j| j.id).collect()
    };
    let mut out = Vec::new();
    for id in ids {
        let Some(j) = sh.procs.jobs.iter().find(|j| j.id == id) else {
            continue;
        };
        if pids_only {
            push_fmt(&mut out, format_args!("{}\n", j.pgid));
            continue;
        }
        let raw = done.iter().find(|&&(d, _)| d == id).map(|&(_, r)| r);
        let st = state_text(j, raw);
        out.extend_from_slice(&job_line(sh, id, &st, long, false));
    }
    for &(id, _) in &done {
        sh.procs.remove_job(id);
    }
    sh.print(&out);
    Ok(sh.flush_out(b"jobs"))
}

/// Give control back after the shell took it in an interactive loop: the terminal to the
/// shell (a job may have been killed without giving it back).
pub fn reclaim_tty(sh: &Shell) {
    if sh.jc.on {
        // SIGTTOU is ignored by the shell.
        if let Some(tty) = sh.jc.tty() {
            let _ = sp::tcsetpgrp(tty, sh.jc.pgid);
        }
    }
}

/// read(2) for the `read` builtin: like `read`, but a Ctrl-C in an interactive shell ends
/// it (EINTR is not retried then), so that `read` at the terminal can be interrupted.
pub fn read_fd_intr(fd: BorrowedFd, buf: &mut [u8]) -> std::io::Result<usize> {
    // A trapped signal (ANY_PENDING) also ends the read, so its trap runs now, as in dash and
    // bash, instead of after the next line arrives (which may be never: PID 1 waiting on stdin).
    let stop = || INTERRUPTED.load(Ordering::Relaxed) || ANY_PENDING.load(Ordering::Relaxed);
    loop {
        if stop() {
            return Err(std::io::Error::from_raw_os_error(libc::EINTR));
        }
        match fd::read_interruptible(fd, buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() != std::io::ErrorKind::Interrupted || stop() => return Err(e),
            Err(_) => {}
        }
    }
}
