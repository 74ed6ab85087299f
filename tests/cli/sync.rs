//! `sync` against GNU coreutils as the oracle.
