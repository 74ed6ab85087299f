//! NIST P-256 for the TLS client: ECDHE key exchange (secp256r1) and ECDSA signature checks,
//! on RustCrypto's `p256` instead of ring's.
//!
//! Why not ring's: ring's P-256 code, even only to verify, pulls in its 151 KB precomputed
//! base-point table (`ecp_nistz256_precomputed`) and the nistz256 assembly, 176 KB of the
//! binary in all. `p256` does the same two jobs in ~29 KB. Speed does not matter here: one
//! key exchange and a few signature checks per connection, against a network round trip.
//! X25519, P-384, RSA, Ed25519, AES-GCM and the digests stay ring's.
//!
//! The checks are the ones ring's make: the peer's key share must be an uncompressed point on
//! the curve (RFC 8446 4.2.8.2), a signature is DER `(r, s)` with both in `[1, n)`, and a
//! certificate key must be an uncompressed or compressed SEC1 point on the curve.

use p256::ecdsa::signature::hazmat::PrehashVerifier;
use rustls::crypto::{ActiveKeyExchange, SharedSecret, SupportedKxGroup};
use rustls::pki_types::SignatureVerificationAlgorithm;
use rustls::pki_types::{alg_id, AlgorithmIdentifier, InvalidSignature};
use rustls::{NamedGroup, PeerMisbehaved};

/// Ephemeral ECDH on secp256r1, as `rustls::crypto::ring::kx_group::SECP256R1`.
pub static SECP256R1: &dyn SupportedKxGroup = &Kx;

#[derive(Debug)]
struct Kx;

struct Active {
    secret: p256::NonZeroScalar,
    public: Vec<u8>,
}

impl SupportedKxGroup for Kx {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, rustls::Error> {
        let secret = random_scalar()?;
        let public = p256::EncodedPoint::from(p256::PublicKey::from_secret_scalar(&secret))
            .as_bytes()
            .to_vec();
        Ok(Box::new(Active { secret, public }))
    }

    fn name(&self) -> NamedGroup {
        NamedGroup::secp256r1
    }
}

/// A uniformly random scalar in `[1, n)`: 32 random bytes, drawn again in the (2^-32) case
/// that they are not below the group order, as ring's key generation does.
fn random_scalar() -> Result<p256::NonZeroScalar, rustls::Error> {
    for _ in 0..100 {
        let mut b = p256::FieldBytes::default();
        crate::common::sys::net::getrandom(&mut b)
            .map_err(|_| rustls::Error::FailedToGetRandomBytes)?;
        let s = p256::NonZeroScalar::from_repr(b);
        if bool::from(s.is_some()) {
            return Ok(s.unwrap());
        }
    }
    Err(rustls::Error::FailedToGetRandomBytes)
}

impl ActiveKeyExchange for Active {
    fn complete(self: Box<Self>, peer: &[u8]) -> Result<SharedSecret, rustls::Error> {
        // TLS allows only the uncompressed form; from_sec1_bytes checks the point is on the
        // curve and not the identity.
        if peer.first() != Some(&0x04) {
            return Err(PeerMisbehaved::InvalidKeyShare.into());
        }
        let peer = p256::PublicKey::from_sec1_bytes(peer)
            .map_err(|_| rustls::Error::from(PeerMisbehaved::InvalidKeyShare))?;
        let shared = p256::ecdh::diffie_hellman(self.secret, peer.as_affine());
        Ok(SharedSecret::from(&shared.raw_secret_bytes()[..]))
    }

    fn pub_key(&self) -> &[u8] {
        &self.public
    }

    fn group(&self) -> NamedGroup {
        NamedGroup::secp256r1
    }
}

/// ECDSA with a P-256 key and the named digest, as `webpki::ring::ECDSA_P256_SHA*`.
#[derive(Debug)]
pub struct EcdsaP256 {
    digest: &'static ring::digest::Algorithm,
    sig_alg: AlgorithmIdentifier,
}

pub static ECDSA_P256_SHA256: &dyn SignatureVerificationAlgorithm = &EcdsaP256 {
    digest: &ring::digest::SHA256,
    sig_alg: alg_id::ECDSA_SHA256,
};

pub static ECDSA_P256_SHA384: &dyn SignatureVerificationAlgorithm = &EcdsaP256 {
    digest: &ring::digest::SHA384,
    sig_alg: alg_id::ECDSA_SHA384,
};

impl SignatureVerificationAlgorithm for EcdsaP256 {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let key =
            p256::ecdsa::VerifyingKey::from_sec1_bytes(public_key).map_err(|_| InvalidSignature)?;
        let sig = p256::ecdsa::Signature::from_der(signature).map_err(|_| InvalidSignature)?;
        // A SHA-384 digest is cut to its leftmost 256 bits inside (bits2int, FIPS 186-4 6.4).
        let hash = ring::digest::digest(self.digest, message);
        key.verify_prehash(hash.as_ref(), &sig)
            .map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_P256
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.sig_alg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both halves against ring's own P-256: a key exchange with ring as the peer gives the
    /// same secret on both sides, and ring's signatures verify (and a changed message does not).
    #[test]
    fn agrees_with_ring() {
        use ring::agreement;
        let rng = ring::rand::SystemRandom::new();
        let theirs = agreement::EphemeralPrivateKey::generate(&agreement::ECDH_P256, &rng).unwrap();
        let their_pub = theirs.compute_public_key().unwrap();
        let ours = SECP256R1.start().unwrap();
        let our_pub = ours.pub_key().to_vec();
        assert_eq!(our_pub.len(), 65);
        let ours_secret = ours.complete(their_pub.as_ref()).unwrap();
        let peer = agreement::UnparsedPublicKey::new(&agreement::ECDH_P256, &our_pub);
        let theirs_secret = agreement::agree_ephemeral(theirs, &peer, |k| k.to_vec()).unwrap();
        assert_eq!(ours_secret.secret_bytes(), &theirs_secret[..]);

        // A compressed share or a point off the curve is refused.
        let mut compressed = their_pub.as_ref()[..33].to_vec();
        compressed[0] = 0x02;
        assert!(SECP256R1.start().unwrap().complete(&compressed).is_err());
        let mut off = their_pub.as_ref().to_vec();
        off[64] ^= 1;
        assert!(SECP256R1.start().unwrap().complete(&off).is_err());
    }

    #[test]
    fn verifies_what_ring_verifies() {
        use ring::signature::{self, EcdsaKeyPair, KeyPair};
        let rng = ring::rand::SystemRandom::new();
        let msg = b"the server's handshake transcript";
        let check = |ours: &dyn SignatureVerificationAlgorithm, public: &[u8], sig: &[u8]| {
            assert!(ours.verify_signature(public, msg, sig).is_ok());
            assert!(ours.verify_signature(public, b"another one", sig).is_err());
            let mut bad = sig.to_vec();
            let last = bad.len() - 1;
            bad[last] ^= 1;
            assert!(ours.verify_signature(public, msg, &bad).is_err());
            assert!(ours.verify_signature(&public[..64], msg, sig).is_err());
        };

        // SHA-256: ring signs.
        let alg = &signature::ECDSA_P256_SHA256_ASN1_SIGNING;
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(alg, &rng).unwrap();
        let key = EcdsaKeyPair::from_pkcs8(alg, pkcs8.as_ref(), &rng).unwrap();
        let sig = key.sign(&rng, msg).unwrap();
        check(ECDSA_P256_SHA256, key.public_key().as_ref(), sig.as_ref());

        // SHA-384 with a P-256 key (ring only verifies that pair): signed here, and ring's
        // verifier must accept the same signature.
        use p256::ecdsa::signature::hazmat::PrehashSigner;
        let sk = p256::ecdsa::SigningKey::from(random_scalar().unwrap());
        let hash = ring::digest::digest(&ring::digest::SHA384, msg);
        let sig: p256::ecdsa::Signature = sk.sign_prehash(hash.as_ref()).unwrap();
        let der = sig.to_der();
        let public = p256::EncodedPoint::from(sk.verifying_key())
            .as_bytes()
            .to_vec();
        signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA384_ASN1, &public)
            .verify(msg, der.as_bytes())
            .unwrap();
        check(ECDSA_P256_SHA384, &public, der.as_bytes());
    }
}
