//! `tee` against the reference tools as oracles.
