//! `cmp` against the reference tools as oracles.
