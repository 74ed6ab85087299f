//! `groups` against GNU coreutils as the oracle.
