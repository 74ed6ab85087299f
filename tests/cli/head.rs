//! `head` against the reference tools as oracles.
