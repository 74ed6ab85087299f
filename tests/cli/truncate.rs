//! `truncate` against GNU coreutils as the oracle.
