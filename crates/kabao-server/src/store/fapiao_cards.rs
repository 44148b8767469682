//! Self-issued fapiao: the files merchants upload (upload-fapiao-file) and
//! the applications that insert them into users' card packages
//! (insert-cards). The card insertion itself is a scheduled INSERT_CARD
//! step run by the fapiao worker. Also the user discarding a fapiao card.

use super::StoreResult;
use crate::domain::fapiao::face::{CardInformation, FapiaoFace};
use crate::domain::fapiao::request::BuyerInformation;
use crate::store::fapiao::IssuedFapiao;
use async_trait::async_trait;

/// An uploaded fapiao file to keep for [`crate::domain::fapiao::FAPIAO_MEDIA_TTL_SECS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFapiaoMedia {
    /// The id handed back (`fapiao_media_id`).
    pub fapiao_media_id: String,
    /// The merchant the file belongs to (the sub-merchant when a service
    /// provider uploads for one); only it may insert the file.
    pub owner_mchid: String,
    /// `PDF` or `OFD`.
    pub file_type: String,
    /// The SM3 digest the uploader declared and kabao checked (lower-case hex).
    pub digest: String,
    /// The file.
    pub bytes: Vec<u8>,
    /// When it stops being usable (Unix seconds).
    pub expires_at: i64,
    /// Now (Unix seconds).
    pub created_at: i64,
}

/// One fapiao of an insert-cards call, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct SelfIssuedFapiao {
    /// The id kabao gives it (F15 and the callbacks show it).
    pub fapiao_id: String,
    /// The uploaded file it is bound to.
    pub fapiao_media_id: String,
    /// 价税合计, fen.
    pub total_amount: i64,
    /// 税额, fen.
    pub tax_amount: i64,
    /// 金额 (tax excluded), fen.
    pub amount: i64,
    /// The face: seller, extra, items (as given), remark.
    pub face: FapiaoFace,
    /// The blue fapiao: code, number, check code, password and 开票时间.
    pub blue: IssuedFapiao,
    /// The card the worker inserts (card_appid, card_openid, card_id).
    pub card: CardInformation,
}

/// An insert-cards application to store in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct SelfIssuedApplication {
    /// The merchant the fapiao are for.
    pub owner_mchid: String,
    /// The order (WITH_WECHATPAY) or title application id.
    pub fapiao_apply_id: String,
    /// The signer; it receives FAPIAO.CARD_INSERTED.
    pub caller_mchid: String,
    /// `WITH_WECHATPAY` or `WITHOUT_WECHATPAY`.
    pub scene: String,
    /// The buyer, plaintext.
    pub buyer: BuyerInformation,
    /// Hash of the decrypted request, to tell a replay from a different body.
    pub request_hash: String,
    /// The fapiao, in request order.
    pub fapiaos: Vec<SelfIssuedFapiao>,
    /// Now (Unix seconds).
    pub now: i64,
}

/// What storing an insert-cards application did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsertCardsOutcome {
    /// Stored, media bound and INSERT_CARD steps scheduled.
    Accepted,
    /// The same request was already accepted; nothing changed.
    Replayed,
    /// The application id is already used with a different request (or by
    /// an issued application); nothing changed.
    AlreadyExists,
    /// `fapiao_card_information[index].fapiao_media_id` cannot be used
    /// (`issue` says why); nothing changed.
    MediaRejected {
        /// Which entry.
        index: usize,
        /// Unknown, expired or already used.
        issue: String,
    },
}

/// What a user's discard of a fapiao card did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FapiaoCardDiscard {
    /// The card went INSERTED → DISCARD_ACCEPTED and its DISCARD_CARD step
    /// (DISCARDED, FAPIAO.CARD_DISCARDED) is scheduled.
    Accepted,
    /// The card is already being or was discarded; nothing changed.
    AlreadyDiscarded,
    /// The card is not in the card package (its card_status given, None:
    /// no card step yet); nothing changed.
    NotInPackage(Option<String>),
    /// No such fapiao.
    Unknown,
}

/// Self-issued fapiao: uploaded files and insert-cards applications; a
/// supertrait of `Store`.
#[async_trait]
pub trait FapiaoCardStore: Send + Sync {
    /// Keeps an uploaded fapiao file.
    async fn put_fapiao_media(&self, media: &NewFapiaoMedia) -> StoreResult<()>;
    /// Stores an insert-cards application: checks the media (the owner's,
    /// live, unused), writes the application and its fapiao (ISSUED, card
    /// INSERT_ACCEPTED), binds the media and schedules one INSERT_CARD step
    /// per fapiao, all in one transaction. A repeat of an accepted request
    /// changes nothing.
    async fn insert_self_issued(
        &self,
        application: &SelfIssuedApplication,
    ) -> StoreResult<InsertCardsOutcome>;
    /// The user deletes a fapiao card from the card package: an INSERTED
    /// card goes to DISCARD_ACCEPTED and its DISCARD_CARD step is
    /// scheduled, in one transaction (the step sends FAPIAO.CARD_DISCARDED
    /// as after a reversal).
    async fn discard_fapiao_card(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: &str,
        fapiao_id: &str,
        now: i64,
    ) -> StoreResult<FapiaoCardDiscard>;
}
