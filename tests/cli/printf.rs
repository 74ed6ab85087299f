//! `printf` against GNU coreutils as the oracle.
