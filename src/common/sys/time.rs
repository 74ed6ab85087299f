//! Clocks: setting the real-time clock (`date -s`). Wall-clock and monotonic time come from `std::time` (SystemTime, Instant) and local
//! time from `common::time` (TZ and TZif read by us), so no clock call needs a wrapper yet.

use std::io;

/// clock_settime(CLOCK_REALTIME): set the system clock (root only: EPERM otherwise).
pub fn settime(sec: i64, nsec: u32) -> io::Result<()> {
    let ts = libc::timespec {
        tv_sec: sec as _,
        tv_nsec: nsec as _,
    };
    // SAFETY: ts is a valid timespec that outlives the call.
    super::fd::cvt(unsafe { libc::clock_settime(libc::CLOCK_REALTIME, &ts) }).map(drop)
}
