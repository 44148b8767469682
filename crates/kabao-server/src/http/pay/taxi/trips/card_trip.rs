//! Which trip a T11 body is for: the trip order its token names (the
//! official shape) or the payment its trade_number names (the YAML's older
//! shape, with the plate and driver it says). The trip must be one of the
//! provider's trip orders, of this passenger, with a taxi of the body's
//! company in its region; its taxi and driver must still be registered.

use crate::domain::taxi::card::TaxiCardBody;
use crate::domain::taxi::card_rules::TripReference;
use crate::http::pay::taxi::{registered_driver, registered_taxi};
use crate::http::pay::PayError;
use crate::state::AppState;
use crate::store::taxi_trips::Ride;

/// The trip of `body` as `provider` named it by `reference`.
pub(super) async fn resolve_trip(
    state: &AppState,
    provider: &str,
    body: &TaxiCardBody,
    reference: TripReference<'_>,
) -> Result<Ride, PayError> {
    let region = body.region_id.get();
    if let Some(plate) = &body.plate_number {
        registered_taxi(state, provider, region, plate, ("plate_number", "body")).await?;
    }
    if let Some(license) = &body.driver_license {
        registered_driver(state, provider, region, license, ("driver_license", "body")).await?;
    }
    let (field, ride) = match reference {
        TripReference::Token(token) => ("token", state.store.trip_by_token(provider, token).await?),
        TripReference::TradeNumber(number) => (
            "trade_number",
            state.store.ride_by_transaction(provider, number).await?,
        ),
    };
    let ride = ride
        .filter(|r| {
            r.openid == body.openid
                && body.appid.as_ref().is_none_or(|a| *a == r.appid)
                && r.company_mchid == body.company_mchid
                && r.region_id == region
        })
        .ok_or_else(|| {
            PayError::param(
                field,
                "body",
                format!(
                    "is not a trip of openid {} (appid {}) in a taxi of company {} in region {region}",
                    body.openid,
                    body.appid.as_deref().unwrap_or("any"),
                    body.company_mchid
                ),
            )
        })?;
    let Some(driver) = ride.driver_license.clone() else {
        return Err(PayError::param(
            field,
            "body",
            format!(
                "payment {} was made while no driver was signed in on {}: it is not a trip order, so no fapiao card can be inserted for it",
                ride.transaction_id, ride.plate_number
            ),
        ));
    };
    for (name, given, trip_value) in [
        ("plate_number", &body.plate_number, &ride.plate_number),
        ("driver_license", &body.driver_license, &driver),
        ("trade_number", &body.trade_number, &ride.transaction_id),
    ] {
        if let Some(given) = given.as_ref().filter(|g| *g != trip_value) {
            return Err(PayError::param(
                name,
                "body",
                format!("is {given} but the trip's {name} is {trip_value}"),
            ));
        }
    }
    if body.plate_number.is_none() {
        registered_taxi(state, provider, region, &ride.plate_number, (field, "body")).await?;
    }
    if body.driver_license.is_none() {
        registered_driver(state, provider, region, &driver, (field, "body")).await?;
    }
    Ok(ride)
}
