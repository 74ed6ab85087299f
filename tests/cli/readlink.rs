//! `readlink` against GNU coreutils as the oracle.
