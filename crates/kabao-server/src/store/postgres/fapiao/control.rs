//! The control API's levers: outcomes per merchant or application, and
//! releasing held steps.

use super::jobs::replan_application_jobs;
use crate::domain::fapiao::outcome::Outcome;
use crate::store::corrupt;
use sqlx::PgConnection;

/// Stores an outcome (`None`: the merchant's default) and plans the
/// application's waiting steps again.
pub(super) async fn set_outcome(
    conn: &mut PgConnection,
    owner_mchid: &str,
    fapiao_apply_id: Option<&str>,
    outcome: &Outcome,
    now: i64,
) -> sqlx::Result<u64> {
    sqlx::query(
        "INSERT INTO fapiao_outcomes (owner_mchid, fapiao_apply_id, outcome_json, updated_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (owner_mchid, fapiao_apply_id) DO UPDATE
         SET outcome_json = excluded.outcome_json, updated_at = excluded.updated_at",
    )
    .bind(owner_mchid)
    .bind(fapiao_apply_id.unwrap_or(""))
    .bind(serde_json::to_string(outcome).unwrap_or_default())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    match fapiao_apply_id {
        Some(id) => replan_application_jobs(conn, owner_mchid, id, now).await,
        None => Ok(0),
    }
}

/// The stored outcome of an application or (None) the merchant's default.
pub(super) async fn outcome(
    conn: &mut PgConnection,
    owner_mchid: &str,
    fapiao_apply_id: Option<&str>,
) -> sqlx::Result<Option<Outcome>> {
    let json: Option<String> = sqlx::query_scalar(
        "SELECT outcome_json FROM fapiao_outcomes WHERE owner_mchid = $1 AND fapiao_apply_id = $2",
    )
    .bind(owner_mchid)
    .bind(fapiao_apply_id.unwrap_or(""))
    .fetch_optional(conn)
    .await?;
    json.map(|j| serde_json::from_str(&j).map_err(|e| corrupt("outcome_json", e)))
        .transpose()
}

/// Makes the held steps of an application due now.
pub(super) async fn release(
    conn: &mut PgConnection,
    owner_mchid: &str,
    fapiao_apply_id: &str,
    now: i64,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE fapiao_jobs SET due_at = $1
         WHERE owner_mchid = $2 AND fapiao_apply_id = $3 AND due_at IS NULL",
    )
    .bind(now)
    .bind(owner_mchid)
    .bind(fapiao_apply_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
