//! `expr` against GNU coreutils as the oracle.
