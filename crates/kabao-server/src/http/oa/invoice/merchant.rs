//! Merchant (商户): getauthurl, getauthdata, rejectinsert.

use super::{invalid, ok, ok_with};
use crate::domain::invoice::ids;
use crate::domain::invoice::order::{AuthOrder, OrderStatus, SOURCES};
use crate::domain::invoice::CardKind;
use crate::http::links::public_base;
use crate::http::oa::extract::{InvoiceJson, OaCaller};
use crate::http::oa::OaError;
use crate::state::AppState;
use crate::store::invoice::OrderConflict;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use kabao_protocol::oa::merchant::{GetAuthDataRequest, GetAuthUrlRequest, RejectInsertRequest};
use kabao_protocol::oa::OaErrcode;
use serde_json::json;

/// M1: the authorisation page link for an order. Needs the merchant's
/// contact (72063), for type 1 its auth fields (72029), and a live
/// `wx_card` ticket of the caller (72025).
pub async fn get_auth_url(
    State(state): State<AppState>,
    caller: OaCaller,
    headers: HeaderMap,
    body: InvoiceJson<GetAuthUrlRequest>,
) -> Result<Response, OaError> {
    let req = body.value;
    let auth_type = req.auth_type.ok_or_else(|| invalid("type is missing"))?;
    if !(0..=2).contains(&auth_type) {
        return Err(invalid(format!("type must be 0, 1 or 2, got {auth_type}")));
    }
    let appid = caller.app.appid.as_str();
    if state.store.biz_attr(appid, "contact").await?.is_none() {
        return Err(OaError::with_detail(
            OaErrcode::BizContactEmpty,
            "call setbizattr?action=set_contact first",
        ));
    }
    if auth_type == 1 && state.store.biz_attr(appid, "auth_field").await?.is_none() {
        return Err(OaError::with_detail(
            OaErrcode::InvoiceNeverSetAuthField,
            "type 1 needs setbizattr?action=set_auth_field first",
        ));
    }
    let order = open_order(&state, &caller, req, CardKind::Invoice, auth_type).await?;
    let auth_url = format!(
        "{}/_kabao/authorize/{}",
        public_base(&state, &headers),
        order.auth_key
    );
    let mut extra = json!({ "auth_url": auth_url });
    if order.source == "wxa" {
        extra["appid"] = json!(appid);
    }
    Ok(ok_with(extra))
}

/// Shared by getauthurl and getbillauthurl: checks the common fields and
/// records (or refreshes) the pending order.
pub(super) async fn open_order(
    state: &AppState,
    caller: &OaCaller,
    req: GetAuthUrlRequest,
    kind: CardKind,
    auth_type: i64,
) -> Result<AuthOrder, OaError> {
    if req.s_pappid.trim().is_empty() {
        return Err(invalid("s_pappid is empty"));
    }
    if req.order_id.trim().is_empty() {
        return Err(invalid("order_id is empty"));
    }
    if req.money < 0 {
        return Err(invalid(format!(
            "money must be a non-negative amount in fen, got {}",
            req.money
        )));
    }
    if !SOURCES.contains(&req.source.as_str()) {
        return Err(invalid(format!(
            "source must be app, web, wxa or wap, got {}",
            req.source
        )));
    }
    let Some(platform_appid) = state.store.platform_appid(&req.s_pappid).await? else {
        return Err(invalid(
            "s_pappid is not the s_pappid of any invoicing platform (seturl)",
        ));
    };
    let now = state.clock.now();
    let appid = caller.app.appid.as_str();
    let ticket = state.store.ticket(&req.ticket).await?;
    let live =
        ticket.is_some_and(|t| t.appid == appid && t.kind == "wx_card" && t.expires_at > now);
    if !live {
        return Err(OaError::with_detail(
            OaErrcode::InvoiceTokenError,
            "ticket is not a live wx_card api_ticket of this app (GET /cgi-bin/ticket/getticket?type=wx_card)",
        ));
    }
    let order = AuthOrder {
        appid: appid.to_owned(),
        order_id: req.order_id,
        kind,
        s_pappid: req.s_pappid,
        platform_appid,
        money: req.money,
        timestamp: req.timestamp,
        source: req.source,
        auth_type,
        redirect_url: req.redirect_url,
        auth_key: ids::link_key(),
        status: OrderStatus::Pending,
        openid: None,
        auth_time: None,
        user_auth_info: None,
        reject_reason: None,
        reject_url: None,
        created_at: now,
    };
    Ok(state.store.open_order(&order).await?)
}

/// The caller's order: its own (merchant) or, for the platform it names,
/// the order authorised with its `s_pappid`.
async fn find_order(
    state: &AppState,
    caller: &OaCaller,
    s_pappid: &str,
    order_id: &str,
) -> Result<Option<AuthOrder>, OaError> {
    let appid = caller.app.appid.as_str();
    let mut order = state.store.order(appid, order_id).await?;
    if order.is_none() {
        order = state.store.order_for_platform(appid, order_id).await?;
    }
    Ok(order.filter(|o| o.s_pappid == s_pappid))
}

/// M2: the order's authorisation status and the title the user gave.
pub async fn get_auth_data(
    State(state): State<AppState>,
    caller: OaCaller,
    body: InvoiceJson<GetAuthDataRequest>,
) -> Result<Response, OaError> {
    let req = body.value;
    let order = find_order(&state, &caller, &req.s_pappid, &req.order_id).await?;
    let Some(order) = order else {
        return Ok(ok_with(
            json!({ "invoice_status": "never auth", "auth_time": 0 }),
        ));
    };
    let mut extra = json!({
        "invoice_status": order.status.invoice_status(),
        "auth_time": order.auth_time.unwrap_or(0),
    });
    if let Some(info) = &order.user_auth_info {
        extra["user_auth_info"] = serde_json::to_value(info).map_err(OaError::system)?;
    }
    Ok(ok_with(extra))
}

/// M3: the merchant refuses to issue; the order is dead for good (72035 on
/// insert).
pub async fn reject_insert(
    State(state): State<AppState>,
    caller: OaCaller,
    body: InvoiceJson<RejectInsertRequest>,
) -> Result<Response, OaError> {
    let req = body.value;
    if req.reason.trim().is_empty() {
        return Err(invalid("reason is empty"));
    }
    let appid = caller.app.appid.as_str();
    let order = state.store.order(appid, &req.order_id).await?;
    if order.is_none_or(|o| o.s_pappid != req.s_pappid) {
        return Err(OaError::with_detail(
            OaErrcode::InvoiceOrderNeverAuth,
            "no order with this order_id and s_pappid was opened by this app (getauthurl)",
        ));
    }
    let result = state
        .store
        .reject_order(
            appid,
            &req.order_id,
            &req.reason,
            req.url.as_deref(),
            state.clock.now(),
        )
        .await?;
    match result {
        Ok(_) => Ok(ok()),
        Err(OrderConflict::Inserted) => Err(OaError::with_detail(
            OaErrcode::DuplicateOrderId,
            "the invoice was already inserted into the user's card package",
        )),
        Err(_) => Err(OaError::new(OaErrcode::InvoiceOrderNeverAuth)),
    }
}
