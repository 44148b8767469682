//! The Official Account invoice and fiscal-bill flows: platforms, card
//! templates, PDFs, authorised orders, cards and their reimbursement states.

pub mod card;
pub mod ids;
pub mod order;
pub mod reimburse;
pub mod rules;

/// Seconds an uploaded PDF stays usable before it is bound to a card.
pub const PDF_MEDIA_TTL_SECS: i64 = 3 * 24 * 3600;
/// Seconds a `pdf_url` from getpdf or a reimbursement read stays valid.
pub const PDF_URL_TTL_SECS: i64 = 7200;
/// Largest PDF setpdf accepts.
pub const PDF_MAX_BYTES: usize = 5 * 1024 * 1024;

/// Which card family a template, order or card belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardKind {
    /// An invoice (`/card/invoice/*`).
    Invoice,
    /// A non-tax fiscal bill (`/nontax/*`).
    FiscalBill,
}

impl CardKind {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invoice => "invoice",
            Self::FiscalBill => "fiscal_bill",
        }
    }

    /// Reads the stored spelling.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "invoice" => Some(Self::Invoice),
            "fiscal_bill" => Some(Self::FiscalBill),
            _ => None,
        }
    }
}

/// A card template made by createcard or createbillcard.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CardTemplate {
    /// `p…`, 28 characters.
    pub card_id: String,
    /// The platform or bureau that made it.
    pub appid: String,
    /// Invoice or fiscal bill.
    pub kind: CardKind,
    /// Payee shown in the card.
    pub payee: String,
    /// Invoice type text (empty for bills).
    pub invoice_type: String,
    /// Card face title.
    pub title: String,
    /// The whole `invoice_info` as sent.
    pub info: serde_json::Value,
    /// When it was made.
    pub created_at: i64,
}

/// An uploaded PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfMedia {
    /// Decimal id handed to the uploader.
    pub s_media_id: String,
    /// The app that uploaded it.
    pub appid: String,
    /// The part's file name.
    pub filename: String,
    /// The file.
    pub content: Vec<u8>,
    /// Upload time.
    pub uploaded_at: i64,
    /// After this it can no longer be bound.
    pub expires_at: i64,
    /// The card it belongs to, once inserted.
    pub bound_code: Option<String>,
}
