//! `chown` against GNU coreutils as the oracle.
