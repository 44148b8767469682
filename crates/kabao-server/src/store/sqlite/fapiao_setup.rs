//! [`FapiaoSetupStore`](crate::store::fapiao_setup::FapiaoSetupStore) in SQLite.

use super::SqliteStore;
use crate::store::fapiao_setup::FapiaoSetupStore;
use crate::store::StoreResult;
use async_trait::async_trait;

#[async_trait]
impl FapiaoSetupStore for SqliteStore {
    async fn provider_authorized(&self, mchid: &str) -> StoreResult<bool> {
        let authorized: Option<i64> =
            sqlx::query_scalar("SELECT provider_authorized FROM fapiao_merchants WHERE mchid = ?")
                .bind(mchid)
                .fetch_optional(&self.pool)
                .await?;
        Ok(authorized.is_none_or(|a| a != 0))
    }
}
