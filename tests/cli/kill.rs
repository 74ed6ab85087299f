//! `kill` against GNU coreutils as the oracle.
