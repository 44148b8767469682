//! Reimbursement (报销) bodies: `/card/invoice/reimburse/*` and
//! `/card/code/decrypt`.

use super::insert::InvoiceItem;
use serde::{Deserialize, Serialize};

/// A card as a reimburser names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardRef {
    /// The template.
    pub card_id: String,
    /// The code handed out by the invoice chooser.
    pub encrypt_code: String,
}

/// `reimburse/getinvoicebatch` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceBatchRequest {
    /// The cards.
    pub item_list: Vec<CardRef>,
}

/// `reimburse/updateinvoicestatus` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateInvoiceStatusRequest {
    /// The template.
    pub card_id: String,
    /// The chooser's code.
    pub encrypt_code: String,
    /// `INVOICE_REIMBURSE_INIT`, `_LOCK` or `_CLOSURE`.
    pub reimburse_status: String,
}

/// `reimburse/updatestatusbatch` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateStatusBatchRequest {
    /// The user every invoice must belong to.
    pub openid: String,
    /// The new status for all of them.
    pub reimburse_status: String,
    /// The cards.
    pub invoice_list: Vec<CardRef>,
}

/// `reimburse/getinvoiceinfo` answer (and one entry of the batch answer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceInfoResponse {
    /// The template.
    pub card_id: String,
    /// Validity start (Unix seconds).
    pub begin_time: i64,
    /// Validity end (Unix seconds).
    pub end_time: i64,
    /// The holder.
    pub openid: String,
    /// The template's invoice type text.
    #[serde(rename = "type")]
    pub invoice_type: String,
    /// The template's payee.
    pub payee: String,
    /// The template's detail.
    pub detail: String,
    /// `NORMAL`, or `DELETE` once the user deleted it.
    pub user_card_status: String,
    /// The invoice.
    pub user_info: ReimburseUserInfo,
}

/// The invoice data a reimburser sees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReimburseUserInfo {
    /// Total in fen.
    pub fee: i64,
    /// Buyer title.
    pub title: String,
    /// Issue time.
    pub billing_time: i64,
    /// Invoice number.
    pub billing_no: String,
    /// Invoice code.
    pub billing_code: String,
    /// Line items.
    #[serde(default)]
    pub info: Vec<InvoiceItem>,
    /// Before tax, in fen.
    #[serde(default)]
    pub fee_without_tax: i64,
    /// Tax in fen.
    #[serde(default)]
    pub tax: i64,
    /// Download link of the PDF (valid 7200 s).
    pub pdf_url: String,
    /// Download link of the extra PDF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trip_pdf_url: Option<String>,
    /// `INVOICE_REIMBURSE_*`.
    pub reimburse_status: String,
    /// Every other field of the inserted `invoice_user_data`
    /// (check_code, buyer_*, seller_*, remarks, cashier, maker).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// `/card/code/decrypt` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecryptCodeRequest {
    /// The chooser's code.
    pub encrypt_code: String,
}
