//! Control API of the Official Account invoice flows: the user's side of an
//! authorisation (what the authorisation page does), the card package of a
//! user, one card, and the user deleting a card.

use super::error::{AdminError, AdminJson};
use crate::domain::invoice::card::InvoiceCard;
use crate::domain::invoice::order::AuthOrder;
use crate::flows::authorization::{self, AuthorizeError};
use crate::flows::card_package;
use crate::state::AppState;
use crate::store::invoice::OrderConflict;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use kabao_protocol::oa::merchant::{BizField, UserAuthInfo, UserField};
use serde::Deserialize;

/// Routes under `/_kabao/api`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/oa/authorizations", post(authorize))
        .route("/oa/orders/{appid}/{order_id}", get(order))
        .route("/users/{openid}/cards", get(user_cards))
        .route("/cards/{code}", get(card))
        .route("/cards/{code}/discard", post(discard))
}

/// The user's answer on the authorisation page.
#[derive(Debug, Deserialize)]
pub struct AuthorizeBody {
    /// The merchant appid that called getauthurl.
    pub appid: String,
    /// Its order id.
    pub order_id: String,
    /// The user (of that appid) who authorises.
    pub openid: String,
    /// A personal title.
    #[serde(default)]
    pub user_field: Option<UserField>,
    /// A company title.
    #[serde(default)]
    pub biz_field: Option<BizField>,
}

async fn authorize(
    State(state): State<AppState>,
    AdminJson(body): AdminJson<AuthorizeBody>,
) -> Result<Json<AuthOrder>, AdminError> {
    let order = state.store.order(&body.appid, &body.order_id).await?;
    let order = order.ok_or_else(|| {
        AdminError::not_found(format!(
            "appid {} has no order {} (call /card/invoice/getauthurl first)",
            body.appid, body.order_id
        ))
    })?;
    let info = UserAuthInfo {
        user_field: body.user_field,
        biz_field: body.biz_field,
    };
    authorization::authorize(&state, &order, &body.openid, info)
        .await
        .map(Json)
        .map_err(authorize_error)
}

/// The control-API answer to a refused authorisation.
pub fn authorize_error(e: AuthorizeError) -> AdminError {
    match e {
        AuthorizeError::UnknownUser(openid) => {
            AdminError::not_found(format!("openid {openid} is not a user of the order's app"))
        }
        AuthorizeError::Field(f) => AdminError::field(f),
        AuthorizeError::Conflict(OrderConflict::NotFound) => AdminError::not_found("no such order"),
        AuthorizeError::Conflict(c) => AdminError::conflict(match c {
            OrderConflict::AlreadyAuthorized => "the user already authorised this order",
            OrderConflict::Rejected => "the merchant refused this order (rejectinsert)",
            _ => "a card was already inserted for this order",
        }),
        AuthorizeError::Store(e) => AdminError::from(e),
    }
}

async fn order(
    State(state): State<AppState>,
    Path((appid, order_id)): Path<(String, String)>,
) -> Result<Json<AuthOrder>, AdminError> {
    let order = state.store.order(&appid, &order_id).await?;
    order
        .map(Json)
        .ok_or_else(|| AdminError::not_found(format!("appid {appid} has no order {order_id}")))
}

async fn user_cards(
    State(state): State<AppState>,
    Path(openid): Path<String>,
) -> Result<Json<Vec<InvoiceCard>>, AdminError> {
    Ok(Json(state.store.cards_of_user(&openid).await?))
}

async fn find_card(state: &AppState, code: &str) -> Result<InvoiceCard, AdminError> {
    let card = state.store.card(code).await?;
    card.ok_or_else(|| AdminError::not_found(format!("no card with code {code}")))
}

async fn card(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<InvoiceCard>, AdminError> {
    find_card(&state, &code).await.map(Json)
}

async fn discard(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<InvoiceCard>, AdminError> {
    let card = find_card(&state, &code).await?;
    if !card_package::discard(&state, &card).await? {
        return Err(AdminError::conflict(format!(
            "card {code} was already deleted"
        )));
    }
    find_card(&state, &code).await.map(Json)
}
