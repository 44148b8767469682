//! T11 `POST /v3/taxi-invoice/cards`: the provider inserts the fapiao of a
//! trip into the passenger's card package. Answers 204 (the official page)
//! or, with `--taxi-card-response 200`, the card (the YAML). A trip gets
//! one card: the identical request again answers the same success, a
//! different body for a carded trip is 400 PARAM_ERROR naming the field
//! that named the trip (`token` or `trade_number`).

use super::card_trip::resolve_trip;
use super::provider_company;
use crate::domain::taxi::card::{normalized, TaxiCardBody};
use crate::domain::taxi::card_package::{new_card_code, taxi_card_id, TaxiCardResponse};
use crate::domain::taxi::card_rules::{check_card_body, TripReference};
use crate::http::pay::fapiao::parse_body;
use crate::http::pay::taxi::require_provider;
use crate::http::pay::{pay_json, PayError, SignedRequest};
use crate::state::AppState;
use crate::store::taxi_trips::{NewTaxiCard, Ride, TaxiCard, TaxiCardOutcome};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kabao_protocol::apiv3::ErrorCode;
use serde_json::json;

/// T11 → 204, or 200 with the card.
pub(super) async fn insert(
    State(state): State<AppState>,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let provider = require_provider(&request)?;
    let body = parse_card_body(&request.body)?;
    let (reference, warnings) = check_card_body(&body, state.settings.strict)
        .map_err(|e| PayError::param(&e.field, "body", e.issue))?;
    for warning in &warnings {
        tracing::warn!(provider = %provider, %warning, "taxi card accepted with an inconsistency (refused in strict mode)");
    }
    provider_company(&state, &provider, &body.company_mchid, body.region_id).await?;
    let ride = resolve_trip(&state, &provider, &body, reference).await?;
    let card = new_card(&provider, &body, &ride, state.clock.now());
    let trip_field = match reference {
        TripReference::Token(_) => "token",
        TripReference::TradeNumber(_) => "trade_number",
    };
    match state.store.insert_taxi_card(&card).await? {
        TaxiCardOutcome::Inserted(card) | TaxiCardOutcome::Replayed(card) => {
            Ok(answer(&state, &card))
        }
        TaxiCardOutcome::TripAlreadyCarded(card) => Err(PayError::param(
            trip_field,
            "body",
            format!(
                "the trip already has fapiao card {} from a different request; a trip gets one card, and only the identical request may be repeated",
                card.card_code
            ),
        )),
        TaxiCardOutcome::MediaRejected { issue } => Err(PayError::param(
            "fapiao_card_information.fapiao_media_id",
            "body",
            issue,
        )),
    }
}

/// The body: not JSON at all is 400 INVALID_REQUEST; JSON of the wrong
/// shape is 400 PARAM_ERROR naming the field.
pub(crate) fn parse_card_body(bytes: &[u8]) -> Result<TaxiCardBody, PayError> {
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        return Err(PayError::field(
            ErrorCode::InvalidRequest,
            "body",
            "body",
            format!("is not JSON ({e}); send Content-Type: application/json with a JSON object"),
        ));
    }
    parse_body(bytes)
}

/// The card to store for `ride`, and the hash that tells an identical
/// replay (by token or by trade_number alike) from a different body.
fn new_card(provider: &str, body: &TaxiCardBody, ride: &Ride, now: i64) -> NewTaxiCard {
    let fapiao = normalized(body.fapiao_card_information.clone());
    let fapiao = serde_json::to_value(&fapiao).unwrap_or_default();
    let appid = body.appid.clone().unwrap_or_else(|| ride.appid.clone());
    let canonical = json!({
        "ride_id": ride.ride_id,
        "company_mchid": body.company_mchid,
        "appid": appid,
        "openid": body.openid,
        "region_id": body.region_id.get(),
        "fapiao_card_information": fapiao,
    });
    let digest =
        aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, canonical.to_string().as_bytes());
    NewTaxiCard {
        ride_id: ride.ride_id,
        provider_mchid: provider.to_owned(),
        company_mchid: body.company_mchid.clone(),
        appid,
        openid: body.openid.clone(),
        card_id: taxi_card_id(&body.company_mchid),
        card_code: new_card_code(),
        fapiao_media_id: body.fapiao_card_information.fapiao_media_id.clone(),
        fapiao,
        request_hash: hex::encode(digest.as_ref()),
        now,
    }
}

/// 204, or 200 `{card_appid, card_openid, card_id, card_code}`.
fn answer(state: &AppState, card: &TaxiCard) -> Response {
    match state.settings.taxi_card_response {
        TaxiCardResponse::NoContent => StatusCode::NO_CONTENT.into_response(),
        TaxiCardResponse::Card => pay_json(
            StatusCode::OK,
            &json!({
                "card_appid": card.appid,
                "card_openid": card.openid,
                "card_id": card.card_id,
                "card_code": card.card_code,
            }),
        ),
    }
}
