//! `gzip`, `gunzip`, `zcat`, `bzip2`, `bunzip2`, `bzcat`, `xz`, `unxz`, `xzcat`, `zstd`, `unzstd`, `zstdcat` against the reference tools as oracles.
