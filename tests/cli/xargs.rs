//! `xargs` against GNU coreutils as the oracle.
