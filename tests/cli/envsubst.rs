//! `envsubst` against the reference tools as oracles.
