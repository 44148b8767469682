//! The taxi trips area (T8–T11): a passenger's trip orders (listed by
//! user and by token), the fapiao file a provider uploads for one of its
//! companies, and the fapiao card it inserts into the passenger's card
//! package. A provider sees only its own trips, files and cards; another
//! provider's are answered as if they did not exist.

pub(crate) mod card;
mod card_trip;
mod find;
mod orders;
pub(crate) mod upload;

use crate::domain::taxi::region::REGION_EXPECTED;
use crate::domain::taxi::RegionId;
use crate::http::pay::error::method_not_allowed;
use crate::http::pay::PayError;
use crate::http::query;
use crate::state::AppState;
use crate::store::taxi_fleet::TaxiCompany;
use axum::http::Uri;
use axum::routing::{get, post};
use axum::Router;
use kabao_protocol::apiv3::ErrorCode;

/// Routes of this area, relative to `/v3`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/taxi-invoice/user-taxi-orders",
            get(orders::list).fallback(method_not_allowed),
        )
        .route(
            "/taxi-invoice/user-taxi-order/find-by-token",
            get(find::by_token).fallback(method_not_allowed),
        )
        .route(
            "/taxi-invoice/cards/upload-file",
            post(upload::upload_file).fallback(method_not_allowed),
        )
        .route(
            "/taxi-invoice/cards",
            post(card::insert).fallback(method_not_allowed),
        )
}

/// The company a T10/T11 body names: one the provider registered (else 403
/// NO_AUTH 出租车公司不属于服务商 naming `company_mchid`; an unknown mchid
/// reads the same), in `region` (else 404 NOT_FOUND
/// 未找到指定的出租车经营主体信息 naming `region_id`).
async fn provider_company(
    state: &AppState,
    provider: &str,
    company_mchid: &str,
    region: RegionId,
) -> Result<TaxiCompany, PayError> {
    let company = state
        .store
        .company(company_mchid)
        .await?
        .filter(|c| c.provider_mchid == provider)
        .ok_or_else(|| {
            PayError::field(
                ErrorCode::NoAuth,
                "company_mchid",
                "body",
                format!(
                    "出租车公司不属于服务商: {company_mchid} is not a taxi company service provider {provider} registered (create-taxi-company)"
                ),
            )
        })?;
    if company.region_id != region.get() {
        return Err(PayError::field(
            ErrorCode::NotFound,
            "region_id",
            "body",
            format!(
                "未找到指定的出租车经营主体信息: taxi company {company_mchid} is registered in region {}, not in {}",
                company.region_id,
                region.get()
            ),
        ));
    }
    Ok(company)
}

/// The query parameter `field`, required and not empty.
fn required_query(uri: &Uri, field: &str) -> Result<String, PayError> {
    query::param(uri, field)
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| PayError::param(field, "query", "is required"))
}

/// The `region_id` query parameter, when present.
fn region_query(uri: &Uri) -> Result<Option<RegionId>, PayError> {
    match query::param(uri, "region_id").filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(value) => RegionId::parse(&value).map(Some).ok_or_else(|| {
            PayError::param(
                "region_id",
                "query",
                format!("{value:?} is not {REGION_EXPECTED}"),
            )
        }),
    }
}
