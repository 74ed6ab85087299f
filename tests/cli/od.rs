//! `od` against the reference tools as oracles.
