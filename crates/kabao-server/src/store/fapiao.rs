//! Fapiao applications and their state machine: issuing, the scheduled
//! asynchronous steps, queries, reversal and the control API's outcomes.

use super::StoreResult;
use crate::domain::fapiao::face::{ApplicationKind, CardInformation, FapiaoFace};
use crate::domain::fapiao::numbers::FapiaoNumbers;
use crate::domain::fapiao::outcome::Outcome;
use crate::domain::fapiao::request::BuyerInformation;
use crate::domain::fapiao::{CardStatus, FapiaoStatus, JobAction, Scene};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// One fapiao of a new application, validated and with its face computed.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFapiao {
    /// 商户发票单号.
    pub fapiao_id: String,
    /// The face to print.
    pub face: FapiaoFace,
    /// The card it goes into once issued (`None`: no buyer openid is known,
    /// so the fapiao is issued but never inserted).
    pub card: Option<CardInformation>,
}

/// An issuing call that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct NewApplication {
    /// The merchant the fapiao are for.
    pub owner_mchid: String,
    /// The merchant that called and receives the callbacks.
    pub caller_mchid: String,
    /// 发票申请单号.
    pub fapiao_apply_id: String,
    /// The issuing call.
    pub kind: ApplicationKind,
    /// The scene (数电 calls count as WITH_WECHATPAY: they name payments).
    pub scene: Scene,
    /// The buyer, with phone and email in plaintext.
    pub buyer: BuyerInformation,
    /// SHA-256 of the body, to tell an identical replay from a different call.
    pub request_hash: String,
    /// The fapiao.
    pub fapiaos: Vec<NewFapiao>,
    /// Now (Unix seconds).
    pub now: i64,
}

/// What storing an application scheduled, for the caller to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreatedApplication {
    /// Whether one of its steps is due already, so the fapiao worker should
    /// look now; a held or delayed application wakes nobody.
    pub step_due_now: bool,
}

/// Why an application was not stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplicationRefusal {
    /// The owner already has this fapiao_apply_id (`identical`: same body).
    AlreadyExists {
        /// The earlier call had the same body.
        identical: bool,
    },
    /// A 数电 retry reused a fapiao_id of the application.
    FapiaoIdTaken(String),
    /// A 数电 application already had its 4 retries.
    RetriesExhausted,
}

/// 蓝字/红字发票信息 as stored: the numbers and when they were issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedFapiao {
    /// Code, number, check code, password.
    #[serde(flatten)]
    pub numbers: FapiaoNumbers,
    /// 开票时间 (Unix seconds).
    pub issued_at: i64,
}

/// One stored fapiao and where it is in its life.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFapiao {
    /// 商户发票单号.
    pub fapiao_id: String,
    /// Its status.
    pub status: FapiaoStatus,
    /// Its card's status (None before a card step).
    pub card_status: Option<CardStatus>,
    /// 价税合计.
    pub total_amount: i64,
    /// 税额.
    pub tax_amount: i64,
    /// 金额.
    pub amount: i64,
    /// The face.
    pub face: FapiaoFace,
    /// The blue fapiao once issued.
    pub blue: Option<IssuedFapiao>,
    /// The red fapiao once reversed.
    pub red: Option<IssuedFapiao>,
    /// The card it goes (or went) into.
    pub card: Option<CardInformation>,
    /// `fapiao_error_code` of a failed 数电 step.
    pub error_code: Option<String>,
    /// `fapiao_error_message`.
    pub error_message: Option<String>,
    /// Why it was reversed.
    pub reverse_reason: Option<String>,
    /// Last change (Unix seconds).
    pub updated_at: i64,
}

/// One stored application with its fapiao in the order they were sent.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredApplication {
    /// The merchant the fapiao are for.
    pub owner_mchid: String,
    /// The merchant that receives the callbacks.
    pub caller_mchid: String,
    /// 发票申请单号.
    pub fapiao_apply_id: String,
    /// The issuing call (None: a kind this build does not know).
    pub kind: Option<ApplicationKind>,
    /// The stored scene spelling.
    pub scene: String,
    /// The buyer (plaintext).
    pub buyer: BuyerInformation,
    /// When it was accepted (Unix seconds).
    pub created_at: i64,
    /// Its fapiao.
    pub fapiaos: Vec<StoredFapiao>,
}

impl StoredApplication {
    /// The `sub_mchid` of answers and callbacks: the owner when a service
    /// provider called.
    pub fn sub_mchid(&self) -> Option<&str> {
        (self.owner_mchid != self.caller_mchid).then_some(self.owner_mchid.as_str())
    }
}

/// One fapiao named by a reverse call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReverseTarget {
    /// 商户发票单号.
    pub fapiao_id: String,
    /// 发票代码 as the caller gave it (checked when given).
    pub fapiao_code: Option<String>,
    /// 发票号码 (must be the blue fapiao's).
    pub fapiao_number: String,
}

/// Why a reverse call changed nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReverseRefusal {
    /// The owner has no such application.
    UnknownApplication,
    /// `fapiao_information[index]` is not a fapiao of the application.
    UnknownFapiao(usize),
    /// `fapiao_information[index]` is neither ISSUED nor REVERSE_FAILED (its status given).
    NotIssued(usize, FapiaoStatus),
    /// `fapiao_information[index].<field>` differs from the blue fapiao.
    NumberMismatch(usize, &'static str),
}

/// A scheduled step that has not run yet (control API).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingJob {
    /// The fapiao.
    pub fapiao_id: String,
    /// The step.
    pub action: JobAction,
    /// When it runs (None: held until released).
    pub due_at: Option<i64>,
    /// The error it will fail with.
    pub fail_code: Option<String>,
}

/// What one round of due steps did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StepsRun {
    /// Steps taken (a step whose fapiao has moved on is taken and dropped).
    pub ran: usize,
    /// Callbacks put in the outbox.
    pub callbacks_enqueued: usize,
}

/// A card in a user's card package (control API).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FapiaoCard {
    /// The merchant the fapiao is for.
    pub owner_mchid: String,
    /// Its application.
    pub fapiao_apply_id: String,
    /// The fapiao.
    pub fapiao_id: String,
    /// The fapiao's status.
    pub status: String,
    /// The card's status.
    pub card_status: Option<String>,
    /// 价税合计.
    pub total_amount: i64,
    /// The card.
    #[serde(flatten)]
    pub card: CardInformation,
}

/// One line of a merchant's list of applications (the console lists them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationHead {
    /// 发票申请单号.
    pub fapiao_apply_id: String,
    /// The merchant that called.
    pub caller_mchid: String,
    /// How many fapiao it has.
    pub fapiao_count: i64,
    /// When it was made (Unix seconds).
    pub created_at: i64,
}

/// Fapiao applications and their state machine.
#[async_trait]
pub trait FapiaoStore: Send + Sync {
    /// The newest `limit` applications of an owner, newest first.
    async fn applications_of(
        &self,
        owner_mchid: &str,
        limit: i64,
    ) -> StoreResult<Vec<ApplicationHead>>;

    /// Stores a new application with its fapiao in ISSUE_ACCEPTED and
    /// schedules their ISSUE steps by the outcome in force, in one
    /// transaction. A 数电 application whose fapiao all failed takes a new
    /// fapiao (retry) instead of being refused.
    async fn create_application(
        &self,
        application: &NewApplication,
    ) -> StoreResult<Result<CreatedApplication, ApplicationRefusal>>;

    /// One application of an owner with every fapiao.
    async fn application(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: &str,
    ) -> StoreResult<Option<StoredApplication>>;

    /// Moves the named ISSUED (or REVERSE_FAILED) fapiao to REVERSE_ACCEPTED and schedules their
    /// REVERSE steps; all or nothing.
    async fn request_reverse(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: &str,
        reverse_reason: &str,
        targets: &[ReverseTarget],
        now: i64,
    ) -> StoreResult<Result<(), ReverseRefusal>>;

    /// Takes the steps due at `now`, earliest first, at most `most` of
    /// them, and runs each in the transaction that deletes it (so no two
    /// processes run a step twice), enqueueing its callback and scheduling
    /// the next step, the whole round in one transaction (on SQLite, one
    /// writer batch).
    async fn run_due_fapiao_jobs(&self, now: i64, most: usize) -> StoreResult<StepsRun>;

    /// Sets the outcome of an owner's applications (`fapiao_apply_id` None:
    /// the merchant's default). For one application, its steps not yet run
    /// are planned again under the new outcome; returns how many.
    async fn set_fapiao_outcome(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: Option<&str>,
        outcome: &Outcome,
        now: i64,
    ) -> StoreResult<u64>;

    /// The outcome set for an application (or, with None, the merchant's
    /// default), if any.
    async fn fapiao_outcome(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: Option<&str>,
    ) -> StoreResult<Option<Outcome>>;

    /// Makes the held steps of an application due at `now`; returns how many.
    async fn release_fapiao_jobs(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: &str,
        now: i64,
    ) -> StoreResult<u64>;

    /// The steps of an application not run yet.
    async fn pending_fapiao_jobs(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: &str,
    ) -> StoreResult<Vec<PendingJob>>;

    /// The fapiao cards of a user (by `card_openid`), newest first.
    async fn fapiao_cards_of(&self, openid: &str) -> StoreResult<Vec<FapiaoCard>>;
}
