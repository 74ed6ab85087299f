//! `rm` against GNU coreutils as the oracle.
