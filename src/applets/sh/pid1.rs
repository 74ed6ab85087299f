//! The shell as process 1 of a PID namespace (a container started with `CMD ["sh", ...]`).
//!
//! The kernel never delivers a signal whose disposition is the default to PID 1, so an
//! untrapped SIGTERM (`docker stop`) or SIGINT (Ctrl-C of `docker run -it`) would be ignored and
//! the container killed only after the grace period. A non-interactive shell as PID 1 therefore
//! catches both and exits at once with 128+N, the status a normal process killed by signal N
//! reports. Orphans re-parented to PID 1 become zombies unless someone waits for them: every
//! wait of the shell waits for any child (waitpid(-1)) and keeps the statuses of the ones it did
//! not ask for, so a later wait for its own children (jobs, `$!`) still finds them.
//!
//! An interactive shell as PID 1 keeps ignoring SIGTERM and catching SIGINT (like dash), but
//! still reaps.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};

use super::exec::Shell;

/// A wait given up for a trapped signal.
#[derive(Debug)]
pub struct Interrupted;

static ACTIVE: AtomicBool = AtomicBool::new(false);
/// The catching handlers are installed (children put the defaults back).
static HANDLERS: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// (pid, wait status) of children reaped while waiting for another one.
    static STASH: RefCell<Vec<(i32, i32)>> = const { RefCell::new(Vec::new()) };
}

/// Most statuses kept: orphans are never asked for, so the oldest are dropped.
const STASH_MAX: usize = 4096;

extern "C" fn on_term(sig: libc::c_int) {
    // SAFETY: _exit is async-signal-safe.
    unsafe { libc::_exit(128 + sig) };
}

/// Called once at start-up, after the options are known.
pub fn setup(sh: &mut Shell) {
    // SAFETY: getpid has no side effects.
    if unsafe { libc::getpid() } != 1 {
        return;
    }
    ACTIVE.store(true, Ordering::Relaxed);
    if sh.opts.interactive {
        return;
    }
    for s in [libc::SIGTERM, libc::SIGINT] {
        if sh.traps[s as usize].is_some() {
            continue;
        }
        // SAFETY: the handler only calls _exit.
        unsafe {
            let mut old: libc::sigaction = std::mem::zeroed();
            libc::sigaction(s, std::ptr::null(), &mut old);
            if old.sa_sigaction == libc::SIG_IGN {
                // Ignored when we were started: stays ignored, as in any process.
                continue;
            }
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_term as extern "C" fn(libc::c_int) as usize;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(s, &sa, std::ptr::null_mut());
        }
        HANDLERS.store(true, Ordering::Relaxed);
    }
}

pub fn active() -> bool {
    ACTIVE.load(Ordering::Relaxed)
}

/// In a forked child: it is not PID 1; untrapped signals go back to their defaults.
pub fn in_child(sh: &mut Shell) {
    if !ACTIVE.swap(false, Ordering::Relaxed) {
        return;
    }
    STASH.with(|s| s.borrow_mut().clear());
    if HANDLERS.swap(false, Ordering::Relaxed) {
        for s in [libc::SIGTERM, libc::SIGINT] {
            if sh.traps[s as usize].is_none() {
                // SAFETY: restoring the default disposition.
                unsafe { libc::signal(s, libc::SIG_DFL) };
            }
        }
    }
}

fn stash(pid: i32, st: i32) {
    STASH.with(|s| {
        let mut v = s.borrow_mut();
        if v.len() >= STASH_MAX {
            v.remove(0);
        }
        v.push((pid, st));
    });
}

/// The kept status of `pid`, removed.
pub fn take(pid: i32) -> Option<i32> {
    STASH.with(|s| {
        let mut v = s.borrow_mut();
        let i = v.iter().position(|&(p, _)| p == pid)?;
        Some(v.remove(i).1)
    })
}

/// The kept status of `pid`, left in place.
pub fn peek(pid: i32) -> Option<i32> {
    STASH.with(|s| {
        s.borrow()
            .iter()
            .find(|&&(p, _)| p == pid)
            .map(|&(_, st)| st)
    })
}

/// Wait for `pid` while reaping every other child that ends meanwhile. Ok(Some(raw status)),
/// Ok(None) when there is no such child, Err(Interrupted) when `interrupted` says to stop.
pub fn wait(pid: i32, interrupted: &dyn Fn() -> bool) -> Result<Option<i32>, Interrupted> {
    if let Some(st) = take(pid) {
        return Ok(Some(st));
    }
    loop {
        let mut st = 0;
        // SAFETY: waitpid writes only into `st`.
        let r = unsafe { libc::waitpid(-1, &mut st, 0) };
        if r == pid {
            return Ok(Some(st));
        }
        if r > 0 {
            stash(r, st);
            continue;
        }
        match std::io::Error::last_os_error().raw_os_error() {
            Some(libc::EINTR) => {
                if interrupted() {
                    return Err(Interrupted);
                }
            }
            _ => return Ok(None),
        }
    }
}

/// Reap whatever has ended, without blocking (before a prompt).
pub fn reap() {
    if !active() {
        return;
    }
    loop {
        let mut st = 0;
        // SAFETY: as above.
        let r = unsafe { libc::waitpid(-1, &mut st, libc::WNOHANG) };
        if r <= 0 {
            return;
        }
        stash(r, st);
    }
}
