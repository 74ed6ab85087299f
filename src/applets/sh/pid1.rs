//! The shell as process 1 of a PID namespace (a container started with `CMD ["sh", ...]`).
//!
//! The kernel never delivers a signal whose disposition is the default to PID 1, so an
//! untrapped SIGTERM (`docker stop`) or SIGINT (Ctrl-C of `docker run -it`) would be ignored and
//! the container killed only after the grace period. A non-interactive shell as PID 1 therefore
//! catches both and exits at once with 128+N, the status a normal process killed by signal N
//! reports. Orphans re-parented to PID 1 become zombies unless someone waits for them: as PID 1
//! the process room (`proc.rs`, `reap_any`) waits for any child and keeps the statuses of the
//! ones it did not ask for, so a later wait for its own children (jobs, `$!`) still finds them.
//!
//! An interactive shell as PID 1 keeps ignoring SIGTERM and catching SIGINT (like dash), but
//! still reaps (before each prompt, in `jobctl::notify`).

use std::sync::atomic::{AtomicBool, Ordering};

use super::exec::Shell;
use crate::common::sys::process as sp;
use crate::common::sys::signal::{self, Handler};

/// The catching handlers are installed (children put the defaults back).
static HANDLERS: AtomicBool = AtomicBool::new(false);

extern "C" fn on_term(sig: libc::c_int) {
    sp::exit_now(128 + sig);
}

/// Called once at start-up, after the options are known.
pub fn setup(sh: &mut Shell) {
    if sp::getpid() != 1 {
        return;
    }
    sh.procs.reap_any = true;
    if sh.opts.interactive {
        return;
    }
    for s in [libc::SIGTERM, libc::SIGINT] {
        if sh.traps[s as usize].is_some() {
            continue;
        }
        if signal::is_ignored(s) {
            // Ignored when we were started: stays ignored, as in any process.
            continue;
        }
        let _ = signal::set_handler(s, Handler::Catch(on_term));
        HANDLERS.store(true, Ordering::Relaxed);
    }
}

/// In a forked child: it is not PID 1; untrapped signals go back to their defaults.
pub fn in_child(sh: &mut Shell) {
    if !std::mem::take(&mut sh.procs.reap_any) {
        return;
    }
    if HANDLERS.swap(false, Ordering::Relaxed) {
        for s in [libc::SIGTERM, libc::SIGINT] {
            if sh.traps[s as usize].is_none() {
                let _ = signal::set_handler(s, Handler::Default);
            }
        }
    }
}
