//! `/card/invoice/*`, `/card/code/decrypt` and `/nontax/*`: the invoicing
//! platform, merchant, reimbursement and fiscal-bill endpoints.

pub(crate) mod bizattr;
mod insert;
mod merchant;
mod nontax;
mod platform;
mod reimburse;
mod setpdf;
pub use setpdf::read_pdf_part;

use super::error::{oa_json, require_post};
use super::OaError;
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::response::Response;
use axum::routing::{post, MethodRouter};
use axum::Router;
use kabao_protocol::oa::OaErrcode;

/// Routes of the invoice and fiscal-bill families (all POST).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/card/invoice/seturl", p(platform::set_url))
        .route(
            "/card/invoice/platform/createcard",
            p(platform::create_card),
        )
        .route(
            "/card/invoice/platform/setpdf",
            post(setpdf::set_pdf)
                .fallback(require_post)
                .layer(DefaultBodyLimit::max(setpdf::BODY_LIMIT)),
        )
        .route("/card/invoice/platform/getpdf", p(platform::get_pdf))
        .route(
            "/card/invoice/platform/updatestatus",
            p(platform::update_status),
        )
        .route("/card/invoice/insert", p(insert::insert_invoice))
        .route("/card/invoice/getauthurl", p(merchant::get_auth_url))
        .route("/card/invoice/getauthdata", p(merchant::get_auth_data))
        .route("/card/invoice/rejectinsert", p(merchant::reject_insert))
        .route("/card/invoice/setbizattr", p(bizattr::set_biz_attr))
        .route(
            "/card/invoice/reimburse/getinvoiceinfo",
            p(reimburse::get_invoice_info),
        )
        .route(
            "/card/invoice/reimburse/getinvoicebatch",
            p(reimburse::get_invoice_batch),
        )
        .route(
            "/card/invoice/reimburse/updateinvoicestatus",
            p(reimburse::update_invoice_status),
        )
        .route(
            "/card/invoice/reimburse/updatestatusbatch",
            p(reimburse::update_status_batch),
        )
        .route("/card/code/decrypt", p(reimburse::decrypt_code))
        .route("/nontax/createbillcard", p(nontax::create_bill_card))
        .route("/nontax/getbillauthurl", p(nontax::get_bill_auth_url))
        .route("/nontax/insertbill", p(insert::insert_bill))
}

/// A POST route; other methods get 43002.
fn p<H, T>(handler: H) -> MethodRouter<AppState>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    post(handler).fallback(require_post)
}

/// `{"errcode":0,"errmsg":"ok", …fields}`.
fn ok_with(fields: serde_json::Value) -> Response {
    let mut body = serde_json::Map::new();
    body.insert("errcode".into(), 0.into());
    body.insert("errmsg".into(), "ok".into());
    if let serde_json::Value::Object(extra) = fields {
        body.extend(extra);
    }
    oa_json(&body)
}

/// `{"errcode":0,"errmsg":"ok"}`.
fn ok() -> Response {
    ok_with(serde_json::Value::Null)
}

/// 72031 naming the field.
fn invalid(detail: impl AsRef<str>) -> OaError {
    OaError::with_detail(OaErrcode::InvalidParams, detail)
}

/// Characters (not bytes) in a string, as WeChat counts name lengths.
fn chars(s: &str) -> usize {
    s.chars().count()
}
