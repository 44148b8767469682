//! T3 `POST /v3/taxi-invoice/taxi/update-taxi` (create or update a taxi by
//! plate) and T4 `GET /v3/taxi-invoice/taxies/{plate_number}?region_id=`.

use super::{body_error, fleet_read, own_company, FleetRead};
use crate::domain::taxi::fleet::{one_of, optional, required, INVOICE_FLAGS, TAXI_STATES};
use crate::domain::taxi::RegionId;
use crate::http::pay::fapiao::parse_body;
use crate::http::pay::taxi::{registered_taxi, require_provider};
use crate::http::pay::{pay_json, PayError, SignedRequest};
use crate::state::AppState;
use crate::store::taxi_fleet::Taxi;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::{Deserialize, Serialize};

/// T3's body. Lengths are the official page's; `mchid` is required there
/// (the older YAML leaves it optional, but the company is known only by it).
#[derive(Deserialize)]
pub(crate) struct UpdateTaxiBody {
    plate_number: String,
    company_name: String,
    #[serde(default)]
    mchid: Option<String>,
    main_license: String,
    #[serde(default)]
    deputy_license: Option<String>,
    region_id: RegionId,
    #[serde(default)]
    invoice_flag: Option<String>,
    #[serde(default)]
    taxi_state: Option<String>,
}

/// T3's answer: the taxi as stored, in the fields the call takes.
#[derive(Serialize)]
struct UpdatedTaxi<'a> {
    plate_number: &'a str,
    company_name: &'a str,
    mchid: &'a str,
    main_license: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    deputy_license: Option<&'a str>,
    region_id: i64,
}

/// T3 update-taxi: the company must be one of the caller's in the region.
/// invoice_flag (INVOICE or NO_INVOICE) and taxi_state keep their stored
/// values when left out; a new taxi issues fapiao and is IN_OPERATION.
pub(super) async fn update(
    State(state): State<AppState>,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let provider = require_provider(&request)?;
    let body: UpdateTaxiBody = parse_body(&request.body)?;
    let region = body.region_id;
    let plate_number = required("plate_number", &body.plate_number, 16).map_err(body_error)?;
    let company_name = required("company_name", &body.company_name, 1024).map_err(body_error)?;
    let mchid =
        required("mchid", body.mchid.as_deref().unwrap_or_default(), 20).map_err(body_error)?;
    let main_license = required("main_license", &body.main_license, 128).map_err(body_error)?;
    let deputy_license =
        optional("deputy_license", body.deputy_license.as_deref(), 128).map_err(body_error)?;
    let invoice_flag = optional("invoice_flag", body.invoice_flag.as_deref(), 20)
        .and_then(|f| {
            f.map(|f| one_of("invoice_flag", &f, &INVOICE_FLAGS))
                .transpose()
        })
        .map_err(body_error)?;
    let taxi_state = optional("taxi_state", body.taxi_state.as_deref(), 20)
        .and_then(|s| {
            s.map(|s| one_of("taxi_state", &s, &TAXI_STATES))
                .transpose()
        })
        .map_err(body_error)?;
    let company = own_company(&state, &provider, &mchid, region, &company_name).await?;
    let stored = state
        .store
        .taxi(&provider, region.get(), &plate_number)
        .await?;
    let taxi = Taxi {
        provider_mchid: provider,
        region_id: region.get(),
        plate_number,
        company_mchid: company.company_mchid,
        company_name: company.company_name,
        main_license,
        deputy_license,
        support_invoice: match (&invoice_flag, &stored) {
            (Some(flag), _) => flag == "INVOICE",
            (None, Some(stored)) => stored.support_invoice,
            (None, None) => true,
        },
        taxi_state: match (taxi_state, &stored) {
            (Some(taxi_state), _) => taxi_state,
            (None, Some(stored)) => stored.taxi_state.clone(),
            (None, None) => TAXI_STATES[0].to_owned(),
        },
    };
    let taxi = state.store.put_taxi(&taxi, state.clock.now()).await?;
    Ok(pay_json(
        StatusCode::OK,
        &UpdatedTaxi {
            plate_number: &taxi.plate_number,
            company_name: &taxi.company_name,
            mchid: &taxi.company_mchid,
            main_license: &taxi.main_license,
            deputy_license: taxi.deputy_license.as_deref(),
            region_id: taxi.region_id,
        },
    ))
}

/// T4's answer.
#[derive(Serialize)]
struct TaxiView<'a> {
    plate_number: &'a str,
    company_name: &'a str,
    company_mchid: &'a str,
    main_license: &'a str,
    deputy_license: &'a str,
    region_id: i64,
    support_invoice: bool,
    taxi_state: &'a str,
}

/// T4 taxies/{plate_number}: one of the caller's taxis in the region, else
/// 404 NOT_FOUND 所查询的出租车不存在.
pub(super) async fn query(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    uri: Uri,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let FleetRead {
        provider,
        key: plate_number,
        region,
    } = fleet_read(&request, path, &uri, "plate_number")?;
    let named_by = ("plate_number", "path");
    let taxi = registered_taxi(&state, &provider, region.get(), &plate_number, named_by).await?;
    Ok(pay_json(
        StatusCode::OK,
        &TaxiView {
            plate_number: &taxi.plate_number,
            company_name: &taxi.company_name,
            company_mchid: &taxi.company_mchid,
            main_license: &taxi.main_license,
            // Required in the answer; a taxi without a deputy answers "".
            deputy_license: taxi.deputy_license.as_deref().unwrap_or_default(),
            region_id: taxi.region_id,
            support_invoice: taxi.support_invoice,
            taxi_state: &taxi.taxi_state,
        },
    ))
}
