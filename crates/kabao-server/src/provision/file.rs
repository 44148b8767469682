//! The TOML provisioning file (`kabao serve --config kabao.toml`): tenants to
//! create at start, with PEM material inline or in files next to it.

use super::spec::{AppSpec, MerchantSpec, PlatformKeySpec, UserSpec};
use crate::domain::FieldError;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The whole file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvisionFile {
    /// `[[apps]]`
    #[serde(default)]
    pub apps: Vec<AppEntry>,
    /// `[[merchants]]`, each with `[[merchants.certificates]]`.
    #[serde(default)]
    pub merchants: Vec<MerchantSpec>,
    /// `[[platform_keys]]`
    #[serde(default)]
    pub platform_keys: Vec<PlatformKeySpec>,
    /// `[[users]]`
    #[serde(default)]
    pub users: Vec<UserSpec>,
}

/// An `[[apps]]` entry: an [`AppSpec`] plus, optionally, where the app's
/// event pushes go (the control API sets those with `PUT …/push-config`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppEntry {
    /// The appid.
    pub appid: String,
    /// The AppSecret; generated when absent.
    #[serde(default)]
    pub secret: Option<String>,
    /// `invoicing_platform`, `merchant` or `fiscal_bureau`.
    pub role: String,
    /// Display name; defaults to the appid.
    #[serde(default)]
    pub name: Option<String>,
    /// The http(s) URL that receives the app's event pushes.
    #[serde(default)]
    pub push_url: Option<String>,
    /// The token push signatures are computed with; required with `push_url`.
    #[serde(default)]
    pub push_token: Option<String>,
    /// `ToUserName` of the pushes; derived from the appid when absent.
    #[serde(default)]
    pub push_original_id: Option<String>,
}

/// An app's push settings as the TOML file gives them.
pub(super) struct PushEntry<'a> {
    pub url: &'a str,
    pub token: &'a str,
    pub original_id: Option<&'a str>,
}

impl AppEntry {
    /// The app itself.
    pub fn app_spec(&self) -> AppSpec {
        AppSpec {
            appid: self.appid.clone(),
            secret: self.secret.clone(),
            role: self.role.clone(),
            name: self.name.clone(),
        }
    }

    /// The push settings, if any; `push_token` and `push_original_id` need `push_url`.
    pub(super) fn push(&self) -> Result<Option<PushEntry<'_>>, FieldError> {
        match (&self.push_url, &self.push_token) {
            (Some(url), Some(token)) => Ok(Some(PushEntry {
                url,
                token,
                original_id: self.push_original_id.as_deref(),
            })),
            (Some(_), None) => Err(FieldError::new("push_token", "is required with push_url")),
            (None, _) if self.push_token.is_some() || self.push_original_id.is_some() => {
                Err(FieldError::new(
                    "push_url",
                    "is required with push_token and push_original_id",
                ))
            }
            (None, _) => Ok(None),
        }
    }
}

fn read_into(
    base: &Path,
    file: &mut Option<String>,
    pem: &mut Option<String>,
    what: &str,
) -> anyhow::Result<()> {
    if let Some(name) = file.take() {
        let path = base.join(&name);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| anyhow::anyhow!("{what}: cannot read {}: {e}", path.display()))?;
        *pem = Some(text);
    }
    Ok(())
}

impl ProvisionFile {
    /// Reads and parses `path`, then replaces every `*_file` by the file's
    /// text (paths relative to the TOML file's folder).
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        let mut file: Self =
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        file.resolve_files(base)?;
        Ok(file)
    }

    /// Inlines every `*_file` reference, relative to `base`.
    pub fn resolve_files(&mut self, base: &Path) -> anyhow::Result<()> {
        for (i, m) in self.merchants.iter_mut().enumerate() {
            for (j, c) in m.certificates.iter_mut().enumerate() {
                let at = format!("merchants[{i}].certificates[{j}]");
                read_into(base, &mut c.certificate_file, &mut c.certificate_pem, &at)?;
                read_into(base, &mut c.public_key_file, &mut c.public_key_pem, &at)?;
            }
        }
        for (i, k) in self.platform_keys.iter_mut().enumerate() {
            let at = format!("platform_keys[{i}]");
            read_into(base, &mut k.private_key_file, &mut k.private_key_pem, &at)?;
            read_into(base, &mut k.certificate_file, &mut k.certificate_pem, &at)?;
        }
        Ok(())
    }
}
