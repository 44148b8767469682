//! What the invoice methods share on PostgreSQL: the lookups of one
//! order or card, and how an order's move or a card's change ends (with the
//! pushes it enqueues, in its transaction).

use super::{push, PostgresStore};
use crate::domain::invoice::card::InvoiceCard;
use crate::domain::invoice::order::AuthOrder;
use crate::store::invoice::{InvoiceStore, OrderConflict};
use crate::store::push::NewPush;
use crate::store::shared::invoice_rows::{card_from_row, order_from_row};
use crate::store::StoreResult;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, Transaction};

/// Every column of a card, for a `WHERE` to follow.
pub(super) const CARD_COLUMNS: &str = "SELECT * FROM invoice_cards";

impl PostgresStore {
    /// The first row `sql` finds with `binds`, read by `read`.
    pub(super) async fn invoice_row<T>(
        &self,
        sql: &str,
        binds: &[&str],
        read: fn(&PgRow) -> sqlx::Result<T>,
    ) -> StoreResult<Option<T>> {
        let mut q = sqlx::query(sql);
        for value in binds {
            q = q.bind(*value);
        }
        let row = q.fetch_optional(&self.pool).await?;
        Ok(row.as_ref().map(read).transpose()?)
    }

    /// The order `clause` (binding `binds`) finds.
    pub(super) async fn order_where(
        &self,
        clause: &str,
        binds: &[&str],
    ) -> StoreResult<Option<AuthOrder>> {
        let sql = format!("SELECT * FROM auth_orders WHERE {clause}");
        self.invoice_row(&sql, binds, order_from_row).await
    }

    /// The card `clause` (binding `value`) finds.
    pub(super) async fn card_where(
        &self,
        clause: &str,
        value: &str,
    ) -> StoreResult<Option<InvoiceCard>> {
        let sql = format!("{CARD_COLUMNS} WHERE {clause}");
        self.invoice_row(&sql, &[value], card_from_row).await
    }

    /// Ends an order's move: when its conditional UPDATE changed nothing,
    /// `conflict` names why from the order's status (None: no such order);
    /// otherwise the move commits with `pushes` and the order is read back.
    pub(super) async fn finish_order_move(
        &self,
        mut tx: Transaction<'_, Postgres>,
        moved: bool,
        pushes: &[NewPush],
        appid: &str,
        order_id: &str,
        conflict: fn(Option<&str>) -> OrderConflict,
    ) -> StoreResult<Result<AuthOrder, OrderConflict>> {
        if !moved {
            let status: Option<String> = sqlx::query_scalar(
                "SELECT status FROM auth_orders WHERE appid = $1 AND order_id = $2",
            )
            .bind(appid)
            .bind(order_id)
            .fetch_optional(&mut *tx)
            .await?;
            return Ok(Err(conflict(status.as_deref())));
        }
        commit_with(tx, pushes).await?;
        Ok(self
            .order(appid, order_id)
            .await?
            .ok_or(OrderConflict::NotFound))
    }
}

/// Enqueues `pushes` in `tx` and commits: the change and its pushes land together.
pub(super) async fn commit_with(
    mut tx: Transaction<'_, Postgres>,
    pushes: &[NewPush],
) -> StoreResult<()> {
    for p in pushes {
        push::enqueue(&mut tx, p).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Locks an order's row for the rest of `tx` and returns its status (None:
/// no such order), so the checks that follow see every change committed
/// before it and none after.
pub(super) async fn lock_order(
    tx: &mut PgConnection,
    appid: &str,
    order_id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT status FROM auth_orders WHERE appid = $1 AND order_id = $2 FOR UPDATE",
    )
    .bind(appid)
    .bind(order_id)
    .fetch_optional(tx)
    .await
}
