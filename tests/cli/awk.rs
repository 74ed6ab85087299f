//! `awk` against the reference tools as oracles.
