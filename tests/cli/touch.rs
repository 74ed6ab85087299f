//! `touch` against GNU coreutils as the oracle.
