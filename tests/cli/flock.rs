//! `flock` against the reference tools as oracles.
