//! What a caller asks to provision, before validation. Unknown keys are
//! refused so typos surface instead of being ignored.

use serde::{Deserialize, Serialize};

/// An Official Account app to create or replace.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSpec {
    /// The appid.
    pub appid: String,
    /// The AppSecret; generated (32 hex digits) when absent.
    #[serde(default)]
    pub secret: Option<String>,
    /// `invoicing_platform`, `merchant` or `fiscal_bureau`.
    pub role: String,
    /// Display name; defaults to the appid.
    #[serde(default)]
    pub name: Option<String>,
}

/// A merchant API certificate: a certificate PEM, or a public key PEM with its serial.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateSpec {
    /// The serial the merchant signs with; read from the certificate when one is given.
    #[serde(default)]
    pub serial_no: Option<String>,
    /// The certificate (`apiclient_cert.pem`).
    #[serde(default)]
    pub certificate_pem: Option<String>,
    /// Or just the public key (SPKI or PKCS#1 PEM).
    #[serde(default)]
    pub public_key_pem: Option<String>,
    /// TOML and CLI only: read `certificate_pem` from this file.
    #[serde(default)]
    pub certificate_file: Option<String>,
    /// TOML and CLI only: read `public_key_pem` from this file.
    #[serde(default)]
    pub public_key_file: Option<String>,
}

/// A WeChat Pay merchant to create or replace.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MerchantSpec {
    /// The mchid.
    pub mchid: String,
    /// Display name; defaults to the mchid.
    #[serde(default)]
    pub name: Option<String>,
    /// `direct` (default), `service_provider` or `sub_merchant`.
    #[serde(default)]
    pub kind: Option<String>,
    /// For a sub-merchant: its service provider's mchid.
    #[serde(default)]
    pub parent_mchid: Option<String>,
    /// The APIv3 key; generated when absent.
    #[serde(default)]
    pub apiv3_key: Option<String>,
    /// Where callbacks go.
    #[serde(default)]
    pub callback_url: Option<String>,
    /// `certificate` (default) or `public_key`.
    #[serde(default)]
    pub platform_mode: Option<String>,
    /// API certificates to register.
    #[serde(default)]
    pub certificates: Vec<CertificateSpec>,
    /// Generate an API key pair and certificate; the private key is returned once.
    #[serde(default)]
    pub generate_certificate: bool,
}

/// A platform signing key to add; generated when no private key is given.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformKeySpec {
    /// PKCS#8 or PKCS#1 PEM of the private key.
    #[serde(default)]
    pub private_key_pem: Option<String>,
    /// The platform certificate for certificate mode.
    #[serde(default)]
    pub certificate_pem: Option<String>,
    /// `PUB_KEY_ID_…` for public-key mode.
    #[serde(default)]
    pub public_key_id: Option<String>,
    /// TOML and CLI only: read `private_key_pem` from this file.
    #[serde(default)]
    pub private_key_file: Option<String>,
    /// TOML and CLI only: read `certificate_pem` from this file.
    #[serde(default)]
    pub certificate_file: Option<String>,
}

/// A user to create or replace.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    /// The app the openid belongs to.
    pub appid: String,
    /// The openid; generated (28 characters starting with `o`) when absent.
    #[serde(default)]
    pub openid: Option<String>,
    /// The unionid, if the user has one.
    #[serde(default)]
    pub unionid: Option<String>,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
}
