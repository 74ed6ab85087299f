//! `expand` against the reference tools as oracles.
