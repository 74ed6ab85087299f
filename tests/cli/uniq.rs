//! `uniq` against the reference tools as oracles.
