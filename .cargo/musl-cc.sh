#!/bin/sh
# The C compiler for the musl target (set in config.toml beside this file): musl-gcc, the one
# cc-rs picks for this target anyway, with one change for zstd's decoder.
#
# zstd-sys's "thin" build (Cargo.toml says why: 100 KB instead of ~600) compiles all of libzstd
# at -Oz with ZSTD_NO_INLINE. The compressor needs that to stay small, but the decoder's per-byte
# loops (Huffman literals, sequence execution, the frame checksum) then call their force-inlined
# helpers as functions: zstdcat ran 1.45x the instructions of zstd(1). The three files that hold
# those loops get their inlining back at -O2 (README, "Dependencies", has the figures); every
# other file, and every other crate's C code, is compiled as cc-rs asked. (cargo does not track
# this script: after changing it, `cargo clean -p zstd-sys`.)
cc=musl-gcc
command -v "$cc" >/dev/null 2>&1 || cc=cc
#
# liblzma's encoder finds a distance's slot in an 8 KB table (lzma_fastpos) unless HAVE_SMALL is
# defined, which computes it with one bit scan instead (upstream: as fast or slightly faster
# where BSR is fast, as on every x86-64). The three files that include fastpos.h get the define;
# no other header they include depends on it (crc_common.h and lz_encoder_hash.h, where it
# changes the CRC code, are not among them), and nothing else refers to the table, so the link
# drops it: xz -6 ran the same instructions. (After changing this too: `cargo clean -p
# liblzma-sys`.)
for arg do
    case $arg in
    *zstd/lib/decompress/zstd_decompress.c | *zstd/lib/decompress/zstd_decompress_block.c | \
    *zstd/lib/decompress/huf_decompress.c)
        exec "$cc" "$@" -UZSTD_NO_INLINE -O2 ;;
    *liblzma/lzma/lzma_encoder.c | *liblzma/lzma/lzma2_encoder.c | \
    *liblzma/lzma/lzma_encoder_optimum_normal.c)
        exec "$cc" "$@" -DHAVE_SMALL ;;
    esac
done
exec "$cc" "$@"
