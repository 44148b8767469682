//! [`FapiaoStore`](crate::store::fapiao::FapiaoStore) in SQLite.

use super::SqliteStore;
use crate::store::fapiao::FapiaoStore;
use async_trait::async_trait;

#[async_trait]
impl FapiaoStore for SqliteStore {}
