//! `find` against the reference tools as oracles.
