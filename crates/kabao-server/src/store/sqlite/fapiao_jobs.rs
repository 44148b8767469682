//! Scheduling the asynchronous steps of the fapiao state machine
//! (`fapiao_jobs`), shared by every path that starts one: issuing,
//! insert-cards and reversal. The fapiao worker runs due steps.

use crate::domain::fapiao::JobAction;
use sqlx::SqliteConnection;

/// Which step of which fapiao, and when the caller asked for it.
#[derive(Debug, Clone)]
pub(super) struct NewJob<'a> {
    /// The merchant the fapiao belongs to.
    pub owner_mchid: &'a str,
    /// Its application.
    pub fapiao_apply_id: &'a str,
    /// The fapiao.
    pub fapiao_id: &'a str,
    /// The step.
    pub action: JobAction,
    /// Now (kabao's clock, Unix seconds).
    pub now: i64,
}

/// Schedules `job` inside the caller's transaction, due at once.
pub(super) async fn schedule_job(
    conn: &mut SqliteConnection,
    job: &NewJob<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO fapiao_jobs (owner_mchid, fapiao_apply_id, fapiao_id, action, due_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(job.owner_mchid)
    .bind(job.fapiao_apply_id)
    .bind(job.fapiao_id)
    .bind(job.action.as_str())
    .bind(job.now)
    .bind(job.now)
    .execute(conn)
    .await?;
    Ok(())
}
