//! Storing a new application (or a 数电 retry) and scheduling its ISSUE steps.

use super::jobs::{schedule_job, NewJob};
use crate::domain::fapiao::{FapiaoStatus, JobAction};
use crate::store::fapiao::{ApplicationRefusal, CreatedApplication, NewApplication, NewFapiao};
use sqlx::PgConnection;

/// How many fapiao a 数电 application may hold: the first and 4 retries.
const MAX_DIGITAL_ATTEMPTS: i64 = 5;

/// Stores `app` inside the caller's transaction.
pub(super) async fn create(
    conn: &mut PgConnection,
    app: &NewApplication,
) -> sqlx::Result<Result<CreatedApplication, ApplicationRefusal>> {
    let existing: Option<(String, String)> = sqlx::query_as(
        "SELECT kind, request_hash FROM fapiao_applications WHERE owner_mchid = $1 AND fapiao_apply_id = $2",
    )
    .bind(&app.owner_mchid)
    .bind(&app.fapiao_apply_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((kind, hash)) = existing {
        return retry(conn, app, &kind, &hash).await;
    }
    sqlx::query(
        "INSERT INTO fapiao_applications (owner_mchid, fapiao_apply_id, caller_mchid, kind, scene,
           buyer_json, request_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&app.owner_mchid)
    .bind(&app.fapiao_apply_id)
    .bind(&app.caller_mchid)
    .bind(app.kind.as_str())
    .bind(app.scene.as_str())
    .bind(serde_json::to_string(&app.buyer).unwrap_or_default())
    .bind(&app.request_hash)
    .bind(app.now)
    .execute(&mut *conn)
    .await?;
    let mut step_due_now = false;
    for (seq, fapiao) in app.fapiaos.iter().enumerate() {
        step_due_now |= insert_fapiao(conn, app, fapiao, seq as i64).await?;
    }
    Ok(Ok(CreatedApplication { step_due_now }))
}

/// A second call with the same id: a 数电 application whose fapiao all
/// failed takes the new fapiao (at most 4 retries); anything else already exists.
async fn retry(
    conn: &mut PgConnection,
    app: &NewApplication,
    stored_kind: &str,
    stored_hash: &str,
) -> sqlx::Result<Result<CreatedApplication, ApplicationRefusal>> {
    let already = ApplicationRefusal::AlreadyExists {
        identical: stored_hash == app.request_hash,
    };
    if !app.kind.is_digital() || stored_kind != app.kind.as_str() {
        return Ok(Err(already));
    }
    let (count, unfailed, next_seq): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status <> $1 THEN 1 ELSE 0 END), 0)::BIGINT, COALESCE(MAX(seq), -1) + 1
         FROM fapiaos WHERE owner_mchid = $2 AND fapiao_apply_id = $3",
    )
    .bind(FapiaoStatus::IssueFailed.as_str())
    .bind(&app.owner_mchid)
    .bind(&app.fapiao_apply_id)
    .fetch_one(&mut *conn)
    .await?;
    if unfailed > 0 || count == 0 {
        return Ok(Err(already));
    }
    let Some(fapiao) = app.fapiaos.first() else {
        return Ok(Err(already));
    };
    let taken: Option<i64> = sqlx::query_scalar(
        "SELECT 1::BIGINT FROM fapiaos WHERE owner_mchid = $1 AND fapiao_apply_id = $2 AND fapiao_id = $3",
    )
    .bind(&app.owner_mchid)
    .bind(&app.fapiao_apply_id)
    .bind(&fapiao.fapiao_id)
    .fetch_optional(&mut *conn)
    .await?;
    if taken.is_some() {
        return Ok(Err(ApplicationRefusal::FapiaoIdTaken(
            fapiao.fapiao_id.clone(),
        )));
    }
    if count >= MAX_DIGITAL_ATTEMPTS {
        return Ok(Err(ApplicationRefusal::RetriesExhausted));
    }
    // The retry's buyer replaces the stored one: it is what the new fapiao shows.
    sqlx::query(
        "UPDATE fapiao_applications SET buyer_json = $1, request_hash = $2
         WHERE owner_mchid = $3 AND fapiao_apply_id = $4",
    )
    .bind(serde_json::to_string(&app.buyer).unwrap_or_default())
    .bind(&app.request_hash)
    .bind(&app.owner_mchid)
    .bind(&app.fapiao_apply_id)
    .execute(&mut *conn)
    .await?;
    let step_due_now = insert_fapiao(conn, app, fapiao, next_seq).await?;
    Ok(Ok(CreatedApplication { step_due_now }))
}

/// Stores one fapiao and schedules its ISSUE step; true when that step is
/// due already.
async fn insert_fapiao(
    conn: &mut PgConnection,
    app: &NewApplication,
    fapiao: &NewFapiao,
    seq: i64,
) -> sqlx::Result<bool> {
    let (amount, tax_amount, total_amount) = fapiao.face.totals();
    sqlx::query(
        "INSERT INTO fapiaos (owner_mchid, fapiao_apply_id, fapiao_id, seq, status, card_status,
           total_amount, tax_amount, amount, fapiao_json, card_json, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&app.owner_mchid)
    .bind(&app.fapiao_apply_id)
    .bind(&fapiao.fapiao_id)
    .bind(seq)
    .bind(FapiaoStatus::IssueAccepted.as_str())
    .bind(total_amount)
    .bind(tax_amount)
    .bind(amount)
    .bind(serde_json::to_string(&fapiao.face).unwrap_or_default())
    .bind(
        fapiao
            .card
            .as_ref()
            .map(|c| serde_json::to_string(c).unwrap_or_default()),
    )
    .bind(app.now)
    .bind(app.now)
    .execute(&mut *conn)
    .await?;
    schedule_job(
        conn,
        &NewJob {
            owner_mchid: &app.owner_mchid,
            fapiao_apply_id: &app.fapiao_apply_id,
            fapiao_id: &fapiao.fapiao_id,
            action: JobAction::Issue,
            now: app.now,
        },
    )
    .await
}
