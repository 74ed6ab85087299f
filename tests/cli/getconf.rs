//! `getconf` against GNU coreutils as the oracle.
