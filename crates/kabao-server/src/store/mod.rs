//! Persistence behind one trait: SQLite (embedded default) and PostgreSQL
//! (scale-out) through the same trait. Every method is one transaction; the
//! store never sees HTTP.

pub mod callback;
pub mod fapiao;
pub mod fapiao_cards;
pub mod fapiao_setup;
pub mod fapiao_titles;
pub mod invoice;
mod migrate;
pub mod outbox;
mod postgres;
pub mod push;
mod shared;
mod sqlite;
pub mod taxi_fleet;
pub mod taxi_trips;
pub mod transfer;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use crate::domain::tenant::{App, Merchant, MerchantCertificate, PlatformKey, User};
use crate::domain::token::{AccessToken, ApiTicket, TokenKind};
use async_trait::async_trait;
use std::sync::Arc;

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A row refers to something that does not exist, or repeats a unique key.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database could not be reached or answered with an error.
    #[error("database error: {0}")]
    Backend(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_foreign_key_violation() || db.is_unique_violation() {
                return Self::Conflict(db.message().to_owned());
            }
        }
        Self::Backend(e.to_string())
    }
}

/// Result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;

/// Everything kabao persists. Implemented by [`SqliteStore`] and
/// [`PostgresStore`]; shared as `Arc<dyn Store>`.
#[async_trait]
pub trait Store:
    invoice::InvoiceStore
    + push::PushStore
    + callback::CallbackStore
    + fapiao_setup::FapiaoSetupStore
    + fapiao_titles::FapiaoTitleStore
    + fapiao::FapiaoStore
    + fapiao_cards::FapiaoCardStore
    + taxi_fleet::TaxiFleetStore
    + taxi_trips::TaxiTripStore
    + Send
    + Sync
    + 'static
{
    /// "sqlite" or "postgres", for logs and the health endpoint.
    fn backend(&self) -> &'static str;
    /// Round-trips to the database; used by the health endpoint.
    async fn ping(&self) -> StoreResult<()>;
    /// True when no app and no merchant exist yet (first start).
    async fn is_unprovisioned(&self) -> StoreResult<bool>;

    /// Creates or replaces an Official Account app.
    async fn put_app(&self, app: &App) -> StoreResult<()>;
    /// One app by appid.
    async fn app(&self, appid: &str) -> StoreResult<Option<App>>;
    /// Every app, ordered by appid.
    async fn apps(&self) -> StoreResult<Vec<App>>;

    /// Creates or replaces a merchant and adds or replaces the given API
    /// certificates, in one transaction (certificates not given are kept).
    async fn put_merchant(
        &self,
        merchant: &Merchant,
        certificates: &[MerchantCertificate],
    ) -> StoreResult<()>;
    /// One merchant by mchid.
    async fn merchant(&self, mchid: &str) -> StoreResult<Option<Merchant>>;
    /// Every merchant, ordered by mchid.
    async fn merchants(&self) -> StoreResult<Vec<Merchant>>;
    /// A merchant's API certificates.
    async fn merchant_certificates(&self, mchid: &str) -> StoreResult<Vec<MerchantCertificate>>;

    /// Adds or replaces (by serial or public key id) a platform signing key.
    async fn put_platform_key(&self, key: &PlatformKey) -> StoreResult<()>;
    /// Every platform key, oldest first.
    async fn platform_keys(&self) -> StoreResult<Vec<PlatformKey>>;

    /// Creates or replaces a user under an app.
    async fn put_user(&self, user: &User) -> StoreResult<()>;
    /// Users of one app, or of all apps.
    async fn users(&self, appid: Option<&str>) -> StoreResult<Vec<User>>;

    /// Saves a newly issued token. When `retire_others_by` is set, every other
    /// token of the same app and kind is cut to expire no later than that time,
    /// in the same transaction.
    async fn save_token(
        &self,
        token: &AccessToken,
        retire_others_by: Option<i64>,
    ) -> StoreResult<()>;
    /// A token by its string.
    async fn token(&self, token: &str) -> StoreResult<Option<AccessToken>>;
    /// The app's newest token of `kind`.
    async fn latest_token(&self, appid: &str, kind: TokenKind) -> StoreResult<Option<AccessToken>>;

    /// Saves an issued api_ticket.
    async fn save_ticket(&self, ticket: &ApiTicket) -> StoreResult<()>;
    /// An api_ticket by its string.
    async fn ticket(&self, ticket: &str) -> StoreResult<Option<ApiTicket>>;

    /// Counts one call of `api` by `appid` on `day` and returns the new count.
    async fn count_call(&self, appid: &str, api: &str, day: i64) -> StoreResult<i64>;

    /// A persisted setting (clock offset, admin token, …).
    async fn setting(&self, key: &str) -> StoreResult<Option<String>>;
    /// Saves a setting.
    async fn put_setting(&self, key: &str, value: &str) -> StoreResult<()>;
}

/// The store selected by a database URL: `sqlite://…` (or a bare path) or
/// `postgres://…`.
pub async fn open(database_url: &str) -> anyhow::Result<Arc<dyn Store>> {
    if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        return Ok(Arc::new(PostgresStore::open(database_url).await?));
    }
    Ok(Arc::new(SqliteStore::open(database_url).await?))
}

/// A stored value that no longer parses: the database was changed outside
/// kabao. Shared by both backends' row decoders.
pub(crate) fn corrupt(column: &str, e: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: e.to_string().into(),
    }
}
