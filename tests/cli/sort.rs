//! `sort` against the reference tools as oracles.
