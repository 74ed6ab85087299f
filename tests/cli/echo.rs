//! `echo` against GNU coreutils as the oracle.
