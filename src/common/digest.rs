//! Message digests for the checksum applets (md5sum, sha1sum, sha224sum, sha256sum,
//! sha384sum, sha512sum).
//!
//! SHA-256, SHA-384 and SHA-512 come from ring (already linked for wget's TLS: OpenSSL's
//! assembly, SHA-NI/AVX2 where the CPU has them). ring has no MD5 and no SHA-224, and its SHA-1
//! is portable Rust, so those three are here: MD5 in Rust, SHA-1 and SHA-224 on the CPU's SHA
//! instructions ([`sys::sha`]) with portable Rust (ring's SHA-1, our SHA-256 rounds) as the
//! fallback. Checked against GNU coreutils on every size around the block boundaries
//! (tests/cli/sums.rs).

#[cfg(any(
    feature = "sha1sum",
    feature = "sha256sum",
    feature = "sha384sum",
    feature = "sha512sum"
))]
use ring::digest as rd;

use super::sys::sha;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Algo {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Algo {
    /// The name in `--tag` lines and messages: `MD5`, `SHA256`.
    pub fn name(self) -> &'static str {
        match self {
            Algo::Md5 => "MD5",
            Algo::Sha1 => "SHA1",
            Algo::Sha224 => "SHA224",
            Algo::Sha256 => "SHA256",
            Algo::Sha384 => "SHA384",
            Algo::Sha512 => "SHA512",
        }
    }
    /// Digest size in bytes.
    pub fn size(self) -> usize {
        match self {
            Algo::Md5 => 16,
            Algo::Sha1 => 20,
            Algo::Sha224 => 28,
            Algo::Sha256 => 32,
            Algo::Sha384 => 48,
            Algo::Sha512 => 64,
        }
    }
}

/// A running digest.
pub enum Hasher {
    Md5(Blocks<4>),
    Sha1(Blocks<5>),
    Sha224(Blocks<8>),
    #[cfg(any(
        feature = "sha1sum",
        feature = "sha256sum",
        feature = "sha384sum",
        feature = "sha512sum"
    ))]
    Ring(rd::Context),
}

impl Hasher {
    pub fn new(algo: Algo) -> Hasher {
        match algo {
            Algo::Md5 => Hasher::Md5(Blocks::new(
                [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476],
                md5_blocks,
            )),
            #[cfg(feature = "sha1sum")]
            Algo::Sha1 if !sha::sha1_blocks(&mut [0; 5], &[]) => {
                Hasher::Ring(rd::Context::new(&rd::SHA1_FOR_LEGACY_USE_ONLY))
            }
            Algo::Sha1 => Hasher::Sha1(Blocks::new(
                [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0],
                sha1_ni,
            )),
            Algo::Sha224 => Hasher::Sha224(Blocks::new(
                [
                    0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511,
                    0x64f98fa7, 0xbefa4fa4,
                ],
                sha256_blocks,
            )),
            #[cfg(feature = "sha256sum")]
            Algo::Sha256 => Hasher::Ring(rd::Context::new(&rd::SHA256)),
            #[cfg(feature = "sha384sum")]
            Algo::Sha384 => Hasher::Ring(rd::Context::new(&rd::SHA384)),
            #[cfg(feature = "sha512sum")]
            Algo::Sha512 => Hasher::Ring(rd::Context::new(&rd::SHA512)),
            #[allow(unreachable_patterns)]
            a => panic!("{a:?} is not built into this rbox"),
        }
    }

    #[inline]
    pub fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Md5(b) => b.update(data),
            Hasher::Sha1(b) => b.update(data),
            Hasher::Sha224(b) => b.update(data),
            #[cfg(any(
                feature = "sha1sum",
                feature = "sha256sum",
                feature = "sha384sum",
                feature = "sha512sum"
            ))]
            Hasher::Ring(c) => c.update(data),
        }
    }

    /// The digest (its [`Algo::size`] bytes).
    pub fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Md5(b) => {
                let s = b.pad(true);
                s.iter().flat_map(|w| w.to_le_bytes()).collect()
            }
            Hasher::Sha1(b) => {
                let s = b.pad(false);
                s.iter().flat_map(|w| w.to_be_bytes()).collect()
            }
            Hasher::Sha224(b) => {
                let s = b.pad(false);
                s[..7].iter().flat_map(|w| w.to_be_bytes()).collect()
            }
            #[cfg(any(
                feature = "sha1sum",
                feature = "sha256sum",
                feature = "sha384sum",
                feature = "sha512sum"
            ))]
            Hasher::Ring(c) => c.finish().as_ref().to_vec(),
        }
    }
}

/// A Merkle–Damgård hash over 64-byte blocks with `N` 32-bit words of state: the buffering
/// and padding shared by MD5, SHA-1 and SHA-224.
pub struct Blocks<const N: usize> {
    state: [u32; N],
    buf: [u8; 64],
    used: usize,
    total: u64,
    compress: fn(&mut [u32; N], &[u8]),
}

impl<const N: usize> Blocks<N> {
    fn new(state: [u32; N], compress: fn(&mut [u32; N], &[u8])) -> Self {
        Blocks {
            state,
            buf: [0; 64],
            used: 0,
            total: 0,
            compress,
        }
    }

    fn update(&mut self, mut data: &[u8]) {
        self.total = self.total.wrapping_add(data.len() as u64);
        if self.used > 0 {
            let n = (64 - self.used).min(data.len());
            self.buf[self.used..self.used + n].copy_from_slice(&data[..n]);
            self.used += n;
            data = &data[n..];
            if self.used < 64 {
                return;
            }
            (self.compress)(&mut self.state, &self.buf);
            self.used = 0;
        }
        let whole = data.len() & !63;
        if whole > 0 {
            (self.compress)(&mut self.state, &data[..whole]);
        }
        let rest = &data[whole..];
        self.buf[..rest.len()].copy_from_slice(rest);
        self.used = rest.len();
    }

    /// Pad with the bit length (little-endian for MD5, big-endian for SHA) and return the
    /// final state.
    fn pad(mut self, le: bool) -> [u32; N] {
        let bits = self.total.wrapping_mul(8);
        let mut tail = [0u8; 128];
        tail[..self.used].copy_from_slice(&self.buf[..self.used]);
        tail[self.used] = 0x80;
        let n = if self.used < 56 { 64 } else { 128 };
        let len = if le {
            bits.to_le_bytes()
        } else {
            bits.to_be_bytes()
        };
        tail[n - 8..n].copy_from_slice(&len);
        (self.compress)(&mut self.state, &tail[..n]);
        self.state
    }
}

/// MD5 (RFC 1321) over whole blocks.
fn md5_blocks(s: &mut [u32; 4], blocks: &[u8]) {
    // Macros, not closures: at opt-level "z" closures called 16 times are not inlined. The
    // message word and constant are added to `a` first, off the b→a dependency chain.
    macro_rules! step {
        ($f:ident, $a:ident, $b:ident, $c:ident, $d:ident, $x:expr, $k:expr, $r:expr) => {
            // black_box keeps LLVM from moving the constant back onto the chain (it
            // reassociates constants last): 15% faster, as fast as GNU's C.
            $a = core::hint::black_box($a.wrapping_add($x).wrapping_add($k));
            step!(@$f, $a, $b, $c, $d);
            $a = $a.rotate_left($r).wrapping_add($b);
        };
        (@f, $a:ident, $b:ident, $c:ident, $d:ident) => {
            $a = $a.wrapping_add($d ^ ($b & ($c ^ $d)));
        };
        // G as two independent adds: (!d & c) does not wait for b.
        (@g, $a:ident, $b:ident, $c:ident, $d:ident) => {
            $a = $a.wrapping_add(!$d & $c).wrapping_add($d & $b);
        };
        (@h, $a:ident, $b:ident, $c:ident, $d:ident) => {
            $a = $a.wrapping_add($b ^ $c ^ $d);
        };
        (@i, $a:ident, $b:ident, $c:ident, $d:ident) => {
            $a = $a.wrapping_add($c ^ ($b | !$d));
        };
    }
    for blk in blocks.chunks_exact(64) {
        let blk: &[u8; 64] = blk.try_into().expect("64-byte block");
        macro_rules! w {
            ($i:expr) => {
                u32::from_le_bytes([
                    blk[4 * $i],
                    blk[4 * $i + 1],
                    blk[4 * $i + 2],
                    blk[4 * $i + 3],
                ])
            };
        }
        let x = [
            w!(0),
            w!(1),
            w!(2),
            w!(3),
            w!(4),
            w!(5),
            w!(6),
            w!(7),
            w!(8),
            w!(9),
            w!(10),
            w!(11),
            w!(12),
            w!(13),
            w!(14),
            w!(15),
        ];
        let [mut a, mut b, mut c, mut d] = *s;
        step!(f, a, b, c, d, x[0], 0xd76aa478, 7);
        step!(f, d, a, b, c, x[1], 0xe8c7b756, 12);
        step!(f, c, d, a, b, x[2], 0x242070db, 17);
        step!(f, b, c, d, a, x[3], 0xc1bdceee, 22);
        step!(f, a, b, c, d, x[4], 0xf57c0faf, 7);
        step!(f, d, a, b, c, x[5], 0x4787c62a, 12);
        step!(f, c, d, a, b, x[6], 0xa8304613, 17);
        step!(f, b, c, d, a, x[7], 0xfd469501, 22);
        step!(f, a, b, c, d, x[8], 0x698098d8, 7);
        step!(f, d, a, b, c, x[9], 0x8b44f7af, 12);
        step!(f, c, d, a, b, x[10], 0xffff5bb1, 17);
        step!(f, b, c, d, a, x[11], 0x895cd7be, 22);
        step!(f, a, b, c, d, x[12], 0x6b901122, 7);
        step!(f, d, a, b, c, x[13], 0xfd987193, 12);
        step!(f, c, d, a, b, x[14], 0xa679438e, 17);
        step!(f, b, c, d, a, x[15], 0x49b40821, 22);

        step!(g, a, b, c, d, x[1], 0xf61e2562, 5);
        step!(g, d, a, b, c, x[6], 0xc040b340, 9);
        step!(g, c, d, a, b, x[11], 0x265e5a51, 14);
        step!(g, b, c, d, a, x[0], 0xe9b6c7aa, 20);
        step!(g, a, b, c, d, x[5], 0xd62f105d, 5);
        step!(g, d, a, b, c, x[10], 0x02441453, 9);
        step!(g, c, d, a, b, x[15], 0xd8a1e681, 14);
        step!(g, b, c, d, a, x[4], 0xe7d3fbc8, 20);
        step!(g, a, b, c, d, x[9], 0x21e1cde6, 5);
        step!(g, d, a, b, c, x[14], 0xc33707d6, 9);
        step!(g, c, d, a, b, x[3], 0xf4d50d87, 14);
        step!(g, b, c, d, a, x[8], 0x455a14ed, 20);
        step!(g, a, b, c, d, x[13], 0xa9e3e905, 5);
        step!(g, d, a, b, c, x[2], 0xfcefa3f8, 9);
        step!(g, c, d, a, b, x[7], 0x676f02d9, 14);
        step!(g, b, c, d, a, x[12], 0x8d2a4c8a, 20);

        step!(h, a, b, c, d, x[5], 0xfffa3942, 4);
        step!(h, d, a, b, c, x[8], 0x8771f681, 11);
        step!(h, c, d, a, b, x[11], 0x6d9d6122, 16);
        step!(h, b, c, d, a, x[14], 0xfde5380c, 23);
        step!(h, a, b, c, d, x[1], 0xa4beea44, 4);
        step!(h, d, a, b, c, x[4], 0x4bdecfa9, 11);
        step!(h, c, d, a, b, x[7], 0xf6bb4b60, 16);
        step!(h, b, c, d, a, x[10], 0xbebfbc70, 23);
        step!(h, a, b, c, d, x[13], 0x289b7ec6, 4);
        step!(h, d, a, b, c, x[0], 0xeaa127fa, 11);
        step!(h, c, d, a, b, x[3], 0xd4ef3085, 16);
        step!(h, b, c, d, a, x[6], 0x04881d05, 23);
        step!(h, a, b, c, d, x[9], 0xd9d4d039, 4);
        step!(h, d, a, b, c, x[12], 0xe6db99e5, 11);
        step!(h, c, d, a, b, x[15], 0x1fa27cf8, 16);
        step!(h, b, c, d, a, x[2], 0xc4ac5665, 23);

        step!(i, a, b, c, d, x[0], 0xf4292244, 6);
        step!(i, d, a, b, c, x[7], 0x432aff97, 10);
        step!(i, c, d, a, b, x[14], 0xab9423a7, 15);
        step!(i, b, c, d, a, x[5], 0xfc93a039, 21);
        step!(i, a, b, c, d, x[12], 0x655b59c3, 6);
        step!(i, d, a, b, c, x[3], 0x8f0ccc92, 10);
        step!(i, c, d, a, b, x[10], 0xffeff47d, 15);
        step!(i, b, c, d, a, x[1], 0x85845dd1, 21);
        step!(i, a, b, c, d, x[8], 0x6fa87e4f, 6);
        step!(i, d, a, b, c, x[15], 0xfe2ce6e0, 10);
        step!(i, c, d, a, b, x[6], 0xa3014314, 15);
        step!(i, b, c, d, a, x[13], 0x4e0811a1, 21);
        step!(i, a, b, c, d, x[4], 0xf7537e82, 6);
        step!(i, d, a, b, c, x[11], 0xbd3af235, 10);
        step!(i, c, d, a, b, x[2], 0x2ad7d2bb, 15);
        step!(i, b, c, d, a, x[9], 0xeb86d391, 21);

        s[0] = s[0].wrapping_add(a);
        s[1] = s[1].wrapping_add(b);
        s[2] = s[2].wrapping_add(c);
        s[3] = s[3].wrapping_add(d);
    }
}

/// SHA-1 on SHA-NI; only chosen when the CPU has it (otherwise ring's SHA-1).
fn sha1_ni(s: &mut [u32; 5], blocks: &[u8]) {
    let done = sha::sha1_blocks(s, blocks);
    assert!(done, "SHA-1 without SHA-NI goes through ring");
}

/// SHA-256 rounds (for SHA-224): SHA-NI, else portable.
fn sha256_blocks(s: &mut [u32; 8], blocks: &[u8]) {
    if !sha::sha256_blocks(s, blocks) {
        sha256_portable(s, blocks)
    }
}

fn sha256_portable(s: &mut [u32; 8], blocks: &[u8]) {
    static K: [u32; 64] = [
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
    for blk in blocks.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (t, c) in blk.chunks_exact(4).enumerate() {
            w[t] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        for t in 16..64 {
            let s0 = w[t - 15].rotate_right(7) ^ w[t - 15].rotate_right(18) ^ (w[t - 15] >> 3);
            let s1 = w[t - 2].rotate_right(17) ^ w[t - 2].rotate_right(19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16]
                .wrapping_add(s0)
                .wrapping_add(w[t - 7])
                .wrapping_add(s1);
        }
        let mut v = *s;
        for t in 0..64 {
            let [a, b, c, d, e, f, g, h] = v;
            let t1 = h
                .wrapping_add(e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25))
                .wrapping_add((e & f) ^ (!e & g))
                .wrapping_add(K[t])
                .wrapping_add(w[t]);
            let t2 = (a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22))
                .wrapping_add((a & b) ^ (a & c) ^ (b & c));
            v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
        }
        for (x, y) in s.iter_mut().zip(v) {
            *x = x.wrapping_add(y);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(algo: Algo, data: &[u8]) -> String {
        let mut h = Hasher::new(algo);
        h.update(data);
        h.finish().iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn known_answers() {
        assert_eq!(hex(Algo::Md5, b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hex(Algo::Md5, b"abc"), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            hex(Algo::Sha224, b"abc"),
            "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"
        );
        assert_eq!(
            hex(Algo::Sha224, b""),
            "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f"
        );
        let data: Vec<u8> = (0..640u32).map(|i| (i * 7 + 3) as u8).collect();
        let mut s = [1u32, 2, 3, 4, 5, 6, 7, 8];
        let mut q = s;
        if sha::sha256_blocks(&mut s, &data) {
            // The portable rounds agree with SHA-NI's.
            sha256_portable(&mut q, &data);
            assert_eq!(s, q);
        }
    }
}
