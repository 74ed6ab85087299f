//! `chmod` against GNU coreutils as the oracle.
