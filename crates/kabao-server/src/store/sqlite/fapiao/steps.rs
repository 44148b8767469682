//! Running due steps of the state machine on the writer's connection, in
//! its batch transaction: each step row is deleted in the transaction that
//! applies it, so a step runs once even with several kabao processes; its
//! callback and the next step are written in the same transaction. What a
//! step changes is decided by [`decide`], shared with PostgreSQL.

use crate::domain::fapiao::face::ApplicationKind;
use crate::domain::fapiao::JobAction;
use crate::store::fapiao::StepsRun;
use crate::store::shared::fapiao_step::{
    decide, EventSubject, FapiaoChange, StepFapiao, UPDATE_FAPIAO,
};
use crate::store::sqlite::callback::enqueue_callback_now;
use crate::store::sqlite::fapiao_jobs::{schedule_job_now, NewJob};
use rusqlite::{params, Connection, OptionalExtension};

/// A claimed step.
struct Job {
    owner_mchid: String,
    fapiao_apply_id: String,
    fapiao_id: String,
    action: String,
    fail_code: Option<String>,
    fail_message: Option<String>,
}

impl Job {
    /// The error the step fails with, if the outcome said so.
    fn failure(&self) -> Option<(&str, &str)> {
        let code = self.fail_code.as_deref()?;
        Some((code, self.fail_message.as_deref().unwrap_or("")))
    }
}

/// The earliest due step, deleted (found through the due index, removed by
/// its key).
const CLAIM_STEP: &str =
    "DELETE FROM fapiao_jobs WHERE (owner_mchid, fapiao_apply_id, fapiao_id, id) = (
       SELECT owner_mchid, fapiao_apply_id, fapiao_id, id FROM fapiao_jobs
       WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id LIMIT 1)
     RETURNING owner_mchid, fapiao_apply_id, fapiao_id, action, fail_code, fail_message";

/// What a step reads: its application's caller and kind, its fapiao's state.
const STEP_CONTEXT: &str = "SELECT a.caller_mchid, a.kind, f.status, f.card_status, f.card_json
     FROM fapiaos f JOIN fapiao_applications a
       ON a.owner_mchid = f.owner_mchid AND a.fapiao_apply_id = f.fapiao_apply_id
     WHERE f.owner_mchid = ?1 AND f.fapiao_apply_id = ?2 AND f.fapiao_id = ?3";

/// Takes and runs due steps, earliest first, until none is due or `most`
/// have run.
pub(super) fn run_due(conn: &Connection, now: i64, most: usize) -> rusqlite::Result<StepsRun> {
    let mut run = StepsRun::default();
    while run.ran < most {
        let Some(job) = claim(conn, now)? else {
            break;
        };
        run.ran += 1;
        if apply(conn, &job, now)? {
            run.callbacks_enqueued += 1;
        }
    }
    Ok(run)
}

fn claim(conn: &Connection, now: i64) -> rusqlite::Result<Option<Job>> {
    conn.prepare_cached(CLAIM_STEP)?
        .query_row([now], |r| {
            Ok(Job {
                owner_mchid: r.get(0)?,
                fapiao_apply_id: r.get(1)?,
                fapiao_id: r.get(2)?,
                action: r.get(3)?,
                fail_code: r.get(4)?,
                fail_message: r.get(5)?,
            })
        })
        .optional()
}

/// Runs one claimed step; true when it enqueued a callback. A step whose
/// fapiao is gone or has moved on is dropped.
fn apply(conn: &Connection, job: &Job, now: i64) -> rusqlite::Result<bool> {
    let context = conn
        .prepare_cached(STEP_CONTEXT)?
        .query_row(
            [&job.owner_mchid, &job.fapiao_apply_id, &job.fapiao_id],
            |r| {
                let caller: String = r.get(0)?;
                let kind: String = r.get(1)?;
                let fapiao = StepFapiao::from_columns(
                    job.fapiao_id.clone(),
                    r.get_ref(2)?.as_str()?,
                    r.get_ref(3)?.as_str_or_null()?,
                    r.get_ref(4)?.as_str_or_null()?,
                )
                .map_err(|(column, e)| corrupt(column, e))?;
                Ok((caller, kind, fapiao))
            },
        )
        .optional()?;
    let Some((caller_mchid, kind, fapiao)) = context else {
        return Ok(false);
    };
    let Some(action) = JobAction::parse(&job.action) else {
        return Ok(false);
    };
    let subject = EventSubject {
        caller_mchid: &caller_mchid,
        owner_mchid: &job.owner_mchid,
        fapiao_apply_id: &job.fapiao_apply_id,
        kind: ApplicationKind::parse(&kind).unwrap_or(ApplicationKind::Classic),
    };
    let Some(decision) = decide(action, &fapiao, job.failure(), &subject, now) else {
        return Ok(false);
    };
    write_change(conn, job, &decision.change, now)?;
    if let Some(next) = decision.next {
        schedule_job_now(
            conn,
            subject.kind,
            &NewJob {
                owner_mchid: &job.owner_mchid,
                fapiao_apply_id: &job.fapiao_apply_id,
                fapiao_id: &job.fapiao_id,
                action: next,
                now,
            },
        )?;
    }
    enqueue_callback_now(conn, &decision.callback)?;
    Ok(true)
}

fn write_change(
    conn: &Connection,
    job: &Job,
    change: &FapiaoChange,
    now: i64,
) -> rusqlite::Result<()> {
    let (error_code, error_message) = match &change.error {
        Some((code, message)) => (Some(code.as_str()), Some(message.as_str())),
        None => (None, None),
    };
    conn.prepare_cached(UPDATE_FAPIAO)?.execute(params![
        change.status.as_str(),
        change.card_status.map(|c| c.as_str()),
        error_code,
        error_message,
        change.blue_json,
        change.red_json,
        change.card_json,
        now,
        job.owner_mchid,
        job.fapiao_apply_id,
        job.fapiao_id,
    ])?;
    Ok(())
}

/// A stored column that does not parse.
fn corrupt(column: &str, e: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("{column}: {e}").into(),
    )
}
