//! The WeChat Pay APIv3 client (`api.mch.weixin.qq.com`): signs every
//! request with the merchant key, verifies every 2xx answer against the
//! platform certificates (downloaded, decrypted, cached, refreshed) or the
//! platform public key, encrypts sensitive fields, uploads files with their
//! SM3 digest, and parses callbacks. The fapiao and taxi endpoints are on
//! [`WechatPay::fapiao`] and [`WechatPay::taxi`].

mod call;
mod certificates;
mod query;
mod sensitive;
mod transport;
mod upload;
mod verify;

pub use certificates::PlatformCertificate;
pub use query::{encode_path_segment, Query};
pub use sensitive::EncryptedField;
pub use transport::PayResponse;
pub use upload::sm3_hex;

use kabao_protocol::rsa::{PrivateKey, PublicKey};
use std::sync::RwLock;
use std::time::{Duration, Instant};

/// How often the platform certificates are downloaded again by default.
const DEFAULT_CERTIFICATE_REFRESH: Duration = Duration::from_secs(12 * 3600);

/// A merchant (or service provider) calling WeChat Pay APIv3 at one base URL.
pub struct WechatPay {
    base_url: String,
    mchid: String,
    serial_no: String,
    key: PrivateKey,
    apiv3_key: Vec<u8>,
    public_key: Option<(String, PublicKey)>,
    certificates: RwLock<CertificateCache>,
    download: tokio::sync::Mutex<()>,
    certificate_refresh: Duration,
    get_retries: u32,
    http: reqwest::Client,
}

/// The platform certificates last downloaded, and when.
#[derive(Default)]
struct CertificateCache {
    certificates: Vec<PlatformCertificate>,
    fetched_at: Option<Instant>,
}

/// Settings of a [`WechatPay`] before it is built.
pub struct WechatPayBuilder {
    base_url: String,
    mchid: String,
    serial_no: String,
    private_key_pem: String,
    apiv3_key: String,
    public_key: Option<(String, String)>,
    timeout: Duration,
    connect_timeout: Duration,
    certificate_refresh: Duration,
    get_retries: u32,
}

impl WechatPayBuilder {
    /// Where the API is (default [`crate::PAY_BASE_URL`]); a trailing `/` is ignored.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Whole-request timeout (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Connection timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Public-key mode: verify answers and callbacks with the WeChat Pay
    /// public key `pem` whose id (`PUB_KEY_ID_…`) is sent as
    /// `Wechatpay-Serial` on every request and used to encrypt fields.
    /// Answers signed with a certificate still verify (certificates are
    /// downloaded when one is named), as during a migration.
    pub fn platform_public_key(
        mut self,
        key_id: impl Into<String>,
        pem: impl Into<String>,
    ) -> Self {
        self.public_key = Some((key_id.into(), pem.into()));
        self
    }

    /// How old the downloaded certificates may get before the next verified
    /// answer downloads them again (default 12 h). A serial the cache does
    /// not know always triggers a download.
    pub fn certificate_refresh(mut self, every: Duration) -> Self {
        self.certificate_refresh = every;
        self
    }

    /// How many times a GET is retried after a transport error (default 2).
    /// Other methods are never retried: WeChat Pay may have acted on them.
    pub fn get_retries(mut self, retries: u32) -> Self {
        self.get_retries = retries;
        self
    }

    /// The client; fails on an unreadable key or when the HTTP stack cannot start.
    pub fn build(self) -> Result<WechatPay, crate::ClientError> {
        let public_key = match self.public_key {
            Some((id, pem)) => Some((id, PublicKey::from_pem(&pem)?)),
            None => None,
        };
        Ok(WechatPay {
            base_url: self.base_url,
            mchid: self.mchid,
            serial_no: self.serial_no,
            key: PrivateKey::from_pem(&self.private_key_pem)?,
            apiv3_key: self.apiv3_key.into_bytes(),
            public_key,
            certificates: RwLock::default(),
            download: tokio::sync::Mutex::new(()),
            certificate_refresh: self.certificate_refresh,
            get_retries: self.get_retries,
            http: reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .build()?,
        })
    }
}

impl WechatPay {
    /// Settings for merchant `mchid` whose API certificate has `serial_no`,
    /// signing with `private_key_pem`; `apiv3_key` decrypts certificates and
    /// callbacks.
    pub fn builder(
        mchid: impl Into<String>,
        serial_no: impl Into<String>,
        private_key_pem: impl Into<String>,
        apiv3_key: impl Into<String>,
    ) -> WechatPayBuilder {
        WechatPayBuilder {
            base_url: crate::PAY_BASE_URL.to_owned(),
            mchid: mchid.into(),
            serial_no: serial_no.into(),
            private_key_pem: private_key_pem.into(),
            apiv3_key: apiv3_key.into(),
            public_key: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            certificate_refresh: DEFAULT_CERTIFICATE_REFRESH,
            get_retries: 2,
        }
    }

    /// A client with default settings against `base_url`.
    pub fn new(
        base_url: impl Into<String>,
        mchid: impl Into<String>,
        serial_no: impl Into<String>,
        private_key_pem: &str,
        apiv3_key: impl Into<String>,
    ) -> Result<Self, crate::ClientError> {
        Self::builder(mchid, serial_no, private_key_pem, apiv3_key)
            .base_url(base_url)
            .build()
    }

    /// The merchant this client signs for.
    pub fn mchid(&self) -> &str {
        &self.mchid
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The APIv3 key, which decrypts certificates and callbacks.
    pub(crate) fn apiv3_key(&self) -> &[u8] {
        &self.apiv3_key
    }

    /// The fapiao endpoints (`/v3/new-tax-control-fapiao/*`).
    pub fn fapiao(&self) -> crate::fapiao::Fapiao<'_> {
        crate::fapiao::Fapiao::new(self)
    }

    /// The taxi-invoice endpoints (`/v3/taxi-invoice/*`, service providers only).
    pub fn taxi(&self) -> crate::taxi::Taxi<'_> {
        crate::taxi::Taxi::new(self)
    }
}
