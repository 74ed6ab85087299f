//! `mkfifo` against GNU coreutils as the oracle.
