//! F8 `GET /v3/new-tax-control-fapiao/user-title/title-url`: a 30-minute
//! link to kabao's title page for one user of one app; a new call for the
//! same `fapiao_apply_id` gives a fresh link to the same application.

use crate::domain::fapiao::{MAX_FAPIAO_APPLY_ID_LEN, TITLE_LINK_TTL_SECS};
use crate::domain::FieldError;
use crate::http::links::public_base;
use crate::http::pay::fapiao::resolve_party;
use crate::http::pay::{pay_json, PayError, SignedRequest};
use crate::http::query;
use crate::state::AppState;
use crate::store::fapiao_titles::{NewTitleLink, TitleRequest};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde::Serialize;

/// The AppID kabao answers as its title mini program's (source MINIPROGRAM).
pub const TITLE_MINIPROGRAM_APPID: &str = "wx6b0f1a7e5c3d2b19";
/// The user name of that mini program.
pub const TITLE_MINIPROGRAM_USER_NAME: &str = "gh_6b0f1a7e5c3d@app";
/// Length of a link key.
const LINK_KEY_LEN: usize = 32;

/// The answer of title-url.
#[derive(Debug, Serialize)]
struct TitleUrlAnswer {
    title_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    miniprogram_appid: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    miniprogram_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    miniprogram_user_name: Option<&'static str>,
}

/// A query parameter's problem as the APIv3 error naming it.
pub(super) fn query_error(e: FieldError) -> PayError {
    PayError::param(&e.field, "query", e.issue)
}

/// A required, non-empty query parameter.
fn required(uri: &Uri, field: &str) -> Result<String, FieldError> {
    query::param(uri, field)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| FieldError::new(field, "is required"))
}

/// An optional boolean query parameter (`true`/`false`), false when absent.
fn flag(uri: &Uri, field: &str) -> Result<bool, FieldError> {
    match query::param(uri, field).as_deref() {
        None | Some("") | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(FieldError::new(
            field,
            format!("{other} is not true or false"),
        )),
    }
}

/// Checks a `fapiao_apply_id` as title-url and user-title take it.
pub(super) fn apply_id(uri: &Uri) -> Result<String, FieldError> {
    let id = required(uri, "fapiao_apply_id")?;
    if id.len() > MAX_FAPIAO_APPLY_ID_LEN || !id.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(FieldError::new(
            "fapiao_apply_id",
            format!("must be 1 to {MAX_FAPIAO_APPLY_ID_LEN} visible ASCII characters"),
        ));
    }
    Ok(id)
}

/// The title request the query describes; the app and the user must be
/// provisioned in kabao.
async fn title_request(
    state: &AppState,
    uri: &Uri,
    owner_mchid: &str,
) -> Result<TitleRequest, PayError> {
    let source = required(uri, "source").map_err(query_error)?;
    if source != "WEB" && source != "MINIPROGRAM" {
        return Err(PayError::param(
            "source",
            "query",
            format!("{source} is not WEB or MINIPROGRAM"),
        ));
    }
    let appid = required(uri, "appid").map_err(query_error)?;
    if state.store.app(&appid).await?.is_none() {
        return Err(PayError::param(
            "appid",
            "query",
            format!("{appid} is not an app provisioned in kabao"),
        ));
    }
    let openid = required(uri, "openid").map_err(query_error)?;
    let users = state.store.users(Some(&appid)).await?;
    if !users.iter().any(|u| u.openid.as_str() == openid) {
        return Err(PayError::param(
            "openid",
            "query",
            format!("{openid} is not a user of app {appid}"),
        ));
    }
    let amount = required(uri, "total_amount").map_err(query_error)?;
    let total_amount = amount
        .parse::<i64>()
        .ok()
        .filter(|a| *a > 0)
        .ok_or_else(|| {
            PayError::param(
                "total_amount",
                "query",
                format!("{amount} is not a positive integer (fen)"),
            )
        })?;
    let seller_name = match query::param(uri, "seller_name").filter(|s| !s.is_empty()) {
        Some(name) => name,
        None => state
            .keyring
            .merchant(owner_mchid)
            .await?
            .map(|m| m.merchant.name.clone())
            .unwrap_or_default(),
    };
    Ok(TitleRequest {
        source,
        appid,
        openid,
        total_amount,
        seller_name,
        show_phone_cell: flag(uri, "show_phone_cell").map_err(query_error)?,
        must_input_phone: flag(uri, "must_input_phone").map_err(query_error)?,
        show_email_cell: flag(uri, "show_email_cell").map_err(query_error)?,
        must_input_email: flag(uri, "must_input_email").map_err(query_error)?,
    })
}

/// F8 title-url.
pub(super) async fn title_url(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let sub_mchid = query::param(&uri, "sub_mchid");
    let party = resolve_party(&state, &request, sub_mchid.as_deref()).await?;
    let fapiao_apply_id = apply_id(&uri).map_err(query_error)?;
    let title_request = title_request(&state, &uri, &party.owner_mchid).await?;
    let miniprogram = title_request.source == "MINIPROGRAM";
    let now = state.clock.now();
    let link_key = kabao_protocol::aead::random_alphanumeric(LINK_KEY_LEN);
    state
        .store
        .put_title_link(&NewTitleLink {
            owner_mchid: party.owner_mchid,
            fapiao_apply_id,
            caller_mchid: party.caller_mchid,
            link_key: link_key.clone(),
            request: title_request,
            link_expires_at: now + TITLE_LINK_TTL_SECS,
            created_at: now,
        })
        .await?;
    let answer = TitleUrlAnswer {
        title_url: format!(
            "{}/_kabao/fapiao/title/{link_key}",
            public_base(&state, &headers)
        ),
        miniprogram_appid: miniprogram.then_some(TITLE_MINIPROGRAM_APPID),
        miniprogram_path: miniprogram.then(|| format!("pages/title/index?key={link_key}")),
        miniprogram_user_name: miniprogram.then_some(TITLE_MINIPROGRAM_USER_NAME),
    };
    Ok(pay_json(StatusCode::OK, &answer))
}
