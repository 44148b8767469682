//! Reading the invoice tables: rows into domain values, and the lookups
//! the store's methods share.

use super::super::{corrupt, SqliteStore};
use crate::domain::invoice::card::{CardContent, InvoiceCard};
use crate::domain::invoice::order::{AuthOrder, OrderStatus};
use crate::domain::invoice::{CardKind, CardTemplate, PdfMedia};
use crate::store::StoreResult;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

fn kind(row: &SqliteRow) -> Result<CardKind, sqlx::Error> {
    let value: String = row.try_get("kind")?;
    CardKind::parse(&value).ok_or_else(|| corrupt("kind", value))
}

fn json(row: &SqliteRow, column: &str) -> Result<serde_json::Value, sqlx::Error> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|e| corrupt(column, e))
}

pub(super) fn template_from_row(row: &SqliteRow) -> Result<CardTemplate, sqlx::Error> {
    Ok(CardTemplate {
        card_id: row.try_get("card_id")?,
        appid: row.try_get("appid")?,
        kind: kind(row)?,
        payee: row.try_get("payee")?,
        invoice_type: row.try_get("type")?,
        title: row.try_get("title")?,
        info: json(row, "info_json")?,
        created_at: row.try_get("created_at")?,
    })
}

pub(super) fn media_from_row(row: &SqliteRow) -> Result<PdfMedia, sqlx::Error> {
    Ok(PdfMedia {
        s_media_id: row.try_get("s_media_id")?,
        appid: row.try_get("appid")?,
        filename: row.try_get("filename")?,
        content: row.try_get("content")?,
        uploaded_at: row.try_get("uploaded_at")?,
        expires_at: row.try_get("expires_at")?,
        bound_code: row.try_get("bound_code")?,
    })
}

pub(super) fn order_from_row(row: &SqliteRow) -> Result<AuthOrder, sqlx::Error> {
    let status: String = row.try_get("status")?;
    let info: Option<String> = row.try_get("user_auth_info")?;
    Ok(AuthOrder {
        appid: row.try_get("appid")?,
        order_id: row.try_get("order_id")?,
        kind: kind(row)?,
        s_pappid: row.try_get("s_pappid")?,
        platform_appid: row.try_get("platform_appid")?,
        money: row.try_get("money")?,
        timestamp: row.try_get("timestamp")?,
        source: row.try_get("source")?,
        auth_type: row.try_get("auth_type")?,
        redirect_url: row.try_get("redirect_url")?,
        auth_key: row.try_get("auth_key")?,
        status: OrderStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        openid: row.try_get("openid")?,
        auth_time: row.try_get("auth_time")?,
        user_auth_info: info
            .map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|e| corrupt("user_auth_info", e))?,
        reject_reason: row.try_get("reject_reason")?,
        reject_url: row.try_get("reject_url")?,
        created_at: row.try_get("created_at")?,
    })
}

pub(super) fn card_from_row(row: &SqliteRow) -> Result<InvoiceCard, sqlx::Error> {
    let warnings: String = row.try_get("warnings")?;
    Ok(InvoiceCard {
        code: row.try_get("code")?,
        kind: kind(row)?,
        card_id: row.try_get("card_id")?,
        platform_appid: row.try_get("platform_appid")?,
        appid: row.try_get("appid")?,
        order_id: row.try_get("order_id")?,
        openid: row.try_get("openid")?,
        unionid: row.try_get("unionid")?,
        encrypt_code: row.try_get("encrypt_code")?,
        content: CardContent {
            billing_code: row.try_get("billing_code")?,
            billing_no: row.try_get("billing_no")?,
            fee: row.try_get("fee")?,
            title: row.try_get("title")?,
            billing_time: row.try_get("billing_time")?,
            user_data: json(row, "user_data")?,
            s_pdf_media_id: row.try_get("s_pdf_media_id")?,
            s_trip_pdf_media_id: row.try_get("s_trip_pdf_media_id")?,
        },
        reimburse_status: row.try_get("reimburse_status")?,
        reimburse_appid: row.try_get("reimburse_appid")?,
        card_status: row.try_get("card_status")?,
        warnings: serde_json::from_str(&warnings).map_err(|e| corrupt("warnings", e))?,
        inserted_at: row.try_get("inserted_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

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
