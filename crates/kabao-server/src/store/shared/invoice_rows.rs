//! Rows of the invoice tables (`card_templates`, `pdf_media`,
//! `auth_orders`, `invoice_cards`) into domain values, for both backends.

use super::Columns;
use crate::domain::invoice::card::{CardContent, InvoiceCard};
use crate::domain::invoice::order::{AuthOrder, OrderStatus};
use crate::domain::invoice::{CardKind, CardTemplate, PdfMedia};
use crate::store::corrupt;

fn kind(row: &impl Columns) -> sqlx::Result<CardKind> {
    let value: String = row.col("kind")?;
    CardKind::parse(&value).ok_or_else(|| corrupt("kind", value))
}

fn json(row: &impl Columns, column: &str) -> sqlx::Result<serde_json::Value> {
    let text: String = row.col(column)?;
    serde_json::from_str(&text).map_err(|e| corrupt(column, e))
}

/// A `card_templates` row.
pub(crate) fn template_from_row(row: &impl Columns) -> sqlx::Result<CardTemplate> {
    Ok(CardTemplate {
        card_id: row.col("card_id")?,
        appid: row.col("appid")?,
        kind: kind(row)?,
        payee: row.col("payee")?,
        invoice_type: row.col("type")?,
        title: row.col("title")?,
        info: json(row, "info_json")?,
        created_at: row.col("created_at")?,
    })
}

/// A `pdf_media` row joined with its `content`.
pub(crate) fn media_from_row(row: &impl Columns) -> sqlx::Result<PdfMedia> {
    Ok(PdfMedia {
        s_media_id: row.col("s_media_id")?,
        appid: row.col("appid")?,
        filename: row.col("filename")?,
        content: row.col("content")?,
        uploaded_at: row.col("uploaded_at")?,
        expires_at: row.col("expires_at")?,
        bound_code: row.col("bound_code")?,
    })
}

/// An `auth_orders` row.
pub(crate) fn order_from_row(row: &impl Columns) -> sqlx::Result<AuthOrder> {
    let status: String = row.col("status")?;
    let info: Option<String> = row.col("user_auth_info")?;
    Ok(AuthOrder {
        appid: row.col("appid")?,
        order_id: row.col("order_id")?,
        kind: kind(row)?,
        s_pappid: row.col("s_pappid")?,
        platform_appid: row.col("platform_appid")?,
        money: row.col("money")?,
        timestamp: row.col("timestamp")?,
        source: row.col("source")?,
        auth_type: row.col("auth_type")?,
        redirect_url: row.col("redirect_url")?,
        auth_key: row.col("auth_key")?,
        status: OrderStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        openid: row.col("openid")?,
        auth_time: row.col("auth_time")?,
        user_auth_info: info
            .map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|e| corrupt("user_auth_info", e))?,
        reject_reason: row.col("reject_reason")?,
        reject_url: row.col("reject_url")?,
        created_at: row.col("created_at")?,
    })
}

/// An `invoice_cards` row.
pub(crate) fn card_from_row(row: &impl Columns) -> sqlx::Result<InvoiceCard> {
    let warnings: String = row.col("warnings")?;
    Ok(InvoiceCard {
        code: row.col("code")?,
        kind: kind(row)?,
        card_id: row.col("card_id")?,
        platform_appid: row.col("platform_appid")?,
        appid: row.col("appid")?,
        order_id: row.col("order_id")?,
        openid: row.col("openid")?,
        unionid: row.col("unionid")?,
        encrypt_code: row.col("encrypt_code")?,
        content: CardContent {
            billing_code: row.col("billing_code")?,
            billing_no: row.col("billing_no")?,
            fee: row.col("fee")?,
            title: row.col("title")?,
            billing_time: row.col("billing_time")?,
            user_data: json(row, "user_data")?,
            s_pdf_media_id: row.col("s_pdf_media_id")?,
            s_trip_pdf_media_id: row.col("s_trip_pdf_media_id")?,
        },
        reimburse_status: row.col("reimburse_status")?,
        reimburse_appid: row.col("reimburse_appid")?,
        card_status: row.col("card_status")?,
        warnings: serde_json::from_str(&warnings).map_err(|e| corrupt("warnings", e))?,
        inserted_at: row.col("inserted_at")?,
        updated_at: row.col("updated_at")?,
    })
}
