//! `which` against GNU coreutils as the oracle.
