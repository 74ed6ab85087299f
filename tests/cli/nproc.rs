//! `nproc` against GNU coreutils as the oracle.
