//! T7 `POST /v3/taxi-invoice/attendance/punch`: a driver signs in on a
//! taxi or signs out; every punch is kept, and who is signed in decides
//! whether a passenger's payment becomes a trip order.

use super::body_error;
use crate::domain::taxi::fleet::{event_time_ms, one_of, required, PUNCH_EVENTS};
use crate::domain::taxi::RegionId;
use crate::http::pay::fapiao::parse_body;
use crate::http::pay::taxi::{registered_driver, registered_taxi, require_provider};
use crate::http::pay::{PayError, SignedRequest};
use crate::state::AppState;
use crate::store::taxi_fleet::TaxiPunch;
use axum::extract::State;
use axum::http::StatusCode;
use kabao_protocol::apiv3::ErrorCode;
use serde::Deserialize;

/// T7's body. Lengths are the official page's, except event_time's:
/// any RFC 3339 time is read, whatever its fraction digits.
#[derive(Deserialize)]
pub(crate) struct PunchBody {
    plate_number: String,
    driver_license: String,
    event_time: String,
    event_type: String,
    region_id: RegionId,
}

/// T7 punch → 204. The taxi and the driver must be the caller's in the
/// region (404 NOT_FOUND naming plate_number or driver_license), and the
/// driver must drive for the taxi's company (400 INVALID_REQUEST naming
/// driver_license).
pub(super) async fn punch(
    State(state): State<AppState>,
    request: SignedRequest,
) -> Result<StatusCode, PayError> {
    let provider = require_provider(&request)?;
    let body: PunchBody = parse_body(&request.body)?;
    let region = body.region_id;
    let plate_number = required("plate_number", &body.plate_number, 16).map_err(body_error)?;
    let driver_license =
        required("driver_license", &body.driver_license, 128).map_err(body_error)?;
    let event_time_ms = event_time_ms(&body.event_time).map_err(body_error)?;
    let event_type = one_of("event_type", &body.event_type, &PUNCH_EVENTS).map_err(body_error)?;
    let region_id = region.get();
    let named_by = ("plate_number", "body");
    let taxi = registered_taxi(&state, &provider, region_id, &plate_number, named_by).await?;
    let named_by = ("driver_license", "body");
    let driver = registered_driver(&state, &provider, region_id, &driver_license, named_by).await?;
    if driver.company_mchid != taxi.company_mchid {
        return Err(PayError::field(
            ErrorCode::InvalidRequest,
            "driver_license",
            "body",
            format!(
                "司机与出租车不属于同一公司: driver {driver_license} drives for {} ({}), taxi {plate_number} belongs to {} ({})",
                driver.company_mchid, driver.company_name, taxi.company_mchid, taxi.company_name
            ),
        ));
    }
    state
        .store
        .add_punch(&TaxiPunch {
            provider_mchid: provider,
            region_id: region.get(),
            plate_number,
            driver_license,
            event_type,
            event_time_ms,
            recorded_at: state.clock.now(),
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
