//! `uname` against GNU coreutils as the oracle.
