//! `mkdir` against GNU coreutils as the oracle.
