//! TLS set-up: trust roots in the order users expect, and certificate checks that report
//! GNU wget's wording.
//!
//! Roots: `--ca-certificate`/`--ca-directory` when given; else `SSL_CERT_FILE`/`SSL_CERT_DIR`;
//! else the first system bundle found; else the Mozilla roots compiled in (a scratch image has
//! no bundle). The verifier always runs: with `--no-check-certificate` its verdict becomes a
//! warning instead of an error, as in GNU wget.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

/// System CA bundles, in the order Go and curl probe them (Debian/Alpine first).
const SYSTEM_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
];

pub struct TlsOpts {
    pub check: bool,
    pub ca_file: Option<PathBuf>,
    pub ca_dir: Option<PathBuf>,
    /// None: TLS 1.2 and 1.3. Some(12 or 13): only that one.
    pub only: Option<u8>,
}

/// Why a certificate was not accepted, kept for the message.
#[derive(Debug, Clone)]
pub struct CertFailure {
    pub issuer: String,
    pub error: rustls::Error,
}

#[derive(Debug)]
pub struct Verifier {
    inner: Arc<WebPkiServerVerifier>,
    strict: bool,
    failure: Mutex<Option<CertFailure>>,
}

impl Verifier {
    pub fn take_failure(&self) -> Option<CertFailure> {
        self.failure.lock().ok().and_then(|mut f| f.take())
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Ok(v) => Ok(v),
            Err(e) => {
                let names = dn_names(end_entity);
                let self_signed = names.as_ref().is_some_and(|(i, s)| i == s);
                let issuer = names.map(|n| n.0).unwrap_or_default();
                let error = match e {
                    rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)
                        if self_signed =>
                    {
                        rustls::Error::General("self-signed".into())
                    }
                    e => e,
                };
                if let Ok(mut f) = self.failure.lock() {
                    *f = Some(CertFailure {
                        issuer,
                        error: error.clone(),
                    });
                }
                if self.strict {
                    Err(error)
                } else {
                    Ok(ServerCertVerified::assertion())
                }
            }
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// GNU wget's text for a verification failure: (first line, detail line).
pub fn failure_text(host: &str, f: &CertFailure) -> String {
    use CertificateError as C;
    let detail = match &f.error {
        rustls::Error::InvalidCertificate(c) => match c {
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                return format!(
                    "no certificate subject alternative name matches\n\trequested host name '{host}'."
                );
            }
            C::UnknownIssuer => "Unable to locally verify the issuer's authority.".to_string(),
            C::Expired | C::ExpiredContext { .. } => "Issued certificate has expired.".to_string(),
            C::NotValidYet | C::NotValidYetContext { .. } => {
                "Issued certificate not yet valid.".to_string()
            }
            C::Revoked => "Issued certificate has been revoked.".to_string(),
            C::BadSignature => "Certificate signature failure.".to_string(),
            other => format!("{other:?}."),
        },
        rustls::Error::General(s) if s == "self-signed" => {
            "Self-signed certificate encountered.".to_string()
        }
        e => format!("{e}."),
    };
    format!(
        "cannot verify {host}'s certificate, issued by '{}':\n  {detail}",
        f.issuer
    )
}

fn load_pem_file(path: &Path, store: &mut RootCertStore) -> Result<usize, String> {
    let data = std::fs::read(path).map_err(|e| crate::common::ctx::strerror(&e))?;
    let mut n = 0;
    for der in pem_certificates(&data) {
        if store.add(CertificateDer::from(der)).is_ok() {
            n += 1;
        }
    }
    Ok(n)
}

/// The DER certificates of a PEM bundle, as OpenSSL reads CA files: each block between
/// `-----BEGIN CERTIFICATE-----` and `-----END CERTIFICATE-----`, base64 with any whitespace.
/// Text around the blocks (Debian's bundle has none, others carry comments) and blocks of other
/// kinds are skipped; a block that is not clean base64 is skipped (webpki rejects DER that does
/// not parse). Our own few lines rather than pki-types' PEM reader: 7 KB less, and a CA file is
/// the administrator's, not an attacker's, so its constant-time decoding buys nothing here.
fn pem_certificates(data: &[u8]) -> Vec<Vec<u8>> {
    const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
    const END: &[u8] = b"-----END CERTIFICATE-----";
    let mut out = Vec::new();
    let mut rest = data;
    while let Some(i) = memchr::memmem::find(rest, BEGIN) {
        rest = &rest[i + BEGIN.len()..];
        let Some(j) = memchr::memmem::find(rest, END) else {
            break;
        };
        if let Some(der) = unbase64(&rest[..j]) {
            out.push(der);
        }
        rest = &rest[j + END.len()..];
    }
    out
}

fn unbase64(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits, mut padded) = (0u32, 0, false);
    for &c in text {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padded = true;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => return None,
        };
        if padded {
            return None;
        }
        // Only the low bits matter: older ones have been emitted.
        acc = acc << 6 | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

fn load_dir(dir: &Path, store: &mut RootCertStore) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0;
    for e in rd.flatten() {
        let p = e.path();
        if p.is_file() {
            n += load_pem_file(&p, store).unwrap_or(0);
        }
    }
    n
}

/// The client's crypto: ring's primitives, assembled here rather than taken whole from
/// `rustls::crypto::ring::default_provider()`, so that what wget cannot use is not linked:
/// - no private keys (wget never authenticates itself with a key): ring's RSA/ECDSA/Ed25519
///   signing code stays out;
/// - AES-GCM suites only: every TLS 1.3 server must offer TLS_AES_128_GCM_SHA256 and TLS 1.2
///   servers offer ECDHE with AES-GCM; ChaCha20-Poly1305 only pays off on CPUs without AES
///   instructions, and its four assembly variants weigh ~50 KB;
/// - the random source is getrandom(2), as ring's own.
fn client_provider() -> rustls::crypto::CryptoProvider {
    use rustls::crypto::ring::{cipher_suite as cs, kx_group};
    rustls::crypto::CryptoProvider {
        cipher_suites: vec![
            cs::TLS13_AES_128_GCM_SHA256,
            cs::TLS13_AES_256_GCM_SHA384,
            cs::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            cs::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            cs::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            cs::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        ],
        kx_groups: vec![kx_group::X25519, kx_group::SECP256R1, kx_group::SECP384R1],
        signature_verification_algorithms: SIG_ALGS,
        secure_random: &ClientOnly,
        key_provider: &ClientOnly,
    }
}

/// Signature schemes a server may use, and the webpki algorithms that check each (in TLS 1.2
/// an ECDSA scheme does not fix the curve, hence two per ECDSA scheme).
static SIG_ALGS: WebPkiSupportedAlgorithms = {
    use rustls::SignatureScheme as S;
    use webpki::ring as a;
    WebPkiSupportedAlgorithms {
        all: &[
            a::ECDSA_P256_SHA256,
            a::ECDSA_P256_SHA384,
            a::ECDSA_P384_SHA256,
            a::ECDSA_P384_SHA384,
            a::ED25519,
            a::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
            a::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
            a::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
            a::RSA_PKCS1_2048_8192_SHA256,
            a::RSA_PKCS1_2048_8192_SHA384,
            a::RSA_PKCS1_2048_8192_SHA512,
            a::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
            a::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
            a::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
        ],
        mapping: &[
            (
                S::ECDSA_NISTP384_SHA384,
                &[a::ECDSA_P384_SHA384, a::ECDSA_P256_SHA384],
            ),
            (
                S::ECDSA_NISTP256_SHA256,
                &[a::ECDSA_P256_SHA256, a::ECDSA_P384_SHA256],
            ),
            (S::ED25519, &[a::ED25519]),
            (S::RSA_PSS_SHA512, &[a::RSA_PSS_2048_8192_SHA512_LEGACY_KEY]),
            (S::RSA_PSS_SHA384, &[a::RSA_PSS_2048_8192_SHA384_LEGACY_KEY]),
            (S::RSA_PSS_SHA256, &[a::RSA_PSS_2048_8192_SHA256_LEGACY_KEY]),
            (S::RSA_PKCS1_SHA512, &[a::RSA_PKCS1_2048_8192_SHA512]),
            (S::RSA_PKCS1_SHA384, &[a::RSA_PKCS1_2048_8192_SHA384]),
            (S::RSA_PKCS1_SHA256, &[a::RSA_PKCS1_2048_8192_SHA256]),
        ],
    }
};

/// The provider's key and randomness halves for a client: no private keys, getrandom(2).
#[derive(Debug)]
struct ClientOnly;

impl rustls::crypto::KeyProvider for ClientOnly {
    fn load_private_key(
        &self,
        _key: rustls::pki_types::PrivateKeyDer<'static>,
    ) -> Result<Arc<dyn rustls::sign::SigningKey>, rustls::Error> {
        Err(rustls::Error::General(
            "client keys are not supported".into(),
        ))
    }
}

impl rustls::crypto::SecureRandom for ClientOnly {
    fn fill(&self, buf: &mut [u8]) -> Result<(), rustls::crypto::GetRandomFailed> {
        crate::common::sys::net::getrandom(buf).map_err(|_| rustls::crypto::GetRandomFailed)
    }
}

/// Build the client configuration. `Err` carries the message (the caller exits 5).
pub fn config(o: &TlsOpts) -> Result<(Arc<ClientConfig>, Arc<Verifier>), String> {
    let mut store = RootCertStore::empty();
    if o.ca_file.is_some() || o.ca_dir.is_some() {
        if let Some(f) = &o.ca_file {
            let n = load_pem_file(f, &mut store)
                .map_err(|e| format!("could not load CA certificate '{}': {e}", f.display()))?;
            if n == 0 {
                return Err(format!(
                    "could not load CA certificate '{}': no certificate found",
                    f.display()
                ));
            }
        }
        if let Some(d) = &o.ca_dir {
            load_dir(d, &mut store);
        }
    } else {
        let env_file = std::env::var_os("SSL_CERT_FILE").filter(|v| !v.is_empty());
        let env_dir = std::env::var_os("SSL_CERT_DIR").filter(|v| !v.is_empty());
        if env_file.is_some() || env_dir.is_some() {
            if let Some(f) = env_file {
                let _ = load_pem_file(Path::new(&f), &mut store);
            }
            if let Some(d) = env_dir {
                for part in std::env::split_paths(&d) {
                    load_dir(&part, &mut store);
                }
            }
        }
        if store.is_empty() {
            for b in SYSTEM_BUNDLES {
                if load_pem_file(Path::new(b), &mut store).unwrap_or(0) > 0 {
                    break;
                }
            }
        }
        if store.is_empty() {
            store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
    }
    let provider = Arc::new(client_provider());
    if store.is_empty() {
        return Err("no CA certificates found in --ca-directory".to_string());
    }
    let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider.clone())
        .build()
        .map_err(|e| format!("TLS set-up failed: {e}"))?;
    let verifier = Arc::new(Verifier {
        inner,
        strict: o.check,
        failure: Mutex::new(None),
    });
    let versions: &[&rustls::SupportedProtocolVersion] = match o.only {
        Some(12) => &[&rustls::version::TLS12],
        Some(13) => &[&rustls::version::TLS13],
        _ => rustls::DEFAULT_VERSIONS,
    };
    let cfg = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .map_err(|e| format!("TLS set-up failed: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    Ok((Arc::new(cfg), verifier))
}

// --- A minimal DER walk to name a certificate's issuer (and subject, to spot self-signed
// certificates) in messages. Bounds-checked throughout: the input comes from the server.

fn der_item(d: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *d.first()?;
    let l0 = *d.get(1)? as usize;
    let (len, hdr) = if l0 < 0x80 {
        (l0, 2)
    } else {
        let nb = l0 & 0x7f;
        if nb == 0 || nb > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..nb {
            len = (len << 8) | *d.get(2 + i)? as usize;
        }
        (len, 2 + nb)
    };
    let end = hdr.checked_add(len)?;
    if end > d.len() {
        return None;
    }
    Some((tag, &d[hdr..end], &d[end..]))
}

/// (issuer, subject) as RFC 2253 strings.
fn dn_names(cert: &[u8]) -> Option<(String, String)> {
    let (_, c, _) = der_item(cert)?;
    let (_, mut tbs, _) = der_item(c)?;
    let (tag, _, rest) = der_item(tbs)?;
    if tag == 0xa0 {
        tbs = rest; // explicit version
    }
    let (_, _, rest) = der_item(tbs)?; // serial
    let (_, _, rest) = der_item(rest)?; // signature algorithm
    let (_, issuer, rest) = der_item(rest)?;
    let (_, _, rest) = der_item(rest)?; // validity
    let (_, subject, _) = der_item(rest)?;
    Some((dn_string(issuer)?, dn_string(subject)?))
}

fn dn_string(mut name: &[u8]) -> Option<String> {
    let mut parts = Vec::new();
    while !name.is_empty() {
        let (_, set, rest) = der_item(name)?;
        name = rest;
        let mut set = set;
        while !set.is_empty() {
            let (_, atv, r) = der_item(set)?;
            set = r;
            let (_, oid, r) = der_item(atv)?;
            let (_, val, _) = der_item(r)?;
            let key = match oid {
                [0x55, 0x04, 0x03] => "CN".to_string(),
                [0x55, 0x04, 0x06] => "C".to_string(),
                [0x55, 0x04, 0x07] => "L".to_string(),
                [0x55, 0x04, 0x08] => "ST".to_string(),
                [0x55, 0x04, 0x0a] => "O".to_string(),
                [0x55, 0x04, 0x0b] => "OU".to_string(),
                [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => {
                    "emailAddress".to_string()
                }
                _ => "OID".to_string(),
            };
            parts.push(format!("{key}={}", String::from_utf8_lossy(val)));
        }
    }
    parts.reverse();
    Some(parts.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::pki_types::pem::PemObject;

    /// pki-types' PEM reader is the oracle: same certificates, same order.
    fn oracle(data: &[u8]) -> Vec<Vec<u8>> {
        CertificateDer::pem_slice_iter(data)
            .flatten()
            .map(|c| c.to_vec())
            .collect()
    }

    #[test]
    fn pem_bundle_as_pki_types_reads_it() {
        let mut text = b"# comment before\n".to_vec();
        text.extend(
            b"-----BEGIN CERTIFICATE-----\r\nAAEC\r\nAwQF/w==\r\n-----END CERTIFICATE-----\r\n",
        );
        text.extend(
            b"junk between\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        );
        text.extend(b"-----BEGIN CERTIFICATE-----\nq83v\n-----END CERTIFICATE-----\n");
        let got = pem_certificates(&text);
        assert_eq!(
            got,
            vec![vec![0, 1, 2, 3, 4, 5, 255], vec![0xab, 0xcd, 0xef]]
        );
        assert_eq!(got, oracle(&text));
        // Not base64: skipped. Unterminated: ignored.
        let bad = b"-----BEGIN CERTIFICATE-----\nAA*A\n-----END CERTIFICATE-----\n\
                    -----BEGIN CERTIFICATE-----\nAAAA\n";
        assert!(pem_certificates(bad).is_empty());
        assert_eq!(unbase64(b"TWFu"), Some(b"Man".to_vec()));
        assert_eq!(unbase64(b"TWE="), Some(b"Ma".to_vec()));
        assert_eq!(unbase64(b"TQ=="), Some(b"M".to_vec()));
        assert_eq!(unbase64(b"TQ==TQ"), None);
        for bundle in SYSTEM_BUNDLES {
            if let Ok(data) = std::fs::read(bundle) {
                let got = pem_certificates(&data);
                assert!(got.len() > 50, "{bundle}");
                assert_eq!(got, oracle(&data), "{bundle}");
            }
        }
    }
}
