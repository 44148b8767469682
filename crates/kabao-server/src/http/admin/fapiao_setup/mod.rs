//! Fapiao setup on the control API: paid WeChat Pay orders to issue
//! against, a merchant's fapiao capability, seller and tax-code additions,
//! and answering a partner invitation as the invited merchant would.

mod invites;
mod merchants;
mod orders;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

/// Routes of this area, relative to `/_kabao/api`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/fapiao/pay-orders",
            get(orders::list_orders).post(orders::create_order),
        )
        .route(
            "/fapiao/pay-orders/{transaction_id}",
            get(orders::get_order),
        )
        .route(
            "/fapiao/merchants/{mchid}",
            get(merchants::get_setup).put(merchants::put_setup),
        )
        .route(
            "/fapiao/merchants/{mchid}/tax-codes",
            get(merchants::list_tax_codes).post(merchants::add_tax_codes),
        )
        .route("/fapiao/invites/{key}", get(invites::get_invite))
        .route("/fapiao/invites/{key}/answer", post(invites::answer))
}
