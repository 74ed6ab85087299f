//! `comm` against the reference tools as oracles.
