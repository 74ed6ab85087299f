//! `timeout` against GNU coreutils as the oracle.
