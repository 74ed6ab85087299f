//! `mknod` against GNU coreutils as the oracle.
