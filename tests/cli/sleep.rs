//! `sleep` against GNU coreutils as the oracle.
