//! Tenants: Official Account apps, WeChat Pay merchants with their API
//! certificates, platform signing keys and users. These are what the store
//! persists and what provisioning (TOML, CLI, control API) creates.

use super::ids::{Appid, Mchid, Openid, PublicKeyId, SerialNo};
use super::FieldError;
use serde::{Deserialize, Serialize};

/// What an Official Account app does in the invoice flows; decides which
/// endpoints it may call in later issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppRole {
    /// 开票平台: registers `s_pappid`, creates card templates, inserts invoices.
    InvoicingPlatform,
    /// 商户: asks users for authorisation and title data.
    Merchant,
    /// 财政局: creates fiscal bill templates and inserts fiscal bills.
    FiscalBureau,
}

impl AppRole {
    /// The stored and wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvoicingPlatform => "invoicing_platform",
            Self::Merchant => "merchant",
            Self::FiscalBureau => "fiscal_bureau",
        }
    }

    /// Parses the spelling of [`AppRole::as_str`], naming `field` on failure.
    pub fn parse(field: &str, value: &str) -> Result<Self, FieldError> {
        match value {
            "invoicing_platform" => Ok(Self::InvoicingPlatform),
            "merchant" => Ok(Self::Merchant),
            "fiscal_bureau" => Ok(Self::FiscalBureau),
            _ => Err(FieldError::new(
                field,
                "must be invoicing_platform, merchant or fiscal_bureau",
            )),
        }
    }
}

/// An Official Account app as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct App {
    /// The appid callers present to `/cgi-bin/token`.
    pub appid: Appid,
    /// The AppSecret; shown only to the admin.
    pub secret: String,
    /// What the app does.
    pub role: AppRole,
    /// A display name for the console and logs.
    pub name: String,
    /// When it was provisioned (Unix seconds, kabao's clock).
    pub created_at: i64,
}

/// How a merchant relates to others in WeChat Pay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MerchantKind {
    /// 直连商户: calls APIv3 for itself.
    Direct,
    /// 服务商: calls APIv3 on behalf of its sub-merchants (`sub_mchid`).
    ServiceProvider,
    /// 子商户/特约商户: acted for by its service provider (`parent_mchid`).
    SubMerchant,
}

impl MerchantKind {
    /// The stored and wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Direct => "direct",
            Self::ServiceProvider => "service_provider",
            Self::SubMerchant => "sub_merchant",
        }
    }

    /// Parses the spelling of [`MerchantKind::as_str`], naming `field` on failure.
    pub fn parse(field: &str, value: &str) -> Result<Self, FieldError> {
        match value {
            "direct" => Ok(Self::Direct),
            "service_provider" => Ok(Self::ServiceProvider),
            "sub_merchant" => Ok(Self::SubMerchant),
            _ => Err(FieldError::new(
                field,
                "must be direct, service_provider or sub_merchant",
            )),
        }
    }
}

/// Which platform key signs a merchant's responses and callbacks by default
/// (a request's `Wechatpay-Serial` can still pick the other).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlatformMode {
    /// Platform certificates from `/v3/certificates`; `Wechatpay-Serial` is a
    /// certificate serial.
    Certificate,
    /// The WeChat Pay public key; `Wechatpay-Serial` is a `PUB_KEY_ID_…`.
    PublicKey,
}

impl PlatformMode {
    /// The stored and wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Certificate => "certificate",
            Self::PublicKey => "public_key",
        }
    }

    /// Parses the spelling of [`PlatformMode::as_str`], naming `field` on failure.
    pub fn parse(field: &str, value: &str) -> Result<Self, FieldError> {
        match value {
            "certificate" => Ok(Self::Certificate),
            "public_key" => Ok(Self::PublicKey),
            _ => Err(FieldError::new(field, "must be certificate or public_key")),
        }
    }
}

/// The merchant's APIv3 key: the raw ASCII bytes are the AES-GCM key.
/// Real keys are 32 characters (AES-256); 16 are accepted because the
/// official SDKs' own tests use such keys (AES-128).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ApiV3Key(String);

impl ApiV3Key {
    /// Parses a key named `field`.
    pub fn parse(field: &str, value: &str) -> Result<Self, FieldError> {
        if !(value.len() == 32 || value.len() == 16) || !value.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(FieldError::new(
                field,
                "must be 32 printable ASCII characters (16 accepted for SDK test keys)",
            ));
        }
        Ok(Self(value.to_owned()))
    }

    /// The key bytes for AES-GCM.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// The key as text, for provisioning output.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The key with all but its first and last two characters hidden, for logs and lists.
    pub fn masked(&self) -> String {
        let s = &self.0;
        format!("{}…{} ({} chars)", &s[..2], &s[s.len() - 2..], s.len())
    }
}

impl std::fmt::Debug for ApiV3Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiV3Key({})", self.masked())
    }
}

/// A WeChat Pay merchant as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merchant {
    /// The merchant id in the `Authorization` header.
    pub mchid: Mchid,
    /// A display name.
    pub name: String,
    /// Direct merchant, service provider or sub-merchant.
    pub kind: MerchantKind,
    /// For a sub-merchant, its service provider.
    pub parent_mchid: Option<Mchid>,
    /// The key that encrypts certificates and callbacks for this merchant.
    pub apiv3_key: ApiV3Key,
    /// Where callbacks go (set again by `development-config` in the fapiao family).
    pub callback_url: Option<String>,
    /// Default signing mode for responses and callbacks.
    pub platform_mode: PlatformMode,
    /// When it was provisioned.
    pub created_at: i64,
}

/// One merchant API certificate (or bare public key) that verifies the
/// merchant's request signatures; a merchant may have several during rotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerchantCertificate {
    /// Whose certificate.
    pub mchid: Mchid,
    /// The `serial_no` the merchant puts in `Authorization`.
    pub serial_no: SerialNo,
    /// SPKI PEM of the merchant's public key.
    pub public_key_pem: String,
    /// The certificate PEM, when one was given.
    pub certificate_pem: Option<String>,
    /// Expiry (Unix seconds); requests signed under an expired certificate are refused.
    pub not_after: Option<i64>,
}

/// A WeChat Pay platform signing key: a certificate (serial), a public key id,
/// or both. Platform keys sign responses and callbacks and decrypt sensitive
/// request fields; they are shared by every merchant of this kabao.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformKey {
    /// Certificate serial (certificate mode), upper-case hex.
    pub serial_no: Option<SerialNo>,
    /// Public key id (public-key mode).
    pub public_key_id: Option<PublicKeyId>,
    /// PKCS#8 PEM of the private key. Never logged.
    pub private_key_pem: String,
    /// The platform certificate PEM (certificate mode).
    pub certificate_pem: Option<String>,
    /// Validity start (Unix seconds).
    pub not_before: i64,
    /// Validity end (Unix seconds).
    pub not_after: i64,
}

impl std::fmt::Debug for PlatformKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlatformKey")
            .field("serial_no", &self.serial_no)
            .field("public_key_id", &self.public_key_id)
            .field("not_before", &self.not_before)
            .field("not_after", &self.not_after)
            .finish_non_exhaustive()
    }
}

/// A WeChat user as one app sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// The app the openid belongs to.
    pub appid: Appid,
    /// The user's openid under that app.
    pub openid: Openid,
    /// The user's unionid across the developer's apps, when there is one.
    pub unionid: Option<Openid>,
    /// A display name for the card-package page.
    pub name: String,
}
