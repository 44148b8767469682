//! Validates provisioning specs into tenants and stores them.

mod push_config;

use super::file::ProvisionFile;
use super::spec::{AppSpec, CertificateSpec, MerchantSpec, PlatformKeySpec, UserSpec};
use crate::clock::Clock;
use crate::domain::ids::{random_hex, Appid, Mchid, Openid, PublicKeyId, SerialNo};
use crate::domain::tenant::{
    ApiV3Key, App, AppRole, Merchant, MerchantCertificate, MerchantKind, PlatformKey, PlatformMode,
    User,
};
use crate::domain::FieldError;
use crate::keyring::Keyring;
use crate::pki;
use crate::store::{Store, StoreError};
use kabao_protocol::certificate::parse_certificate_pem;
use kabao_protocol::rsa::{PrivateKey, PublicKey};
use rand::distributions::Alphanumeric;
use rand::Rng;
use serde::Serialize;
use std::sync::Arc;

/// Why provisioning failed.
#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    /// A field of the spec is invalid.
    #[error("{0}")]
    Field(#[from] FieldError),
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Key generation failed.
    #[error("{0}")]
    Internal(String),
}

/// A merchant as provisioned, with the private key when kabao generated one.
#[derive(Debug, Clone, Serialize)]
pub struct Provisioned {
    /// The stored merchant.
    pub merchant: Merchant,
    /// Its API certificates.
    pub certificates: Vec<MerchantCertificate>,
    /// PKCS#8 PEM of a key kabao generated; shown once, never stored.
    pub generated_private_key_pem: Option<String>,
}

/// Applies specs to a store; shared by the TOML loader, the CLI and the control API.
#[derive(Clone)]
pub struct Provisioner {
    store: Arc<dyn Store>,
    clock: Arc<Clock>,
    keyring: Option<Arc<Keyring>>,
}

fn random_text(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// An openid in the real shape: `o` + 27 URL-safe characters.
fn random_openid() -> String {
    format!("o{}", random_text(27))
}

fn check_callback_url(url: &str) -> Result<(), FieldError> {
    let ok = (url.starts_with("http://") || url.starts_with("https://"))
        && url.len() <= 256
        && !url.contains(char::is_whitespace);
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            "callback_url",
            "must be an http:// or https:// URL of at most 256 characters",
        ))
    }
}

impl Provisioner {
    /// A provisioner over `store`; `keyring` (when serving) is invalidated after writes.
    pub fn new(store: Arc<dyn Store>, clock: Arc<Clock>, keyring: Option<Arc<Keyring>>) -> Self {
        Self {
            store,
            clock,
            keyring,
        }
    }

    fn changed(&self) {
        if let Some(k) = &self.keyring {
            k.invalidate();
        }
    }

    /// Creates or replaces an app.
    pub async fn app(&self, spec: &AppSpec) -> Result<App, ProvisionError> {
        let appid = Appid::parse("appid", &spec.appid)?;
        let role = AppRole::parse("role", &spec.role)?;
        let secret = match &spec.secret {
            Some(s) if s.is_empty() || s.len() > 64 || !s.bytes().all(|b| b.is_ascii_graphic()) => {
                return Err(
                    FieldError::new("secret", "must be 1-64 printable ASCII characters").into(),
                )
            }
            Some(s) => s.clone(),
            None => random_hex(32, false),
        };
        let app = App {
            name: spec.name.clone().unwrap_or_else(|| appid.to_string()),
            appid,
            secret,
            role,
            created_at: self.clock.now(),
        };
        self.store.put_app(&app).await?;
        Ok(app)
    }

    fn certificate(
        &self,
        mchid: &Mchid,
        spec: &CertificateSpec,
    ) -> Result<MerchantCertificate, FieldError> {
        if spec.certificate_file.is_some() || spec.public_key_file.is_some() {
            return Err(FieldError::new(
                "certificate_file",
                "file paths are read only from the TOML file and the CLI",
            ));
        }
        if let Some(pem) = &spec.certificate_pem {
            let info = parse_certificate_pem(pem)
                .map_err(|e| FieldError::new("certificate_pem", e.to_string()))?;
            let serial = SerialNo::parse("serial_no", &info.serial_hex)?;
            if let Some(given) = &spec.serial_no {
                if SerialNo::parse("serial_no", given)? != serial {
                    return Err(FieldError::new(
                        "serial_no",
                        format!("does not match the certificate's serial {serial}"),
                    ));
                }
            }
            return Ok(MerchantCertificate {
                mchid: mchid.clone(),
                serial_no: serial,
                public_key_pem: info.public_key.to_spki_pem(),
                certificate_pem: Some(pem.clone()),
                not_after: Some(info.not_after),
            });
        }
        let pem = spec.public_key_pem.as_deref().ok_or_else(|| {
            FieldError::new(
                "certificate_pem",
                "give certificate_pem, or public_key_pem with serial_no",
            )
        })?;
        let key = PublicKey::from_pem(pem)
            .map_err(|e| FieldError::new("public_key_pem", e.to_string()))?;
        let serial = spec
            .serial_no
            .as_deref()
            .ok_or_else(|| FieldError::new("serial_no", "is required with public_key_pem"))?;
        Ok(MerchantCertificate {
            mchid: mchid.clone(),
            serial_no: SerialNo::parse("serial_no", serial)?,
            public_key_pem: key.to_spki_pem(),
            certificate_pem: None,
            not_after: None,
        })
    }

    /// Creates or replaces a merchant and registers its certificates.
    pub async fn merchant(&self, spec: &MerchantSpec) -> Result<Provisioned, ProvisionError> {
        let mchid = Mchid::parse("mchid", &spec.mchid)?;
        let kind = match &spec.kind {
            Some(k) => MerchantKind::parse("kind", k)?,
            None => MerchantKind::Direct,
        };
        let parent_mchid = spec
            .parent_mchid
            .as_deref()
            .map(|p| Mchid::parse("parent_mchid", p))
            .transpose()?;
        match (&kind, &parent_mchid) {
            (MerchantKind::SubMerchant, None) => {
                return Err(
                    FieldError::new("parent_mchid", "is required for a sub_merchant").into(),
                )
            }
            (MerchantKind::SubMerchant, Some(parent)) => {
                let provider = self.store.merchant(parent.as_str()).await?;
                if provider.map(|p| p.kind) != Some(MerchantKind::ServiceProvider) {
                    return Err(FieldError::new(
                        "parent_mchid",
                        format!("{parent} is not a provisioned service_provider"),
                    )
                    .into());
                }
            }
            (_, Some(_)) => {
                return Err(
                    FieldError::new("parent_mchid", "is only allowed for a sub_merchant").into(),
                )
            }
            _ => {}
        }
        let apiv3_key = match &spec.apiv3_key {
            Some(k) => ApiV3Key::parse("apiv3_key", k)?,
            None => ApiV3Key::parse("apiv3_key", &random_text(32))?,
        };
        if let Some(url) = &spec.callback_url {
            check_callback_url(url)?;
        }
        let platform_mode = match &spec.platform_mode {
            Some(m) => PlatformMode::parse("platform_mode", m)?,
            None => PlatformMode::Certificate,
        };
        let name = spec.name.clone().unwrap_or_else(|| mchid.to_string());
        let mut certificates = spec
            .certificates
            .iter()
            .enumerate()
            .map(|(i, c)| {
                self.certificate(&mchid, c)
                    .map_err(|e| e.under(&format!("certificates[{i}]")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut generated_private_key_pem = None;
        if spec.generate_certificate {
            let (cert, key) = pki::generate_merchant_certificate(&mchid, &name, self.clock.now())
                .map_err(|e| ProvisionError::Internal(e.to_string()))?;
            certificates.push(cert);
            generated_private_key_pem = Some(key);
        }
        let merchant = Merchant {
            mchid,
            name,
            kind,
            parent_mchid,
            apiv3_key,
            callback_url: spec.callback_url.clone(),
            platform_mode,
            created_at: self.clock.now(),
        };
        self.store.put_merchant(&merchant, &certificates).await?;
        self.changed();
        let certificates = self
            .store
            .merchant_certificates(merchant.mchid.as_str())
            .await?;
        Ok(Provisioned {
            merchant,
            certificates,
            generated_private_key_pem,
        })
    }

    /// Adds a platform signing key (generated when the spec has no private key).
    pub async fn platform_key(
        &self,
        spec: &PlatformKeySpec,
    ) -> Result<PlatformKey, ProvisionError> {
        if spec.private_key_file.is_some() || spec.certificate_file.is_some() {
            return Err(FieldError::new(
                "private_key_file",
                "file paths are read only from the TOML file and the CLI",
            )
            .into());
        }
        let key = match &spec.private_key_pem {
            None => {
                let mut key = pki::generate_platform_key(self.clock.now())
                    .map_err(|e| ProvisionError::Internal(e.to_string()))?;
                if let Some(id) = &spec.public_key_id {
                    key.public_key_id = Some(PublicKeyId::parse("public_key_id", id)?);
                }
                key
            }
            Some(private_pem) => {
                let private = PrivateKey::from_pem(private_pem)
                    .map_err(|e| FieldError::new("private_key_pem", e.to_string()))?;
                let public_key_id = spec
                    .public_key_id
                    .as_deref()
                    .map(|id| PublicKeyId::parse("public_key_id", id))
                    .transpose()?;
                let (serial_no, not_before, not_after) = match &spec.certificate_pem {
                    Some(cert) => {
                        let info = parse_certificate_pem(cert)
                            .map_err(|e| FieldError::new("certificate_pem", e.to_string()))?;
                        if info.public_key.spki_der() != private.public_key().spki_der() {
                            return Err(FieldError::new(
                                "certificate_pem",
                                "does not belong to private_key_pem",
                            )
                            .into());
                        }
                        (
                            Some(SerialNo::parse("serial_no", &info.serial_hex)?),
                            info.not_before,
                            info.not_after,
                        )
                    }
                    None if public_key_id.is_none() => {
                        return Err(FieldError::new(
                            "certificate_pem",
                            "give certificate_pem, public_key_id or both",
                        )
                        .into())
                    }
                    None => (
                        None,
                        self.clock.now() - 86_400,
                        self.clock.now() + pki::CERTIFICATE_LIFETIME_SECS,
                    ),
                };
                PlatformKey {
                    serial_no,
                    public_key_id,
                    private_key_pem: private.to_pkcs8_pem(),
                    certificate_pem: spec.certificate_pem.clone(),
                    not_before,
                    not_after,
                }
            }
        };
        self.store.put_platform_key(&key).await?;
        self.changed();
        Ok(key)
    }

    /// Creates or replaces a user of a provisioned app.
    pub async fn user(&self, spec: &UserSpec) -> Result<User, ProvisionError> {
        let appid = Appid::parse("appid", &spec.appid)?;
        if self.store.app(appid.as_str()).await?.is_none() {
            return Err(
                FieldError::new("appid", format!("{appid} is not a provisioned app")).into(),
            );
        }
        let openid = match &spec.openid {
            Some(o) => Openid::parse("openid", o)?,
            None => Openid::parse("openid", &random_openid())?,
        };
        let unionid = spec
            .unionid
            .as_deref()
            .map(|u| Openid::parse("unionid", u))
            .transpose()?;
        let user = User {
            name: spec.name.clone().unwrap_or_else(|| openid.to_string()),
            appid,
            openid,
            unionid,
        };
        self.store.put_user(&user).await?;
        Ok(user)
    }

    /// Applies a whole TOML file: apps, merchants (in order, so providers
    /// precede their sub-merchants), platform keys, then users.
    pub async fn apply_file(&self, file: &ProvisionFile) -> Result<(), ProvisionError> {
        for (i, entry) in file.apps.iter().enumerate() {
            let at = format!("apps[{i}]");
            self.app(&entry.app_spec())
                .await
                .map_err(|e| under(e, &at))?;
            self.file_push_config(entry)
                .await
                .map_err(|e| under(e, &at))?;
        }
        for (i, spec) in file.merchants.iter().enumerate() {
            self.merchant(spec)
                .await
                .map_err(|e| under(e, &format!("merchants[{i}]")))?;
        }
        for (i, spec) in file.platform_keys.iter().enumerate() {
            self.platform_key(spec)
                .await
                .map_err(|e| under(e, &format!("platform_keys[{i}]")))?;
        }
        for (i, spec) in file.users.iter().enumerate() {
            self.user(spec)
                .await
                .map_err(|e| under(e, &format!("users[{i}]")))?;
        }
        Ok(())
    }

    /// Makes sure at least one platform key exists, so every response can be signed.
    pub async fn ensure_platform_key(&self) -> Result<(), ProvisionError> {
        if self.store.platform_keys().await?.is_empty() {
            let key = self.platform_key(&PlatformKeySpec::default()).await?;
            tracing::info!(serial = ?key.serial_no, public_key_id = ?key.public_key_id, "generated a platform signing key");
        }
        Ok(())
    }
}

fn under(e: ProvisionError, parent: &str) -> ProvisionError {
    match e {
        ProvisionError::Field(f) => ProvisionError::Field(f.under(parent)),
        other => other,
    }
}
