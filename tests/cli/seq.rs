//! `seq` against the reference tools as oracles.
