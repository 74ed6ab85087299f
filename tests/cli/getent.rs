//! `getent` against the reference tools as oracles.
