//! `id` against GNU coreutils as the oracle.
