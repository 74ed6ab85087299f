//! `getopt` against GNU coreutils as the oracle.
