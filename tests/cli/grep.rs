//! `grep`, `egrep`, `fgrep` against the reference tools as oracles.
