//! Official Account bodies kabao-protocol has no type for, because only a
//! client needs to read or build them.

use serde::{Deserialize, Serialize};

/// `GET /cgi-bin/ticket/getticket` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketResponse {
    /// The api_ticket (`wx_card` tickets go into getauthurl's `ticket`).
    pub ticket: String,
    /// Seconds the ticket stays valid (7200).
    pub expires_in: i64,
}

/// `POST /cgi-bin/stable_token` body (C2), sent when the client is built
/// with [`crate::oa::OfficialAccountBuilder::stable_token`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StableTokenRequest {
    /// Always `client_credential`.
    pub grant_type: String,
    /// The app.
    pub appid: String,
    /// Its AppSecret.
    pub secret: String,
    /// `true` retires the current stable token at once (20 times a day at most).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_refresh: Option<bool>,
}

/// The `{auth_field: …}` wrapper of setbizattr's set/get_auth_field.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct AuthFieldBody<T> {
    pub auth_field: T,
}

/// The `{paymch_info: …}` wrapper of setbizattr's set/get_pay_mch.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct PayMchBody<T> {
    pub paymch_info: T,
}

/// The `{contact: …}` wrapper of setbizattr's set/get_contact.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct ContactBody<T> {
    pub contact: T,
}
