//! Scheduling the asynchronous steps of the fapiao state machine
//! (`fapiao_jobs`), shared by every path that starts one: issuing,
//! insert-cards and reversal. The outcome set through the control API (per
//! application, else the merchant's default, else immediate) decides when
//! an ISSUE or REVERSE step (and the INSERT_CARD of a self-issued fapiao)
//! runs and whether it fails; the card steps that follow an issue or a
//! reversal run at once. The fapiao worker runs due steps.

use crate::domain::fapiao::face::ApplicationKind;
use crate::domain::fapiao::outcome::Outcome;
use crate::domain::fapiao::JobAction;
use crate::store::corrupt;
use crate::store::shared::fapiao_plan::{due_now, outcome_applies, plan};
use sqlx::PgConnection;

/// Which step of which fapiao, and when the caller asked for it.
#[derive(Debug, Clone)]
pub(in crate::store::postgres) struct NewJob<'a> {
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

/// Schedules `job` inside the caller's transaction (after its application
/// row is written), due and failing as the outcome in force says; true when
/// it is due already.
pub(in crate::store::postgres) async fn schedule_job(
    conn: &mut PgConnection,
    job: &NewJob<'_>,
) -> sqlx::Result<bool> {
    let kind = application_kind(conn, job.owner_mchid, job.fapiao_apply_id).await?;
    let outcome = if outcome_applies(kind, job.action) {
        outcome_in_force(conn, job.owner_mchid, job.fapiao_apply_id).await?
    } else {
        Outcome::Immediate
    };
    let (due_at, fail) = plan(&outcome, kind, job.action, job.now);
    sqlx::query(
        "INSERT INTO fapiao_jobs (owner_mchid, fapiao_apply_id, fapiao_id, action, due_at,
           fail_code, fail_message, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(job.owner_mchid)
    .bind(job.fapiao_apply_id)
    .bind(job.fapiao_id)
    .bind(job.action.as_str())
    .bind(due_at)
    .bind(fail.as_ref().map(|f| f.0.as_str()))
    .bind(fail.as_ref().map(|f| f.1.as_str()))
    .bind(job.now)
    .execute(conn)
    .await?;
    Ok(due_now(due_at, job.now))
}

/// Plans again, under the outcome now in force, the steps of one
/// application that have not run; returns how many.
pub(in crate::store::postgres) async fn replan_application_jobs(
    conn: &mut PgConnection,
    owner_mchid: &str,
    fapiao_apply_id: &str,
    now: i64,
) -> sqlx::Result<u64> {
    let Some(kind) = application_kind(conn, owner_mchid, fapiao_apply_id).await? else {
        return Ok(0);
    };
    let outcome = outcome_in_force(conn, owner_mchid, fapiao_apply_id).await?;
    let jobs: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, action FROM fapiao_jobs WHERE owner_mchid = $1 AND fapiao_apply_id = $2",
    )
    .bind(owner_mchid)
    .bind(fapiao_apply_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut replanned = 0;
    for (id, action) in jobs {
        let Some(action) = JobAction::parse(&action) else {
            continue;
        };
        if !outcome_applies(Some(kind), action) {
            continue;
        }
        let (due_at, fail) = plan(&outcome, Some(kind), action, now);
        let updated = sqlx::query(
            "UPDATE fapiao_jobs SET due_at = $1, fail_code = $2, fail_message = $3 WHERE id = $4",
        )
        .bind(due_at)
        .bind(fail.as_ref().map(|f| f.0.as_str()))
        .bind(fail.as_ref().map(|f| f.1.as_str()))
        .bind(id)
        .execute(&mut *conn)
        .await?;
        // A step the worker claimed meanwhile is gone, not replanned.
        replanned += updated.rows_affected();
    }
    Ok(replanned)
}

/// The outcome of an application: its own, else the owner's default, else
/// immediate.
pub(in crate::store::postgres) async fn outcome_in_force(
    conn: &mut PgConnection,
    owner_mchid: &str,
    fapiao_apply_id: &str,
) -> sqlx::Result<Outcome> {
    let stored: Option<String> = sqlx::query_scalar(
        "SELECT outcome_json FROM fapiao_outcomes
         WHERE owner_mchid = $1 AND fapiao_apply_id IN ($2, '')
         ORDER BY fapiao_apply_id = '' LIMIT 1",
    )
    .bind(owner_mchid)
    .bind(fapiao_apply_id)
    .fetch_optional(conn)
    .await?;
    match stored {
        Some(json) => serde_json::from_str(&json).map_err(|e| corrupt("outcome_json", e)),
        None => Ok(Outcome::Immediate),
    }
}

async fn application_kind(
    conn: &mut PgConnection,
    owner_mchid: &str,
    fapiao_apply_id: &str,
) -> sqlx::Result<Option<ApplicationKind>> {
    let kind: Option<String> = sqlx::query_scalar(
        "SELECT kind FROM fapiao_applications WHERE owner_mchid = $1 AND fapiao_apply_id = $2",
    )
    .bind(owner_mchid)
    .bind(fapiao_apply_id)
    .fetch_optional(conn)
    .await?;
    Ok(kind.as_deref().and_then(ApplicationKind::parse))
}
