//! Platform certificates: `GET /v3/certificates`, each certificate
//! decrypted with the APIv3 key and checked against its listed serial, the
//! list's own signature verified with one of them, then cached (replacing
//! the previous list, so expired certificates drop out) and refreshed.

use super::transport::{unix_now, Body, Outgoing};
use super::verify::{check, serial_of};
use super::WechatPay;
use crate::error::{ClientError, SignatureError};
use kabao_protocol::apiv3::{parse_rfc3339, CertificateList};
use kabao_protocol::certificate::parse_certificate_pem;
use kabao_protocol::rsa::PublicKey;
use reqwest::Method;
use std::time::Instant;

/// A platform certificate as downloaded and decrypted.
#[derive(Debug, Clone)]
pub struct PlatformCertificate {
    /// The serial answers name in `Wechatpay-Serial`.
    pub serial_no: String,
    /// The decrypted PEM.
    pub pem: String,
    /// Its public key.
    pub public_key: PublicKey,
    /// Validity start (Unix seconds).
    pub not_before: i64,
    /// Validity end (Unix seconds).
    pub not_after: i64,
}

impl PlatformCertificate {
    /// Whether the certificate is valid at `now` (Unix seconds).
    pub fn valid_at(&self, now: i64) -> bool {
        self.not_before <= now && now < self.not_after
    }
}

impl WechatPay {
    /// `GET /v3/certificates`: downloads and decrypts the platform
    /// certificates, checks the answer was signed by one of them (or by the
    /// configured public key), and makes them the cached set.
    pub async fn certificates(&self) -> Result<Vec<PlatformCertificate>, ClientError> {
        let _single = self.download.lock().await;
        self.download_now().await
    }

    async fn download_now(&self) -> Result<Vec<PlatformCertificate>, ClientError> {
        let response = self
            .execute_unverified(&Outgoing {
                method: Method::GET,
                target: "/v3/certificates".into(),
                body: Body::Empty,
                serial: None,
            })
            .await?;
        let list: CertificateList = response.json()?;
        let mut out = Vec::with_capacity(list.data.len());
        for item in list.data {
            let pem = item.encrypt_certificate.open(&self.apiv3_key)?;
            let pem = String::from_utf8(pem).map_err(ClientError::unexpected)?;
            let info = parse_certificate_pem(&pem)?;
            if !info.serial_hex.eq_ignore_ascii_case(&item.serial_no) {
                return Err(ClientError::unexpected(format!(
                    "certificate {} is listed as {}",
                    info.serial_hex, item.serial_no
                )));
            }
            out.push(PlatformCertificate {
                not_before: parse_rfc3339(&item.effective_time).unwrap_or(info.not_before),
                not_after: parse_rfc3339(&item.expire_time).unwrap_or(info.not_after),
                serial_no: item.serial_no,
                pem,
                public_key: info.public_key,
            });
        }
        let serial = serial_of(&response.headers)?.to_owned();
        let signer = out
            .iter()
            .find(|c| c.serial_no == serial)
            .map(|c| c.public_key.clone())
            .or_else(|| {
                self.public_key
                    .as_ref()
                    .filter(|(id, _)| *id == serial)
                    .map(|(_, k)| k.clone())
            })
            .ok_or_else(|| SignatureError::UnknownSerial(serial.clone()))?;
        check(&response.headers, &response.body, &signer, unix_now())?;
        let mut cache = self.certificates.write().expect("certificate cache lock");
        cache.certificates = out.clone();
        cache.fetched_at = Some(Instant::now());
        Ok(out)
    }

    /// Downloads the certificates unless another task just did and `serial`
    /// is now known.
    pub(crate) async fn download_if_unknown(&self, serial: &str) -> Result<(), ClientError> {
        let _single = self.download.lock().await;
        if self.cached_key(serial).is_none() {
            self.download_now().await?;
        }
        Ok(())
    }

    /// The cached certificates (empty before the first download).
    pub fn platform_certificates(&self) -> Vec<PlatformCertificate> {
        self.certificates
            .read()
            .expect("certificate cache lock")
            .certificates
            .clone()
    }

    /// Whether the cache is older than the refresh interval (never when
    /// nothing was downloaded yet: the first use downloads anyway).
    pub(crate) fn certificates_stale(&self) -> bool {
        let cache = self.certificates.read().expect("certificate cache lock");
        cache
            .fetched_at
            .is_some_and(|at| at.elapsed() >= self.certificate_refresh)
    }

    /// The public key of the cached certificate `serial`.
    pub(crate) fn cached_key(&self, serial: &str) -> Option<PublicKey> {
        let cache = self.certificates.read().expect("certificate cache lock");
        cache
            .certificates
            .iter()
            .find(|c| c.serial_no.eq_ignore_ascii_case(serial))
            .map(|c| c.public_key.clone())
    }

    /// The valid certificate that expires last (the one to encrypt for),
    /// downloading the certificates first if none is cached.
    pub(crate) async fn newest_certificate(&self) -> Result<PlatformCertificate, ClientError> {
        let pick = |certs: &[PlatformCertificate]| {
            let now = unix_now();
            certs
                .iter()
                .filter(|c| c.valid_at(now))
                .max_by_key(|c| c.not_after)
                .cloned()
        };
        if let Some(c) = pick(&self.platform_certificates()) {
            if !self.certificates_stale() {
                return Ok(c);
            }
        }
        let fresh = self.certificates().await?;
        pick(&fresh).ok_or_else(|| {
            ClientError::unexpected("GET /v3/certificates listed no currently valid certificate")
        })
    }
}
