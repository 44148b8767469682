//! The user discarding a fapiao card on the control API (what the card
//! package page's Discard button does): DISCARD_ACCEPTED at once, then
//! DISCARDED with FAPIAO.CARD_DISCARDED from the fapiao worker.

use super::error::AdminError;
use crate::flows::fapiao_card;
use crate::state::AppState;
use crate::store::fapiao_cards::FapiaoCardDiscard;
use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

/// Routes of this area, relative to `/_kabao/api`.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route(
        "/fapiao/cards/{mchid}/{fapiao_apply_id}/{fapiao_id}/discard",
        post(discard),
    )
}

/// `POST /fapiao/cards/{mchid}/{fapiao_apply_id}/{fapiao_id}/discard`.
async fn discard(
    State(state): State<AppState>,
    Path((mchid, fapiao_apply_id, fapiao_id)): Path<(String, String, String)>,
) -> Result<Json<Value>, AdminError> {
    match fapiao_card::discard(&state, &mchid, &fapiao_apply_id, &fapiao_id).await? {
        FapiaoCardDiscard::Accepted => Ok(Json(json!({
            "mchid": mchid,
            "fapiao_apply_id": fapiao_apply_id,
            "fapiao_id": fapiao_id,
            "card_status": "DISCARD_ACCEPTED",
        }))),
        FapiaoCardDiscard::AlreadyDiscarded => Err(AdminError::conflict(format!(
            "the card of fapiao {fapiao_id} was already discarded"
        ))),
        FapiaoCardDiscard::NotInPackage(status) => Err(AdminError::conflict(format!(
            "fapiao {fapiao_id} has no card in the card package (card_status {})",
            status.as_deref().unwrap_or("none")
        ))),
        FapiaoCardDiscard::Unknown => Err(AdminError::not_found(format!(
            "merchant {mchid} has no fapiao {fapiao_id} in application {fapiao_apply_id}"
        ))),
    }
}
