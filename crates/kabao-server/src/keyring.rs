//! Parsed keys of merchants and of the platform, cached in memory so that a
//! signed request costs one verify and one sign, not a database round trip and
//! a key parse. Entries are re-read after [`CACHE_TTL`], and a miss always asks
//! the store, so tenants provisioned by another process appear at once.

use crate::domain::ids::SerialNo;
use crate::domain::tenant::{Merchant, PlatformKey, PlatformMode};
use crate::store::{Store, StoreError};
use kabao_protocol::rsa::{PrivateKey, PublicKey};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long a cached merchant or the platform key list is trusted.
pub const CACHE_TTL: Duration = Duration::from_secs(2);

/// One merchant API certificate, ready to verify with.
#[derive(Clone)]
pub struct MerchantKey {
    /// Normalised serial.
    pub serial_no: SerialNo,
    /// The key that verifies the merchant's signatures.
    pub public_key: PublicKey,
    /// Expiry, if the certificate said.
    pub not_after: Option<i64>,
}

/// A merchant with its parsed API certificates.
pub struct MerchantEntry {
    /// The stored merchant.
    pub merchant: Merchant,
    /// Its API certificates.
    pub keys: Vec<MerchantKey>,
}

impl MerchantEntry {
    /// The certificate with this serial (compared in normalised form).
    pub fn key(&self, serial: &SerialNo) -> Option<&MerchantKey> {
        self.keys.iter().find(|k| &k.serial_no == serial)
    }
}

/// A platform key with its private half parsed.
pub struct PlatformKeyEntry {
    /// The stored key.
    pub record: PlatformKey,
    /// Signs responses and callbacks; decrypts sensitive fields.
    pub private_key: PrivateKey,
}

impl PlatformKeyEntry {
    /// Whether its certificate is valid at `now`.
    pub fn certificate_valid_at(&self, now: i64) -> bool {
        self.record.certificate_pem.is_some()
            && self.record.not_before <= now
            && now < self.record.not_after
    }
}

/// What signs one response: the key and the `Wechatpay-Serial` value naming it.
#[derive(Clone)]
pub struct Signer {
    /// Certificate serial or `PUB_KEY_ID_…`.
    pub serial: String,
    /// The platform key.
    pub key: Arc<PlatformKeyEntry>,
}

type Cached<T> = (Instant, T);

/// Every platform key, parsed; shared by reference.
pub type PlatformKeys = Arc<Vec<Arc<PlatformKeyEntry>>>;

/// The cache. Shared by the HTTP layer and (later) the callback worker.
pub struct Keyring {
    store: Arc<dyn Store>,
    merchants: RwLock<HashMap<String, Cached<Arc<MerchantEntry>>>>,
    platform: RwLock<Option<Cached<PlatformKeys>>>,
}

impl Keyring {
    /// An empty cache over `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            merchants: RwLock::default(),
            platform: RwLock::default(),
        }
    }

    /// Forgets everything; called after local provisioning writes.
    pub fn invalidate(&self) {
        self.merchants.write().expect("keyring lock").clear();
        *self.platform.write().expect("keyring lock") = None;
    }

    /// The merchant with this mchid, or `None` when it is not provisioned.
    pub async fn merchant(&self, mchid: &str) -> Result<Option<Arc<MerchantEntry>>, StoreError> {
        if let Some((at, entry)) = self.merchants.read().expect("keyring lock").get(mchid) {
            if at.elapsed() < CACHE_TTL {
                return Ok(Some(entry.clone()));
            }
        }
        let Some(merchant) = self.store.merchant(mchid).await? else {
            self.merchants.write().expect("keyring lock").remove(mchid);
            return Ok(None);
        };
        let keys = self
            .store
            .merchant_certificates(mchid)
            .await?
            .into_iter()
            .filter_map(|c| match PublicKey::from_pem(&c.public_key_pem) {
                Ok(public_key) => Some(MerchantKey {
                    serial_no: c.serial_no,
                    public_key,
                    not_after: c.not_after,
                }),
                Err(e) => {
                    tracing::warn!(mchid, serial = %c.serial_no, error = %e, "stored merchant key does not parse");
                    None
                }
            })
            .collect();
        let entry = Arc::new(MerchantEntry { merchant, keys });
        self.merchants
            .write()
            .expect("keyring lock")
            .insert(mchid.to_owned(), (Instant::now(), entry.clone()));
        Ok(Some(entry))
    }

    /// Every platform key, parsed.
    pub async fn platform_keys(&self) -> Result<PlatformKeys, StoreError> {
        if let Some((at, keys)) = self.platform.read().expect("keyring lock").as_ref() {
            if at.elapsed() < CACHE_TTL {
                return Ok(keys.clone());
            }
        }
        let keys: Vec<Arc<PlatformKeyEntry>> = self
            .store
            .platform_keys()
            .await?
            .into_iter()
            .filter_map(|record| match PrivateKey::from_pem(&record.private_key_pem) {
                Ok(private_key) => Some(Arc::new(PlatformKeyEntry { record, private_key })),
                Err(e) => {
                    tracing::warn!(serial = ?record.serial_no, error = %e, "stored platform key does not parse");
                    None
                }
            })
            .collect();
        let keys = Arc::new(keys);
        *self.platform.write().expect("keyring lock") = Some((Instant::now(), keys.clone()));
        Ok(keys)
    }
}

/// The platform key a caller named in `Wechatpay-Serial`: a known public key
/// id, or the serial of a platform certificate valid at `now`.
pub fn requested_key(keys: &[Arc<PlatformKeyEntry>], requested: &str, now: i64) -> Option<Signer> {
    if requested.is_empty() {
        return None;
    }
    if let Some(key) = keys.iter().find(|k| {
        k.record
            .public_key_id
            .as_ref()
            .is_some_and(|id| id.as_str() == requested)
    }) {
        return Some(Signer {
            serial: requested.to_owned(),
            key: key.clone(),
        });
    }
    let serial = SerialNo::normalise(requested)?;
    keys.iter()
        .find(|k| k.record.serial_no.as_ref() == Some(&serial) && k.certificate_valid_at(now))
        .map(|key| Signer {
            serial: serial.as_str().to_owned(),
            key: key.clone(),
        })
}

/// Chooses the platform key for a response or callback:
/// a request's `Wechatpay-Serial` naming a known public key id or a valid
/// certificate wins; otherwise the merchant's mode decides (certificate mode:
/// the valid certificate issued last; public-key mode: the newest key id);
/// an unknown caller gets certificate mode.
pub fn choose_signer(
    keys: &[Arc<PlatformKeyEntry>],
    merchant: Option<&Merchant>,
    requested: Option<&str>,
    now: i64,
) -> Option<Signer> {
    if let Some(signer) = requested.and_then(|r| requested_key(keys, r, now)) {
        return Some(signer);
    }
    let by_public_key = || {
        keys.iter().rev().find_map(|k| {
            k.record.public_key_id.as_ref().map(|id| Signer {
                serial: id.as_str().to_owned(),
                key: k.clone(),
            })
        })
    };
    let by_certificate = || {
        keys.iter()
            .filter(|k| k.certificate_valid_at(now))
            .max_by_key(|k| k.record.not_before)
            .and_then(|k| {
                k.record.serial_no.as_ref().map(|s| Signer {
                    serial: s.as_str().to_owned(),
                    key: k.clone(),
                })
            })
    };
    match merchant.map(|m| m.platform_mode) {
        Some(PlatformMode::PublicKey) => by_public_key().or_else(by_certificate),
        _ => by_certificate().or_else(by_public_key),
    }
}
