//! `df` against GNU coreutils as the oracle.
