//! The shell's children, in one room: fork (subshells, pipeline elements, command
//! substitutions, here-document writers), the wait for a child, the ONE store of statuses
//! reaped before anyone asked for them, the job table, and PID 1's reaping of orphans.
//! `waitpid` is called only here.
//!
//! - [`Shell::fork_run`] forks a child that runs a closure and exits; [`Shell::wait_child`]
//!   waits for it; [`Shell::capture`] runs a closure in a child with its output piped back
//!   (command substitution); [`Shell::here_doc`] gives a descriptor reading a here-document.
//! - [`Procs`] holds the job table, the store and the here-document writers: [`Procs::wait`]
//!   (blocking, optionally interrupted by a trapped signal), [`Procs::wait_untraced`] (job
//!   control's foreground wait, which also sees stops), [`Procs::poll`] (non-blocking, what
//!   changed in the job table), [`Procs::reap_orphans`] (PID 1 before a prompt).
//!
//! As process 1 (`reap_any`, set by `pid1::setup`), every blocking wait waits for any child and
//! keeps the statuses of the ones not asked for, so orphans re-parented to us do not stay
//! zombies while a later wait for our own children still finds their statuses.

use super::exec::{Flow, Res, Shell};
use crate::common::sys::fd::{self, AsFd, AsRawFd, OwnedFd};
use crate::common::sys::process::{self as sp, Fork, Pid, WaitStatus};
use crate::common::sys::signal::{self, Handler};

/// A background job (or a stopped foreground one): its processes, text and process group.
pub struct Job {
    pub id: usize,
    pub pids: Vec<Pid>,
    pub cmd: Vec<u8>,
    /// Process group (job control) and whether the job is stopped (see `jobctl.rs`).
    pub pgid: Pid,
    pub stopped: bool,
    /// `wait` has returned its status: it stays listed (Done) until `jobs` reports it, and a
    /// second `wait` gives the same status (dash, BusyBox ash); a prompt drops it silently.
    pub waited: bool,
    /// Inherited by a subshell: another process's child, shown as it was (never polled).
    pub foreign: bool,
    /// Found ended while the shell waited for a foreground command: `wait` gives its status
    /// but no `Terminated` notice (see [`Procs::note_ended`]).
    pub quiet: bool,
}

/// The shell's children: the job table and what was reaped.
#[derive(Default)]
pub struct Procs {
    /// The job table, oldest first (the last is the current job, `%+`).
    pub jobs: Vec<Job>,
    /// Statuses of children reaped before they were asked for (orphans under PID 1, jobs
    /// polled before `wait`, processes of a stopped pipeline), oldest first.
    reaped: Vec<(Pid, WaitStatus)>,
    /// Children writing large here-documents into pipes (reaped when done).
    here_writers: Vec<Pid>,
    /// Process 1: every wait reaps any child.
    pub reap_any: bool,
}

/// Most statuses kept: orphans are never asked for, so the oldest are dropped.
const KEEP_MAX: usize = 4096;

fn interrupted(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::Interrupted
}

impl Procs {
    /// Keep a status nobody asked for yet.
    pub fn keep(&mut self, pid: Pid, st: WaitStatus) {
        if self.reaped.len() >= KEEP_MAX {
            self.reaped.remove(0);
        }
        self.reaped.push((pid, st));
    }

    fn take(&mut self, pid: Pid) -> Option<WaitStatus> {
        let i = self.reaped.iter().position(|&(p, _)| p == pid)?;
        Some(self.reaped.remove(i).1)
    }

    fn peek(&self, pid: Pid) -> Option<WaitStatus> {
        self.reaped
            .iter()
            .find(|&&(p, _)| p == pid)
            .map(|&(_, st)| st)
    }

    /// Forget the kept statuses of these processes.
    pub fn forget(&mut self, pids: &[Pid]) {
        if !self.reaped.is_empty() {
            self.reaped.retain(|(p, _)| !pids.contains(p));
        }
    }

    /// Wait for `pid` to end: Ok(Some(status)), Ok(None) when there is no such child (or its
    /// status was lost). When a signal interrupts the wait, `intr` says whether a trapped
    /// signal ends it: Err(that signal).
    pub fn wait(
        &mut self,
        pid: Pid,
        intr: &dyn Fn() -> Option<i32>,
    ) -> Result<Option<WaitStatus>, i32> {
        if self.reap_any {
            if let Some(st) = self.take(pid) {
                return Ok(Some(st));
            }
            loop {
                match sp::waitpid(-1, 0) {
                    Ok(Some((r, st))) if r == pid => return Ok(Some(st)),
                    Ok(Some((r, st))) => self.keep(r, st),
                    Err(e) if interrupted(&e) => {
                        if let Some(s) = intr() {
                            return Err(s);
                        }
                    }
                    _ => return Ok(None),
                }
            }
        }
        loop {
            match sp::waitpid(pid, 0) {
                Ok(Some((r, st))) if r == pid => return Ok(Some(st)),
                Err(e) if interrupted(&e) => {
                    if let Some(s) = intr() {
                        return Err(s);
                    }
                }
                // Reaped before (a polled job): its kept status.
                _ => return Ok(self.take(pid)),
            }
        }
    }

    /// Job control's foreground wait: until `pid` ends or stops (the status says which).
    pub fn wait_untraced(&mut self, pid: Pid) -> Option<WaitStatus> {
        loop {
            match sp::waitpid(pid, libc::WUNTRACED) {
                Ok(Some((r, st))) if r == pid => return Some(st),
                Err(e) if interrupted(&e) => continue,
                _ => return self.take(pid),
            }
        }
    }

    /// Reap without blocking what changed in the job table: ended processes go to the store,
    /// stopped jobs are marked. Returns (id, status of its last process) of each job whose
    /// processes have all ended; they stay in the table (see [`Procs::remove_job`]).
    pub fn poll(&mut self) -> Vec<(usize, WaitStatus)> {
        let mut done = Vec::new();
        let mut reaped = std::mem::take(&mut self.reaped);
        for j in self.jobs.iter_mut().filter(|j| !j.foreign) {
            let mut all_done = true;
            let mut any_stopped = false;
            let mut last = WaitStatus(0);
            let n = j.pids.len();
            for (k, &p) in j.pids.iter().enumerate() {
                let kept = reaped.iter().find(|&&(q, _)| q == p).map(|&(_, s)| s);
                let fin = match kept {
                    Some(s) => Some(s),
                    None => match wait_nohang(p) {
                        Ok(Some(st)) if st.stop_signal().is_some() => {
                            any_stopped = true;
                            all_done = false;
                            None
                        }
                        Ok(Some(st)) if st.continued() => {
                            all_done = false;
                            None
                        }
                        Ok(Some(st)) => {
                            if reaped.len() >= KEEP_MAX {
                                reaped.remove(0);
                            }
                            reaped.push((p, st));
                            Some(st)
                        }
                        Ok(None) => {
                            all_done = false;
                            None
                        }
                        // Reaped before and forgotten (ECHILD).
                        Err(_) => Some(WaitStatus(0)),
                    },
                };
                if k + 1 == n {
                    if let Some(s) = fin {
                        last = s;
                    }
                }
            }
            if any_stopped {
                j.stopped = true;
            }
            if all_done {
                done.push((j.id, last));
            }
        }
        self.reaped = reaped;
        done
    }

    /// After a foreground wait: dash and BusyBox ash reap every child that has ended while
    /// they wait for a foreground one, and report a signal-ended job at `wait` only when the
    /// `wait` itself saw it end; a job found ended here is marked so (its status is kept).
    pub fn note_ended(&mut self) {
        for (id, _) in self.poll() {
            if let Some(j) = self.jobs.iter_mut().find(|j| j.id == id) {
                j.quiet = true;
            }
        }
    }

    /// As process 1, before a prompt: reap whatever has ended, without blocking.
    pub fn reap_orphans(&mut self) {
        if !self.reap_any {
            return;
        }
        while let Ok(Some((r, st))) = sp::waitpid(-1, libc::WNOHANG) {
            self.keep(r, st);
        }
    }

    /// Has every process of `j` ended? The status of its last one.
    pub fn finished(&self, j: &Job) -> Option<WaitStatus> {
        let mut last = None;
        for &p in &j.pids {
            last = Some(self.peek(p)?);
        }
        last
    }

    /// Add a job; its id (one more than the highest in use).
    pub fn add_job(&mut self, pids: Vec<Pid>, cmd: Vec<u8>) -> usize {
        // Jobs already waited for stay until `jobs` reports them: a script starting and
        // waiting for many keeps only the newest.
        if self.jobs.len() >= 64 {
            if let Some(old) = self.jobs.iter().find(|j| j.waited).map(|j| j.id) {
                self.remove_job(old);
            }
        }
        let id = self.jobs.iter().map(|j| j.id).max().unwrap_or(0) + 1;
        let pgid = pids.first().copied().unwrap_or(0);
        self.jobs.push(Job {
            id,
            pids,
            stopped: false,
            pgid,
            cmd,
            waited: false,
            foreign: false,
            quiet: false,
        });
        id
    }

    /// Remove job `id` from the table, with the statuses kept for it.
    pub fn remove_job(&mut self, id: usize) {
        if let Some(i) = self.jobs.iter().position(|j| j.id == id) {
            let j = self.jobs.remove(i);
            self.forget(&j.pids);
        }
    }

    /// Wait for every job (0), or Err(128+N) when trapped signal N interrupts.
    pub fn wait_all(&mut self, intr: &dyn Fn() -> Option<i32>) -> Result<i32, i32> {
        for i in 0..self.jobs.len() {
            if self.jobs[i].foreign {
                continue;
            }
            self.wait_job(i, intr)?;
        }
        Ok(0)
    }

    /// Wait for every process of job `i` (its statuses kept, the job marked waited): the
    /// status of its last process.
    fn wait_job(
        &mut self,
        i: usize,
        intr: &dyn Fn() -> Option<i32>,
    ) -> Result<Option<WaitStatus>, i32> {
        let mut last = None;
        for k in 0..self.jobs[i].pids.len() {
            let p = self.jobs[i].pids[k];
            last = match self.peek(p) {
                Some(st) => Some(st),
                None => {
                    let st = self.wait(p, intr).map_err(|s| 128 + s)?;
                    if let Some(st) = st {
                        self.keep(p, st);
                    }
                    st
                }
            };
        }
        self.jobs[i].waited = true;
        Ok(last)
    }

    /// Wait for the job containing `pid` (or that pid alone if it is not a known job): its
    /// shell status, or Err(128+N) when trapped signal N interrupts. With the status comes
    /// the wait status when this is the first wait for the job (for its `Terminated` notice).
    pub fn wait_for(
        &mut self,
        pid: Pid,
        intr: &dyn Fn() -> Option<i32>,
    ) -> Result<(i32, Option<WaitStatus>), i32> {
        let status = |r: Option<WaitStatus>| r.map_or(127, WaitStatus::shell_status);
        if let Some(i) = self.jobs.iter().position(|j| j.pids.contains(&pid)) {
            if self.jobs[i].foreign {
                return Ok((127, None));
            }
            let first = !self.jobs[i].waited && !self.jobs[i].quiet;
            let r = self.wait_job(i, intr)?;
            return Ok((status(r), r.filter(|_| first)));
        }
        let r = self.wait(pid, intr).map_err(|s| 128 + s)?;
        Ok((status(r), r))
    }

    /// Any stopped job that has not ended.
    pub fn has_stopped(&self) -> bool {
        self.jobs
            .iter()
            .any(|j| j.stopped && self.finished(j).is_none())
    }

    /// A job from its spec: `%%`, `%+`, `%-`, `%N`, `%str` (the command starts with it, one
    /// job only), `%?str` (contains it).
    pub fn by_spec(&self, spec: &[u8]) -> Option<&Job> {
        let s = spec.strip_prefix(b"%")?;
        match s {
            b"" | b"%" | b"+" => self.jobs.last(),
            b"-" => self.jobs.iter().rev().nth(1),
            _ if s[0].is_ascii_digit() => {
                let n: usize = std::str::from_utf8(s).ok()?.parse().ok()?;
                self.jobs.iter().find(|j| j.id == n)
            }
            _ => {
                let (needle, anywhere) = match s.strip_prefix(b"?") {
                    Some(n) => (n, true),
                    None => (s, false),
                };
                let mut hits = self.jobs.iter().filter(|j| {
                    if anywhere {
                        j.cmd.windows(needle.len().max(1)).any(|w| w == needle)
                    } else {
                        j.cmd.starts_with(needle)
                    }
                });
                let first = hits.next()?;
                match hits.next() {
                    Some(_) => None,
                    None => Some(first),
                }
            }
        }
    }

    /// Reap here-document writers that are done (they end once their reader is gone or has
    /// read everything).
    pub fn reap_here_writers(&mut self) {
        if !self.here_writers.is_empty() {
            self.here_writers
                .retain(|&p| matches!(sp::waitpid(p, libc::WNOHANG), Ok(None)));
        }
    }
}

/// waitpid(WNOHANG | WUNTRACED | WCONTINUED), retried on EINTR.
fn wait_nohang(pid: Pid) -> std::io::Result<Option<WaitStatus>> {
    loop {
        match sp::waitpid(pid, libc::WNOHANG | libc::WUNTRACED | libc::WCONTINUED) {
            Err(e) if interrupted(&e) => continue,
            r => return r.map(|o| o.map(|(_, st)| st)),
        }
    }
}

impl Shell {
    /// Fork. In the child, run `f` and exit with its status; the parent gets the pid (-1 after
    /// a message when fork fails).
    pub fn fork_run(&mut self, f: impl FnOnce(&mut Shell) -> Res) -> Pid {
        let _ = self.out.flush();
        // The signals the shell catches stay blocked in the child until it has put back their
        // default actions: a Ctrl-C that reaches a job (say `fg` right after `cmd &`) before
        // then would run the shell's handler in the child and be lost.
        let mut held = signal::SigSet::empty();
        for s in [
            libc::SIGINT,
            libc::SIGQUIT,
            libc::SIGTSTP,
            libc::SIGTERM,
            libc::SIGTTIN,
            libc::SIGHUP,
            libc::SIGUSR1,
            libc::SIGUSR2,
            libc::SIGALRM,
        ] {
            held.add(s);
        }
        let old = signal::sigprocmask(libc::SIG_BLOCK, &held).ok();
        let restore = |old: &Option<signal::SigSet>| {
            if let Some(m) = old {
                let _ = signal::sigprocmask(libc::SIG_SETMASK, m);
            }
        };
        match sp::fork() {
            Err(_) => {
                restore(&old);
                self.err(b"cannot fork");
                -1
            }
            Ok(Fork::Child) => {
                super::jobctl::in_child(self);
                self.subshell = true;
                // A subshell's $RANDOM sequence differs from its parent's (as bash).
                self.rng
                    .set(self.rng.get() ^ std::process::id().wrapping_mul(0x9e37_79b9));
                self.reset_traps_in_child();
                restore(&old);
                // The job list is kept: `$(jobs -p)` lists the parent's jobs, as in dash; they
                // are not this process's children.
                for j in self.procs.jobs.iter_mut() {
                    j.foreign = true;
                }
                let r = f(self);
                let st = self.finish(r);
                sp::exit_now(st)
            }
            Ok(Fork::Parent(pid)) => {
                restore(&old);
                super::jobctl::after_fork(self, pid);
                pid
            }
        }
    }

    /// Wait for a child forked by [`Shell::fork_run`]: its shell status (127 when lost).
    pub fn wait_child(&mut self, pid: Pid) -> i32 {
        let r = self.procs.wait(pid, &|| None);
        if !self.opts.interactive && !self.procs.jobs.is_empty() {
            self.procs.note_ended();
        }
        match r {
            Ok(Some(st)) => {
                self.report_signal(st);
                st.shell_status()
            }
            _ => 127,
        }
    }

    /// A foreground command killed by a signal other than SIGINT or SIGPIPE: its description on
    /// stderr (`Terminated`, `Killed (core dumped)`), as BusyBox ash and dash print it.
    pub fn report_signal(&mut self, st: WaitStatus) {
        if let Some(sig) = st.term_signal() {
            if sig != libc::SIGINT && sig != libc::SIGPIPE {
                let _ = self.out.flush();
                let mut m = crate::common::sys::signal::describe(sig);
                if st.core_dumped() {
                    m.extend_from_slice(b" (core dumped)");
                }
                m.push(b'\n');
                let _ = crate::common::io::write_all(crate::common::io::stderr_fd(), &m);
            }
        }
    }

    /// `<(node)` (`write` false) or `>(node)`: the node runs in a child reading or writing a
    /// pipe whose other end stays open here, inheritable, until the command using it is done;
    /// the word is its `/dev/fd/N` name (bash, BusyBox ash).
    pub fn proc_subst(
        &mut self,
        node: &std::rc::Rc<super::ast::Node>,
        write: bool,
    ) -> Result<Vec<u8>, Flow> {
        let Ok((r, w)) = fd::pipe() else {
            self.err(b"Pipe call failed");
            return Err(Flow::Exit(2));
        };
        let (mine, theirs) = if write { (w, r) } else { (r, w) };
        let mut mine = Some(mine);
        let pid = self.fork_run(|sh| {
            drop(mine.take());
            let _ = fd::dup2(theirs.as_fd(), if write { 0 } else { 1 });
            drop(theirs);
            sh.run(node)
        });
        let Some(mine) = mine else {
            unreachable!("only the child takes the shell's end")
        };
        if pid > 0 {
            self.procs.here_writers.push(pid);
        }
        // Above the descriptors scripts name (0-9), inherited by the command.
        let kept = fd::dup_min(mine.as_fd(), 10).unwrap_or(mine);
        let _ = fd::set_cloexec(kept.as_fd(), false);
        let mut name = b"/dev/fd/".to_vec();
        name.extend_from_slice(&super::expand::itoa(kept.as_raw_fd() as i64));
        self.procsub_fds.push(kept);
        Ok(name)
    }

    /// Run `f` in a child whose standard output comes back here (command substitution):
    /// (output, status of the child).
    pub fn capture(&mut self, f: impl FnOnce(&mut Shell) -> Res) -> Result<(Vec<u8>, i32), Flow> {
        let Ok((r, w)) = fd::pipe() else {
            self.err(b"Pipe call failed");
            return Err(Flow::Exit(2));
        };
        // The read end stays here; the child closes its copy (taken out of its copy of `r`).
        let mut r = Some(r);
        let pid = self.fork_run(|sh| {
            drop(r.take());
            let _ = fd::dup2(w.as_fd(), 1);
            drop(w);
            f(sh)
        });
        let Some(r) = r else {
            unreachable!("only the child takes the read end")
        };
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match fd::read(r.as_fd(), &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
        drop(r);
        let st = if pid > 0 { self.wait_child(pid) } else { 2 };
        Ok((out, st))
    }

    /// A descriptor reading `body` (a here-document): a pipe filled now, or by a child when
    /// the text is larger than a pipe is sure to hold.
    pub fn here_doc(&mut self, body: &[u8]) -> Option<OwnedFd> {
        let Ok((r, w)) = fd::pipe() else {
            self.err(b"Pipe call failed");
            return None;
        };
        if body.len() <= 4096 {
            let _ = fd::write_all(w.as_fd(), body);
            return Some(r);
        }
        let _ = self.out.flush();
        match sp::fork() {
            Ok(Fork::Child) => {
                drop(r);
                let _ = signal::set_handler(libc::SIGPIPE, Handler::Default);
                let _ = fd::write_all(w.as_fd(), body);
                sp::exit_now(0)
            }
            Ok(Fork::Parent(pid)) => self.procs.here_writers.push(pid),
            Err(_) => {}
        }
        Some(r)
    }
}
