//! TLS set-up: trust roots in the order users expect, and certificate checks that report
//! GNU wget's wording.
//!
//! Roots: `--ca-certificate`/`--ca-directory` when given; else `SSL_CERT_FILE`/`SSL_CERT_DIR`;
//! else the first system bundle found; else the Mozilla roots compiled in (a scratch image has
//! no bundle). The verifier always runs: with `--no-check-certificate` its verdict becomes a
//! warning instead of an error, as in GNU wget.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{verify_server_cert_signed_by_trust_anchor, verify_server_name};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
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

/// Why a certificate was not accepted, kept for the message: GNU wget (OpenSSL build) tells the
/// chain's problem and the name's problem each on its own line.
#[derive(Debug, Clone, Default)]
pub struct CertFailure {
    /// The certificate's issuer, RFC 2253 style (`CN=Test Root,O=Test CA,C=XX`).
    pub issuer: String,
    /// The chain or validity problem, as GNU's detail line (`Issued certificate has expired.`).
    pub chain: Option<&'static str>,
    /// The host name does not match.
    pub name: NameMismatch,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum NameMismatch {
    #[default]
    No,
    /// The certificate has subject alternative names, none for the host.
    San,
    /// No subject alternative names, and the common name (given) is not the host.
    Cn(String),
}

/// The checks of rustls's `WebPkiServerVerifier` without revocation lists (we give none):
/// its builder links CRL parsing whether or not any is given, ~25 KB of the binary. The chain,
/// the name and the handshake signatures are checked by the same rustls functions it calls.
pub struct Verifier {
    roots: RootCertStore,
    algs: WebPkiSupportedAlgorithms,
    /// The DER of every trusted certificate: a server certificate that is itself trusted is
    /// accepted as OpenSSL accepts it (webpki refuses one with CA:TRUE as an end entity).
    anchors: Vec<Vec<u8>>,
    strict: bool,
    failure: Mutex<Option<CertFailure>>,
}

/// rustls wants `Debug` for a verifier; a derived one would bring the formatting of webpki's
/// verifier, the root store, revocation lists and our failure record (~3 KB), printed nowhere.
impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Verifier")
    }
}

impl Verifier {
    pub fn take_failure(&self) -> Option<CertFailure> {
        self.failure.lock().ok().and_then(|mut f| f.take())
    }

    /// What GNU wget would report for a certificate webpki refused with `e`; None when it is
    /// acceptable after all (the certificate itself is trusted, in date, and names the host).
    fn diagnose(
        &self,
        cert: &CertificateDer<'_>,
        server_name: &ServerName<'_>,
        now: UnixTime,
        e: &rustls::Error,
    ) -> Option<CertFailure> {
        let names = dn_names(cert);
        let self_signed = names.as_ref().is_some_and(|(i, s)| i == s);
        let issuer = names.map(|n| n.0).unwrap_or_default();
        // webpki checks the subject alternative names only; without any, OpenSSL's (and so
        // GNU wget's) check falls back to the subject's last common name.
        let name_check = || {
            if webpki::EndEntityCert::try_from(cert)
                .is_ok_and(|c| c.verify_is_valid_for_subject_name(server_name).is_ok())
            {
                return NameMismatch::No;
            }
            match san_and_cn(cert) {
                Some((false, cn)) => {
                    let cn = cn.unwrap_or_default();
                    if pattern_match(cn.as_bytes(), server_name.to_str().as_bytes()) {
                        NameMismatch::No
                    } else {
                        NameMismatch::Cn(cn)
                    }
                }
                _ => NameMismatch::San,
            }
        };
        if self.anchors.iter().any(|a| a[..] == cert[..]) {
            let chain = validity(cert, now.as_secs());
            let name = name_check();
            return (chain.is_some() || name != NameMismatch::No).then_some(CertFailure {
                issuer,
                chain,
                name,
            });
        }
        use CertificateError as C;
        let chain = match e {
            rustls::Error::InvalidCertificate(c) => match c {
                C::NotValidForName | C::NotValidForNameContext { .. } => None,
                C::UnknownIssuer if self_signed => Some("Self-signed certificate encountered."),
                C::UnknownIssuer => Some("Unable to locally verify the issuer's authority."),
                C::Expired | C::ExpiredContext { .. } => Some("Issued certificate has expired."),
                C::NotValidYet | C::NotValidYetContext { .. } => {
                    Some("Issued certificate not yet valid.")
                }
                C::Other(o) => Some(match o.0.downcast_ref::<webpki::Error>() {
                    Some(webpki::Error::CaUsedAsEndEntity) if self_signed => {
                        "Self-signed certificate encountered."
                    }
                    Some(webpki::Error::CaUsedAsEndEntity) => {
                        "unsupported certificate purpose (a CA certificate used as a server certificate)"
                    }
                    Some(webpki::Error::EndEntityUsedAsCa) => "invalid CA certificate",
                    Some(webpki::Error::UnsupportedCertVersion) => "unsupported certificate version",
                    Some(webpki::Error::PathLenConstraintViolated) => {
                        "path length constraint exceeded"
                    }
                    Some(webpki::Error::NameConstraintViolation) => "permitted subtree violation",
                    Some(webpki::Error::MaximumPathDepthExceeded) => "certificate chain too long",
                    Some(webpki::Error::RequiredEkuNotFoundContext(_)) => {
                        "unsupported certificate purpose"
                    }
                    _ => "unspecified certificate verification error",
                }),
                other => Some(chain_text(other)),
            },
            _ => Some("unspecified certificate verification error"),
        };
        let name = name_check();
        if chain.is_none() && name == NameMismatch::No {
            return None; // a certificate named only by its common name, as OpenSSL accepts
        }
        Some(CertFailure {
            issuer,
            chain,
            name,
        })
    }
}

/// OpenSSL's X509_verify_cert_error_string for the rarer refusals (GNU wget prints it as is).
fn chain_text(c: &CertificateError) -> &'static str {
    use CertificateError as C;
    match c {
        C::BadEncoding => "unable to decode issuer public key",
        C::Revoked => "certificate revoked",
        C::UnhandledCriticalExtension => "unhandled critical extension",
        C::UnknownRevocationStatus => "unable to get certificate CRL",
        C::ExpiredRevocationList | C::ExpiredRevocationListContext { .. } => "CRL has expired",
        C::BadSignature => "certificate signature failure",
        C::UnsupportedSignatureAlgorithmContext { .. }
        | C::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => {
            "unable to decrypt certificate's signature"
        }
        C::InvalidPurpose | C::InvalidPurposeContext { .. } => "unsupported certificate purpose",
        C::ApplicationVerificationFailure => "application verification failure",
        _ => "unspecified certificate verification error",
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
        let _ = ocsp;
        let checked = ParsedCertificate::try_from(end_entity).and_then(|cert| {
            verify_server_cert_signed_by_trust_anchor(
                &cert,
                &self.roots,
                intermediates,
                now,
                self.algs.all,
            )?;
            verify_server_name(&cert, server_name)
        });
        let e = match checked {
            Ok(()) => return Ok(ServerCertVerified::assertion()),
            Err(e) => e,
        };
        let Some(f) = self.diagnose(end_entity, server_name, now, &e) else {
            return Ok(ServerCertVerified::assertion());
        };
        if let Ok(mut slot) = self.failure.lock() {
            *slot = Some(f);
        }
        if self.strict {
            Err(e)
        } else {
            Ok(ServerCertVerified::assertion())
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algs)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algs)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algs.supported_schemes()
    }
}

/// GNU wget's lines for a verification failure, each starting with `severity` (`ERROR` or
/// `WARNING`), newline-terminated.
pub fn failure_text(severity: &str, host: &str, f: &CertFailure) -> String {
    let mut s = String::new();
    if let Some(detail) = f.chain {
        let _ = write!(
            s,
            "{severity}: cannot verify {host}'s certificate, issued by '{}':\n  {detail}\n",
            f.issuer
        );
    }
    match &f.name {
        NameMismatch::No => {}
        NameMismatch::San => {
            let _ = write!(
                s,
                "{severity}: no certificate subject alternative name matches\n\trequested host name '{host}'.\n"
            );
        }
        NameMismatch::Cn(cn) => {
            let _ = writeln!(
                s,
                "{severity}: certificate common name '{cn}' doesn't match requested host name '{host}'."
            );
        }
    }
    s
}

/// The trust anchors and, beside them, the certificates they came from.
struct Roots {
    store: RootCertStore,
    ders: Vec<Vec<u8>>,
}

/// A handshake that failed for another reason than the certificate, in words (rustls's own
/// texts name enum variants: `received fatal alert: HandshakeFailure`). The caller adds GNU's
/// `Unable to establish SSL connection.`
pub fn handshake_text(e: &std::io::Error) -> String {
    let Some(e) = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) else {
        return crate::common::ctx::strerror(e);
    };
    use rustls::Error as E;
    match e {
        E::InvalidMessage(m) => format!(
            "An unexpected TLS packet was received ({})",
            words(&format!("{m:?}"))
        ),
        E::InappropriateMessage { .. } | E::InappropriateHandshakeMessage { .. } => {
            "An unexpected TLS packet was received".into()
        }
        E::AlertReceived(a) => format!(
            "A TLS fatal alert has been received: {}",
            words(&format!("{a:?}"))
        ),
        E::PeerIncompatible(p) => {
            format!("The server is not compatible: {}", words(&format!("{p:?}")))
        }
        E::PeerMisbehaved(p) => format!("The server misbehaved: {}", words(&format!("{p:?}"))),
        E::NoCertificatesPresented => "No certificate presented by the server".into(),
        E::DecryptError => "Decryption has failed".into(),
        E::PeerSentOversizedRecord => "The server sent an oversized record".into(),
        E::NoApplicationProtocol => "No common application protocol".into(),
        E::InvalidCertificate(c) => chain_text(c).into(),
        E::General(g) => g.clone(),
        _ => "TLS handshake failed".into(),
    }
}

/// `HandshakeFailure` → `handshake failure`; `Foo(Bar)` → `foo (bar)`: an enum variant's name in
/// words.
fn words(debug: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in debug.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push(' ');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c == '(' {
            out.push_str(" (");
            prev_lower = false;
        } else if c == '_' {
            out.push(' ');
            prev_lower = false;
        } else {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

fn load_pem_file(path: &Path, roots: &mut Roots) -> Result<usize, String> {
    let data = std::fs::read(path).map_err(|e| crate::common::ctx::strerror(&e))?;
    let mut n = 0;
    for der in pem_certificates(&data) {
        if roots.store.add(CertificateDer::from(&der[..])).is_ok() {
            roots.ders.push(der);
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

fn load_dir(dir: &Path, store: &mut Roots) -> usize {
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
        kx_groups: vec![
            kx_group::X25519,
            super::p256::SECP256R1,
            kx_group::SECP384R1,
        ],
        signature_verification_algorithms: SIG_ALGS,
        secure_random: &ClientOnly,
        key_provider: &ClientOnly,
    }
}

/// Signature schemes a server may use, and the webpki algorithms that check each (in TLS 1.2
/// an ECDSA scheme does not fix the curve, hence two per ECDSA scheme).
static SIG_ALGS: WebPkiSupportedAlgorithms = {
    use super::p256;
    use rustls::SignatureScheme as S;
    use webpki::ring as a;
    WebPkiSupportedAlgorithms {
        all: &[
            p256::ECDSA_P256_SHA256,
            p256::ECDSA_P256_SHA384,
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
                &[a::ECDSA_P384_SHA384, p256::ECDSA_P256_SHA384],
            ),
            (
                S::ECDSA_NISTP256_SHA256,
                &[p256::ECDSA_P256_SHA256, a::ECDSA_P384_SHA256],
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

mod packed_roots {
    include!(concat!(env!("OUT_DIR"), "/roots.rs"));
}

/// Mozilla's roots as webpki-roots has them, unpacked from what `build.rs` stored (its
/// `builtin_roots` gives the layout).
fn builtin_roots() -> Vec<rustls::pki_types::TrustAnchor<'static>> {
    use rustls::pki_types::{Der, TrustAnchor};
    let raw = crate::common::packed::unpack(&packed_roots::ROOTS, packed_roots::ROOTS_LEN);
    let mut rest = &raw[..];
    let mut part = || -> Option<Option<Der<'static>>> {
        let n = u16::from_le_bytes([*rest.first()?, *rest.get(1)?]);
        rest = &rest[2..];
        if n == u16::MAX {
            return Some(None);
        }
        let (b, r) = rest.split_at_checked(n as usize)?;
        rest = r;
        Some(Some(Der::from(b.to_vec())))
    };
    let mut anchors = Vec::new();
    while let (Some(Some(subject)), Some(Some(spki)), Some(nc)) = (part(), part(), part()) {
        anchors.push(TrustAnchor {
            subject,
            subject_public_key_info: spki,
            name_constraints: nc,
        });
    }
    anchors
}

/// Build the client configuration. `Err` carries the message (the caller exits 5).
pub fn config(o: &TlsOpts) -> Result<(Arc<ClientConfig>, Arc<Verifier>), String> {
    let mut roots = Roots {
        store: RootCertStore::empty(),
        ders: Vec::new(),
    };
    if o.ca_file.is_some() || o.ca_dir.is_some() {
        if let Some(f) = &o.ca_file {
            let n = load_pem_file(f, &mut roots)
                .map_err(|e| format!("could not load CA certificate '{}': {e}", f.display()))?;
            if n == 0 {
                return Err(format!(
                    "could not load CA certificate '{}': no certificate found",
                    f.display()
                ));
            }
        }
        if let Some(d) = &o.ca_dir {
            load_dir(d, &mut roots);
        }
    } else {
        let env_file = std::env::var_os("SSL_CERT_FILE").filter(|v| !v.is_empty());
        let env_dir = std::env::var_os("SSL_CERT_DIR").filter(|v| !v.is_empty());
        if env_file.is_some() || env_dir.is_some() {
            if let Some(f) = env_file {
                let _ = load_pem_file(Path::new(&f), &mut roots);
            }
            if let Some(d) = env_dir {
                for part in std::env::split_paths(&d) {
                    load_dir(&part, &mut roots);
                }
            }
        }
        if roots.store.is_empty() {
            for b in SYSTEM_BUNDLES {
                if load_pem_file(Path::new(b), &mut roots).unwrap_or(0) > 0 {
                    break;
                }
            }
        }
        if roots.store.is_empty() {
            roots.store.roots = builtin_roots();
        }
    }
    let provider = Arc::new(client_provider());
    if roots.store.is_empty() {
        return Err("no CA certificates found in --ca-directory".to_string());
    }
    let verifier = Arc::new(Verifier {
        roots: roots.store,
        algs: provider.signature_verification_algorithms,
        anchors: roots.ders,
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

/// The fields of a certificate's TBSCertificate that messages need.
struct Tbs<'a> {
    issuer: &'a [u8],
    /// The Validity SEQUENCE's contents (notBefore, notAfter).
    validity: &'a [u8],
    subject: &'a [u8],
    /// What follows the subject: subjectPublicKeyInfo, then the optional unique ids and
    /// extensions.
    rest: &'a [u8],
}

fn tbs(cert: &[u8]) -> Option<Tbs<'_>> {
    let (_, c, _) = der_item(cert)?;
    let (_, mut tbs, _) = der_item(c)?;
    let (tag, _, rest) = der_item(tbs)?;
    if tag == 0xa0 {
        tbs = rest; // explicit version
    }
    let (_, _, rest) = der_item(tbs)?; // serial
    let (_, _, rest) = der_item(rest)?; // signature algorithm
    let (_, issuer, rest) = der_item(rest)?;
    let (_, validity, rest) = der_item(rest)?;
    let (_, subject, rest) = der_item(rest)?;
    Some(Tbs {
        issuer,
        validity,
        subject,
        rest,
    })
}

/// (issuer, subject) as RFC 2253 strings.
fn dn_names(cert: &[u8]) -> Option<(String, String)> {
    let t = tbs(cert)?;
    Some((dn_string(t.issuer)?, dn_string(t.subject)?))
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

/// Whether the certificate has a subjectAltName extension, and its subject's last common name.
fn san_and_cn(cert: &[u8]) -> Option<(bool, Option<String>)> {
    let Tbs {
        mut subject,
        mut rest,
        ..
    } = tbs(cert)?;
    let mut cn = None;
    while !subject.is_empty() {
        let (_, mut set, r) = der_item(subject)?;
        subject = r;
        while !set.is_empty() {
            let (_, atv, r) = der_item(set)?;
            set = r;
            let (_, oid, r) = der_item(atv)?;
            if oid == [0x55, 0x04, 0x03] {
                cn = Some(String::from_utf8_lossy(der_item(r)?.1).into_owned());
            }
        }
    }
    let (_, _, r) = der_item(rest)?; // subjectPublicKeyInfo
    rest = r;
    let mut san = false;
    while !rest.is_empty() {
        let (tag, body, r) = der_item(rest)?;
        rest = r;
        if tag == 0xa3 {
            let (_, mut exts, _) = der_item(body)?;
            while !exts.is_empty() {
                let (_, ext, r) = der_item(exts)?;
                exts = r;
                san |= der_item(ext)?.1 == [0x55, 0x1d, 0x11];
            }
        }
    }
    Some((san, cn))
}

/// GNU wget's pattern_match for a common name: case-insensitive, `*` matches within one label.
fn pattern_match(pattern: &[u8], name: &[u8]) -> bool {
    let lower = |b: u8| b.to_ascii_lowercase();
    let (mut p, mut n) = (0, 0);
    while p < pattern.len() {
        let c = lower(pattern[p]);
        p += 1;
        if c == b'*' {
            while p < pattern.len() && pattern[p] == b'*' {
                p += 1;
            }
            let next = pattern.get(p).map(|&b| lower(b));
            while n < name.len() {
                if Some(lower(name[n])) == next && pattern_match(&pattern[p..], &name[n..]) {
                    return true;
                }
                if name[n] == b'.' {
                    return false;
                }
                n += 1;
            }
            return next.is_none();
        }
        if n >= name.len() || c != lower(name[n]) {
            return false;
        }
        n += 1;
    }
    n == name.len()
}

/// The certificate's validity against `now` (seconds since the epoch), OpenSSL's wording for a
/// problem; a validity that does not parse is a problem too.
fn validity(cert: &[u8], now: u64) -> Option<&'static str> {
    let parsed = (|| {
        let (t1, nb, rest) = der_item(tbs(cert)?.validity)?;
        let (t2, na, _) = der_item(rest)?;
        Some((der_time(t1, nb)?, der_time(t2, na)?))
    })();
    let now = now as i64;
    match parsed {
        None => Some("format error in certificate's notBefore field"),
        Some((nb, _)) if now < nb => Some("Issued certificate not yet valid."),
        Some((_, na)) if now > na => Some("Issued certificate has expired."),
        Some(_) => None,
    }
}

/// UTCTime (`YYMMDDHHMMSSZ`, years 1950–2049) or GeneralizedTime (`YYYYMMDDHHMMSSZ`), to
/// seconds since the epoch.
fn der_time(tag: u8, v: &[u8]) -> Option<i64> {
    let digits = |s: &[u8]| -> Option<i64> {
        s.iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    let (year, rest) = match (tag, v.len()) {
        (0x17, 13) => {
            let y = digits(&v[..2])?;
            (if y < 50 { 2000 + y } else { 1900 + y }, &v[2..])
        }
        (0x18, 15) => (digits(&v[..4])?, &v[4..]),
        _ => return None,
    };
    if rest[10] != b'Z' {
        return None;
    }
    let f = |i: usize| digits(&rest[i..i + 2]);
    let (mo, d, h, mi, sec) = (f(0)?, f(2)?, f(4)?, f(6)?, f(8)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let days = crate::common::time::days_from_civil(year, mo as u32, d as u32);
    Some(days * 86400 + h * 3600 + mi * 60 + sec)
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

    /// The packed roots are webpki-roots' own, every anchor and part, in order.
    #[test]
    fn builtin_roots_are_webpki_roots() {
        let ours = builtin_roots();
        let theirs = webpki_roots::TLS_SERVER_ROOTS;
        assert!(theirs.len() > 100);
        assert_eq!(ours.len(), theirs.len());
        for (a, b) in ours.iter().zip(theirs) {
            assert_eq!(a.subject[..], b.subject[..]);
            assert_eq!(a.subject_public_key_info[..], b.subject_public_key_info[..]);
            assert_eq!(a.name_constraints.as_deref(), b.name_constraints.as_deref());
        }
        assert!(ours.iter().any(|a| a.name_constraints.is_some()));
    }

    #[test]
    fn variant_names_in_words() {
        assert_eq!(words("HandshakeFailure"), "handshake failure");
        assert_eq!(words("InvalidContentType"), "invalid content type");
        assert_eq!(words("Unknown(42)"), "unknown (42)");
        assert_eq!(words("TLS13Only"), "tls13 only");
    }

    #[test]
    fn common_name_patterns_as_gnu_wget() {
        assert!(pattern_match(b"LocalHost", b"localhost"));
        assert!(pattern_match(b"*.example.org", b"www.example.org"));
        assert!(!pattern_match(b"*.example.org", b"a.b.example.org"));
        assert!(!pattern_match(b"*.example.org", b"example.org"));
        assert!(pattern_match(b"w*w.example.org", b"www.example.org"));
        assert!(!pattern_match(b"localhost", b"localhost2"));
        assert!(!pattern_match(b"", b"x"));
        assert!(pattern_match(b"127.0.0.1", b"127.0.0.1"));
    }

    #[test]
    fn der_times() {
        assert_eq!(der_time(0x17, b"700101000000Z"), Some(0));
        assert_eq!(der_time(0x17, b"491231235959Z"), Some(2524607999));
        assert_eq!(der_time(0x18, b"20200201000000Z"), Some(1580515200));
        assert_eq!(der_time(0x18, b"20201301000000Z"), None);
        assert_eq!(der_time(0x17, b"2001010000Z"), None);
        assert_eq!(der_time(0x17, b"200101000000+"), None);
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
