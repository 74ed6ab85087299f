//! Background job bookkeeping, kept in one place so job control (issue 5) can grow here.
//! Non-interactive shells only need `$!`, `wait` and `jobs`.

pub struct Job {
    pub id: usize,
    pub pids: Vec<i32>,
    /// Exit status once reaped.
    pub status: Option<i32>,
    pub cmd: Vec<u8>,
    /// Process group (job control) and whether the job is stopped (see `jobctl.rs`).
    pub pgid: i32,
    pub stopped: bool,
}

#[derive(Default)]
pub struct Jobs {
    pub list: Vec<Job>,
}

/// Shell status of a wait(2) status word: the exit code, or 128+N for signal N.
pub fn decode(st: i32) -> i32 {
    if libc::WIFEXITED(st) {
        libc::WEXITSTATUS(st)
    } else if libc::WIFSIGNALED(st) {
        128 + libc::WTERMSIG(st)
    } else {
        st
    }
}

/// Wait for one process, retrying on EINTR. Returns the shell status, or None (no such child).
pub fn wait_pid(pid: i32) -> Option<i32> {
    if super::pid1::active() {
        return super::pid1::wait(pid, &|| false).ok().flatten().map(decode);
    }
    let mut st = 0;
    loop {
        // SAFETY: waitpid writes only into `st`.
        let r = unsafe { libc::waitpid(pid, &mut st, 0) };
        if r == pid {
            return Some(decode(st));
        }
        if r < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
            continue;
        }
        return None;
    }
}

/// Wait for `pid` like [`wait_pid`], but give up when a trapped signal arrives (the `wait`
/// builtin must return then, with 128+N, so the trap can run: POSIX 2.11).
pub fn wait_pid_intr(pid: i32, interrupted: impl Fn() -> Option<i32>) -> Result<Option<i32>, i32> {
    if super::pid1::active() {
        let sig = std::cell::Cell::new(None);
        let r = super::pid1::wait(pid, &|| {
            sig.set(interrupted());
            sig.get().is_some()
        });
        return match r {
            Ok(st) => Ok(st.map(decode)),
            Err(_) => Err(128 + sig.get().unwrap_or(0)),
        };
    }
    let mut st = 0;
    loop {
        // SAFETY: waitpid writes only into `st`.
        let r = unsafe { libc::waitpid(pid, &mut st, 0) };
        if r == pid {
            return Ok(Some(decode(st)));
        }
        if r < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
            if let Some(sig) = interrupted() {
                return Err(128 + sig);
            }
            continue;
        }
        return Ok(None);
    }
}

impl Jobs {
    pub fn add(&mut self, pids: Vec<i32>, cmd: Vec<u8>) -> usize {
        let id = self.list.iter().map(|j| j.id).max().unwrap_or(0) + 1;
        let pgid = pids.first().copied().unwrap_or(0);
        self.list.push(Job {
            id,
            pids,
            status: None,
            stopped: false,
            pgid,
            cmd,
        });
        id
    }

    /// Wait for every job (0), or Err(128+N) when trapped signal N interrupts.
    pub fn wait_all(&mut self, intr: &dyn Fn() -> Option<i32>) -> Result<i32, i32> {
        for j in &mut self.list {
            if j.status.is_none() {
                let mut last = 0;
                for &p in &j.pids {
                    last = wait_pid_intr(p, intr)?.unwrap_or(127);
                }
                j.status = Some(last);
            }
        }
        self.list.clear();
        Ok(0)
    }

    /// Wait for the job containing `pid` (or that pid alone if it is not a known job).
    pub fn wait_for(&mut self, pid: i32, intr: &dyn Fn() -> Option<i32>) -> Result<i32, i32> {
        if let Some(i) = self.list.iter().position(|j| j.pids.contains(&pid)) {
            let st = match self.list[i].status {
                Some(s) => s,
                None => {
                    let mut last = 127;
                    let pids = self.list[i].pids.clone();
                    for p in pids {
                        last = wait_pid_intr(p, intr)?.unwrap_or(127);
                    }
                    last
                }
            };
            self.list.remove(i);
            return Ok(st);
        }
        Ok(wait_pid_intr(pid, intr)?.unwrap_or(127))
    }

    /// Reap finished jobs without blocking (so `jobs` can say Done).
    pub fn poll(&mut self) {
        for j in &mut self.list {
            if j.status.is_some() {
                continue;
            }
            let mut done = true;
            let mut last = 0;
            for &p in &j.pids {
                if let Some(st) = super::pid1::take(p) {
                    last = decode(st);
                    continue;
                }
                let mut st = 0;
                // SAFETY: as in wait_pid.
                let r = unsafe { libc::waitpid(p, &mut st, libc::WNOHANG) };
                if r == p {
                    last = decode(st);
                } else if r == 0 {
                    done = false;
                }
            }
            if done {
                j.status = Some(last);
            }
        }
    }

    pub fn by_spec(&self, spec: &[u8]) -> Option<&Job> {
        let s = spec.strip_prefix(b"%")?;
        match s {
            b"" | b"%" | b"+" => self.list.last(),
            b"-" => self.list.iter().rev().nth(1),
            _ if s[0].is_ascii_digit() => {
                let n: usize = std::str::from_utf8(s).ok()?.parse().ok()?;
                self.list.iter().find(|j| j.id == n)
            }
            // %?str: the command contains str; %str: it starts with str (must be unambiguous).
            _ => {
                let (needle, anywhere) = match s.strip_prefix(b"?") {
                    Some(n) => (n, true),
                    None => (s, false),
                };
                let mut hits = self.list.iter().filter(|j| {
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
}
