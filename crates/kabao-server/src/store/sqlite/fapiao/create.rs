//! Storing a new application (or a 数电 retry) and scheduling its ISSUE
//! steps, on the writer's connection inside its batch transaction.

use crate::domain::fapiao::{FapiaoStatus, JobAction};
use crate::store::fapiao::{ApplicationRefusal, CreatedApplication, NewApplication, NewFapiao};
use crate::store::sqlite::fapiao_jobs::{schedule_job_now, NewJob};
use rusqlite::{params, Connection, OptionalExtension};

/// How many fapiao a 数电 application may hold: the first and 4 retries.
pub const MAX_DIGITAL_ATTEMPTS: i64 = 5;

/// Stores `app`; a refusal writes nothing.
pub(super) fn create(
    conn: &Connection,
    app: &NewApplication,
) -> rusqlite::Result<Result<CreatedApplication, ApplicationRefusal>> {
    // Insert first: a new id (the usual case) costs one descent of the
    // applications B-tree instead of a lookup and then an insert.
    let inserted = conn
        .prepare_cached(
            "INSERT INTO fapiao_applications (owner_mchid, fapiao_apply_id, caller_mchid, kind, scene,
               buyer_json, request_hash, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (owner_mchid, fapiao_apply_id) DO NOTHING",
        )?
        .execute(params![
            app.owner_mchid,
            app.fapiao_apply_id,
            app.caller_mchid,
            app.kind.as_str(),
            app.scene.as_str(),
            serde_json::to_string(&app.buyer).unwrap_or_default(),
            app.request_hash,
            app.now,
        ])?;
    if inserted == 0 {
        let (kind, hash): (String, String) = conn
            .prepare_cached(
                "SELECT kind, request_hash FROM fapiao_applications WHERE owner_mchid = ? AND fapiao_apply_id = ?",
            )?
            .query_row([&app.owner_mchid, &app.fapiao_apply_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        return retry(conn, app, &kind, &hash);
    }
    let mut step_due_now = false;
    for (seq, fapiao) in app.fapiaos.iter().enumerate() {
        step_due_now |= insert_fapiao(conn, app, fapiao, seq as i64)?;
    }
    Ok(Ok(CreatedApplication { step_due_now }))
}

/// A second call with the same id: a 数电 application whose fapiao all
/// failed takes the new fapiao (at most 4 retries); anything else already exists.
fn retry(
    conn: &Connection,
    app: &NewApplication,
    stored_kind: &str,
    stored_hash: &str,
) -> rusqlite::Result<Result<CreatedApplication, ApplicationRefusal>> {
    let already = ApplicationRefusal::AlreadyExists {
        identical: stored_hash == app.request_hash,
    };
    if !app.kind.is_digital() || stored_kind != app.kind.as_str() {
        return Ok(Err(already));
    }
    let (count, unfailed, next_seq): (i64, i64, i64) = conn
        .prepare_cached(
            "SELECT COUNT(*), COALESCE(SUM(status <> ?), 0), COALESCE(MAX(seq), -1) + 1
             FROM fapiaos WHERE owner_mchid = ? AND fapiao_apply_id = ?",
        )?
        .query_row(
            [
                FapiaoStatus::IssueFailed.as_str(),
                &app.owner_mchid,
                &app.fapiao_apply_id,
            ],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
    if unfailed > 0 || count == 0 {
        return Ok(Err(already));
    }
    let Some(fapiao) = app.fapiaos.first() else {
        return Ok(Err(already));
    };
    let taken: Option<i64> = conn
        .prepare_cached(
            "SELECT 1 FROM fapiaos WHERE owner_mchid = ? AND fapiao_apply_id = ? AND fapiao_id = ?",
        )?
        .query_row(
            [&app.owner_mchid, &app.fapiao_apply_id, &fapiao.fapiao_id],
            |r| r.get(0),
        )
        .optional()?;
    if taken.is_some() {
        return Ok(Err(ApplicationRefusal::FapiaoIdTaken(
            fapiao.fapiao_id.clone(),
        )));
    }
    if count >= MAX_DIGITAL_ATTEMPTS {
        return Ok(Err(ApplicationRefusal::RetriesExhausted));
    }
    // The retry's buyer replaces the stored one: it is what the new fapiao shows.
    conn.prepare_cached(
        "UPDATE fapiao_applications SET buyer_json = ?, request_hash = ?
         WHERE owner_mchid = ? AND fapiao_apply_id = ?",
    )?
    .execute(params![
        serde_json::to_string(&app.buyer).unwrap_or_default(),
        app.request_hash,
        app.owner_mchid,
        app.fapiao_apply_id,
    ])?;
    let step_due_now = insert_fapiao(conn, app, fapiao, next_seq)?;
    Ok(Ok(CreatedApplication { step_due_now }))
}

/// Stores one fapiao and schedules its ISSUE step; true when that step is
/// due already.
fn insert_fapiao(
    conn: &Connection,
    app: &NewApplication,
    fapiao: &NewFapiao,
    seq: i64,
) -> rusqlite::Result<bool> {
    let (amount, tax_amount, total_amount) = fapiao.face.totals();
    conn.prepare_cached(
        "INSERT INTO fapiaos (owner_mchid, fapiao_apply_id, fapiao_id, seq, status, card_status,
           total_amount, tax_amount, amount, fapiao_json, card_json, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        app.owner_mchid,
        app.fapiao_apply_id,
        fapiao.fapiao_id,
        seq,
        FapiaoStatus::IssueAccepted.as_str(),
        total_amount,
        tax_amount,
        amount,
        serde_json::to_string(&fapiao.face).unwrap_or_default(),
        fapiao
            .card
            .as_ref()
            .map(|c| serde_json::to_string(c).unwrap_or_default()),
        app.now,
        app.now,
    ])?;
    schedule_job_now(
        conn,
        app.kind,
        &NewJob {
            owner_mchid: &app.owner_mchid,
            fapiao_apply_id: &app.fapiao_apply_id,
            fapiao_id: &fapiao.fapiao_id,
            action: JobAction::Issue,
            now: app.now,
        },
    )
}
