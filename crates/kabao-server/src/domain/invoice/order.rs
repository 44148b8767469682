//! An order the merchant asked the user to authorise (getauthurl,
//! getbillauthurl), and what became of it.

use super::CardKind;
use kabao_protocol::oa::merchant::UserAuthInfo;
use serde::Serialize;

/// Where an authorisation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// The link exists; the user has not answered.
    Pending,
    /// The user authorised; the platform may insert.
    Authorized,
    /// The merchant refused to issue (rejectinsert); dead for good.
    Rejected,
}

impl OrderStatus {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Authorized => "authorized",
            Self::Rejected => "rejected",
        }
    }

    /// Reads the stored spelling.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "pending" => Some(Self::Pending),
            "authorized" => Some(Self::Authorized),
            "rejected" => Some(Self::Rejected),
            _ => None,
        }
    }

    /// getauthdata's `invoice_status` text.
    pub fn invoice_status(self) -> &'static str {
        match self {
            Self::Pending => "never auth",
            Self::Authorized => "auth success",
            Self::Rejected => "reject insert",
        }
    }
}

/// An authorisation request and its outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuthOrder {
    /// The merchant (or collecting unit) that asked.
    pub appid: String,
    /// Its order id.
    pub order_id: String,
    /// Invoice or fiscal bill.
    pub kind: CardKind,
    /// The platform id the merchant named.
    pub s_pappid: String,
    /// The platform's appid (decoded from `s_pappid`).
    pub platform_appid: String,
    /// Amount in fen.
    pub money: i64,
    /// The merchant's timestamp.
    pub timestamp: i64,
    /// `app`, `web`, `wxa` or `wap`.
    pub source: String,
    /// 0, 1 or 2 (bills: 1).
    pub auth_type: i64,
    /// Where the page returns to.
    pub redirect_url: Option<String>,
    /// Key of the authorisation page.
    pub auth_key: String,
    /// Where it stands.
    pub status: OrderStatus,
    /// The user who authorised.
    pub openid: Option<String>,
    /// When.
    pub auth_time: Option<i64>,
    /// The title the user confirmed.
    pub user_auth_info: Option<UserAuthInfo>,
    /// Why the merchant refused.
    pub reject_reason: Option<String>,
    /// The link shown with the refusal.
    pub reject_url: Option<String>,
    /// When the link was made.
    pub created_at: i64,
}

/// Sources getauthurl accepts.
pub const SOURCES: [&str; 4] = ["app", "web", "wxa", "wap"];
