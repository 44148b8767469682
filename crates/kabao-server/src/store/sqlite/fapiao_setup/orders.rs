//! pay_orders: paid WeChat Pay orders made through the control API.

use crate::domain::fapiao::setup::PayOrder;
use crate::store::shared::fapiao_rows::pay_order_from_row;
use crate::store::StoreResult;
use sqlx::SqlitePool;

const COLUMNS: &str =
    "transaction_id, mchid, out_trade_no, appid, openid, amount, description, paid_at";

pub(super) async fn create_pay_order(pool: &SqlitePool, order: &PayOrder) -> StoreResult<()> {
    sqlx::query(&format!(
        "INSERT INTO pay_orders ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
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

pub(super) fn pay_order(
    conn: &rusqlite::Connection,
    transaction_id: &str,
) -> rusqlite::Result<Option<PayOrder>> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM pay_orders WHERE transaction_id = ?"
    ))?
    .query_row([transaction_id], |r| {
        Ok(PayOrder {
            transaction_id: r.get(0)?,
            mchid: r.get(1)?,
            out_trade_no: r.get(2)?,
            appid: r.get(3)?,
            openid: r.get(4)?,
            amount: r.get(5)?,
            description: r.get(6)?,
            paid_at: r.get(7)?,
        })
    })
    .optional()
}

pub(super) async fn pay_orders(pool: &SqlitePool, mchid: &str) -> StoreResult<Vec<PayOrder>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM pay_orders WHERE mchid = ? ORDER BY paid_at DESC, transaction_id DESC"
    ))
    .bind(mchid)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(pay_order_from_row)
        .collect::<Result<_, _>>()?)
}
