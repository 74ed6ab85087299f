//! `sed` against the reference tools as oracles.
