//! `tac` against the reference tools as oracles.
