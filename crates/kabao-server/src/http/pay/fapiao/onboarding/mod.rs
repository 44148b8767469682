//! Partner onboarding: getspinviteurl (F21) hands a service provider a link
//! a merchant opens to accept it; listspinvitemchinfo (F22) lists who
//! accepted or failed.

mod invite_url;
mod invited_list;

use crate::domain::tenant::MerchantKind;
use crate::http::pay::{PayError, SignedRequest};
use crate::state::AppState;
use axum::routing::get;
use axum::Router;
use kabao_protocol::apiv3::ErrorCode;

/// Routes of this area, relative to `/v3`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/new-tax-control-fapiao/fapiaomerchant/getspinviteurl",
            get(invite_url::get_invite_url),
        )
        .route(
            "/new-tax-control-fapiao/fapiaomerchant/listspinvitemchinfo",
            get(invited_list::list_invited),
        )
}

/// Both calls are for service providers only: anyone else is 403 NO_AUTH.
fn require_provider(request: &SignedRequest) -> Result<&str, PayError> {
    let merchant = &request.merchant.merchant;
    if merchant.kind != MerchantKind::ServiceProvider {
        return Err(PayError::new(
            ErrorCode::NoAuth,
            format!(
                "merchant {} is not a service provider; only service providers invite merchants to fapiao",
                merchant.mchid.as_str()
            ),
        ));
    }
    Ok(merchant.mchid.as_str())
}
