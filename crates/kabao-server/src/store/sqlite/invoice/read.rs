//! Reading the invoice tables: the lookups the store's methods share, with
//! the row conversions of `store::shared::invoice_rows`.

use super::super::SqliteStore;
use crate::domain::invoice::card::InvoiceCard;
use crate::domain::invoice::order::AuthOrder;
use crate::store::StoreResult;
use sqlx::sqlite::SqliteRow;

pub(super) use crate::store::shared::invoice_rows::{
    card_from_row, media_from_row, order_from_row, template_from_row,
};

/// Every column of a card, for a `WHERE` to follow.
pub(super) const CARD_COLUMNS: &str = "SELECT * FROM invoice_cards";

impl SqliteStore {
    /// The first row `sql` finds with `binds`, read by `read`.
    pub(super) async fn first<'q, T>(
        &self,
        sql: &'q str,
        binds: &[&'q str],
        read: fn(&SqliteRow) -> Result<T, sqlx::Error>,
    ) -> StoreResult<Option<T>> {
        let mut q = sqlx::query(sql);
        for value in binds {
            q = q.bind(*value);
        }
        let row = q.fetch_optional(&self.pool).await?;
        Ok(row.as_ref().map(read).transpose()?)
    }

    pub(super) async fn order_where(
        &self,
        clause: &str,
        binds: &[&str],
    ) -> StoreResult<Option<AuthOrder>> {
        let sql = format!("SELECT * FROM auth_orders WHERE {clause}");
        self.first(&sql, binds, order_from_row).await
    }

    pub(super) async fn card_where(
        &self,
        clause: &str,
        value: &str,
    ) -> StoreResult<Option<InvoiceCard>> {
        let sql = format!("{CARD_COLUMNS} WHERE {clause}");
        self.first(&sql, &[value], card_from_row).await
    }
}
