//! F17 `fapiao-applications/{fapiao_apply_id}/fapiao-files` (GET with a
//! query, or POST with a JSON body as wechatpayv3 sends it): download URLs
//! of issued or reversed fapiao, served by kabao itself (F18) and valid for
//! 30 seconds. The URL carries a token signed by kabao, so nothing is stored.

use super::errors::field_error;
use super::query::find;
use crate::domain::fapiao::face::ApplicationKind;
use crate::domain::fapiao::{FapiaoStatus, DOWNLOAD_URL_TTL_SECS};
use crate::http::links::public_base;
use crate::http::pay::fapiao::resolve_party;
use crate::http::pay::{pay_json, PayError, SignedRequest};
use crate::http::query::param;
use crate::state::AppState;
use aws_lc_rs::hmac;
use axum::body::Body;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use kabao_protocol::apiv3::ErrorCode;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The path of F18 on kabao (`pay.wechatpay.cn` on WeChat).
pub const FAPIAO_FILE_PATH: &str = "/invoicing/fapiao/fapiao-file";

/// What a download token grants: one fapiao's file until `exp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadClaims {
    /// The merchant the fapiao is for.
    pub owner: String,
    /// The merchant that asked for the URL.
    pub caller: String,
    /// Its application.
    pub apply: String,
    /// The fapiao.
    pub fapiao: String,
    /// Expiry (kabao's clock, Unix seconds).
    pub exp: i64,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct FilesBody {
    #[serde(default)]
    sub_mchid: Option<String>,
    #[serde(default)]
    fapiao_id: Option<String>,
}

/// Lists download URLs for the issued or reversed fapiao of an application
/// (or the one named by `fapiao_id`); anything else is 400 INVALID_REQUEST.
pub(super) async fn fapiao_files(
    State(state): State<AppState>,
    Path(fapiao_apply_id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    raw: Request,
) -> Result<Response, PayError> {
    let request = signed_allowing_empty_json(&state, raw).await?;
    let from_body: FilesBody = if request.body.is_empty() {
        FilesBody::default()
    } else {
        crate::http::pay::fapiao::parse_body(&request.body)?
    };
    let sub_mchid = from_body.sub_mchid.or_else(|| param(&uri, "sub_mchid"));
    let wanted = from_body
        .fapiao_id
        .or_else(|| param(&uri, "fapiao_id"))
        .filter(|f| !f.is_empty());
    let party = resolve_party(&state, &request, sub_mchid.as_deref()).await?;
    let application = find(&state, &party, &fapiao_apply_id).await?;
    if application.kind == Some(ApplicationKind::SelfIssued) {
        return Err(field_error(
            ErrorCode::InvalidRequest,
            "fapiao_apply_id",
            format!("application {fapiao_apply_id} holds self-issued fapiao, not fapiao issued by WeChat Pay; only those can be downloaded"),
        ));
    }
    let downloadable = |s: FapiaoStatus| matches!(s, FapiaoStatus::Issued | FapiaoStatus::Reversed);
    let chosen: Vec<_> = match &wanted {
        Some(id) => {
            let fapiao = application
                .fapiaos
                .iter()
                .find(|f| &f.fapiao_id == id)
                .ok_or_else(|| {
                    field_error(
                        ErrorCode::ResourceNotExists,
                        "fapiao_id",
                        format!("application {fapiao_apply_id} has no fapiao {id}"),
                    )
                })?;
            if !downloadable(fapiao.status) {
                return Err(field_error(
                    ErrorCode::InvalidRequest,
                    "fapiao_id",
                    format!(
                        "fapiao {id} is {}; only ISSUED or REVERSED fapiao have a file",
                        fapiao.status.as_str()
                    ),
                ));
            }
            vec![fapiao]
        }
        None => application
            .fapiaos
            .iter()
            .filter(|f| downloadable(f.status))
            .collect(),
    };
    if chosen.is_empty() {
        return Err(field_error(
            ErrorCode::InvalidRequest,
            "fapiao_apply_id",
            format!("application {fapiao_apply_id} has no ISSUED or REVERSED fapiao yet"),
        ));
    }
    let base = public_base(&state, &headers);
    let exp = state.clock.now() + DOWNLOAD_URL_TTL_SECS;
    let list: Vec<_> = chosen
        .iter()
        .map(|f| {
            let claims = DownloadClaims {
                owner: party.owner_mchid.clone(),
                caller: party.caller_mchid.clone(),
                apply: fapiao_apply_id.clone(),
                fapiao: f.fapiao_id.clone(),
                exp,
            };
            let numbers = f.blue.as_ref().map(|b| &b.numbers);
            let mut query = form_urlencoded::Serializer::new(String::new());
            query.append_pair("token", &download_token(&state, &claims));
            query.append_pair("mchid", &party.caller_mchid);
            if let Some(sub) = &party.sub_mchid {
                query.append_pair("sub_mchid", sub);
            }
            if let Some(card) = &f.card {
                query.append_pair("openid", &card.card_openid);
            }
            query.append_pair(
                "invoice_code",
                numbers.map(|n| n.fapiao_code.as_str()).unwrap_or(""),
            );
            query.append_pair(
                "invoice_no",
                numbers.map(|n| n.fapiao_number.as_str()).unwrap_or(""),
            );
            query.append_pair("fapiao_id", &f.fapiao_id);
            json!({
                "fapiao_id": f.fapiao_id,
                "download_url": format!("{base}{FAPIAO_FILE_PATH}?{}", query.finish()),
                "status": f.status.as_str(),
            })
        })
        .collect();
    Ok(pay_json(
        StatusCode::OK,
        &json!({"fapiao_download_info_list": list}),
    ))
}

/// The signed request; wechatpayv3 sends `{}` for a call without
/// parameters but signs an empty body, so that body is also tried empty.
async fn signed_allowing_empty_json(
    state: &AppState,
    raw: Request,
) -> Result<SignedRequest, PayError> {
    let (parts, body) = raw.into_parts();
    let limit = state.settings.max_body_bytes;
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        PayError::param(
            "body",
            "body",
            format!("the request body exceeds {limit} bytes"),
        )
    })?;
    let empty_object = bytes.trim_ascii() == b"{}";
    let first = Request::from_parts(parts.clone(), Body::from(bytes));
    match SignedRequest::from_request(first, state).await {
        Err(e) if e.code == ErrorCode::SignError && empty_object => {
            SignedRequest::from_request(Request::from_parts(parts, Body::empty()), state).await
        }
        other => other,
    }
}

/// `base64url(claims).base64url(HMAC-SHA256(claims))`, keyed by the
/// control-API token (secret and stable for this kabao).
fn download_token(state: &AppState, claims: &DownloadClaims) -> String {
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let tag = hmac::sign(&token_key(state), payload.as_bytes());
    format!("{payload}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
}

/// The claims of a token kabao signed, if it did (expiry not checked here).
pub fn download_token_claims(state: &AppState, token: &str) -> Option<DownloadClaims> {
    let (payload, tag) = token.split_once('.')?;
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    hmac::verify(&token_key(state), payload.as_bytes(), &tag).ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

fn token_key(state: &AppState) -> hmac::Key {
    let secret = format!("kabao fapiao-file {}", state.settings.admin_token);
    hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes())
}
