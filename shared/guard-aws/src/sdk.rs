//! The shared SDK configuration: one explicit rustls (ring) HTTPS client, bounded timeouts and
//! the SDK's standard retries. `AWS_ENDPOINT_URL` (honoured by aws-config) points every client
//! at an emulator such as moto.
//!
//! TLS trusts the Amazon Trust Services roots compiled into the binary, the CAs that issue AWS
//! service endpoints' certificates: reading the system store (~140 files) was most of the
//! cold start. `POLICY_GUARD_TRUST_SYSTEM_ROOTS=true` adds the system store (a TLS-inspecting
//! proxy, a custom endpoint).
//!
//! Credentials and region come from the environment when it holds them, as Lambda's always
//! does: the default chains would pick exactly those first, and building the rest of them (an
//! STS client for web identity, IMDS and ECS providers, the profile chain) was a third of the
//! cold start. Elsewhere the default chains apply.

use aws_config::environment::{
    EnvironmentVariableCredentialsProvider, EnvironmentVariableRegionProvider,
};
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
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client)
        .timeout_config(timeouts)
        .retry_config(RetryConfig::standard().with_max_attempts(3));
    let shortcuts = EnvShortcuts::from(|name: &str| std::env::var_os(name));
    if shortcuts.credentials {
        loader = loader.credentials_provider(EnvironmentVariableCredentialsProvider::new());
    }
    if shortcuts.region {
        loader = loader.region(EnvironmentVariableRegionProvider::new());
    }
    loader.load().await
}

/// Which default chains the environment answers on its own: the first link of the
/// credentials chain is `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (Lambda sets both, with
/// `AWS_SESSION_TOKEN`, from the execution role), the first of the region chain `AWS_REGION`
/// or `AWS_DEFAULT_REGION`.
#[derive(Debug, PartialEq, Eq)]
struct EnvShortcuts {
    credentials: bool,
    region: bool,
}

impl EnvShortcuts {
    fn from(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> EnvShortcuts {
        let set = |name: &str| var(name).is_some_and(|value| !value.is_empty());
        EnvShortcuts {
            credentials: set("AWS_ACCESS_KEY_ID")
                && (set("AWS_SECRET_ACCESS_KEY") || set("SECRET_ACCESS_KEY")),
            region: set("AWS_REGION") || set("AWS_DEFAULT_REGION"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::CertificateDer;

    fn shortcuts(vars: &[(&str, &str)]) -> EnvShortcuts {
        EnvShortcuts::from(|name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.into())
        })
    }

    #[test]
    fn the_environment_answers_credentials_and_region_only_when_it_holds_them() {
        let lambda = [
            ("AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("AWS_SESSION_TOKEN", "token"),
            ("AWS_REGION", "eu-west-1"),
        ];
        let both = EnvShortcuts {
            credentials: true,
            region: true,
        };
        assert_eq!(shortcuts(&lambda), both);
        assert_eq!(
            shortcuts(&[
                ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE"),
                ("SECRET_ACCESS_KEY", "secret"),
                ("AWS_DEFAULT_REGION", "eu-west-1"),
            ]),
            both
        );
        // A key id without its secret, or empty values, leave the default chains to decide
        // (a profile, web identity, ECS or IMDS).
        let neither = EnvShortcuts {
            credentials: false,
            region: false,
        };
        assert_eq!(shortcuts(&[("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")]), neither);
        assert_eq!(
            shortcuts(&[
                ("AWS_ACCESS_KEY_ID", ""),
                ("AWS_SECRET_ACCESS_KEY", "secret"),
                ("AWS_REGION", ""),
            ]),
            neither
        );
        assert_eq!(shortcuts(&[]), neither);
    }

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
