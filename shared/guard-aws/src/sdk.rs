//! The shared SDK configuration: one explicit rustls (ring) HTTPS client, bounded timeouts and
//! the SDK's standard retries. `AWS_ENDPOINT_URL` (honoured by aws-config) points every client
//! at an emulator such as moto.
//!
//! TLS trusts the Amazon Trust Services roots compiled into the binary, the CAs that issue AWS
//! service endpoints' certificates: reading the system store (~140 files) was most of the
//! cold start. `POLICY_GUARD_TRUST_SYSTEM_ROOTS=true` adds the system store (a TLS-inspecting
//! proxy, a custom endpoint).

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider, TlsContext, TrustStore};
use std::time::Duration;

/// Amazon Root CA 1-4 and Starfield Services Root CA G2 (https://www.amazontrust.com/repository/),
/// copied from Debian's ca-certificates; subjects, expiry and SHA-256 fingerprints are in the file.
pub const AMAZON_TRUST_SERVICES_ROOTS: &str = include_str!("../roots/amazon-trust-services.pem");

/// Which certificate authorities the HTTPS client trusts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TrustRoots {
    /// The compiled-in Amazon Trust Services roots only.
    #[default]
    AmazonTrustServices,
    /// Those and the system's certificate store.
    WithSystemStore,
}

fn trust_store(roots: TrustRoots) -> TrustStore {
    TrustStore::empty()
        .with_native_roots(roots == TrustRoots::WithSystemStore)
        .with_pem_certificate(AMAZON_TRUST_SERVICES_ROOTS.as_bytes())
}

/// Loads the SDK configuration from the environment (region, credentials, endpoint).
pub async fn load(roots: TrustRoots) -> SdkConfig {
    let mut http_client =
        aws_smithy_http_client::Builder::new().tls_provider(Provider::Rustls(CryptoMode::Ring));
    // `build` has no failure case today; were one added, the default context (the system
    // store) would still verify every certificate.
    if let Ok(context) = TlsContext::builder()
        .with_trust_store(trust_store(roots))
        .build()
    {
        http_client = http_client.tls_context(context);
    }
    let http_client = http_client.build_https();
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(3))
        .operation_attempt_timeout(Duration::from_secs(5))
        .operation_timeout(Duration::from_secs(20))
        .build();
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client)
        .timeout_config(timeouts)
        .retry_config(RetryConfig::standard().with_max_attempts(3))
        .load()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::CertificateDer;

    /// The TLS client `expect`s every compiled-in certificate to parse: a bad one would panic
    /// at init, so it is checked here.
    #[test]
    fn the_compiled_in_roots_are_five_parsable_certificates() {
        let certificates: Vec<_> =
            CertificateDer::pem_slice_iter(AMAZON_TRUST_SERVICES_ROOTS.as_bytes())
                .collect::<Result<_, _>>()
                .unwrap();
        assert_eq!(certificates.len(), 5);
        for certificate in &certificates {
            let anchor = webpki::anchor_from_trusted_cert(certificate).unwrap();
            let subject = String::from_utf8_lossy(anchor.subject.as_ref()).into_owned();
            assert!(
                subject.contains("Amazon Root CA") || subject.contains("Starfield Services Root"),
                "{subject}"
            );
        }
    }
}
