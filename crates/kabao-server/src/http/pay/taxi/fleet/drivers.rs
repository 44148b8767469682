//! T5 `POST /v3/taxi-invoice/driver/update-driver` (create or update a
//! driver by 营运资格证号; name and ID number RSA-OAEP encrypted with the
//! platform key) and T6 `GET /v3/taxi-invoice/drivers/{driver_license}`
//! (the name encrypted for the caller).

use super::{body_error, fleet_read, own_company, FleetRead};
use crate::domain::taxi::fleet::{
    driver_state, one_of, photo_for_query, required, DRIVER_CATEGORIES, DRIVER_STATUSES,
};
use crate::domain::taxi::RegionId;
use crate::http::pay::fapiao::{decrypt_sensitive, encrypt_for_merchant, parse_body};
use crate::http::pay::taxi::{registered_driver, require_provider};
use crate::http::pay::{pay_json, PayError, SignedRequest};
use crate::state::AppState;
use crate::store::taxi_fleet::TaxiDriver;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Longest decrypted driver name kabao keeps.
const MAX_NAME_CHARS: usize = 64;
/// Longest decrypted ID card number kabao keeps.
const MAX_ID_CARD_CHARS: usize = 32;

/// T5's body. Lengths are the official page's (the encrypted fields'
/// limit is on their ciphertext).
#[derive(Deserialize)]
pub(crate) struct UpdateDriverBody {
    driver_name: String,
    id_card_number: String,
    company_name: String,
    mchid: String,
    driver_license: String,
    driver_category: String,
    driver_status: String,
    #[serde(default)]
    driver_photo: Option<Map<String, Value>>,
    region_id: RegionId,
}

/// T5's answer: the call echoed, name and ID number encrypted for the caller.
#[derive(Serialize)]
struct UpdatedDriver<'a> {
    driver_name: String,
    id_card_number: String,
    company_name: &'a str,
    mchid: &'a str,
    driver_license: &'a str,
    driver_category: &'a str,
    driver_status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    driver_photo: Option<&'a Value>,
    region_id: i64,
}

/// T5 update-driver: the company must be one of the caller's in the
/// region; driver_photo is stored as given.
pub(super) async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let provider = require_provider(&request)?;
    let body: UpdateDriverBody = parse_body(&request.body)?;
    let region = body.region_id;
    let name_cipher = required("driver_name", &body.driver_name, 1024).map_err(body_error)?;
    let id_cipher = required("id_card_number", &body.id_card_number, 1024).map_err(body_error)?;
    let company_name = required("company_name", &body.company_name, 1024).map_err(body_error)?;
    let mchid = required("mchid", &body.mchid, 20).map_err(body_error)?;
    let driver_license =
        required("driver_license", &body.driver_license, 128).map_err(body_error)?;
    let driver_category =
        one_of("driver_category", &body.driver_category, &DRIVER_CATEGORIES).map_err(body_error)?;
    let driver_status =
        one_of("driver_status", &body.driver_status, &DRIVER_STATUSES).map_err(body_error)?;
    let driver_name = decrypt_sensitive(&state, &headers, "driver_name", &name_cipher).await?;
    let driver_name = required("driver_name", &driver_name, MAX_NAME_CHARS).map_err(body_error)?;
    let id_card_number = decrypt_sensitive(&state, &headers, "id_card_number", &id_cipher).await?;
    let id_card_number =
        required("id_card_number", &id_card_number, MAX_ID_CARD_CHARS).map_err(body_error)?;
    let company = own_company(&state, &provider, &mchid, region, &company_name).await?;
    let driver = TaxiDriver {
        provider_mchid: provider,
        region_id: region.get(),
        driver_license,
        company_mchid: company.company_mchid,
        company_name: company.company_name,
        driver_name,
        id_card_number,
        driver_category,
        driver_status,
        driver_photo: body.driver_photo.map(Value::Object),
    };
    let driver = state.store.put_driver(&driver, state.clock.now()).await?;
    Ok(pay_json(
        StatusCode::OK,
        &UpdatedDriver {
            driver_name: encrypt_for_merchant(&request, &driver.driver_name)?,
            id_card_number: encrypt_for_merchant(&request, &driver.id_card_number)?,
            company_name: &driver.company_name,
            mchid: &driver.company_mchid,
            driver_license: &driver.driver_license,
            driver_category: &driver.driver_category,
            driver_status: &driver.driver_status,
            driver_photo: driver.driver_photo.as_ref(),
            region_id: driver.region_id,
        },
    ))
}

/// T6's answer.
#[derive(Serialize)]
struct DriverView<'a> {
    driver_name: String,
    company_name: &'a str,
    company_mchid: &'a str,
    driver_license: &'a str,
    driver_category: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    driver_photo: Option<Value>,
    region_id: i64,
    driver_state: &'static str,
}

/// T6 drivers/{driver_license}: one of the caller's drivers in the region,
/// else 404 NOT_FOUND 所查询的出租车司机不存在. driver_state is ACTIVE, or
/// INACTIVE for a driver registered OFF_DUTY.
pub(super) async fn query(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    uri: Uri,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let FleetRead {
        provider,
        key: driver_license,
        region,
    } = fleet_read(&request, path, &uri, "driver_license")?;
    let named_by = ("driver_license", "path");
    let driver =
        registered_driver(&state, &provider, region.get(), &driver_license, named_by).await?;
    Ok(pay_json(
        StatusCode::OK,
        &DriverView {
            driver_name: encrypt_for_merchant(&request, &driver.driver_name)?,
            company_name: &driver.company_name,
            company_mchid: &driver.company_mchid,
            driver_license: &driver.driver_license,
            driver_category: &driver.driver_category,
            driver_photo: driver.driver_photo.as_ref().map(photo_for_query),
            region_id: driver.region_id,
            driver_state: driver_state(&driver.driver_status),
        },
    ))
}
