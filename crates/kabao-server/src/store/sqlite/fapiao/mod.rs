//! [`FapiaoStore`](crate::store::fapiao::FapiaoStore) in SQLite. Every
//! method is one `BEGIN IMMEDIATE` transaction, so concurrent writers queue
//! instead of failing on a read-to-write upgrade.

mod control;
mod create;
mod read;
mod reverse;
mod steps;

use super::SqliteStore;
use crate::domain::fapiao::outcome::Outcome;
use crate::store::fapiao::{
    ApplicationHead, ApplicationRefusal, CreatedApplication, FapiaoCard, FapiaoStore,
    NewApplication, PendingJob, ReverseRefusal, ReverseTarget, StepsRun, StoredApplication,
};
use crate::store::StoreResult;
use async_trait::async_trait;

#[async_trait]
impl FapiaoStore for SqliteStore {
    async fn applications_of(
        &self,
        owner_mchid: &str,
        limit: i64,
    ) -> StoreResult<Vec<ApplicationHead>> {
        let mut conn = self.pool.acquire().await?;
        let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT a.fapiao_apply_id, a.caller_mchid, \
                    (SELECT COUNT(*) FROM fapiaos f WHERE f.owner_mchid = a.owner_mchid \
                       AND f.fapiao_apply_id = a.fapiao_apply_id), a.created_at \
             FROM fapiao_applications a WHERE a.owner_mchid = ? \
             ORDER BY a.created_at DESC, a.fapiao_apply_id DESC LIMIT ?",
        )
        .bind(owner_mchid)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(fapiao_apply_id, caller_mchid, fapiao_count, created_at)| ApplicationHead {
                    fapiao_apply_id,
                    caller_mchid,
                    fapiao_count,
                    created_at,
                },
            )
            .collect())
    }

    async fn create_application(
        &self,
        application: &NewApplication,
    ) -> StoreResult<Result<CreatedApplication, ApplicationRefusal>> {
        let application = application.clone();
        self.writer
            .write(move |conn| create::create(conn, &application))
            .await
    }

    async fn application(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: &str,
    ) -> StoreResult<Option<StoredApplication>> {
        let mut conn = self.pool.acquire().await?;
        Ok(read::application(&mut conn, owner_mchid, fapiao_apply_id).await?)
    }

    async fn request_reverse(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: &str,
        reverse_reason: &str,
        targets: &[ReverseTarget],
        now: i64,
    ) -> StoreResult<Result<(), ReverseRefusal>> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let outcome = reverse::request_reverse(
            &mut tx,
            owner_mchid,
            fapiao_apply_id,
            reverse_reason,
            targets,
            now,
        )
        .await?;
        if outcome.is_ok() {
            tx.commit().await?;
        }
        Ok(outcome)
    }

    async fn run_due_fapiao_jobs(&self, now: i64, most: usize) -> StoreResult<StepsRun> {
        // A plain read first, so an idle poll never takes the write lock.
        let due = self.readers.read(|conn| {
            conn.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM fapiao_jobs WHERE due_at IS NOT NULL AND due_at <= ?)",
            )?
            .query_row([now], |r| r.get::<_, bool>(0))
        })?;
        if !due {
            return Ok(StepsRun::default());
        }
        self.writer
            .write(move |conn| steps::run_due(conn, now, most))
            .await
    }

    async fn set_fapiao_outcome(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: Option<&str>,
        outcome: &Outcome,
        now: i64,
    ) -> StoreResult<u64> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let replanned =
            control::set_outcome(&mut tx, owner_mchid, fapiao_apply_id, outcome, now).await?;
        tx.commit().await?;
        Ok(replanned)
    }

    async fn fapiao_outcome(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: Option<&str>,
    ) -> StoreResult<Option<Outcome>> {
        let mut conn = self.pool.acquire().await?;
        Ok(control::outcome(&mut conn, owner_mchid, fapiao_apply_id).await?)
    }

    async fn release_fapiao_jobs(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: &str,
        now: i64,
    ) -> StoreResult<u64> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let released = control::release(&mut tx, owner_mchid, fapiao_apply_id, now).await?;
        tx.commit().await?;
        Ok(released)
    }

    async fn pending_fapiao_jobs(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: &str,
    ) -> StoreResult<Vec<PendingJob>> {
        let mut conn = self.pool.acquire().await?;
        Ok(read::pending_jobs(&mut conn, owner_mchid, fapiao_apply_id).await?)
    }

    async fn fapiao_cards_of(&self, openid: &str) -> StoreResult<Vec<FapiaoCard>> {
        let mut conn = self.pool.acquire().await?;
        Ok(read::cards_of(&mut conn, openid).await?)
    }
}
