//! X25519 (RFC 7748) for the TLS client's key exchange, the group servers pick first.
//!
//! Why not ring's: ring makes the public key with its Edwards-form base-point multiplication,
//! whose precomputed table (`k25519Precomp`, 24 KB) and ADX assembly paths weigh ~30 KB; this
//! Montgomery ladder is ~3 KB. One key pair and one shared secret per connection take well under
//! a millisecond, against a network round trip. Ed25519 signature checks stay ring's.
//!
//! The ladder is RFC 7748 section 5 as written: field elements in five 51-bit limbs, a
//! conditional swap by mask (no branch and no table index depends on the secret scalar), the
//! final inversion by the fixed exponent p - 2. As RFC 8446 7.4.2 requires (and ring does), an
//! all-zero shared secret (a peer's point of small order) is refused.

use rustls::crypto::{ActiveKeyExchange, SharedSecret, SupportedKxGroup};
use rustls::{NamedGroup, PeerMisbehaved};

/// Ephemeral X25519, as `rustls::crypto::ring::kx_group::X25519`.
pub static X25519: &dyn SupportedKxGroup = &Kx;

#[derive(Debug)]
struct Kx;

struct Active {
    secret: [u8; 32],
    public: [u8; 32],
}

impl Drop for Active {
    fn drop(&mut self) {
        self.secret = [0; 32];
        std::hint::black_box(&mut self.secret);
    }
}

impl SupportedKxGroup for Kx {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, rustls::Error> {
        let mut secret = [0u8; 32];
        crate::common::sys::net::getrandom(&mut secret)
            .map_err(|_| rustls::Error::FailedToGetRandomBytes)?;
        let public = x25519(&secret, &BASE);
        Ok(Box::new(Active { secret, public }))
    }

    fn name(&self) -> NamedGroup {
        NamedGroup::X25519
    }
}

impl ActiveKeyExchange for Active {
    fn complete(self: Box<Self>, peer: &[u8]) -> Result<SharedSecret, rustls::Error> {
        let invalid = || rustls::Error::from(PeerMisbehaved::InvalidKeyShare);
        let peer: &[u8; 32] = peer.try_into().map_err(|_| invalid())?;
        let shared = x25519(&self.secret, peer);
        if shared.iter().fold(0, |a, &b| a | b) == 0 {
            return Err(invalid());
        }
        Ok(SharedSecret::from(&shared[..]))
    }

    fn pub_key(&self) -> &[u8] {
        &self.public
    }

    fn group(&self) -> NamedGroup {
        NamedGroup::X25519
    }
}

/// The base point's u-coordinate, 9.
const BASE: [u8; 32] = {
    let mut b = [0; 32];
    b[0] = 9;
    b
};

/// An element of GF(2^255 - 19): value = sum of limb[i] * 2^(51 i). Limbs are kept under 2^52
/// between operations (what [`mul`] and [`sub`]'s bias allow).
type Fe = [u64; 5];

const MASK: u64 = (1 << 51) - 1;

/// RFC 7748's X25519(k, u): the clamped scalar `k` times the point with u-coordinate `u`.
fn x25519(k: &[u8; 32], u: &[u8; 32]) -> [u8; 32] {
    let mut k = *k;
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;
    let x1 = from_bytes(u);
    let (mut x2, mut z2, mut x3, mut z3) = ([1, 0, 0, 0, 0], [0; 5], x1, [1, 0, 0, 0, 0]);
    let mut swap = 0u64;
    for t in (0..255).rev() {
        let bit = u64::from((k[t / 8] >> (t % 8)) & 1);
        swap ^= bit;
        cswap(swap, &mut x2, &mut x3);
        cswap(swap, &mut z2, &mut z3);
        swap = bit;
        let a = add(&x2, &z2);
        let aa = mul(&a, &a);
        let b = sub(&x2, &z2);
        let bb = mul(&b, &b);
        let e = sub(&aa, &bb);
        let c = add(&x3, &z3);
        let d = sub(&x3, &z3);
        let da = mul(&d, &a);
        let cb = mul(&c, &b);
        let s = add(&da, &cb);
        x3 = mul(&s, &s);
        let m = sub(&da, &cb);
        z3 = mul(&x1, &mul(&m, &m));
        x2 = mul(&aa, &bb);
        z2 = mul(&e, &add(&aa, &mul_small(&e, 121_665)));
    }
    cswap(swap, &mut x2, &mut x3);
    cswap(swap, &mut z2, &mut z3);
    k = [0; 32];
    std::hint::black_box(&mut k);
    to_bytes(&mul(&x2, &invert(&z2)))
}

/// Swaps `a` and `b` when `swap` is 1, leaves them when 0, the same instructions either way.
fn cswap(swap: u64, a: &mut Fe, b: &mut Fe) {
    let mask = swap.wrapping_neg();
    for i in 0..5 {
        let t = mask & (a[i] ^ b[i]);
        a[i] ^= t;
        b[i] ^= t;
    }
}

/// Little-endian bytes to limbs; the top bit is ignored (RFC 7748 5), a value from p to
/// 2^255 - 1 is taken as it is and reduced by the arithmetic.
fn from_bytes(b: &[u8; 32]) -> Fe {
    let word = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        u64::from_le_bytes(w)
    };
    [
        word(0) & MASK,
        (word(6) >> 3) & MASK,
        (word(12) >> 6) & MASK,
        (word(19) >> 1) & MASK,
        (word(24) >> 12) & MASK,
    ]
}

/// The canonical (fully reduced) little-endian encoding.
fn to_bytes(h: &Fe) -> [u8; 32] {
    let mut h = carry(carry(*h));
    // h < 2^255 now; subtract p once when h >= p, i.e. when h + 19 carries out of bit 255.
    let mut q = (h[0] + 19) >> 51;
    for l in &h[1..] {
        q = (l + q) >> 51;
    }
    h[0] += 19 * q;
    for i in 0..4 {
        h[i + 1] += h[i] >> 51;
        h[i] &= MASK;
    }
    h[4] &= MASK;
    let words = [
        h[0] | h[1] << 51,
        h[1] >> 13 | h[2] << 38,
        h[2] >> 26 | h[3] << 25,
        h[3] >> 39 | h[4] << 12,
    ];
    let mut out = [0u8; 32];
    for (o, w) in out.chunks_exact_mut(8).zip(words) {
        o.copy_from_slice(&w.to_le_bytes());
    }
    out
}

/// Limbs back under 2^51 (the first one under 2^51 + 19 * 2^13), the value unchanged mod p.
/// Written out limb by limb: at opt-level "z" the loop form cost a third of the ladder's time.
fn carry(h: Fe) -> Fe {
    let [mut h0, mut h1, mut h2, mut h3, mut h4] = h;
    h1 += h0 >> 51;
    h0 &= MASK;
    h2 += h1 >> 51;
    h1 &= MASK;
    h3 += h2 >> 51;
    h2 &= MASK;
    h4 += h3 >> 51;
    h3 &= MASK;
    h0 += 19 * (h4 >> 51);
    h4 &= MASK;
    [h0, h1, h2, h3, h4]
}

fn add(a: &Fe, b: &Fe) -> Fe {
    carry([
        a[0] + b[0],
        a[1] + b[1],
        a[2] + b[2],
        a[3] + b[3],
        a[4] + b[4],
    ])
}

/// a - b + 4p, so that no limb goes below zero.
fn sub(a: &Fe, b: &Fe) -> Fe {
    const P4_0: u64 = 4 * ((1 << 51) - 19);
    const P4: u64 = 4 * MASK;
    carry([
        a[0] + P4_0 - b[0],
        a[1] + P4 - b[1],
        a[2] + P4 - b[2],
        a[3] + P4 - b[3],
        a[4] + P4 - b[4],
    ])
}

fn mul(a: &Fe, b: &Fe) -> Fe {
    let m = |x: u64, y: u64| u128::from(x) * u128::from(y);
    // 2^255 = 19 (mod p): a limb product that lands at 2^(51 k), k >= 5, comes back times 19.
    let b19 = [b[1] * 19, b[2] * 19, b[3] * 19, b[4] * 19];
    let r = [
        m(a[0], b[0]) + m(a[1], b19[3]) + m(a[2], b19[2]) + m(a[3], b19[1]) + m(a[4], b19[0]),
        m(a[0], b[1]) + m(a[1], b[0]) + m(a[2], b19[3]) + m(a[3], b19[2]) + m(a[4], b19[1]),
        m(a[0], b[2]) + m(a[1], b[1]) + m(a[2], b[0]) + m(a[3], b19[3]) + m(a[4], b19[2]),
        m(a[0], b[3]) + m(a[1], b[2]) + m(a[2], b[1]) + m(a[3], b[0]) + m(a[4], b19[3]),
        m(a[0], b[4]) + m(a[1], b[3]) + m(a[2], b[2]) + m(a[3], b[1]) + m(a[4], b[0]),
    ];
    reduce_wide(r)
}

fn mul_small(a: &Fe, k: u64) -> Fe {
    let m = |x: u64| u128::from(x) * u128::from(k);
    reduce_wide([m(a[0]), m(a[1]), m(a[2]), m(a[3]), m(a[4])])
}

/// Five 128-bit column sums back to limbs (the second one under 2^51 + 2^16).
fn reduce_wide(r: [u128; 5]) -> Fe {
    let [r0, mut r1, mut r2, mut r3, mut r4] = r;
    const M: u128 = MASK as u128;
    r1 += r0 >> 51;
    r2 += r1 >> 51;
    r3 += r2 >> 51;
    r4 += r3 >> 51;
    let h0 = (r0 & M) + 19 * (r4 >> 51);
    [
        (h0 & M) as u64,
        (r1 & M) as u64 + (h0 >> 51) as u64,
        (r2 & M) as u64,
        (r3 & M) as u64,
        (r4 & M) as u64,
    ]
}

/// z^(p - 2) = 1/z (Fermat); the exponent is public, so its bits may steer the loop.
fn invert(z: &Fe) -> Fe {
    // p - 2 = 2^255 - 21: bits 254..5 set, then 01011.
    let mut r = [1, 0, 0, 0, 0];
    for bit in (0..255).rev() {
        r = mul(&r, &r);
        if bit >= 5 || (0b01011 >> bit) & 1 == 1 {
            r = mul(&r, z);
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }

    /// RFC 7748 5.2's vectors (the second has a u-coordinate above p and its top bit set), the
    /// iterated one to 1,000, and 6.1's Diffie-Hellman.
    #[test]
    fn rfc7748_vectors() {
        let k = hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
        let u = hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
        let want = hex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
        assert_eq!(x25519(&k, &u), want);
        let k = hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d");
        let u = hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493");
        let want = hex("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
        assert_eq!(x25519(&k, &u), want);

        let (mut k, mut u) = (BASE, BASE);
        for i in 1..=1000 {
            let r = x25519(&k, &u);
            u = k;
            k = r;
            if i == 1 {
                let want = hex("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
                assert_eq!(k, want);
            }
        }
        let want = hex("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
        assert_eq!(k, want);

        let a = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        let a_pub = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        let b = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        let b_pub = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        let shared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        assert_eq!(x25519(&a, &BASE), a_pub);
        assert_eq!(x25519(&b, &BASE), b_pub);
        assert_eq!(x25519(&a, &b_pub), shared);
        assert_eq!(x25519(&b, &a_pub), shared);
    }

    /// Against ring's X25519 as the peer, and a share of small order refused.
    #[test]
    fn agrees_with_ring() {
        use ring::agreement;
        let rng = ring::rand::SystemRandom::new();
        for _ in 0..50 {
            let theirs =
                agreement::EphemeralPrivateKey::generate(&agreement::X25519, &rng).unwrap();
            let their_pub = theirs.compute_public_key().unwrap();
            let ours = X25519.start().unwrap();
            let our_pub = ours.pub_key().to_vec();
            let ours_secret = ours.complete(their_pub.as_ref()).unwrap();
            let peer = agreement::UnparsedPublicKey::new(&agreement::X25519, &our_pub);
            let theirs_secret = agreement::agree_ephemeral(theirs, &peer, |k| k.to_vec()).unwrap();
            assert_eq!(ours_secret.secret_bytes(), &theirs_secret[..]);
        }
        assert!(X25519.start().unwrap().complete(&[0; 32]).is_err());
        let mut one = [0u8; 32];
        one[0] = 1;
        assert!(X25519.start().unwrap().complete(&one).is_err());
        assert!(X25519.start().unwrap().complete(&[9; 31]).is_err());
    }
}
