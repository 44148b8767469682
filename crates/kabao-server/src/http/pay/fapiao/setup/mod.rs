//! Merchant setup: check-status/check, base-information, tax-codes,
//! development-config and card-template.

mod capability;
pub(crate) mod card_template;
pub(crate) mod dev_config;
pub(super) mod paging;
mod tables;
mod urls;

use crate::state::AppState;
use axum::routing::get;
use axum::Router;

/// Routes of this area, relative to `/v3`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/new-tax-control-fapiao/merchant/{sub_mchid}/check-status",
            get(capability::check_status),
        )
        .route(
            "/new-tax-control-fapiao/merchant/{sub_mchid}/check",
            get(capability::check).post(capability::check),
        )
        .route(
            "/new-tax-control-fapiao/merchant/base-information",
            get(tables::base_information),
        )
        .route(
            "/new-tax-control-fapiao/merchant/tax-codes",
            get(tables::tax_codes),
        )
        .route(
            "/new-tax-control-fapiao/merchant/development-config",
            get(dev_config::get_config)
                .patch(dev_config::patch_config)
                // wechatpayv3's fapiao_set_merchant_config sends POST.
                .post(dev_config::patch_config),
        )
        .route(
            "/new-tax-control-fapiao/card-template",
            axum::routing::post(card_template::create),
        )
}
