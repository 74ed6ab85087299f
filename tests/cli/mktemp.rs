//! `mktemp` against GNU coreutils as the oracle.
