//! Rows of the fapiao tables (`fapiaos`, `fapiao_invites`, `pay_orders`,
//! `fapiao_tax_codes`) into domain values, for both backends.

use super::Columns;
use crate::domain::fapiao::setup::{FapiaoInvite, InviteStatus, PayOrder, TaxCode};
use crate::domain::fapiao::{CardStatus, FapiaoStatus};
use crate::store::corrupt;
use crate::store::fapiao::StoredFapiao;
use serde::de::DeserializeOwned;

/// The columns [`fapiao_from_row`] reads.
pub(crate) const FAPIAO_COLUMNS: &str = "fapiao_id, status, card_status, total_amount, tax_amount,
    amount, fapiao_json, blue_json, red_json, card_json, error_code, error_message, reverse_reason,
    updated_at";

/// One fapiao from a row of [`FAPIAO_COLUMNS`].
pub(crate) fn fapiao_from_row(row: &impl Columns) -> sqlx::Result<StoredFapiao> {
    let status: String = row.col("status")?;
    let card_status: Option<String> = row.col("card_status")?;
    Ok(StoredFapiao {
        fapiao_id: row.col("fapiao_id")?,
        status: FapiaoStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        card_status: card_status.as_deref().and_then(CardStatus::parse),
        total_amount: row.col("total_amount")?,
        tax_amount: row.col("tax_amount")?,
        amount: row.col("amount")?,
        face: json_column(row, "fapiao_json")?,
        blue: optional_json_column(row, "blue_json")?,
        red: optional_json_column(row, "red_json")?,
        card: optional_json_column(row, "card_json")?,
        error_code: row.col("error_code")?,
        error_message: row.col("error_message")?,
        reverse_reason: row.col("reverse_reason")?,
        updated_at: row.col("updated_at")?,
    })
}

/// A JSON (TEXT) column parsed as `T`.
pub(crate) fn json_column<T: DeserializeOwned>(
    row: &impl Columns,
    column: &str,
) -> sqlx::Result<T> {
    let text: String = row.col(column)?;
    serde_json::from_str(&text).map_err(|e| corrupt(column, e))
}

/// A nullable JSON (TEXT) column parsed as `T`.
pub(crate) fn optional_json_column<T: DeserializeOwned>(
    row: &impl Columns,
    column: &str,
) -> sqlx::Result<Option<T>> {
    let text: Option<String> = row.col(column)?;
    text.map(|t| serde_json::from_str(&t).map_err(|e| corrupt(column, e)))
        .transpose()
}

/// The columns [`invite_from_row`] reads.
pub(crate) const INVITE_COLUMNS: &str = "id, provider_mchid, invite_code, link_key, request_json,
    sub_mchid, status, ep_name, tax_id, failed_code, failed_reason, created_at, operate_time";

/// A `fapiao_invites` row of [`INVITE_COLUMNS`].
pub(crate) fn invite_from_row(row: &impl Columns) -> sqlx::Result<FapiaoInvite> {
    let status: String = row.col("status")?;
    Ok(FapiaoInvite {
        id: row.col("id")?,
        provider_mchid: row.col("provider_mchid")?,
        invite_code: row.col("invite_code")?,
        link_key: row.col("link_key")?,
        request: json_column(row, "request_json")?,
        sub_mchid: row.col("sub_mchid")?,
        status: InviteStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        ep_name: row.col("ep_name")?,
        tax_id: row.col("tax_id")?,
        failed_code: row.col("failed_code")?,
        failed_reason: row.col("failed_reason")?,
        created_at: row.col("created_at")?,
        operate_time: row.col("operate_time")?,
    })
}

/// The columns [`pay_order_from_row`] reads.
pub(crate) const PAY_ORDER_COLUMNS: &str =
    "transaction_id, mchid, out_trade_no, appid, openid, amount, description, paid_at";

/// A `pay_orders` row of [`PAY_ORDER_COLUMNS`].
pub(crate) fn pay_order_from_row(row: &impl Columns) -> sqlx::Result<PayOrder> {
    Ok(PayOrder {
        transaction_id: row.col("transaction_id")?,
        mchid: row.col("mchid")?,
        out_trade_no: row.col("out_trade_no")?,
        appid: row.col("appid")?,
        openid: row.col("openid")?,
        amount: row.col("amount")?,
        description: row.col("description")?,
        paid_at: row.col("paid_at")?,
    })
}

/// A `fapiao_tax_codes` row.
pub(crate) fn tax_code_from_row(row: &impl Columns) -> sqlx::Result<TaxCode> {
    Ok(TaxCode {
        tax_code: row.col("tax_code")?,
        goods_name: row.col("goods_name")?,
        goods_category: row.col("goods_category")?,
        goods_id: row.col("goods_id")?,
        tax_rate: row.col("tax_rate")?,
        tax_prefer_mark: row.col("tax_prefer_mark")?,
    })
}
