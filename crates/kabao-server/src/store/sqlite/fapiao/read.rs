//! Reading applications, their fapiao, pending steps and users' cards.

use crate::domain::fapiao::face::ApplicationKind;
use crate::domain::fapiao::JobAction;
use crate::store::fapiao::{FapiaoCard, PendingJob, StoredApplication};
pub(super) use crate::store::shared::fapiao_rows::{fapiao_from_row, json_column};
use sqlx::{Row, SqliteConnection};

/// The columns [`fapiao_from_row`] reads.
pub(super) const FAPIAO_COLUMNS: &str = "fapiao_id, status, card_status, total_amount, tax_amount,
    amount, fapiao_json, blue_json, red_json, card_json, error_code, error_message, reverse_reason,
    updated_at";

/// One application with its fapiao, inside the caller's transaction.
pub(super) async fn application(
    conn: &mut SqliteConnection,
    owner_mchid: &str,
    fapiao_apply_id: &str,
) -> sqlx::Result<Option<StoredApplication>> {
    let Some(row) = sqlx::query(
        "SELECT caller_mchid, kind, scene, buyer_json, created_at FROM fapiao_applications
         WHERE owner_mchid = ? AND fapiao_apply_id = ?",
    )
    .bind(owner_mchid)
    .bind(fapiao_apply_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let fapiaos = sqlx::query(&format!(
        "SELECT {FAPIAO_COLUMNS} FROM fapiaos WHERE owner_mchid = ? AND fapiao_apply_id = ? ORDER BY seq"
    ))
    .bind(owner_mchid)
    .bind(fapiao_apply_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(fapiao_from_row)
    .collect::<sqlx::Result<Vec<_>>>()?;
    Ok(Some(StoredApplication {
        owner_mchid: owner_mchid.to_owned(),
        caller_mchid: row.try_get("caller_mchid")?,
        fapiao_apply_id: fapiao_apply_id.to_owned(),
        kind: ApplicationKind::parse(row.try_get::<&str, _>("kind")?),
        scene: row.try_get("scene")?,
        buyer: json_column(&row, "buyer_json")?,
        created_at: row.try_get("created_at")?,
        fapiaos,
    }))
}

/// The steps of one application not run yet, in the order they will run.
pub(super) async fn pending_jobs(
    conn: &mut SqliteConnection,
    owner_mchid: &str,
    fapiao_apply_id: &str,
) -> sqlx::Result<Vec<PendingJob>> {
    let rows: Vec<(String, String, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT fapiao_id, action, due_at, fail_code FROM fapiao_jobs
         WHERE owner_mchid = ? AND fapiao_apply_id = ? ORDER BY due_at IS NULL, due_at, id",
    )
    .bind(owner_mchid)
    .bind(fapiao_apply_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(fapiao_id, action, due_at, fail_code)| {
            Some(PendingJob {
                fapiao_id,
                action: JobAction::parse(&action)?,
                due_at,
                fail_code,
            })
        })
        .collect())
}

/// The cards of one user, newest first.
pub(super) async fn cards_of(
    conn: &mut SqliteConnection,
    openid: &str,
) -> sqlx::Result<Vec<FapiaoCard>> {
    let rows = sqlx::query(
        "SELECT owner_mchid, fapiao_apply_id, fapiao_id, status, card_status, total_amount, card_json
         FROM fapiaos WHERE card_json IS NOT NULL AND json_extract(card_json, '$.card_openid') = ?
         ORDER BY updated_at DESC, created_at DESC",
    )
    .bind(openid)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(FapiaoCard {
                owner_mchid: row.try_get("owner_mchid")?,
                fapiao_apply_id: row.try_get("fapiao_apply_id")?,
                fapiao_id: row.try_get("fapiao_id")?,
                status: row.try_get("status")?,
                card_status: row.try_get("card_status")?,
                total_amount: row.try_get("total_amount")?,
                card: json_column(row, "card_json")?,
            })
        })
        .collect()
}
