//! `su-exec`, `gosu`, `setpriv` against the reference tools as oracles.
