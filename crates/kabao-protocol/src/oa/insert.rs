//! `POST /card/invoice/insert` (the seed) and `POST /nontax/insertbill`
//! bodies and their answer.

use super::lenient;
use serde::{Deserialize, Serialize};

/// `POST /card/invoice/insert` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InsertInvoiceRequest {
    /// The merchant's order id the user authorised.
    pub order_id: String,
    /// The template from createcard.
    pub card_id: String,
    /// The appid that called getauthurl (normally the merchant's).
    pub appid: String,
    /// The invoice.
    pub card_ext: InvoiceCardExt,
}

/// `card_ext` of an invoice insert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceCardExt {
    /// Random string against duplicates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce_str: Option<String>,
    /// The user-facing data.
    pub user_card: InvoiceUserCard,
}

/// `card_ext.user_card`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceUserCard {
    /// The invoice's content.
    pub invoice_user_data: InvoiceUserData,
}

/// The invoice's content: every field of the seed's `invoice_user_data`.
/// Amounts are in fen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceUserData {
    /// Total including tax, in fen.
    #[serde(deserialize_with = "lenient::int")]
    pub fee: i64,
    /// The buyer's title (抬头).
    pub title: String,
    /// Issue time: 10-digit Unix seconds.
    #[serde(deserialize_with = "lenient::int")]
    pub billing_time: i64,
    /// Invoice number (发票号码); 20 digits for a 数电 invoice.
    #[serde(deserialize_with = "lenient::string")]
    pub billing_no: String,
    /// Invoice code (发票代码); empty for a 数电 invoice.
    #[serde(deserialize_with = "lenient::string")]
    pub billing_code: String,
    /// Line items.
    #[serde(default)]
    pub info: Vec<InvoiceItem>,
    /// Amount before tax, in fen.
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub fee_without_tax: Option<i64>,
    /// Tax, in fen.
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub tax: Option<i64>,
    /// The invoice PDF from setpdf.
    #[serde(deserialize_with = "lenient::string")]
    pub s_pdf_media_id: String,
    /// An extra PDF (itinerary, receipt) from setpdf.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub s_trip_pdf_media_id: Option<String>,
    /// 校验码; empty for a 数电 invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_code: Option<String>,
    /// Buyer's taxpayer id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_number: Option<String>,
    /// Buyer's address and phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_address_and_phone: Option<String>,
    /// Buyer's bank and account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_bank_account: Option<String>,
    /// Seller's taxpayer id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller_number: Option<String>,
    /// Seller's address and phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller_address_and_phone: Option<String>,
    /// Seller's bank and account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller_bank_account: Option<String>,
    /// Remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    /// Payee (收款人).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cashier: Option<String>,
    /// Issuer (开票人).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maker: Option<String>,
}

/// One line item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceItem {
    /// Item name.
    pub name: String,
    /// Quantity (may be fractional).
    #[serde(deserialize_with = "lenient::number")]
    pub num: serde_json::Number,
    /// Unit, e.g. 个.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Unit price in fen.
    #[serde(deserialize_with = "lenient::int")]
    pub price: i64,
}

/// `POST /nontax/insertbill` body. The seed's table puts the bill fields
/// directly under `user_card` while its example nests them in
/// `invoice_user_data`; both shapes are read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InsertBillRequest {
    /// The collecting unit's order id the payer authorised.
    pub order_id: String,
    /// The bill template from createbillcard.
    pub card_id: String,
    /// The appid that called getbillauthurl.
    pub appid: String,
    /// The bill.
    pub card_ext: BillCardExt,
}

/// `card_ext` of a fiscal bill insert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BillCardExt {
    /// Accepted though the seed does not document it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce_str: Option<String>,
    /// `{invoice_user_data: {…}}` or the fields themselves.
    pub user_card: serde_json::Value,
}

/// A fiscal bill's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BillUserData {
    /// Amount in fen.
    #[serde(deserialize_with = "lenient::int")]
    pub fee: i64,
    /// The paying unit or payer.
    pub title: String,
    /// Issue time: 10-digit Unix seconds.
    #[serde(deserialize_with = "lenient::int")]
    pub billing_time: i64,
    /// Bill number (票据号码, 10 digits in the seed's example).
    #[serde(deserialize_with = "lenient::string")]
    pub billing_no: String,
    /// Bill code (票据代码, 8 characters in the seed's example).
    #[serde(deserialize_with = "lenient::string")]
    pub billing_code: String,
    /// The bill PDF from setpdf.
    #[serde(deserialize_with = "lenient::string")]
    pub s_pdf_media_id: String,
}

/// Answer of insert and insertbill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsertCardResponse {
    /// 0.
    pub errcode: i64,
    /// "ok".
    pub errmsg: String,
    /// The card code in the user's card package (12 digits).
    pub code: String,
    /// The user who received it.
    pub openid: String,
    /// Present when the user has a unionid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unionid: Option<String>,
}
