//! [`FapiaoTitleStore`] in PostgreSQL (`fapiao_user_titles`).

use super::callback::enqueue_callback;
use super::PostgresStore;
use crate::store::fapiao_titles::{
    FapiaoTitleStore, NewTitleLink, TitleApplication, TitleSubmission, UserTitle,
};
use crate::store::shared::title_rows::{
    application_from_row, to_json, user_applied, SELECT_TITLES,
};
use crate::store::{corrupt, StoreResult};
use async_trait::async_trait;

#[async_trait]
impl FapiaoTitleStore for PostgresStore {
    async fn put_title_link(&self, link: &NewTitleLink) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO fapiao_user_titles (owner_mchid, fapiao_apply_id, caller_mchid, link_key,
                 request_json, link_expires_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (owner_mchid, fapiao_apply_id) DO UPDATE SET
                 caller_mchid = excluded.caller_mchid, link_key = excluded.link_key,
                 request_json = excluded.request_json, link_expires_at = excluded.link_expires_at",
        )
        .bind(&link.owner_mchid)
        .bind(&link.fapiao_apply_id)
        .bind(&link.caller_mchid)
        .bind(&link.link_key)
        .bind(to_json(&link.request)?)
        .bind(link.link_expires_at)
        .bind(link.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn title_by_link(&self, link_key: &str) -> StoreResult<Option<TitleApplication>> {
        let row = sqlx::query(&format!("{SELECT_TITLES} WHERE t.link_key = $1"))
            .bind(link_key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(application_from_row).transpose()?)
    }

    async fn title_application(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: &str,
    ) -> StoreResult<Option<TitleApplication>> {
        let row = sqlx::query(&format!(
            "{SELECT_TITLES} WHERE t.owner_mchid = $1 AND t.fapiao_apply_id = $2"
        ))
        .bind(owner_mchid)
        .bind(fapiao_apply_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(application_from_row).transpose()?)
    }

    async fn titles_of_caller(
        &self,
        caller_mchid: &str,
        fapiao_apply_id: &str,
    ) -> StoreResult<Vec<TitleApplication>> {
        let rows = sqlx::query(&format!(
            "{SELECT_TITLES} WHERE t.caller_mchid = $1 AND t.fapiao_apply_id = $2 ORDER BY t.owner_mchid"
        ))
        .bind(caller_mchid)
        .bind(fapiao_apply_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(application_from_row)
            .collect::<Result<_, _>>()?)
    }

    async fn user_title(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: &str,
    ) -> StoreResult<Option<UserTitle>> {
        let title: Option<Option<String>> = sqlx::query_scalar(
            "SELECT title_json FROM fapiao_user_titles WHERE owner_mchid = $1 AND fapiao_apply_id = $2",
        )
        .bind(owner_mchid)
        .bind(fapiao_apply_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(title
            .flatten()
            .map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|e| corrupt("title_json", e))?)
    }

    async fn submit_title(
        &self,
        link_key: &str,
        title: &UserTitle,
        now: i64,
    ) -> StoreResult<TitleSubmission> {
        let mut tx = self.pool.begin().await?;
        // The title row stays locked until commit, so two submissions of
        // one link are applied (and their callbacks enqueued) one by one.
        let row = sqlx::query(&format!(
            "{SELECT_TITLES} WHERE t.link_key = $1 FOR UPDATE OF t"
        ))
        .bind(link_key)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(mut application) = row.as_ref().map(application_from_row).transpose()? else {
            return Ok(TitleSubmission::UnknownLink);
        };
        if now >= application.link_expires_at {
            return Ok(TitleSubmission::Expired);
        }
        sqlx::query(
            "UPDATE fapiao_user_titles SET title_json = $1, applied_at = $2
             WHERE owner_mchid = $3 AND fapiao_apply_id = $4",
        )
        .bind(to_json(title)?)
        .bind(now)
        .bind(&application.owner_mchid)
        .bind(&application.fapiao_apply_id)
        .execute(&mut *tx)
        .await?;
        application.title = Some(title.clone());
        application.applied_at = Some(now);
        enqueue_callback(&mut tx, &user_applied(&application, now)?).await?;
        tx.commit().await?;
        Ok(TitleSubmission::Applied(Box::new(application)))
    }
}
