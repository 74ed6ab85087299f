//! Signals: dispositions (sigaction with an empty mask and no SA_RESTART, so that a caught
//! signal interrupts a blocking wait or read), the current disposition, and signal names.
//! Handlers given to [`set_handler`] must be async-signal-safe: store to atomics, or
//! [`super::process::exit_now`].

use std::io;

/// What a signal does.
#[derive(Clone, Copy)]
pub enum Handler {
    Default,
    Ignore,
    /// Call this function (it must only do async-signal-safe things).
    Catch(extern "C" fn(libc::c_int)),
}

impl Handler {
    fn raw(self) -> libc::sighandler_t {
        match self {
            Handler::Default => libc::SIG_DFL,
            Handler::Ignore => libc::SIG_IGN,
            Handler::Catch(f) => f as libc::sighandler_t,
        }
    }
}

/// sigaction(2): set the disposition of `sig` (empty mask, no flags).
pub fn set_handler(sig: i32, h: Handler) -> io::Result<()> {
    // SAFETY: sigaction is plain data (all-zero is valid); the handler, when one is given, is
    // an extern "C" fn taking the signal number, as the kernel calls it without SA_SIGINFO.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = h.raw();
        libc::sigemptyset(&mut sa.sa_mask);
        super::fd::cvt(libc::sigaction(sig, &sa, std::ptr::null_mut())).map(drop)
    }
}

/// Whether SIGPIPE was ignored when the process was started (see [`record_sigpipe_at_start`]).
static SIGPIPE_IGNORED_AT_START: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Called from `.init_array` (src/main.rs), before Rust's runtime sets SIGPIPE to ignored: the
/// disposition the process was given, which [`restore_sigpipe`] puts back.
pub fn record_sigpipe_at_start() {
    SIGPIPE_IGNORED_AT_START.store(
        is_ignored(libc::SIGPIPE),
        std::sync::atomic::Ordering::Relaxed,
    );
}

/// SIGPIPE as a C tool has it: the default (die quietly on a closed pipe) unless the process
/// was started with it ignored, which GNU's tools and POSIX shells keep (then a closed pipe is
/// an EPIPE write error, `awk: write failure` and status 2, as mawk and gawk).
pub fn restore_sigpipe() {
    if !SIGPIPE_IGNORED_AT_START.load(std::sync::atomic::Ordering::Relaxed) {
        let _ = set_handler(libc::SIGPIPE, Handler::Default);
    }
}

/// Whether `sig` was ignored when the process started, asked before the process changed it
/// (SIGPIPE, which Rust's runtime ignores before `main`, from the record made before that).
pub fn ignored_at_start(sig: i32) -> bool {
    if sig == libc::SIGPIPE {
        SIGPIPE_IGNORED_AT_START.load(std::sync::atomic::Ordering::Relaxed)
    } else {
        is_ignored(sig)
    }
}

/// Whether `sig` is ignored now: None when sigaction refuses the number (one the C library
/// keeps for itself, or beyond the last).
pub fn ignored(sig: i32) -> Option<bool> {
    // SAFETY: sigaction with a null new action only writes the old one into `old`.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        (libc::sigaction(sig, std::ptr::null(), &mut old) == 0)
            .then_some(old.sa_sigaction == libc::SIG_IGN)
    }
}

/// Whether `sig` is ignored now (a process started with it ignored keeps it so).
pub fn is_ignored(sig: i32) -> bool {
    // SAFETY: sigaction with a null new action only writes the old one into `old`.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(sig, std::ptr::null(), &mut old) == 0 && old.sa_sigaction == libc::SIG_IGN
    }
}

/// strsignal(3): "Terminated", "Killed", ...
pub fn describe(sig: i32) -> Vec<u8> {
    // SAFETY: strsignal returns a pointer to a static NUL-terminated string (or null).
    unsafe {
        let p = libc::strsignal(sig);
        if p.is_null() {
            return format!("Signal {sig}").into_bytes();
        }
        std::ffi::CStr::from_ptr(p).to_bytes().to_vec()
    }
}

/// A set of signals (sigset_t).
#[derive(Clone, Copy)]
pub struct SigSet(libc::sigset_t);

impl SigSet {
    pub fn empty() -> SigSet {
        // SAFETY: sigemptyset initialises the set it is given.
        unsafe {
            let mut s: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut s);
            SigSet(s)
        }
    }
    pub fn add(&mut self, sig: i32) {
        // SAFETY: self.0 is an initialised set; an invalid number is only EINVAL.
        unsafe { libc::sigaddset(&mut self.0, sig) };
    }
    pub fn del(&mut self, sig: i32) {
        // SAFETY: as in add.
        unsafe { libc::sigdelset(&mut self.0, sig) };
    }
    pub fn has(&self, sig: i32) -> bool {
        // SAFETY: self.0 is an initialised set; an invalid number reads as absent (-1).
        unsafe { libc::sigismember(&self.0, sig) == 1 }
    }
    /// The process's blocked signals.
    pub fn blocked() -> io::Result<SigSet> {
        sigprocmask(libc::SIG_BLOCK, &SigSet::empty())
    }
}

/// sigprocmask(2) `how` (SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK) with `set`; the previous mask.
pub fn sigprocmask(how: i32, set: &SigSet) -> io::Result<SigSet> {
    let mut old = SigSet::empty();
    // SAFETY: both sets are initialised sigset_t values owned by the caller or this frame.
    super::fd::cvt(unsafe { libc::sigprocmask(how, &set.0, &mut old.0) })?;
    Ok(old)
}

/// sigtimedwait(2): wait up to `timeout` (None: for ever) for a signal of `set`, which must be
/// blocked. Ok(Some(sig)) when one came, Ok(None) on timeout; EINTR comes back as an error.
pub fn sigtimedwait(set: &SigSet, timeout: Option<std::time::Duration>) -> io::Result<Option<i32>> {
    let ts = timeout.map(|d| libc::timespec {
        tv_sec: d.as_secs().min(i64::MAX as u64) as _,
        tv_nsec: d.subsec_nanos() as _,
    });
    let p = ts
        .as_ref()
        .map_or(std::ptr::null(), |t| t as *const libc::timespec);
    // SAFETY: set is an initialised sigset_t; p is null or points to ts, alive for the call;
    // no siginfo is asked for.
    let r = unsafe { libc::sigtimedwait(&set.0, std::ptr::null_mut(), p) };
    if r < 0 {
        let e = io::Error::last_os_error();
        return if e.raw_os_error() == Some(libc::EAGAIN) {
            Ok(None)
        } else {
            Err(e)
        };
    }
    Ok(Some(r))
}

/// prctl(PR_SET_DUMPABLE, 0): no core dump from this process (timeout re-raising a signal).
pub fn disable_core_dumps() -> bool {
    // SAFETY: prctl with PR_SET_DUMPABLE only takes numbers.
    unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0) == 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispositions_and_names() {
        set_handler(libc::SIGURG, Handler::Ignore).unwrap();
        assert!(is_ignored(libc::SIGURG));
        set_handler(libc::SIGURG, Handler::Default).unwrap();
        assert!(!is_ignored(libc::SIGURG));
        assert_eq!(describe(libc::SIGKILL), b"Killed");
        assert!(set_handler(libc::SIGKILL, Handler::Ignore).is_err());
    }
}
