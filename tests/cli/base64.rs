//! `base64` against the reference tools as oracles.
