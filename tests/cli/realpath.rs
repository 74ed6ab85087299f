//! `realpath` against GNU coreutils as the oracle.
