//! `unexpand` against the reference tools as oracles.
