//! `wc` against the reference tools as oracles.
