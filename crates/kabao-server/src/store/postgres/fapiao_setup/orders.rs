//! pay_orders: paid WeChat Pay orders made through the control API.

use crate::domain::fapiao::setup::PayOrder;
use crate::store::shared::fapiao_rows::{
    pay_order_from_row as from_row, PAY_ORDER_COLUMNS as COLUMNS,
};
use crate::store::StoreResult;
use sqlx::PgPool;

pub(super) async fn create_pay_order(pool: &PgPool, order: &PayOrder) -> StoreResult<()> {
    sqlx::query(&format!(
        "INSERT INTO pay_orders ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(&order.transaction_id)
    .bind(&order.mchid)
    .bind(&order.out_trade_no)
    .bind(&order.appid)
    .bind(&order.openid)
    .bind(order.amount)
    .bind(&order.description)
    .bind(order.paid_at)
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn pay_order(
    pool: &PgPool,
    transaction_id: &str,
) -> StoreResult<Option<PayOrder>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM pay_orders WHERE transaction_id = $1"
    ))
    .bind(transaction_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

pub(super) async fn pay_orders(pool: &PgPool, mchid: &str) -> StoreResult<Vec<PayOrder>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM pay_orders WHERE mchid = $1 ORDER BY paid_at DESC, transaction_id DESC"
    ))
    .bind(mchid)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}
