//! Validating and storing where an app's event pushes go; shared by the TOML
//! file (`push_url`, `push_token`, `push_original_id`) and the control API.

use super::{ProvisionError, Provisioner};
use crate::domain::ids::Appid;
use crate::domain::FieldError;
use crate::provision::file::AppEntry;
use crate::store::push::PushConfig;

fn check_url(url: &str) -> Result<(), FieldError> {
    let ok = url.len() <= 1024
        && reqwest::Url::parse(url)
            .map(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .unwrap_or(false);
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            "url",
            "must be an http:// or https:// URL with a host, of at most 1024 characters",
        ))
    }
}

fn check_token(token: &str) -> Result<(), FieldError> {
    if (3..=32).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(FieldError::new(
            "token",
            "must be 3-32 letters or digits, as the Official Account console requires",
        ))
    }
}

fn check_original_id(id: &str) -> Result<(), FieldError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            "original_id",
            "must be 1-64 letters, digits, '_' or '-' (real ones are gh_ and 12 hex digits)",
        ))
    }
}

impl Provisioner {
    /// Sets (or replaces) where a provisioned app's event pushes go. Fields are
    /// named `url`, `token`, `original_id`; a missing original id becomes
    /// [`PushConfig::default_original_id`].
    pub async fn push_config(
        &self,
        appid: &str,
        url: &str,
        token: &str,
        original_id: Option<&str>,
    ) -> Result<PushConfig, ProvisionError> {
        let appid = Appid::parse("appid", appid)?;
        if self.store.app(appid.as_str()).await?.is_none() {
            return Err(
                FieldError::new("appid", format!("{appid} is not a provisioned app")).into(),
            );
        }
        check_url(url)?;
        check_token(token)?;
        if let Some(id) = original_id {
            check_original_id(id)?;
        }
        let config = PushConfig {
            original_id: original_id
                .map(str::to_owned)
                .unwrap_or_else(|| PushConfig::default_original_id(&appid)),
            appid,
            url: url.to_owned(),
            token: token.to_owned(),
            updated_at: self.clock.now(),
        };
        self.store.put_push_config(&config).await?;
        Ok(config)
    }

    /// Applies an `[[apps]]` entry's `push_url`, `push_token` and
    /// `push_original_id`, naming fields as the file spells them.
    pub(super) async fn file_push_config(&self, entry: &AppEntry) -> Result<(), ProvisionError> {
        let Some(push) = entry.push()? else {
            return Ok(());
        };
        self.push_config(&entry.appid, push.url, push.token, push.original_id)
            .await
            .map(drop)
            .map_err(|e| match e {
                ProvisionError::Field(f) if f.field != "appid" => {
                    FieldError::new(format!("push_{}", f.field), f.issue).into()
                }
                other => other,
            })
    }
}
