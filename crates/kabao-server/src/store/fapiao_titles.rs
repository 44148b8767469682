//! User titles (抬头) of the fapiao family: the title-url links kabao hands
//! out, what the person filled in behind them, and the read the issuing
//! code compares a buyer with.

use super::StoreResult;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// What a person filled in on the title page (or the control API's title
/// step): the buyer of the fapiao, `fapiao_bill_type` always set, no
/// `amount` or `out_trade_no`. Phone and email are kept in plaintext;
/// answers encrypt them for the merchant.
pub use crate::domain::fapiao::request::BuyerInformation as UserTitle;

/// The query of one title-url call, kept so the page shows what the
/// merchant asked for (amount, seller, which cells).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitleRequest {
    /// `WEB` or `MINIPROGRAM`.
    pub source: String,
    /// The app the user belongs to.
    pub appid: String,
    /// The user the link is for.
    pub openid: String,
    /// Amount in fen, shown on the page and returned by user-title.
    pub total_amount: i64,
    /// Seller name shown on the page.
    pub seller_name: String,
    /// Show the phone cell.
    pub show_phone_cell: bool,
    /// The phone cell must be filled (only when shown).
    pub must_input_phone: bool,
    /// Show the email cell.
    pub show_email_cell: bool,
    /// The email cell must be filled (only when shown).
    pub must_input_email: bool,
}

/// A title link to store (title-url): replaces the link of the same
/// application, keeping whatever title was already filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTitleLink {
    /// The merchant the fapiao are for.
    pub owner_mchid: String,
    /// The application the title is for.
    pub fapiao_apply_id: String,
    /// The merchant that asked; it receives FAPIAO.USER_APPLIED.
    pub caller_mchid: String,
    /// The unguessable key of the page URL.
    pub link_key: String,
    /// What the merchant asked for.
    pub request: TitleRequest,
    /// When the link stops working (Unix seconds).
    pub link_expires_at: i64,
    /// Now (Unix seconds).
    pub created_at: i64,
}

/// One title application: the latest link and the title, if filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleApplication {
    /// The merchant the fapiao are for.
    pub owner_mchid: String,
    /// The application id.
    pub fapiao_apply_id: String,
    /// The merchant that receives the callback.
    pub caller_mchid: String,
    /// The key of the latest link.
    pub link_key: String,
    /// What the merchant asked for.
    pub request: TitleRequest,
    /// When the latest link stops working (Unix seconds).
    pub link_expires_at: i64,
    /// The title, once filled in.
    pub title: Option<UserTitle>,
    /// When it was (last) filled in (Unix seconds).
    pub applied_at: Option<i64>,
    /// The `out_trade_no` and amount of the paid order whose
    /// `transaction_id` is this `fapiao_apply_id` (WITH_WECHATPAY), if any.
    pub paid_order: Option<(String, i64)>,
}

impl TitleApplication {
    /// The `sub_mchid` of callbacks and answers: the owner when a service
    /// provider asked for it.
    pub fn sub_mchid(&self) -> Option<&str> {
        (self.owner_mchid != self.caller_mchid).then_some(self.owner_mchid.as_str())
    }
}

/// What submitting a title did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TitleSubmission {
    /// Stored, and FAPIAO.USER_APPLIED enqueued in the same transaction.
    Applied(Box<TitleApplication>),
    /// No link has that key.
    UnknownLink,
    /// The link's 30 minutes are over; nothing was stored.
    Expired,
}

/// User titles of the fapiao family; a supertrait of `Store`.
#[async_trait]
pub trait FapiaoTitleStore: Send + Sync {
    /// Stores a new link for (owner, fapiao_apply_id), replacing the old
    /// link but keeping a title already filled in.
    async fn put_title_link(&self, link: &NewTitleLink) -> StoreResult<()>;
    /// The application behind a link key.
    async fn title_by_link(&self, link_key: &str) -> StoreResult<Option<TitleApplication>>;
    /// One title application of an owner.
    async fn title_application(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: &str,
    ) -> StoreResult<Option<TitleApplication>>;
    /// The title applications a caller asked for under this id, over every
    /// owner (a service provider's sub-merchants); used when wechatpayv3
    /// reads a title without `sub_mchid`.
    async fn titles_of_caller(
        &self,
        caller_mchid: &str,
        fapiao_apply_id: &str,
    ) -> StoreResult<Vec<TitleApplication>>;
    /// What the user filled in for (owner, fapiao_apply_id), if anything:
    /// the issuing code compares the buyer of a WITHOUT_WECHATPAY
    /// application with it.
    async fn user_title(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: &str,
    ) -> StoreResult<Option<UserTitle>>;
    /// Stores the title submitted behind `link_key` at `now` (replacing an
    /// earlier one) and enqueues FAPIAO.USER_APPLIED to the caller, in one
    /// transaction; an expired link stores nothing.
    async fn submit_title(
        &self,
        link_key: &str,
        title: &UserTitle,
        now: i64,
    ) -> StoreResult<TitleSubmission>;
}
