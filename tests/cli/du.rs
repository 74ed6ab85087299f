//! `du` against GNU coreutils as the oracle.
