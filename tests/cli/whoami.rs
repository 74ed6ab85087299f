//! `whoami` against GNU coreutils as the oracle.
