//! The WeChat Pay fapiao family (`/v3/new-tax-control-fapiao/*`): who a call
//! acts for, the states a fapiao and its card pass through, and the limits
//! the reference documents. Pure: no I/O.

pub mod card;
pub mod face;
pub mod file;
pub mod numbers;
pub mod outcome;
pub mod pdf;
pub mod request;
pub mod rules;
pub mod setup;
pub mod tax;

use serde::{Deserialize, Serialize};

/// Most fapiao in one application (and in one insert-cards call).
pub const MAX_FAPIAO_PER_APPLICATION: usize = 5;

/// Issuing calls (F10–F14) one calling merchant may make in one second of
/// kabao's clock before 429 FREQUENCY_LIMITED.
pub const ISSUE_CALLS_PER_SECOND: u32 = 100;

/// Longest `fapiao_apply_id`.
pub const MAX_FAPIAO_APPLY_ID_LEN: usize = 32;

/// How long a title-url link stays valid, in seconds (30 minutes).
pub const TITLE_LINK_TTL_SECS: i64 = 30 * 60;

/// How long an uploaded fapiao file stays usable, in seconds (3 days).
pub const FAPIAO_MEDIA_TTL_SECS: i64 = 3 * 24 * 3600;

/// How long a fapiao-files `download_url` stays valid, in seconds.
pub const DOWNLOAD_URL_TTL_SECS: i64 = 30;

/// The documented fapiao callback retry gaps after the first attempt, in
/// seconds (15/15/30/180/1800×4/3600): ten sends in all.
pub const CALLBACK_RETRY_GAPS_SECS: [i64; 9] = [15, 15, 30, 180, 1800, 1800, 1800, 1800, 3600];

/// Who a fapiao call acts for, resolved from the signer and `sub_mchid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FapiaoParty {
    /// The merchant that signed the call; it receives the callbacks.
    pub caller_mchid: String,
    /// The merchant the fapiao are issued for: `sub_mchid` when a service
    /// provider acts for a sub-merchant, otherwise the caller itself.
    pub owner_mchid: String,
    /// The `sub_mchid` the caller named, echoed in answers and callbacks.
    pub sub_mchid: Option<String>,
}

/// 开票场景: whether the fapiao is for a WeChat Pay payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Scene {
    /// `fapiao_apply_id` is the payment's `transaction_id`.
    WithWechatpay,
    /// `fapiao_apply_id` is the id given to title-url; the user's title is required.
    WithoutWechatpay,
}

impl Scene {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WithWechatpay => "WITH_WECHATPAY",
            Self::WithoutWechatpay => "WITHOUT_WECHATPAY",
        }
    }

    /// Parses the wire spelling.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "WITH_WECHATPAY" => Some(Self::WithWechatpay),
            "WITHOUT_WECHATPAY" => Some(Self::WithoutWechatpay),
            _ => None,
        }
    }
}

/// Where one fapiao is in its life (`fapiao_information[].status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FapiaoStatus {
    /// Accepted for issuing; the outcome is pending.
    IssueAccepted,
    /// Issued (blue fapiao).
    Issued,
    /// Issuing failed (数电), with an error code and message.
    IssueFailed,
    /// Reversal (冲红) accepted; pending.
    ReverseAccepted,
    /// Reversed (red fapiao issued).
    Reversed,
    /// Reversal failed (数电).
    ReverseFailed,
}

impl FapiaoStatus {
    /// The wire and stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::IssueAccepted => "ISSUE_ACCEPTED",
            Self::Issued => "ISSUED",
            Self::IssueFailed => "ISSUE_FAILED",
            Self::ReverseAccepted => "REVERSE_ACCEPTED",
            Self::Reversed => "REVERSED",
            Self::ReverseFailed => "REVERSE_FAILED",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(value: &str) -> Option<Self> {
        [
            Self::IssueAccepted,
            Self::Issued,
            Self::IssueFailed,
            Self::ReverseAccepted,
            Self::Reversed,
            Self::ReverseFailed,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }
}

/// Where a fapiao's card is in the user's card package (`card_status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CardStatus {
    /// Insertion accepted; pending.
    InsertAccepted,
    /// In the card package.
    Inserted,
    /// Removal accepted; pending.
    DiscardAccepted,
    /// Removed.
    Discarded,
}

impl CardStatus {
    /// The wire and stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InsertAccepted => "INSERT_ACCEPTED",
            Self::Inserted => "INSERTED",
            Self::DiscardAccepted => "DISCARD_ACCEPTED",
            Self::Discarded => "DISCARDED",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(value: &str) -> Option<Self> {
        [
            Self::InsertAccepted,
            Self::Inserted,
            Self::DiscardAccepted,
            Self::Discarded,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }
}

/// One asynchronous step of the state machine (`fapiao_jobs.action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JobAction {
    /// ISSUE_ACCEPTED → ISSUED (or ISSUE_FAILED), then queue INSERT_CARD.
    Issue,
    /// card INSERT_ACCEPTED → INSERTED.
    InsertCard,
    /// REVERSE_ACCEPTED → REVERSED (or REVERSE_FAILED), then queue DISCARD_CARD.
    Reverse,
    /// card DISCARD_ACCEPTED → DISCARDED.
    DiscardCard,
}

impl JobAction {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Issue => "ISSUE",
            Self::InsertCard => "INSERT_CARD",
            Self::Reverse => "REVERSE",
            Self::DiscardCard => "DISCARD_CARD",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(value: &str) -> Option<Self> {
        [
            Self::Issue,
            Self::InsertCard,
            Self::Reverse,
            Self::DiscardCard,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }
}

/// The `event_type` of each fapiao callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FapiaoEvent {
    /// The user submitted the title page.
    UserApplied,
    /// Fapiao issued (or issuing failed).
    Issued,
    /// Fapiao reversed.
    Reversed,
    /// Card inserted into the card package.
    CardInserted,
    /// Card removed from the card package.
    CardDiscarded,
}

impl FapiaoEvent {
    /// The wire `event_type`.
    pub fn event_type(self) -> &'static str {
        match self {
            Self::UserApplied => "FAPIAO.USER_APPLIED",
            Self::Issued => "FAPIAO.ISSUED",
            Self::Reversed => "FAPIAO.REVERSED",
            Self::CardInserted => "FAPIAO.CARD_INSERTED",
            Self::CardDiscarded => "FAPIAO.CARD_DISCARDED",
        }
    }

    /// The human `summary` of the callback.
    pub fn summary(self) -> &'static str {
        match self {
            Self::UserApplied => "用户已填写发票抬头",
            Self::Issued => "发票已开具",
            Self::Reversed => "发票已冲红",
            Self::CardInserted => "发票已插入用户卡包",
            Self::CardDiscarded => "发票已从用户卡包删除",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_through_their_stored_spelling() {
        for s in [
            "ISSUE_ACCEPTED",
            "ISSUED",
            "ISSUE_FAILED",
            "REVERSE_ACCEPTED",
            "REVERSED",
            "REVERSE_FAILED",
        ] {
            assert_eq!(FapiaoStatus::parse(s).map(FapiaoStatus::as_str), Some(s));
        }
        for s in [
            "INSERT_ACCEPTED",
            "INSERTED",
            "DISCARD_ACCEPTED",
            "DISCARDED",
        ] {
            assert_eq!(CardStatus::parse(s).map(CardStatus::as_str), Some(s));
        }
        for s in ["ISSUE", "INSERT_CARD", "REVERSE", "DISCARD_CARD"] {
            assert_eq!(JobAction::parse(s).map(JobAction::as_str), Some(s));
        }
        assert_eq!(FapiaoStatus::parse("issued"), None);
    }

    #[test]
    fn the_retry_schedule_spans_three_hours_and_four_minutes() {
        assert_eq!(
            CALLBACK_RETRY_GAPS_SECS.iter().sum::<i64>(),
            3 * 3600 + 4 * 60
        );
    }
}
