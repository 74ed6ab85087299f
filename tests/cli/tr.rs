//! `tr` against the reference tools as oracles.
