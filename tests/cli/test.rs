//! `test` against GNU coreutils as the oracle.
