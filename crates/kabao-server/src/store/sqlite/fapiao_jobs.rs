//! Scheduling the asynchronous steps of the fapiao state machine
//! (`fapiao_jobs`), shared by every path that starts one: issuing,
//! insert-cards and reversal. The outcome set through the control API (per
//! application, else the merchant's default, else immediate) decides when
//! an ISSUE or REVERSE step (and the INSERT_CARD of a self-issued fapiao)
//! runs and whether it fails; the card steps that follow an issue or a
//! reversal run at once. The fapiao worker runs due steps.

use super::corrupt;
use crate::domain::fapiao::face::ApplicationKind;
use crate::domain::fapiao::outcome::Outcome;
use crate::domain::fapiao::JobAction;
use crate::store::shared::fapiao_plan::{due_now, outcome_applies, plan};
use sqlx::SqliteConnection;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

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

const INSERT_JOB: &str =
    "INSERT INTO fapiao_jobs (id, owner_mchid, fapiao_apply_id, fapiao_id, action, due_at,
       fail_code, fail_message, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

/// The id last given to a step by this process.
static LAST_JOB_ID: AtomicI64 = AtomicI64::new(0);

/// A new step's id. `fapiao_jobs` has no rowid to number its rows (it is
/// keyed by its fapiao, migration 0009), and looking up the highest id
/// would read a whole index per step; so ids are microseconds of the
/// system clock, kept strictly increasing within the process. They order
/// steps due in the same second by when they were scheduled, follow every
/// id stored before (small numbers), and with the fapiao they make the key.
fn next_job_id() -> i64 {
    let clock = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX));
    let next = |last: i64| clock.max(last + 1);
    let last = LAST_JOB_ID
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |last| {
            Some(next(last))
        })
        .unwrap_or_else(|last| last);
    next(last)
}

/// The application's own outcome, else the merchant's default (stored under
/// the empty id); NULL when neither is set. Two point lookups: an `IN` list
/// with `ORDER BY` would build a temporary B-tree on every new application.
const OUTCOME_IN_FORCE: &str = "SELECT COALESCE(
       (SELECT outcome_json FROM fapiao_outcomes WHERE owner_mchid = ?1 AND fapiao_apply_id = ?2),
       (SELECT outcome_json FROM fapiao_outcomes WHERE owner_mchid = ?1 AND fapiao_apply_id = ''))";

const APPLICATION_KIND: &str =
    "SELECT kind FROM fapiao_applications WHERE owner_mchid = ? AND fapiao_apply_id = ?";

/// Schedules `job` inside the caller's transaction (after its application
/// row is written), due and failing as the outcome in force says.
pub(super) async fn schedule_job(
    conn: &mut SqliteConnection,
    job: &NewJob<'_>,
) -> sqlx::Result<()> {
    let kind = application_kind(conn, job.owner_mchid, job.fapiao_apply_id).await?;
    let outcome = if outcome_applies(kind, job.action) {
        outcome_in_force(conn, job.owner_mchid, job.fapiao_apply_id).await?
    } else {
        Outcome::Immediate
    };
    let (due_at, fail) = plan(&outcome, kind, job.action, job.now);
    sqlx::query(INSERT_JOB)
        .bind(next_job_id())
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
    Ok(())
}

/// [`schedule_job`] on the writer's connection, for an application of
/// `kind` written in the same transaction; true when the step is due already.
pub(super) fn schedule_job_now(
    conn: &rusqlite::Connection,
    kind: ApplicationKind,
    job: &NewJob<'_>,
) -> rusqlite::Result<bool> {
    let outcome = if outcome_applies(Some(kind), job.action) {
        let stored: Option<String> = conn
            .prepare_cached(OUTCOME_IN_FORCE)?
            .query_row([job.owner_mchid, job.fapiao_apply_id], |r| r.get(0))?;
        match stored {
            Some(json) => serde_json::from_str(&json).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
            })?,
            None => Outcome::Immediate,
        }
    } else {
        Outcome::Immediate
    };
    let (due_at, fail) = plan(&outcome, Some(kind), job.action, job.now);
    conn.prepare_cached(INSERT_JOB)?.execute(rusqlite::params![
        next_job_id(),
        job.owner_mchid,
        job.fapiao_apply_id,
        job.fapiao_id,
        job.action.as_str(),
        due_at,
        fail.as_ref().map(|f| f.0.as_str()),
        fail.as_ref().map(|f| f.1.as_str()),
        job.now,
    ])?;
    Ok(due_now(due_at, job.now))
}

/// Plans again, under the outcome now in force, the steps of one
/// application that have not run; returns how many.
pub(super) async fn replan_application_jobs(
    conn: &mut SqliteConnection,
    owner_mchid: &str,
    fapiao_apply_id: &str,
    now: i64,
) -> sqlx::Result<u64> {
    let Some(kind) = application_kind(conn, owner_mchid, fapiao_apply_id).await? else {
        return Ok(0);
    };
    let outcome = outcome_in_force(conn, owner_mchid, fapiao_apply_id).await?;
    let jobs: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT fapiao_id, id, action FROM fapiao_jobs WHERE owner_mchid = ? AND fapiao_apply_id = ?",
    )
    .bind(owner_mchid)
    .bind(fapiao_apply_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut replanned = 0;
    for (fapiao_id, id, action) in jobs {
        let Some(action) = JobAction::parse(&action) else {
            continue;
        };
        if !outcome_applies(Some(kind), action) {
            continue;
        }
        let (due_at, fail) = plan(&outcome, Some(kind), action, now);
        sqlx::query(
            "UPDATE fapiao_jobs SET due_at = ?, fail_code = ?, fail_message = ?
             WHERE owner_mchid = ? AND fapiao_apply_id = ? AND fapiao_id = ? AND id = ?",
        )
        .bind(due_at)
        .bind(fail.as_ref().map(|f| f.0.as_str()))
        .bind(fail.as_ref().map(|f| f.1.as_str()))
        .bind(owner_mchid)
        .bind(fapiao_apply_id)
        .bind(&fapiao_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        replanned += 1;
    }
    Ok(replanned)
}

/// The outcome of an application: its own, else the owner's default, else
/// immediate.
pub(super) async fn outcome_in_force(
    conn: &mut SqliteConnection,
    owner_mchid: &str,
    fapiao_apply_id: &str,
) -> sqlx::Result<Outcome> {
    let stored: Option<String> = sqlx::query_scalar(OUTCOME_IN_FORCE)
        .bind(owner_mchid)
        .bind(fapiao_apply_id)
        .fetch_one(conn)
        .await?;
    match stored {
        Some(json) => serde_json::from_str(&json).map_err(|e| corrupt("outcome_json", e)),
        None => Ok(Outcome::Immediate),
    }
}

async fn application_kind(
    conn: &mut SqliteConnection,
    owner_mchid: &str,
    fapiao_apply_id: &str,
) -> sqlx::Result<Option<ApplicationKind>> {
    let kind: Option<String> = sqlx::query_scalar(APPLICATION_KIND)
        .bind(owner_mchid)
        .bind(fapiao_apply_id)
        .fetch_optional(conn)
        .await?;
    Ok(kind.as_deref().and_then(ApplicationKind::parse))
}

#[cfg(test)]
mod tests {
    use super::next_job_id;

    #[test]
    fn step_ids_grow_in_the_order_steps_are_scheduled_on_every_thread() {
        let threads: Vec<_> = (0..4)
            .map(|_| std::thread::spawn(|| (0..1000).map(|_| next_job_id()).collect::<Vec<_>>()))
            .collect();
        let mut all = Vec::new();
        for thread in threads {
            let ids = thread.join().unwrap();
            assert!(ids.windows(2).all(|w| w[0] < w[1]), "increasing per thread");
            all.extend(ids);
        }
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count, "no id given twice");
        // 2020-01-01 in microseconds: far above the ids kabao stored before.
        assert!(all[0] > 1_577_836_800_000_000);
    }
}
