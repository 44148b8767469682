//! Running due steps of the state machine, a round of them in one
//! transaction: each step row is claimed (`FOR UPDATE SKIP LOCKED`, so
//! processes polling together take different steps) and deleted in the
//! transaction that applies it, so a step runs once even with several kabao
//! processes, and a process that dies mid-round leaves its steps, rolled
//! back, to another. Each step's callback and the step that follows are
//! written in the same transaction. What a step changes is
//! decided by [`decide`], shared with SQLite.

use super::jobs::{schedule_job, NewJob};
use crate::domain::fapiao::face::ApplicationKind;
use crate::domain::fapiao::JobAction;
use crate::store::corrupt;
use crate::store::fapiao::StepsRun;
use crate::store::postgres::callback::enqueue_callback;
use crate::store::shared::fapiao_step::{
    decide, EventSubject, FapiaoChange, StepFapiao, UPDATE_FAPIAO,
};
use sqlx::PgConnection;
use std::sync::LazyLock;

/// A claimed step.
#[derive(sqlx::FromRow)]
struct Job {
    id: i64,
    owner_mchid: String,
    fapiao_apply_id: String,
    fapiao_id: String,
    action: String,
    fail_code: Option<String>,
    fail_message: Option<String>,
    due_at: Option<i64>,
}

impl Job {
    /// The error the step fails with, if the outcome said so.
    fn failure(&self) -> Option<(&str, &str)> {
        let code = self.fail_code.as_deref()?;
        Some((code, self.fail_message.as_deref().unwrap_or("")))
    }
}

/// What a step reads, its fapiao row locked.
#[derive(sqlx::FromRow)]
struct Context {
    caller_mchid: String,
    kind: String,
    status: String,
    card_status: Option<String>,
    card_json: Option<String>,
}

/// [`UPDATE_FAPIAO`] with PostgreSQL's numbered placeholders.
static UPDATE_FAPIAO_PG: LazyLock<String> = LazyLock::new(|| {
    let mut numbered = String::with_capacity(UPDATE_FAPIAO.len() + 16);
    let mut next = 1;
    for c in UPDATE_FAPIAO.chars() {
        if c == '?' {
            numbered.push_str(&format!("${next}"));
            next += 1;
        } else {
            numbered.push(c);
        }
    }
    numbered
});

/// Takes up to `most` due steps (`FOR UPDATE SKIP LOCKED`: those another
/// process holds are left to it) and runs them, earliest first, inside the
/// caller's transaction.
pub(super) async fn run_due(
    conn: &mut PgConnection,
    now: i64,
    most: usize,
) -> sqlx::Result<StepsRun> {
    let mut claimed: Vec<Job> = sqlx::query_as(
        "DELETE FROM fapiao_jobs WHERE id IN (
           SELECT id FROM fapiao_jobs WHERE due_at IS NOT NULL AND due_at <= $1 ORDER BY due_at, id
           LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING id, owner_mchid, fapiao_apply_id, fapiao_id, action, fail_code, fail_message, due_at",
    )
    .bind(now)
    .bind(i64::try_from(most).unwrap_or(i64::MAX))
    .fetch_all(&mut *conn)
    .await?;
    claimed.sort_by_key(|job| (job.due_at, job.id));
    let mut run = StepsRun::default();
    for job in &claimed {
        run.ran += 1;
        if apply(conn, job, now).await? {
            run.callbacks_enqueued += 1;
        }
    }
    Ok(run)
}

/// Runs one claimed step; true when it enqueued a callback. A step whose
/// fapiao is gone or has moved on is dropped.
async fn apply(conn: &mut PgConnection, job: &Job, now: i64) -> sqlx::Result<bool> {
    let context: Option<Context> = sqlx::query_as(
        "SELECT a.caller_mchid, a.kind, f.status, f.card_status, f.card_json
         FROM fapiaos f JOIN fapiao_applications a
           ON a.owner_mchid = f.owner_mchid AND a.fapiao_apply_id = f.fapiao_apply_id
         WHERE f.owner_mchid = $1 AND f.fapiao_apply_id = $2 AND f.fapiao_id = $3
         FOR UPDATE OF f",
    )
    .bind(&job.owner_mchid)
    .bind(&job.fapiao_apply_id)
    .bind(&job.fapiao_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(context) = context else {
        return Ok(false);
    };
    let Some(action) = JobAction::parse(&job.action) else {
        return Ok(false);
    };
    let fapiao = StepFapiao::from_columns(
        job.fapiao_id.clone(),
        &context.status,
        context.card_status.as_deref(),
        context.card_json.as_deref(),
    )
    .map_err(|(column, e)| corrupt(column, e))?;
    let subject = EventSubject {
        caller_mchid: &context.caller_mchid,
        owner_mchid: &job.owner_mchid,
        fapiao_apply_id: &job.fapiao_apply_id,
        kind: ApplicationKind::parse(&context.kind).unwrap_or(ApplicationKind::Classic),
    };
    let Some(decision) = decide(action, &fapiao, job.failure(), &subject, now) else {
        return Ok(false);
    };
    write_change(conn, job, &decision.change, now).await?;
    if let Some(next) = decision.next {
        schedule_job(
            conn,
            &NewJob {
                owner_mchid: &job.owner_mchid,
                fapiao_apply_id: &job.fapiao_apply_id,
                fapiao_id: &job.fapiao_id,
                action: next,
                now,
            },
        )
        .await?;
    }
    enqueue_callback(conn, &decision.callback).await?;
    Ok(true)
}

async fn write_change(
    conn: &mut PgConnection,
    job: &Job,
    change: &FapiaoChange,
    now: i64,
) -> sqlx::Result<()> {
    let (error_code, error_message) = match &change.error {
        Some((code, message)) => (Some(code.as_str()), Some(message.as_str())),
        None => (None, None),
    };
    sqlx::query(&UPDATE_FAPIAO_PG)
        .bind(change.status.as_str())
        .bind(change.card_status.map(|c| c.as_str()))
        .bind(error_code)
        .bind(error_message)
        .bind(change.blue_json.as_deref())
        .bind(change.red_json.as_deref())
        .bind(change.card_json.as_deref())
        .bind(now)
        .bind(&job.owner_mchid)
        .bind(&job.fapiao_apply_id)
        .bind(&job.fapiao_id)
        .execute(conn)
        .await?;
    Ok(())
}
