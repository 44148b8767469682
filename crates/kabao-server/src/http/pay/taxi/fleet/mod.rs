//! The taxi fleet area (T1–T7): a service provider registers taxi companies
//! (kabao assigns their mchid), their taxis and drivers, and the drivers'
//! sign-ins and sign-outs. Each provider sees only its own records: another
//! provider's company, taxi or driver is answered as if it did not exist,
//! and naming another provider's company in a body is 403 NO_AUTH.

pub(crate) mod attendance;
pub(crate) mod companies;
pub(crate) mod drivers;
pub(crate) mod taxis;

use crate::domain::taxi::region::REGION_EXPECTED;
use crate::domain::taxi::RegionId;
use crate::domain::FieldError;
use crate::http::pay::error::method_not_allowed;
use crate::http::pay::taxi::require_provider;
use crate::http::pay::{PayError, SignedRequest};
use crate::http::query;
use crate::state::AppState;
use crate::store::taxi_fleet::TaxiCompany;
use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::http::Uri;
use axum::routing::{get, post};
use axum::Router;
use kabao_protocol::apiv3::ErrorCode;

/// Routes of this area, relative to `/v3`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/taxi-invoice/taxi-company/create-taxi-company",
            post(companies::create).fallback(method_not_allowed),
        )
        .route(
            "/taxi-invoice/taxi-companies/{company_mchid}",
            get(companies::query).fallback(method_not_allowed),
        )
        .route(
            "/taxi-invoice/taxi/update-taxi",
            post(taxis::update).fallback(method_not_allowed),
        )
        .route(
            "/taxi-invoice/taxies/{plate_number}",
            get(taxis::query).fallback(method_not_allowed),
        )
        .route(
            "/taxi-invoice/driver/update-driver",
            post(drivers::update).fallback(method_not_allowed),
        )
        .route(
            "/taxi-invoice/drivers/{driver_license}",
            get(drivers::query).fallback(method_not_allowed),
        )
        .route(
            "/taxi-invoice/attendance/punch",
            post(attendance::punch).fallback(method_not_allowed),
        )
}

/// A body field's validation failure as 400 PARAM_ERROR.
fn body_error(e: FieldError) -> PayError {
    PayError::param(&e.field, "body", e.issue)
}

/// The required `region_id` query parameter of the GET calls.
fn region_query(uri: &Uri) -> Result<RegionId, PayError> {
    let value = query::param(uri, "region_id").unwrap_or_default();
    if value.is_empty() {
        return Err(PayError::param(
            "region_id",
            "query",
            format!("is required: {REGION_EXPECTED}"),
        ));
    }
    RegionId::parse(&value).ok_or_else(|| {
        PayError::param(
            "region_id",
            "query",
            format!("{value:?} is not {REGION_EXPECTED}"),
        )
    })
}

/// What a fleet read (T2, T4, T6) asks for: the calling provider, the
/// path parameter, and the required `region_id` query.
struct FleetRead {
    /// The calling service provider.
    provider: String,
    /// The path parameter, decoded (plates such as 沪A12345 arrive
    /// percent-encoded).
    key: String,
    /// The region asked about.
    region: RegionId,
}

/// A fleet read whose path parameter is named `field`.
fn fleet_read(
    request: &SignedRequest,
    path: Result<Path<String>, PathRejection>,
    uri: &Uri,
    field: &str,
) -> Result<FleetRead, PayError> {
    let provider = require_provider(request)?;
    let key = match path {
        Ok(Path(value)) if !value.trim().is_empty() => value,
        Ok(_) => return Err(PayError::param(field, "path", "must not be empty")),
        Err(e) => return Err(PayError::param(field, "path", e.body_text())),
    };
    let region = region_query(uri)?;
    Ok(FleetRead {
        provider,
        key,
        region,
    })
}

/// The company a taxi or driver body names: it must be one of `provider`'s
/// companies in `region` (else 403 NO_AUTH 出租车公司不属于服务商 naming
/// `mchid`), and `company_name` must be its registered name (else 400
/// PARAM_ERROR naming `company_name`).
async fn own_company(
    state: &AppState,
    provider: &str,
    mchid: &str,
    region: RegionId,
    company_name: &str,
) -> Result<TaxiCompany, PayError> {
    let company = state
        .store
        .company(mchid)
        .await?
        .filter(|c| c.provider_mchid == provider && c.region_id == region.get())
        .ok_or_else(|| {
            PayError::field(
                ErrorCode::NoAuth,
                "mchid",
                "body",
                format!(
                    "出租车公司不属于服务商: {mchid} is not a taxi company that service provider {provider} registered in region {}",
                    region.get()
                ),
            )
        })?;
    if company.company_name != company_name {
        return Err(PayError::param(
            "company_name",
            "body",
            format!(
                "{company_name:?} is not the registered name of company {mchid} ({:?})",
                company.company_name
            ),
        ));
    }
    Ok(company)
}
