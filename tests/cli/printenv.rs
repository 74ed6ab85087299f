//! `printenv` against GNU coreutils as the oracle.
