//! `rmdir` against GNU coreutils as the oracle.
