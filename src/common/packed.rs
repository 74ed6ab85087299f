//! Data that `build.rs` stores deflated and a run unpacks only when it needs it: the `--help`
//! texts ([`super::help`]) and wget's built-in trust anchors. Stored as they are in builds
//! without zlib-rs (no `tar-gzip` feature), whose inflater this is.

/// The first `n` bytes of `blob` unpacked (fewer if it holds fewer).
#[cfg(feature = "tar-gzip")]
pub fn unpack(blob: &[u8], n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n);
    let mut z = flate2::Decompress::new(false);
    // The whole stream is in memory: one call fills `out` up to its capacity.
    let _ = z.decompress_vec(blob, &mut out, flate2::FlushDecompress::Finish);
    out
}

#[cfg(not(feature = "tar-gzip"))]
pub fn unpack(blob: &[u8], n: usize) -> Vec<u8> {
    blob[..n.min(blob.len())].to_vec()
}
