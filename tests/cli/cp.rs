//! `cp` against GNU coreutils as the oracle.
