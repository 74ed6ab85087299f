//! `install` against GNU coreutils as the oracle.
