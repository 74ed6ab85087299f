//! `date` against GNU coreutils as the oracle.
