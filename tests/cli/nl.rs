//! `nl` against the reference tools as oracles.
