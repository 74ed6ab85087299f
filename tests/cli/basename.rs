//! `basename` against GNU coreutils as the oracle.
