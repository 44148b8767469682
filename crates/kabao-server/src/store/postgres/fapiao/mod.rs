//! [`FapiaoStore`](crate::store::fapiao::FapiaoStore) in PostgreSQL. Every
//! method is one transaction. Calls that create or reverse an application
//! hold its advisory lock ([`lock_application`]), a step locks its fapiao
//! row, and the worker claims steps with `FOR UPDATE SKIP LOCKED`, so
//! several kabao processes on one database never run one step twice or
//! both pass a check that only one may pass.

mod control;
mod create;
pub(super) mod jobs;
mod read;
mod reverse;
mod steps;

use super::lock_name;
use super::PostgresStore;
use crate::domain::fapiao::outcome::Outcome;
use crate::store::fapiao::{
    ApplicationHead, ApplicationRefusal, CreatedApplication, FapiaoCard, FapiaoStore,
    NewApplication, PendingJob, ReverseRefusal, ReverseTarget, StepsRun, StoredApplication,
};
use crate::store::StoreResult;
use async_trait::async_trait;

/// The advisory lock of one application (created, retried, reversed or
/// inserted as self-issued by one caller at a time).
pub(super) async fn lock_application(
    conn: &mut sqlx::PgConnection,
    owner_mchid: &str,
    fapiao_apply_id: &str,
) -> sqlx::Result<()> {
    lock_name(
        conn,
        &format!("fapiao_applications/{owner_mchid}/{fapiao_apply_id}"),
    )
    .await
}

#[async_trait]
impl FapiaoStore for PostgresStore {
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
             FROM fapiao_applications a WHERE a.owner_mchid = $1 \
             ORDER BY a.created_at DESC, a.fapiao_apply_id DESC LIMIT $2",
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
        let mut tx = self.pool.begin().await?;
        lock_application(
            &mut tx,
            &application.owner_mchid,
            &application.fapiao_apply_id,
        )
        .await?;
        let outcome = create::create(&mut tx, application).await?;
        if outcome.is_ok() {
            tx.commit().await?;
        }
        Ok(outcome)
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
        let mut tx = self.pool.begin().await?;
        lock_application(&mut tx, owner_mchid, fapiao_apply_id).await?;
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
        // A plain read first, so an idle poll never opens a transaction.
        let due: Option<i64> = sqlx::query_scalar(
            "SELECT 1::BIGINT FROM fapiao_jobs WHERE due_at IS NOT NULL AND due_at <= $1 LIMIT 1",
        )
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        if due.is_none() {
            return Ok(StepsRun::default());
        }
        let mut tx = self.pool.begin().await?;
        let run = steps::run_due(&mut tx, now, most).await?;
        tx.commit().await?;
        Ok(run)
    }

    async fn set_fapiao_outcome(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: Option<&str>,
        outcome: &Outcome,
        now: i64,
    ) -> StoreResult<u64> {
        let mut tx = self.pool.begin().await?;
        if let Some(id) = fapiao_apply_id {
            // Queued behind a create or reversal of that application, so its
            // new steps are planned under this outcome or replanned by it.
            lock_application(&mut tx, owner_mchid, id).await?;
        }
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
        let mut tx = self.pool.begin().await?;
        lock_application(&mut tx, owner_mchid, fapiao_apply_id).await?;
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
