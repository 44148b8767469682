//! Provisioning over HTTP: apps, merchants, platform keys and users.
//! Lists never show private keys; APIv3 keys are masked except in the answer
//! to the call that created them.

use super::error::{AdminError, AdminJson};
use crate::domain::tenant::{App, Merchant, MerchantCertificate, PlatformKey, User};
use crate::http::query;
use crate::provision::{AppSpec, MerchantSpec, PlatformKeySpec, Provisioned, UserSpec};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::Json;
use kabao_protocol::rsa::PrivateKey;
use serde::Serialize;

/// `GET /_kabao/api/apps`
pub async fn list_apps(State(state): State<AppState>) -> Result<Json<Vec<App>>, AdminError> {
    Ok(Json(state.store.apps().await?))
}

/// `GET /_kabao/api/apps/{appid}`
pub async fn get_app(
    State(state): State<AppState>,
    Path(appid): Path<String>,
) -> Result<Json<App>, AdminError> {
    state
        .store
        .app(&appid)
        .await?
        .map(Json)
        .ok_or_else(|| AdminError::not_found(format!("no app {appid}")))
}

/// `POST /_kabao/api/apps`
pub async fn create_app(
    State(state): State<AppState>,
    AdminJson(spec): AdminJson<AppSpec>,
) -> Result<(StatusCode, Json<App>), AdminError> {
    Ok((
        StatusCode::CREATED,
        Json(state.provisioner.app(&spec).await?),
    ))
}

/// A merchant as lists show it.
#[derive(Debug, Serialize)]
pub struct MerchantView {
    mchid: String,
    name: String,
    kind: &'static str,
    parent_mchid: Option<String>,
    apiv3_key: String,
    callback_url: Option<String>,
    platform_mode: &'static str,
    certificates: Vec<CertificateView>,
    created_at: i64,
}

/// A merchant API certificate as lists show it.
#[derive(Debug, Serialize)]
pub struct CertificateView {
    serial_no: String,
    not_after: Option<i64>,
    public_key_pem: String,
    certificate_pem: Option<String>,
}

fn merchant_view(m: &Merchant, certs: &[MerchantCertificate], reveal_key: bool) -> MerchantView {
    MerchantView {
        mchid: m.mchid.to_string(),
        name: m.name.clone(),
        kind: m.kind.as_str(),
        parent_mchid: m.parent_mchid.as_ref().map(|p| p.to_string()),
        apiv3_key: if reveal_key {
            m.apiv3_key.expose().to_owned()
        } else {
            m.apiv3_key.masked()
        },
        callback_url: m.callback_url.clone(),
        platform_mode: m.platform_mode.as_str(),
        certificates: certs
            .iter()
            .map(|c| CertificateView {
                serial_no: c.serial_no.to_string(),
                not_after: c.not_after,
                public_key_pem: c.public_key_pem.clone(),
                certificate_pem: c.certificate_pem.clone(),
            })
            .collect(),
        created_at: m.created_at,
    }
}

/// `GET /_kabao/api/merchants`
pub async fn list_merchants(
    State(state): State<AppState>,
) -> Result<Json<Vec<MerchantView>>, AdminError> {
    let mut out = Vec::new();
    for m in state.store.merchants().await? {
        let certs = state.store.merchant_certificates(m.mchid.as_str()).await?;
        out.push(merchant_view(&m, &certs, false));
    }
    Ok(Json(out))
}

/// `GET /_kabao/api/merchants/{mchid}`
pub async fn get_merchant(
    State(state): State<AppState>,
    Path(mchid): Path<String>,
) -> Result<Json<MerchantView>, AdminError> {
    let m = state
        .store
        .merchant(&mchid)
        .await?
        .ok_or_else(|| AdminError::not_found(format!("no merchant {mchid}")))?;
    let certs = state.store.merchant_certificates(&mchid).await?;
    Ok(Json(merchant_view(&m, &certs, false)))
}

/// The answer to creating a merchant: the only time the APIv3 key and a
/// generated private key are shown.
#[derive(Debug, Serialize)]
pub struct CreatedMerchant {
    #[serde(flatten)]
    merchant: MerchantView,
    #[serde(skip_serializing_if = "Option::is_none")]
    generated_private_key_pem: Option<String>,
}

/// `POST /_kabao/api/merchants`
pub async fn create_merchant(
    State(state): State<AppState>,
    AdminJson(spec): AdminJson<MerchantSpec>,
) -> Result<(StatusCode, Json<CreatedMerchant>), AdminError> {
    let Provisioned {
        merchant,
        certificates,
        generated_private_key_pem,
    } = state.provisioner.merchant(&spec).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedMerchant {
            merchant: merchant_view(&merchant, &certificates, true),
            generated_private_key_pem,
        }),
    ))
}

/// A platform key as lists show it (never the private key).
#[derive(Debug, Serialize)]
pub struct PlatformKeyView {
    serial_no: Option<String>,
    public_key_id: Option<String>,
    public_key_pem: Option<String>,
    certificate_pem: Option<String>,
    not_before: i64,
    not_after: i64,
}

fn platform_key_view(k: &PlatformKey) -> PlatformKeyView {
    PlatformKeyView {
        serial_no: k.serial_no.as_ref().map(|s| s.to_string()),
        public_key_id: k.public_key_id.as_ref().map(|s| s.to_string()),
        public_key_pem: PrivateKey::from_pem(&k.private_key_pem)
            .ok()
            .map(|p| p.public_key().to_spki_pem()),
        certificate_pem: k.certificate_pem.clone(),
        not_before: k.not_before,
        not_after: k.not_after,
    }
}

/// `GET /_kabao/api/platform-keys`
pub async fn list_platform_keys(
    State(state): State<AppState>,
) -> Result<Json<Vec<PlatformKeyView>>, AdminError> {
    Ok(Json(
        state
            .store
            .platform_keys()
            .await?
            .iter()
            .map(platform_key_view)
            .collect(),
    ))
}

/// `POST /_kabao/api/platform-keys`
pub async fn create_platform_key(
    State(state): State<AppState>,
    AdminJson(spec): AdminJson<PlatformKeySpec>,
) -> Result<(StatusCode, Json<PlatformKeyView>), AdminError> {
    let key = state.provisioner.platform_key(&spec).await?;
    Ok((StatusCode::CREATED, Json(platform_key_view(&key))))
}

/// `GET /_kabao/api/users[?appid=…]`
pub async fn list_users(
    State(state): State<AppState>,
    uri: Uri,
) -> Result<Json<Vec<User>>, AdminError> {
    let appid = query::param(&uri, "appid");
    Ok(Json(state.store.users(appid.as_deref()).await?))
}

/// `POST /_kabao/api/users`
pub async fn create_user(
    State(state): State<AppState>,
    AdminJson(spec): AdminJson<UserSpec>,
) -> Result<(StatusCode, Json<User>), AdminError> {
    Ok((
        StatusCode::CREATED,
        Json(state.provisioner.user(&spec).await?),
    ))
}
