//! `/v3/taxi-invoice/*`: WeChat Pay taxi invoices, for service providers
//! only. The fleet area (companies, taxis, drivers, punches: T1–T7) and the
//! trips area (trip orders, file upload, cards: T8–T11) own their routes; the
//! check every call shares lives here.

mod fleet;
mod trips;

use crate::domain::tenant::MerchantKind;
use crate::http::pay::{PayError, SignedRequest};
use crate::state::AppState;
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
