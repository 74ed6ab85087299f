//! `env` against GNU coreutils as the oracle.
