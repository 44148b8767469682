//! Taxi trips on the control API: a passenger pays face to face in a taxi
//! (a trip order when a driver is signed in on it at pay time), the rides
//! recorded so far, the taxi fapiao cards in users' card packages, and the
//! user discarding one.

use super::error::{AdminError, AdminJson};
use crate::domain::fapiao::card::CardFapiao;
use crate::domain::ids::{new_transaction_id, Appid, Openid};
use crate::domain::taxi::card_rules::header_warnings;
use crate::domain::taxi::trip::new_trip_token;
use crate::domain::taxi::RegionId;
use crate::domain::tenant::MerchantKind;
use crate::domain::FieldError;
use crate::http::query;
use crate::state::AppState;
use crate::store::taxi_trips::{NewRide, Ride, TaxiCard};
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::routing::{get, post};
use axum::{Json, Router};
use kabao_protocol::apiv3::rfc3339_cst;
use serde::Deserialize;
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Routes of this area, relative to `/_kabao/api`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/taxi/rides", get(list_rides).post(create_ride))
        .route("/taxi/cards", get(list_cards))
        .route("/taxi/cards/{card_code}/discard", post(discard_card))
}

/// The body of `POST /taxi/rides`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewRideBody {
    provider_mchid: String,
    region_id: RegionId,
    plate_number: String,
    appid: String,
    openid: String,
    /// Fen.
    amount: i64,
    /// RFC 3339; default now.
    #[serde(default)]
    pay_time: Option<String>,
    /// RFC 3339, not after pay_time; default pay_time.
    #[serde(default)]
    up_time: Option<String>,
}

/// `POST /_kabao/api/taxi/rides` → 201 with the ride and its trip order
/// (or `null` and the reason there is none).
async fn create_ride(
    State(state): State<AppState>,
    AdminJson(body): AdminJson<NewRideBody>,
) -> Result<(StatusCode, Json<Value>), AdminError> {
    let provider = &body.provider_mchid;
    match state.store.merchant(provider).await? {
        Some(m) if m.kind == MerchantKind::ServiceProvider => {}
        _ => {
            return Err(AdminError::not_found_field(FieldError::new(
                "provider_mchid",
                format!("{provider} is not a provisioned service provider"),
            )))
        }
    }
    Appid::parse("appid", &body.appid).map_err(AdminError::field)?;
    Openid::parse("openid", &body.openid).map_err(AdminError::field)?;
    if body.amount < 1 {
        return Err(AdminError::field(FieldError::new(
            "amount",
            "must be at least 1 (fen)",
        )));
    }
    let pay_ms = match &body.pay_time {
        Some(text) => time_ms("pay_time", text)?,
        None => state.clock.now_ms(),
    };
    let up_ms = match &body.up_time {
        Some(text) => time_ms("up_time", text)?,
        None => pay_ms,
    };
    if up_ms > pay_ms {
        return Err(AdminError::field(FieldError::new(
            "up_time",
            "is after pay_time: the passenger gets in before paying",
        )));
    }
    let region = body.region_id.get();
    let company_mchid = state
        .store
        .taxi_company(provider, region, &body.plate_number)
        .await?
        .ok_or_else(|| {
            AdminError::not_found_field(FieldError::new(
                "plate_number",
                format!(
                    "service provider {provider} has no taxi {} in region {region}",
                    body.plate_number
                ),
            ))
        })?;
    let driver = state
        .store
        .signed_in_driver(provider, region, &body.plate_number, pay_ms)
        .await?;
    let pay_time = pay_ms.div_euclid(1000);
    let ride = NewRide {
        provider_mchid: provider.clone(),
        company_mchid,
        region_id: region,
        plate_number: body.plate_number.clone(),
        token: driver.as_ref().map(|_| new_trip_token()),
        driver_license: driver,
        appid: body.appid.clone(),
        openid: body.openid.clone(),
        transaction_id: new_transaction_id(pay_time),
        pay_amount: body.amount,
        pay_time,
        up_time: up_ms.div_euclid(1000),
        created_at: state.clock.now(),
    };
    let ride = state.store.add_ride(&ride).await?;
    Ok((StatusCode::CREATED, Json(ride_view(&ride))))
}

/// An RFC 3339 time in Unix milliseconds.
fn time_ms(field: &str, text: &str) -> Result<i64, AdminError> {
    OffsetDateTime::parse(text, &Rfc3339)
        .ok()
        .and_then(|t| i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok())
        .ok_or_else(|| {
            AdminError::field(FieldError::new(
                field,
                format!("{text:?} is not an RFC 3339 time such as 2024-05-01T08:30:00+08:00"),
            ))
        })
}

/// A ride as the control API shows it.
fn ride_view(ride: &Ride) -> Value {
    let mut view = json!({
        "ride_id": ride.ride_id,
        "transaction_id": ride.transaction_id,
        "provider_mchid": ride.provider_mchid,
        "company_mchid": ride.company_mchid,
        "region_id": ride.region_id,
        "plate_number": ride.plate_number,
        "appid": ride.appid,
        "openid": ride.openid,
        "amount": ride.pay_amount,
        "pay_time": rfc3339_cst(ride.pay_time),
        "up_time": rfc3339_cst(ride.up_time),
        "created_at": ride.created_at,
    });
    match (&ride.token, &ride.driver_license) {
        (Some(token), Some(driver)) => {
            view["trip_order"] = json!({
                "token": token,
                "plate_number": ride.plate_number,
                "driver_license": driver,
                "up_time": rfc3339_cst(ride.up_time),
                "region_id": ride.region_id,
                "pay_time": rfc3339_cst(ride.pay_time),
                "pay_amount": ride.pay_amount,
            });
        }
        _ => {
            view["trip_order"] = Value::Null;
            view["reason"] = json!(format!(
                "no driver was signed in on {} at pay_time (attendance/punch SIGN_IN first); the payment is not a trip order",
                ride.plate_number
            ));
        }
    }
    view
}

/// `GET /_kabao/api/taxi/rides?provider_mchid=&openid=` (both optional),
/// newest first.
async fn list_rides(State(state): State<AppState>, uri: Uri) -> Result<Json<Value>, AdminError> {
    let provider = query::param(&uri, "provider_mchid").filter(|v| !v.is_empty());
    let openid = query::param(&uri, "openid").filter(|v| !v.is_empty());
    let rides = state
        .store
        .rides(provider.as_deref(), openid.as_deref())
        .await?;
    let views: Vec<Value> = rides.iter().map(ride_view).collect();
    Ok(Json(json!({"total_count": views.len(), "rides": views})))
}

/// A card as the control API shows it: every stored field, its status,
/// its trip, and the inconsistencies default mode let through.
fn card_view(card: &TaxiCard) -> Value {
    let warnings = serde_json::from_value::<CardFapiao>(card.fapiao_card_information.clone())
        .map(|c| header_warnings(&c))
        .unwrap_or_default();
    json!({
        "card_appid": card.appid,
        "card_openid": card.openid,
        "card_id": card.card_id,
        "card_code": card.card_code,
        "status": card.status,
        "provider_mchid": card.provider_mchid,
        "company_mchid": card.company_mchid,
        "fapiao_media_id": card.fapiao_media_id,
        "fapiao_card_information": card.fapiao_card_information,
        "warnings": warnings,
        "trip": ride_view(&card.ride),
        "created_at": card.created_at,
        "updated_at": card.updated_at,
    })
}

/// `GET /_kabao/api/taxi/cards?openid=&appid=` (both optional), newest first.
async fn list_cards(State(state): State<AppState>, uri: Uri) -> Result<Json<Value>, AdminError> {
    let openid = query::param(&uri, "openid").filter(|v| !v.is_empty());
    let appid = query::param(&uri, "appid").filter(|v| !v.is_empty());
    let cards = state
        .store
        .taxi_cards(openid.as_deref(), appid.as_deref())
        .await?;
    let views: Vec<Value> = cards.iter().map(card_view).collect();
    Ok(Json(json!({"total_count": views.len(), "cards": views})))
}

/// `POST /_kabao/api/taxi/cards/{card_code}/discard`: the user removes the
/// card from the card package (status DISCARDED; again changes nothing).
async fn discard_card(
    State(state): State<AppState>,
    Path(card_code): Path<String>,
) -> Result<Json<Value>, AdminError> {
    let card = state
        .store
        .discard_taxi_card(&card_code, state.clock.now())
        .await?
        .ok_or_else(|| AdminError::not_found(format!("no taxi fapiao card {card_code}")))?;
    Ok(Json(card_view(&card)))
}
