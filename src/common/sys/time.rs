//! Clocks. Wall-clock and monotonic time come from `std::time` (SystemTime, Instant) and local
//! time from `common::time` (TZ and TZif read by us), so no clock call needs a wrapper yet.
