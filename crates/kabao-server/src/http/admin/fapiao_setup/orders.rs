//! Paid WeChat Pay orders: `POST/GET /_kabao/api/fapiao/pay-orders`. The
//! answer's transaction_id is the fapiao_apply_id of the WITH_WECHATPAY scene.

use crate::domain::fapiao::setup::PayOrder;
use crate::domain::ids::{new_transaction_id, Appid, Openid};
use crate::domain::tenant::MerchantKind;
use crate::domain::FieldError;
use crate::http::admin::error::{AdminError, AdminJson};
use crate::http::query;
use crate::state::AppState;
use crate::store::StoreError;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// The body of `POST /fapiao/pay-orders`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewOrderBody {
    mchid: String,
    #[serde(default)]
    appid: Option<String>,
    #[serde(default)]
    openid: Option<String>,
    amount: i64,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    out_trade_no: Option<String>,
}

fn check_out_trade_no(value: &str) -> Result<(), AdminError> {
    let ok = (6..=32).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-|*".contains(&b));
    if ok {
        return Ok(());
    }
    Err(AdminError::field(FieldError::new(
        "out_trade_no",
        "must be 6-32 characters of letters, digits, _ - | *",
    )))
}

/// `POST /_kabao/api/fapiao/pay-orders` → 201 with the order.
pub(super) async fn create_order(
    State(state): State<AppState>,
    AdminJson(body): AdminJson<NewOrderBody>,
) -> Result<(StatusCode, Json<PayOrder>), AdminError> {
    let merchant = state.store.merchant(&body.mchid).await?.ok_or_else(|| {
        AdminError::field(FieldError::new("mchid", "is not a provisioned merchant"))
    })?;
    if merchant.kind == MerchantKind::ServiceProvider {
        return Err(AdminError::field(FieldError::new(
            "mchid",
            "is a service provider; orders belong to a direct merchant or a sub-merchant",
        )));
    }
    if body.amount < 1 {
        return Err(AdminError::field(FieldError::new(
            "amount",
            "must be at least 1 (fen)",
        )));
    }
    if let Some(appid) = &body.appid {
        Appid::parse("appid", appid).map_err(AdminError::field)?;
    }
    if let Some(openid) = &body.openid {
        Openid::parse("openid", openid).map_err(AdminError::field)?;
    }
    let description = body
        .description
        .unwrap_or_else(|| "kabao 测试商品".to_owned());
    if description.chars().count() > 127 {
        return Err(AdminError::field(FieldError::new(
            "description",
            "must be at most 127 characters",
        )));
    }
    let now = state.clock.now();
    let out_trade_no = match body.out_trade_no {
        Some(no) => {
            check_out_trade_no(&no)?;
            no
        }
        None => format!("KB{now}{}", kabao_protocol::aead::random_alphanumeric(8)),
    };
    let order = PayOrder {
        transaction_id: new_transaction_id(now),
        mchid: body.mchid,
        out_trade_no,
        appid: body.appid,
        openid: body.openid,
        amount: body.amount,
        description,
        paid_at: now,
    };
    match state.store.create_pay_order(&order).await {
        Ok(()) => Ok((StatusCode::CREATED, Json(order))),
        Err(StoreError::Conflict(_)) => Err(AdminError::conflict(format!(
            "out_trade_no: merchant {} already has an order {}",
            order.mchid, order.out_trade_no
        ))),
        Err(e) => Err(e.into()),
    }
}

/// `GET /_kabao/api/fapiao/pay-orders?mchid=…` → `{"orders": […]}`, newest first.
pub(super) async fn list_orders(
    State(state): State<AppState>,
    uri: Uri,
) -> Result<Json<Value>, AdminError> {
    let mchid = query::param(&uri, "mchid")
        .filter(|m| !m.is_empty())
        .ok_or_else(|| AdminError::field(FieldError::new("mchid", "is required")))?;
    let orders = state.store.pay_orders(&mchid).await?;
    Ok(Json(json!({ "orders": orders })))
}

/// `GET /_kabao/api/fapiao/pay-orders/{transaction_id}`.
pub(super) async fn get_order(
    State(state): State<AppState>,
    Path(transaction_id): Path<String>,
) -> Result<Json<PayOrder>, AdminError> {
    state
        .store
        .pay_order(&transaction_id)
        .await?
        .map(Json)
        .ok_or_else(|| AdminError::not_found(format!("no pay order {transaction_id}")))
}
