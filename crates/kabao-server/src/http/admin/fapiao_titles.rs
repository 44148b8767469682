//! The title step of the fapiao flow on the control API: fill in a user's
//! title (抬头) behind a title-url link without a browser, with exactly the
//! effect of the title page (stored title, FAPIAO.USER_APPLIED), and read
//! what a link stands for.

use super::error::{AdminError, AdminJson};
use crate::http::pay::fapiao::titles::{submit_title, TitleInput, TitleSubmitError};
use crate::state::AppState;
use crate::store::fapiao_titles::{TitleApplication, TitleRequest, UserTitle};
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

/// Routes of this area, relative to `/_kabao/api`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/fapiao/titles/{link_key}",
            get(get_by_link).post(fill_by_link),
        )
        .route(
            "/fapiao/merchants/{mchid}/titles/{fapiao_apply_id}",
            get(get_by_application).post(fill_by_application),
        )
}

/// A title application as the control API shows it (phone and email in
/// plaintext).
#[derive(Debug, Serialize)]
struct TitleView {
    mchid: String,
    caller_mchid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_mchid: Option<String>,
    fapiao_apply_id: String,
    link_key: String,
    link_expires_at: i64,
    request: TitleRequest,
    title: Option<UserTitle>,
    applied_at: Option<i64>,
}

impl From<TitleApplication> for TitleView {
    fn from(a: TitleApplication) -> Self {
        Self {
            sub_mchid: a.sub_mchid().map(str::to_owned),
            mchid: a.owner_mchid,
            caller_mchid: a.caller_mchid,
            fapiao_apply_id: a.fapiao_apply_id,
            link_key: a.link_key,
            link_expires_at: a.link_expires_at,
            request: a.request,
            title: a.title,
            applied_at: a.applied_at,
        }
    }
}

async fn fill(
    state: &AppState,
    link_key: &str,
    input: &TitleInput,
) -> Result<Json<TitleView>, AdminError> {
    match submit_title(state, link_key, input).await {
        Ok(application) => Ok(Json(application.into())),
        Err(TitleSubmitError::UnknownLink) => {
            Err(AdminError::not_found(format!("no title link {link_key}")))
        }
        Err(TitleSubmitError::Expired) => Err(AdminError::conflict(format!(
            "title link {link_key} has expired (links last 30 minutes); call title-url again"
        ))),
        Err(TitleSubmitError::Field(e)) => Err(AdminError::field(e)),
        Err(TitleSubmitError::Store(e)) => Err(e.into()),
    }
}

async fn application_of(
    state: &AppState,
    mchid: &str,
    fapiao_apply_id: &str,
) -> Result<TitleApplication, AdminError> {
    state
        .store
        .title_application(mchid, fapiao_apply_id)
        .await?
        .ok_or_else(|| {
            AdminError::not_found(format!(
                "merchant {mchid} has no title link for fapiao_apply_id {fapiao_apply_id}; call title-url first"
            ))
        })
}

/// `GET /_kabao/api/fapiao/titles/{link_key}`
async fn get_by_link(
    State(state): State<AppState>,
    Path(link_key): Path<String>,
) -> Result<Json<TitleView>, AdminError> {
    match state.store.title_by_link(&link_key).await? {
        Some(application) => Ok(Json(application.into())),
        None => Err(AdminError::not_found(format!("no title link {link_key}"))),
    }
}

/// `POST /_kabao/api/fapiao/titles/{link_key}` with the title JSON.
async fn fill_by_link(
    State(state): State<AppState>,
    Path(link_key): Path<String>,
    AdminJson(input): AdminJson<TitleInput>,
) -> Result<Json<TitleView>, AdminError> {
    fill(&state, &link_key, &input).await
}

/// `GET /_kabao/api/fapiao/merchants/{mchid}/titles/{fapiao_apply_id}`
async fn get_by_application(
    State(state): State<AppState>,
    Path((mchid, fapiao_apply_id)): Path<(String, String)>,
) -> Result<Json<TitleView>, AdminError> {
    Ok(Json(
        application_of(&state, &mchid, &fapiao_apply_id)
            .await?
            .into(),
    ))
}

/// `POST /_kabao/api/fapiao/merchants/{mchid}/titles/{fapiao_apply_id}` with
/// the title JSON: fills the title behind the application's latest link.
async fn fill_by_application(
    State(state): State<AppState>,
    Path((mchid, fapiao_apply_id)): Path<(String, String)>,
    AdminJson(input): AdminJson<TitleInput>,
) -> Result<Json<TitleView>, AdminError> {
    let application = application_of(&state, &mchid, &fapiao_apply_id).await?;
    fill(&state, &application.link_key, &input).await
}
