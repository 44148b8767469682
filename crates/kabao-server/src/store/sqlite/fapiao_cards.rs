//! [`FapiaoCardStore`](crate::store::fapiao_cards::FapiaoCardStore) in SQLite.

use super::SqliteStore;
use crate::store::fapiao_cards::FapiaoCardStore;
use async_trait::async_trait;

#[async_trait]
impl FapiaoCardStore for SqliteStore {}
