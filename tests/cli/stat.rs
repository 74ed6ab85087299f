//! `stat` against GNU coreutils as the oracle.
