//! What the Official Account invoice and fiscal-bill flows persist:
//! platforms, card templates, PDFs, merchant settings, authorised orders
//! and the cards in users' card packages.

use super::push::NewPush;
use super::StoreResult;
use crate::domain::invoice::card::{InsertOutcome, InvoiceCard, NewCard};
use crate::domain::invoice::order::AuthOrder;
use crate::domain::invoice::{CardTemplate, PdfMedia};
use async_trait::async_trait;
use kabao_protocol::oa::merchant::UserAuthInfo;

/// Why an order could not move as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderConflict {
    /// No such order for this merchant.
    NotFound,
    /// The user already answered.
    AlreadyAuthorized,
    /// The merchant refused it.
    Rejected,
    /// A card was already inserted for it.
    Inserted,
}

/// One card's reimbursement move, applied only if the card is still in
/// `expected_status` (otherwise the whole batch is refused as busy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    /// The card.
    pub code: String,
    /// The status the change was judged against.
    pub expected_status: String,
    /// The new status.
    pub new_status: String,
    /// The reimburser holding the lock afterwards.
    pub new_holder: Option<String>,
}

/// Persistence of the invoice flows.
#[async_trait]
pub trait InvoiceStore: Send + Sync {
    /// The platform's `s_pappid`, registering `candidate` on its first call.
    async fn register_platform(
        &self,
        appid: &str,
        candidate: &str,
        now: i64,
    ) -> StoreResult<String>;
    /// The appid that owns an `s_pappid`.
    async fn platform_appid(&self, s_pappid: &str) -> StoreResult<Option<String>>;

    /// Saves a new card template.
    async fn put_card_template(&self, template: &CardTemplate) -> StoreResult<()>;
    /// A template by card_id.
    async fn card_template(&self, card_id: &str) -> StoreResult<Option<CardTemplate>>;

    /// Saves an uploaded PDF.
    async fn put_pdf(&self, media: &PdfMedia) -> StoreResult<()>;
    /// An upload by id, with its bytes.
    async fn pdf(&self, s_media_id: &str) -> StoreResult<Option<PdfMedia>>;
    /// Saves a download link for an upload.
    async fn put_pdf_link(&self, key: &str, s_media_id: &str, expires_at: i64) -> StoreResult<()>;
    /// The upload behind a download link and the link's expiry.
    async fn pdf_by_link(&self, key: &str) -> StoreResult<Option<(PdfMedia, i64)>>;

    /// Saves one `setbizattr` object (`auth_field`, `pay_mch`, `contact`).
    async fn put_biz_attr(
        &self,
        appid: &str,
        attr: &str,
        value: &serde_json::Value,
        now: i64,
    ) -> StoreResult<()>;
    /// One `setbizattr` object.
    async fn biz_attr(&self, appid: &str, attr: &str) -> StoreResult<Option<serde_json::Value>>;

    /// Records an authorisation request; a pending one is refreshed with the
    /// new terms, an answered one is kept. Returns the order as stored.
    async fn open_order(&self, order: &AuthOrder) -> StoreResult<AuthOrder>;
    /// An order by merchant appid and order id.
    async fn order(&self, appid: &str, order_id: &str) -> StoreResult<Option<AuthOrder>>;
    /// An order by the platform it names and order id (the platform's view).
    async fn order_for_platform(
        &self,
        platform_appid: &str,
        order_id: &str,
    ) -> StoreResult<Option<AuthOrder>>;
    /// An order by its authorisation page key.
    async fn order_by_key(&self, auth_key: &str) -> StoreResult<Option<AuthOrder>>;
    /// The user authorises a pending order; the push is enqueued in the
    /// same transaction.
    async fn authorize_order(
        &self,
        appid: &str,
        order_id: &str,
        openid: &str,
        info: &UserAuthInfo,
        now: i64,
        push: &NewPush,
    ) -> StoreResult<Result<AuthOrder, OrderConflict>>;
    /// The merchant refuses to issue.
    async fn reject_order(
        &self,
        appid: &str,
        order_id: &str,
        reason: &str,
        url: Option<&str>,
        now: i64,
    ) -> StoreResult<Result<AuthOrder, OrderConflict>>;

    /// Inserts a card after checking, atomically, the template, the order,
    /// the PDFs and uniqueness.
    async fn insert_card(&self, card: NewCard) -> StoreResult<InsertOutcome>;
    /// A card by code.
    async fn card(&self, code: &str) -> StoreResult<Option<InvoiceCard>>;
    /// A card by its chooser code.
    async fn card_by_encrypt_code(&self, encrypt_code: &str) -> StoreResult<Option<InvoiceCard>>;
    /// A user's cards, newest first.
    async fn cards_of_user(&self, openid: &str) -> StoreResult<Vec<InvoiceCard>>;
    /// Applies reimbursement moves all or nothing, enqueuing the pushes;
    /// false when a card changed since it was read.
    async fn set_reimburse_status(
        &self,
        changes: &[StatusChange],
        pushes: &[NewPush],
        now: i64,
    ) -> StoreResult<bool>;
    /// The user deletes a card; false if it was already deleted.
    async fn discard_card(&self, code: &str, now: i64, pushes: &[NewPush]) -> StoreResult<bool>;
}
