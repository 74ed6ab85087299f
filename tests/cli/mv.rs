//! `mv` against GNU coreutils as the oracle.
