//! A card in a user's card package and the insert command that makes it.

use super::CardKind;
use kabao_protocol::oa::OaErrcode;
use serde::Serialize;

/// Everything an insert (or insertbill) stores once its checks pass.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCard {
    /// Freshly minted code (retried on collision by the store).
    pub code: String,
    /// Invoice or fiscal bill.
    pub kind: CardKind,
    /// The template.
    pub card_id: String,
    /// The calling platform or bureau (token owner).
    pub platform_appid: String,
    /// The merchant appid named in the body.
    pub appid: String,
    /// The order.
    pub order_id: String,
    /// The reimbursement chooser's code for this card.
    pub encrypt_code: String,
    /// What the card holds.
    pub content: CardContent,
    /// SHA-256 of the request body: an exact replay gets the first answer.
    pub request_hash: String,
    /// Inconsistencies accepted in default mode.
    pub warnings: Vec<String>,
    /// Insert time.
    pub now: i64,
}

/// What a card holds, new or stored: the billing fields, the content as
/// accepted and its PDFs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardContent {
    /// Invoice or bill code.
    pub billing_code: String,
    /// Invoice or bill number.
    pub billing_no: String,
    /// Total in fen.
    pub fee: i64,
    /// Buyer or payer title.
    pub title: String,
    /// Issue time.
    pub billing_time: i64,
    /// `invoice_user_data` as accepted.
    pub user_data: serde_json::Value,
    /// The PDF.
    pub s_pdf_media_id: String,
    /// The extra PDF.
    pub s_trip_pdf_media_id: Option<String>,
}

/// Who got the card: the insert answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardReceipt {
    /// The card code.
    pub code: String,
    /// The holder.
    pub openid: String,
    /// The holder's unionid, if any.
    pub unionid: Option<String>,
}

/// Why an insert that passed its field checks was refused by the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsertRefusal {
    /// `card_id` is not a template of this platform for this card kind (40073).
    UnknownTemplate,
    /// The order was never authorised with this platform (72038), with why.
    OrderNeverAuth(String),
    /// The merchant refused it (72035).
    Rejected,
    /// Another insert already used the order (72018).
    AlreadyInserted,
    /// The billing code and number are on another card (72042).
    BillingRepeated,
    /// The PDF is missing, expired, someone else's or already bound (72040).
    Pdf(String),
}

impl InsertRefusal {
    /// The wire code and kabao's detail.
    pub fn wire(&self) -> (OaErrcode, String) {
        match self {
            Self::UnknownTemplate => (
                OaErrcode::InvalidCardId,
                "card_id is not a card template created by this app".into(),
            ),
            Self::OrderNeverAuth(why) => (OaErrcode::InvoiceOrderNeverAuth, why.clone()),
            Self::Rejected => (
                OaErrcode::BizRejectInsert,
                "order_id was refused by the merchant (rejectinsert)".into(),
            ),
            Self::AlreadyInserted => (
                OaErrcode::DuplicateOrderId,
                "order_id already has a card; only an exact replay of that insert is answered again".into(),
            ),
            Self::BillingRepeated => (
                OaErrcode::BillingCodeAndNoRepeated,
                "billing_code and billing_no are already on another card".into(),
            ),
            Self::Pdf(why) => (OaErrcode::InvoicePdfError, why.clone()),
        }
    }
}

/// What an insert did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsertOutcome {
    /// A new card.
    Inserted(CardReceipt),
    /// The exact same request again: the first answer.
    Replayed(CardReceipt),
    /// Refused; nothing changed.
    Refused(InsertRefusal),
}

/// A card as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvoiceCard {
    /// 12-digit code.
    pub code: String,
    /// Invoice or fiscal bill.
    pub kind: super::CardKind,
    /// Template.
    pub card_id: String,
    /// Inserting platform.
    pub platform_appid: String,
    /// Merchant appid of the order.
    pub appid: String,
    /// Order.
    pub order_id: String,
    /// Holder.
    pub openid: String,
    /// Holder's unionid.
    pub unionid: Option<String>,
    /// Chooser code.
    pub encrypt_code: String,
    /// What the card holds.
    #[serde(flatten)]
    pub content: CardContent,
    /// `INVOICE_REIMBURSE_*`.
    pub reimburse_status: String,
    /// The reimburser holding the lock.
    pub reimburse_appid: Option<String>,
    /// `NORMAL`, or `DELETE` once the user deleted it (the real `user_card_status`).
    pub card_status: String,
    /// Inconsistencies accepted in default mode.
    pub warnings: Vec<String>,
    /// Insert time.
    pub inserted_at: i64,
    /// Last change.
    pub updated_at: i64,
}

/// `card_status` of a card in the package.
pub const CARD_NORMAL: &str = "NORMAL";
/// `card_status` of a card the user deleted.
pub const CARD_DISCARDED: &str = "DELETE";
