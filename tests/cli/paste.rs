//! `paste` against the reference tools as oracles.
