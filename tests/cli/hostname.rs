//! `hostname` against GNU coreutils as the oracle.
