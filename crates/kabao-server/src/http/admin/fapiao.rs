//! Fapiao outcomes on the control API: how and when the asynchronous steps
//! end (per merchant default and per application, before or after the
//! issuing call), releasing held steps, reading an application with every
//! fapiao state, and the fapiao cards in a user's card package.

use super::error::{AdminError, AdminJson};
use crate::domain::fapiao::outcome::Outcome;
use crate::domain::FieldError;
use crate::http::pay::fapiao::fapiao_view;
use crate::http::query::param;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

/// Routes of this area, relative to `/_kabao/api`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/fapiao/outcomes/{mchid}",
            get(get_default_outcome)
                .put(put_default_outcome)
                .post(put_default_outcome),
        )
        .route(
            "/fapiao/applications/{mchid}/{fapiao_apply_id}",
            get(get_application),
        )
        .route(
            "/fapiao/applications/{mchid}/{fapiao_apply_id}/outcome",
            get(get_application_outcome)
                .put(put_application_outcome)
                .post(put_application_outcome),
        )
        .route(
            "/fapiao/applications/{mchid}/{fapiao_apply_id}/release",
            post(release),
        )
        .route("/fapiao/cards", get(cards))
}

async fn known_merchant(state: &AppState, mchid: &str) -> Result<(), AdminError> {
    match state.store.merchant(mchid).await? {
        Some(_) => Ok(()),
        None => Err(AdminError::not_found(format!("no merchant {mchid}"))),
    }
}

fn checked(outcome: Outcome) -> Result<Outcome, AdminError> {
    outcome.validate().map_err(AdminError::field)?;
    Ok(outcome)
}

/// `GET /fapiao/outcomes/{mchid}`: the merchant's default (immediate when unset).
async fn get_default_outcome(
    State(state): State<AppState>,
    Path(mchid): Path<String>,
) -> Result<Json<Value>, AdminError> {
    known_merchant(&state, &mchid).await?;
    let outcome = state.store.fapiao_outcome(&mchid, None).await?;
    Ok(Json(json!({
        "mchid": mchid,
        "configured": outcome.is_some(),
        "outcome": outcome.unwrap_or_default(),
    })))
}

/// `PUT /fapiao/outcomes/{mchid}`: sets the default for applications whose
/// own outcome is not set; it applies to steps scheduled from now on.
async fn put_default_outcome(
    State(state): State<AppState>,
    Path(mchid): Path<String>,
    AdminJson(outcome): AdminJson<Outcome>,
) -> Result<Json<Value>, AdminError> {
    known_merchant(&state, &mchid).await?;
    let outcome = checked(outcome)?;
    state
        .store
        .set_fapiao_outcome(&mchid, None, &outcome, state.clock.now())
        .await?;
    Ok(Json(
        json!({"mchid": mchid, "configured": true, "outcome": outcome}),
    ))
}

/// `GET …/{fapiao_apply_id}/outcome`: the application's own outcome.
async fn get_application_outcome(
    State(state): State<AppState>,
    Path((mchid, fapiao_apply_id)): Path<(String, String)>,
) -> Result<Json<Value>, AdminError> {
    known_merchant(&state, &mchid).await?;
    let outcome = state
        .store
        .fapiao_outcome(&mchid, Some(&fapiao_apply_id))
        .await?;
    Ok(Json(json!({
        "mchid": mchid,
        "fapiao_apply_id": fapiao_apply_id,
        "configured": outcome.is_some(),
        "outcome": outcome,
    })))
}

/// `PUT …/{fapiao_apply_id}/outcome`: sets one application's outcome,
/// before or after the issuing call; steps of it that have not run are
/// planned again at once.
async fn put_application_outcome(
    State(state): State<AppState>,
    Path((mchid, fapiao_apply_id)): Path<(String, String)>,
    AdminJson(outcome): AdminJson<Outcome>,
) -> Result<Json<Value>, AdminError> {
    known_merchant(&state, &mchid).await?;
    let outcome = checked(outcome)?;
    let replanned = state
        .store
        .set_fapiao_outcome(&mchid, Some(&fapiao_apply_id), &outcome, state.clock.now())
        .await?;
    state.fapiao_wakeup.notify_one();
    Ok(Json(json!({
        "mchid": mchid,
        "fapiao_apply_id": fapiao_apply_id,
        "configured": true,
        "outcome": outcome,
        "replanned_steps": replanned,
    })))
}

/// `POST …/{fapiao_apply_id}/release`: runs the held (manual) steps now.
async fn release(
    State(state): State<AppState>,
    Path((mchid, fapiao_apply_id)): Path<(String, String)>,
) -> Result<Json<Value>, AdminError> {
    if state
        .store
        .application(&mchid, &fapiao_apply_id)
        .await?
        .is_none()
    {
        return Err(AdminError::not_found(format!(
            "merchant {mchid} has no fapiao application {fapiao_apply_id}"
        )));
    }
    let released = state
        .store
        .release_fapiao_jobs(&mchid, &fapiao_apply_id, state.clock.now())
        .await?;
    state.fapiao_wakeup.notify_one();
    Ok(Json(json!({
        "mchid": mchid,
        "fapiao_apply_id": fapiao_apply_id,
        "released_steps": released,
    })))
}

/// `GET /fapiao/applications/{mchid}/{fapiao_apply_id}`: the application
/// (by its owner), every fapiao in the F15 shape with plaintext buyer, the
/// outcome in force and the steps not run yet.
async fn get_application(
    State(state): State<AppState>,
    Path((mchid, fapiao_apply_id)): Path<(String, String)>,
) -> Result<Json<Value>, AdminError> {
    let application = state
        .store
        .application(&mchid, &fapiao_apply_id)
        .await?
        .ok_or_else(|| {
            AdminError::not_found(format!(
                "merchant {mchid} has no fapiao application {fapiao_apply_id}"
            ))
        })?;
    let own = state
        .store
        .fapiao_outcome(&mchid, Some(&fapiao_apply_id))
        .await?;
    let (outcome, source) = match own {
        Some(o) => (o, "application"),
        None => match state.store.fapiao_outcome(&mchid, None).await? {
            Some(o) => (o, "merchant"),
            None => (Outcome::Immediate, "default"),
        },
    };
    let pending = state
        .store
        .pending_fapiao_jobs(&mchid, &fapiao_apply_id)
        .await?;
    let fapiaos: Vec<Value> = application
        .fapiaos
        .iter()
        .map(|f| {
            let mut view = fapiao_view(f, &application.buyer);
            view["updated_at"] = json!(f.updated_at);
            if let Some(reason) = &f.reverse_reason {
                view["reverse_reason"] = json!(reason);
            }
            view
        })
        .collect();
    Ok(Json(json!({
        "owner_mchid": application.owner_mchid,
        "caller_mchid": application.caller_mchid,
        "sub_mchid": application.sub_mchid(),
        "fapiao_apply_id": application.fapiao_apply_id,
        "kind": application.kind.map(|k| k.as_str()),
        "scene": application.scene,
        "buyer_information": application.buyer,
        "created_at": application.created_at,
        "outcome": outcome,
        "outcome_source": source,
        "fapiao_information": fapiaos,
        "pending_steps": pending,
    })))
}

/// `GET /fapiao/cards?openid=…`: the fapiao cards of one user, newest first.
async fn cards(State(state): State<AppState>, uri: Uri) -> Result<Json<Value>, AdminError> {
    let openid = param(&uri, "openid")
        .filter(|o| !o.is_empty())
        .ok_or_else(|| AdminError::field(FieldError::new("openid", "is required")))?;
    let cards = state.store.fapiao_cards_of(&openid).await?;
    Ok(Json(
        json!({"openid": openid, "total_count": cards.len(), "cards": cards}),
    ))
}
