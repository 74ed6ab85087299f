//! `dirname` against GNU coreutils as the oracle.
