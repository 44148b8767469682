//! Invoicing-platform (开票平台) bodies: `seturl`, `platform/createcard`,
//! `platform/setpdf`, `platform/getpdf` and `platform/updatestatus`.

use super::lenient;
use serde::{Deserialize, Serialize};

/// `POST /card/invoice/seturl` answer: the platform's authorisation link,
/// whose `s_pappid` query parameter identifies the platform to merchants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetUrlResponse {
    /// 0.
    pub errcode: i64,
    /// "ok".
    pub errmsg: String,
    /// `…/authinvoice?action=list&s_pappid=<S>`.
    pub invoice_url: String,
}

/// `POST /card/invoice/platform/createcard` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateCardRequest {
    /// The template.
    pub invoice_info: InvoiceInfo,
}

/// An invoice card template as the platform describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceInfo {
    /// What the card looks like.
    pub base_info: InvoiceBaseInfo,
    /// Full payee name shown in the card's detail.
    pub payee: String,
    /// The invoice type text, e.g. "广东省增值税普通发票".
    #[serde(rename = "type")]
    pub invoice_type: String,
    /// Free detail text (wechatpy always sends it, usually `null`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// `invoice_info.base_info`: the card face.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InvoiceBaseInfo {
    /// Logo URL.
    pub logo_url: String,
    /// Short merchant name, at most 9 Chinese characters.
    pub title: String,
    /// Custom link label (≤ 5 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_url_name: Option<String>,
    /// Custom link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_url: Option<String>,
    /// Custom link subtitle (≤ 6 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_url_sub_title: Option<String>,
    /// Promotion link label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotion_url_name: Option<String>,
    /// Promotion link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotion_url: Option<String>,
    /// Promotion link subtitle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotion_url_sub_title: Option<String>,
}

/// Answer carrying a new `card_id` (createcard, createbillcard).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardIdResponse {
    /// 0.
    pub errcode: i64,
    /// "ok".
    pub errmsg: String,
    /// The template id, 28 characters starting with `p`.
    pub card_id: String,
}

/// `POST /card/invoice/platform/setpdf` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetPdfResponse {
    /// 0.
    pub errcode: i64,
    /// "ok".
    pub errmsg: String,
    /// Decimal id of the upload, valid 3 days until bound to a card.
    pub s_media_id: String,
}

/// `POST /card/invoice/platform/getpdf?action=get_url` body (SKIT sends
/// `action` here instead of in the query).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetPdfRequest {
    /// The upload.
    #[serde(deserialize_with = "lenient::string")]
    pub s_media_id: String,
    /// `get_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

/// `getpdf` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetPdfResponse {
    /// 0.
    pub errcode: i64,
    /// "ok".
    pub errmsg: String,
    /// Where the PDF can be downloaded.
    pub pdf_url: String,
    /// Seconds the URL stays valid (7200).
    pub pdf_url_expire_time: i64,
}

/// `POST /card/invoice/platform/updatestatus` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformUpdateStatusRequest {
    /// The card template.
    pub card_id: String,
    /// The card code from insert (not the invoice code).
    pub code: String,
    /// `INVOICE_REIMBURSE_*`.
    pub reimburse_status: String,
}
