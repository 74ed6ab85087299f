//! `cut` against the reference tools as oracles.
