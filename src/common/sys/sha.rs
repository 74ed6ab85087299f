//! The CPU's SHA instructions (x86-64 SHA-NI) for the compression functions rbox computes
//! itself: SHA-1 (ring's is portable Rust, a third of SHA-NI's speed) and SHA-256 for
//! SHA-224 (ring has no SHA-224). Each function returns `false` when the CPU lacks the
//! instructions, and the caller then uses its portable code.

/// Whether SHA-NI (with the SSSE3/SSE4.1 shuffles it needs) is there; detected once by std.
#[cfg(target_arch = "x86_64")]
fn have_sha_ni() -> bool {
    std::is_x86_feature_detected!("sha")
        && std::is_x86_feature_detected!("sse4.1")
        && std::is_x86_feature_detected!("ssse3")
}

/// Run SHA-1's compression over `blocks` (a whole number of 64-byte blocks).
pub fn sha1_blocks(state: &mut [u32; 5], blocks: &[u8]) -> bool {
    debug_assert!(blocks.len().is_multiple_of(64));
    #[cfg(target_arch = "x86_64")]
    if have_sha_ni() {
        // SAFETY: the CPU has the instructions the function is compiled for (checked above);
        // it reads only whole 64-byte blocks within `blocks` and writes only `state`.
        unsafe { x86::sha1(state, blocks) };
        return true;
    }
    let _ = (state, blocks);
    false
}

/// Run SHA-256's compression over `blocks` (a whole number of 64-byte blocks).
pub fn sha256_blocks(state: &mut [u32; 8], blocks: &[u8]) -> bool {
    debug_assert!(blocks.len().is_multiple_of(64));
    #[cfg(target_arch = "x86_64")]
    if have_sha_ni() {
        // SAFETY: as for sha1_blocks.
        unsafe { x86::sha256(state, blocks) };
        return true;
    }
    let _ = (state, blocks);
    false
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use core::arch::x86_64::*;

    /// SHA-256's round constants.
    pub static K256: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];

    /// # Safety
    /// The CPU must have SHA-NI, SSSE3 and SSE4.1.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub unsafe fn sha1(state: &mut [u32; 5], blocks: &[u8]) {
        let mask = _mm_set_epi64x(0x0001_0203_0405_0607, 0x0809_0a0b_0c0d_0e0f);
        // SAFETY: state holds 5 u32s: the unaligned load reads its first 16 bytes.
        let mut abcd = unsafe { _mm_loadu_si128(state.as_ptr().cast()) };
        abcd = _mm_shuffle_epi32(abcd, 0x1B);
        let mut e0 = _mm_set_epi32(state[4] as i32, 0, 0, 0);
        for block in blocks.chunks_exact(64) {
            let (abcd_save, e_save) = (abcd, e0);
            let mut m = [_mm_setzero_si128(); 4];
            for (i, w) in m.iter_mut().enumerate() {
                // SAFETY: 16 bytes at 16*i within the 64-byte block.
                let v = unsafe { _mm_loadu_si128(block.as_ptr().add(16 * i).cast()) };
                *w = _mm_shuffle_epi8(v, mask);
            }
            let [mut m0, mut m1, mut m2, mut m3] = m;
            let mut e_prev = abcd;
            abcd = _mm_sha1rnds4_epu32(abcd, _mm_add_epi32(e0, m0), 0);
            // Unrolled by hand (opt-level "z" keeps loops): four rounds per step, the message
            // schedule W[t] = msg2(msg1(W[t-16], W[t-12]) ^ W[t-8], W[t-4]) from group 4 on.
            macro_rules! rounds {
                ($f:literal, $w:ident) => {{
                    let e = _mm_sha1nexte_epu32(e_prev, $w);
                    e_prev = abcd;
                    abcd = _mm_sha1rnds4_epu32(abcd, e, $f);
                }};
                ($f:literal, $w:ident, $a:ident, $b:ident, $c:ident) => {{
                    $w = _mm_sha1msg2_epu32(_mm_xor_si128(_mm_sha1msg1_epu32($w, $a), $b), $c);
                    rounds!($f, $w);
                }};
            }
            rounds!(0, m1);
            rounds!(0, m2);
            rounds!(0, m3);
            rounds!(0, m0, m1, m2, m3);
            rounds!(1, m1, m2, m3, m0);
            rounds!(1, m2, m3, m0, m1);
            rounds!(1, m3, m0, m1, m2);
            rounds!(1, m0, m1, m2, m3);
            rounds!(1, m1, m2, m3, m0);
            rounds!(2, m2, m3, m0, m1);
            rounds!(2, m3, m0, m1, m2);
            rounds!(2, m0, m1, m2, m3);
            rounds!(2, m1, m2, m3, m0);
            rounds!(2, m2, m3, m0, m1);
            rounds!(3, m3, m0, m1, m2);
            rounds!(3, m0, m1, m2, m3);
            rounds!(3, m1, m2, m3, m0);
            rounds!(3, m2, m3, m0, m1);
            rounds!(3, m3, m0, m1, m2);
            e0 = _mm_sha1nexte_epu32(e_prev, e_save);
            abcd = _mm_add_epi32(abcd, abcd_save);
        }
        abcd = _mm_shuffle_epi32(abcd, 0x1B);
        // SAFETY: the first 16 bytes of state.
        unsafe { _mm_storeu_si128(state.as_mut_ptr().cast(), abcd) };
        state[4] = _mm_extract_epi32(e0, 3) as u32;
    }

    /// # Safety
    /// The CPU must have SHA-NI, SSSE3 and SSE4.1.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub unsafe fn sha256(state: &mut [u32; 8], blocks: &[u8]) {
        let mask = _mm_set_epi64x(0x0c0d_0e0f_0809_0a0b, 0x0405_0607_0001_0203);
        // SAFETY: state holds 8 u32s: two 16-byte halves.
        let (t, mut s1) = unsafe {
            (
                _mm_loadu_si128(state.as_ptr().cast()),
                _mm_loadu_si128(state.as_ptr().add(4).cast()),
            )
        };
        let t = _mm_shuffle_epi32(t, 0xB1); // CDAB
        s1 = _mm_shuffle_epi32(s1, 0x1B); // EFGH
        let mut s0 = _mm_alignr_epi8(t, s1, 8); // ABEF
        s1 = _mm_blend_epi16(s1, t, 0xF0); // CDGH
        for block in blocks.chunks_exact(64) {
            let (save0, save1) = (s0, s1);
            let mut m = [_mm_setzero_si128(); 4];
            for (i, w) in m.iter_mut().enumerate() {
                // SAFETY: 16 bytes at 16*i within the 64-byte block.
                let v = unsafe { _mm_loadu_si128(block.as_ptr().add(16 * i).cast()) };
                *w = _mm_shuffle_epi8(v, mask);
            }
            let [mut m0, mut m1, mut m2, mut m3] = m;
            // Unrolled by hand: four rounds per step, W[t] = msg2(msg1(W[t-16], W[t-12]) +
            // alignr(W[t-4], W[t-8]), W[t-4]) from group 4 on.
            macro_rules! rounds {
                ($g:literal, $w:ident) => {{
                    // SAFETY: K256 holds 64 words; 4*g+3 < 64.
                    let k = unsafe { _mm_loadu_si128(K256.as_ptr().add(4 * $g).cast()) };
                    let msg = _mm_add_epi32($w, k);
                    s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
                    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(msg, 0x0E));
                }};
                ($g:literal, $w:ident, $a:ident, $b:ident, $c:ident) => {{
                    let t = _mm_add_epi32(_mm_sha256msg1_epu32($w, $a), _mm_alignr_epi8($c, $b, 4));
                    $w = _mm_sha256msg2_epu32(t, $c);
                    rounds!($g, $w);
                }};
            }
            rounds!(0, m0);
            rounds!(1, m1);
            rounds!(2, m2);
            rounds!(3, m3);
            rounds!(4, m0, m1, m2, m3);
            rounds!(5, m1, m2, m3, m0);
            rounds!(6, m2, m3, m0, m1);
            rounds!(7, m3, m0, m1, m2);
            rounds!(8, m0, m1, m2, m3);
            rounds!(9, m1, m2, m3, m0);
            rounds!(10, m2, m3, m0, m1);
            rounds!(11, m3, m0, m1, m2);
            rounds!(12, m0, m1, m2, m3);
            rounds!(13, m1, m2, m3, m0);
            rounds!(14, m2, m3, m0, m1);
            rounds!(15, m3, m0, m1, m2);
            s0 = _mm_add_epi32(s0, save0);
            s1 = _mm_add_epi32(s1, save1);
        }
        let t = _mm_shuffle_epi32(s0, 0x1B); // FEBA
        s1 = _mm_shuffle_epi32(s1, 0xB1); // DCHG
        let a = _mm_blend_epi16(t, s1, 0xF0); // DCBA
        let b = _mm_alignr_epi8(s1, t, 8); // HGFE
                                           // SAFETY: state holds 8 u32s: two 16-byte halves.
        unsafe {
            _mm_storeu_si128(state.as_mut_ptr().cast(), a);
            _mm_storeu_si128(state.as_mut_ptr().add(4).cast(), b);
        }
    }
}
