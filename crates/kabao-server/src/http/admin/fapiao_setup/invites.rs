//! Partner invitations on the control API: read one, and answer it as the
//! invited merchant would on the invite page (optionally forcing a failure).

use crate::domain::fapiao::setup::{check_invite_answer, FapiaoInvite, INVITE_FAILED_CODES};
use crate::domain::FieldError;
use crate::http::admin::error::{AdminError, AdminJson};
use crate::state::AppState;
use crate::store::fapiao_setup::InviteAnswer;
use crate::store::StoreError;
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;

/// `GET /_kabao/api/fapiao/invites/{key}` (the key ends the invite_url).
pub(super) async fn get_invite(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<FapiaoInvite>, AdminError> {
    state
        .store
        .invite_by_key(&key)
        .await?
        .map(Json)
        .ok_or_else(|| AdminError::not_found(format!("no invitation {key}")))
}

/// The body of `POST /fapiao/invites/{key}/answer`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AnswerBody {
    sub_mchid: String,
    ep_name: String,
    tax_id: String,
    #[serde(default)]
    fail_code: Option<String>,
    #[serde(default)]
    fail_reason: Option<String>,
}

/// `POST /_kabao/api/fapiao/invites/{key}/answer` → the answered
/// invitation (MCH_INVITE_SUCC, or MCH_INVITE_FAILED with its code); 409
/// when it was already answered.
pub(super) async fn answer(
    State(state): State<AppState>,
    Path(key): Path<String>,
    AdminJson(body): AdminJson<AnswerBody>,
) -> Result<Json<FapiaoInvite>, AdminError> {
    let invite = state
        .store
        .invite_by_key(&key)
        .await?
        .ok_or_else(|| AdminError::not_found(format!("no invitation {key}")))?;
    check_invite_answer(&invite, &body.sub_mchid, &body.ep_name, &body.tax_id)
        .map_err(AdminError::field)?;
    let forced_failure = match body.fail_code {
        Some(code) if INVITE_FAILED_CODES.contains(&code.as_str()) => {
            let reason = body
                .fail_reason
                .unwrap_or_else(|| "由 kabao 控制 API 设置的失败".to_owned());
            Some((code, reason))
        }
        Some(_) => {
            return Err(AdminError::field(FieldError::new(
                "fail_code",
                format!("must be one of {}", INVITE_FAILED_CODES.join(", ")),
            )))
        }
        None => None,
    };
    let answer = InviteAnswer {
        sub_mchid: body.sub_mchid,
        ep_name: body.ep_name.trim().to_owned(),
        tax_id: body.tax_id,
        forced_failure,
        operate_time: state.clock.now(),
    };
    match state.store.answer_invite(&key, &answer).await {
        Ok(Some(invite)) => Ok(Json(invite)),
        Ok(None) => Err(AdminError::not_found(format!("no invitation {key}"))),
        Err(StoreError::Conflict(message)) => Err(AdminError::conflict(message)),
        Err(e) => Err(e.into()),
    }
}
