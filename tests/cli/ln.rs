//! `ln` against GNU coreutils as the oracle.
