//! `tail` against the reference tools as oracles.
