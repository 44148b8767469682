//! `/v3/taxi-invoice/*`: WeChat Pay taxi invoices, for service providers
//! only. The fleet area (companies, taxis, drivers, punches: T1–T7) and the
//! trips area (trip orders, file upload, cards: T8–T11) own their routes; the
//! check every call shares lives here.

pub(crate) mod fleet;
pub(crate) mod trips;

use crate::domain::tenant::MerchantKind;
use crate::http::pay::{PayError, SignedRequest};
use crate::state::AppState;
use crate::store::taxi_fleet::{Taxi, TaxiDriver};
use axum::Router;
use kabao_protocol::apiv3::ErrorCode;

/// Routes of the taxi family, relative to `/v3`.
pub fn routes() -> Router<AppState> {
    Router::new().merge(fleet::routes()).merge(trips::routes())
}

/// The signer's mchid when it is a service provider: the taxi family is a
/// service-provider product, so anyone else gets 403 NO_AUTH (服务商无权限).
pub(crate) fn require_provider(request: &SignedRequest) -> Result<String, PayError> {
    let merchant = &request.merchant.merchant;
    if merchant.kind != MerchantKind::ServiceProvider {
        return Err(PayError::new(
            ErrorCode::NoAuth,
            format!(
                "服务商无权限: merchant {} is not a service provider; the taxi invoice APIs are for service providers",
                merchant.mchid.as_str()
            ),
        ));
    }
    Ok(merchant.mchid.as_str().to_owned())
}

/// Where a call names a taxi or a driver: the field (`plate_number`, or
/// the `token` that led to it) and its location (`path`, `body`).
pub(crate) type NamedBy<'a> = (&'a str, &'a str);

/// The provider's taxi `plate` in `region`, else 404 NOT_FOUND
/// 所查询的出租车不存在 naming `named_by`.
pub(crate) async fn registered_taxi(
    state: &AppState,
    provider: &str,
    region: i64,
    plate: &str,
    named_by: NamedBy<'_>,
) -> Result<Taxi, PayError> {
    let taxi = state.store.taxi(provider, region, plate).await?;
    taxi.ok_or_else(|| {
        not_found(
            named_by,
            format!("所查询的出租车不存在: no taxi {plate} is registered in region {region}"),
        )
    })
}

/// The provider's driver `license` (营运资格证号) in `region`, else 404
/// NOT_FOUND 所查询的出租车司机不存在 naming `named_by`.
pub(crate) async fn registered_driver(
    state: &AppState,
    provider: &str,
    region: i64,
    license: &str,
    named_by: NamedBy<'_>,
) -> Result<TaxiDriver, PayError> {
    let driver = state.store.driver(provider, region, license).await?;
    driver.ok_or_else(|| {
        not_found(
            named_by,
            format!("所查询的出租车司机不存在: no driver with 营运资格证号 {license} is registered in region {region}"),
        )
    })
}

/// 404 NOT_FOUND naming `named_by`.
fn not_found((field, location): NamedBy<'_>, message: String) -> PayError {
    PayError::field(ErrorCode::NotFound, field, location, message)
}
