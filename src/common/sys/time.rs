//! Clocks. Wall-clock and monotonic time come from `std::time` (SystemTime, Instant) and local
//! time from `common::time` (TZ and TZif read by us), so no clock call needs a wrapper yet.
//!
//! Below, in its own section, calls staged here by the misc branch because their proper files
//! (sys/signal.rs, sys/term.rs) belonged to other branches at the time: moved at the merge.

// ---- staged for the merge: move `sigpipe_default` to sys/signal.rs ----

/// SIGPIPE back to its default disposition (Rust's runtime ignores it): a C tool writing into a
/// closed pipe dies of it quietly (`rbox cat big | head -1`).
pub fn sigpipe_default() {
    // SAFETY: setting a signal's disposition to SIG_DFL installs no handler and touches no
    // memory of ours.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
