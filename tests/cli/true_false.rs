//! `true`, `false` and `yes` against GNU coreutils.
