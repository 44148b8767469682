//! fapiao_invites: partner onboarding invitations.

use super::merchants::authorize_provider;
use crate::domain::fapiao::setup::{invite_failure, FapiaoInvite, InviteStatus};
use crate::store::fapiao_setup::{InviteAnswer, InviteQuery, NewInvite};
use crate::store::shared::fapiao_rows::invite_from_row;
use crate::store::{StoreError, StoreResult};
use sqlx::{SqliteConnection, SqlitePool};

const COLUMNS: &str = "id, provider_mchid, invite_code, link_key, request_json, sub_mchid, status,
    ep_name, tax_id, failed_code, failed_reason, created_at, operate_time";

async fn by_key(conn: &mut SqliteConnection, link_key: &str) -> StoreResult<Option<FapiaoInvite>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM fapiao_invites WHERE link_key = ?"
    ))
    .bind(link_key)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(invite_from_row).transpose()?)
}

pub(super) async fn create_invite(
    pool: &SqlitePool,
    invite: &NewInvite,
) -> StoreResult<FapiaoInvite> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query(
        "INSERT INTO fapiao_invites (provider_mchid, invite_code, link_key, request_json, sub_mchid, status, created_at)
         VALUES (?, ?, ?, ?, ?, 'PENDING', ?)",
    )
    .bind(&invite.provider_mchid)
    .bind(&invite.invite_code)
    .bind(&invite.link_key)
    .bind(invite.request.to_string())
    .bind(&invite.sub_mchid)
    .bind(invite.created_at)
    .execute(&mut *tx)
    .await?;
    let stored = by_key(&mut tx, &invite.link_key)
        .await?
        .ok_or_else(|| StoreError::Backend("invitation vanished after insert".to_owned()))?;
    tx.commit().await?;
    Ok(stored)
}

pub(super) async fn invite_by_key(
    pool: &SqlitePool,
    link_key: &str,
) -> StoreResult<Option<FapiaoInvite>> {
    let mut conn = pool.acquire().await?;
    by_key(&mut conn, link_key).await
}

pub(super) async fn answer_invite(
    pool: &SqlitePool,
    link_key: &str,
    outcome: &InviteAnswer,
) -> StoreResult<Option<FapiaoInvite>> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let Some(invite) = by_key(&mut tx, link_key).await? else {
        return Ok(None);
    };
    if invite.status != InviteStatus::Pending {
        return Err(StoreError::Conflict(format!(
            "invitation {} was already answered ({})",
            invite.invite_code,
            invite.status.as_str()
        )));
    }
    let parent: Option<Option<String>> =
        sqlx::query_scalar("SELECT parent_mchid FROM merchants WHERE mchid = ?")
            .bind(&outcome.sub_mchid)
            .fetch_optional(&mut *tx)
            .await?;
    let failure = outcome.forced_failure.clone().or_else(|| {
        invite_failure(
            &invite.provider_mchid,
            parent.flatten().as_deref(),
            &outcome.tax_id,
        )
    });
    let (status, code, reason) = match &failure {
        None => (InviteStatus::MchInviteSucc, None, None),
        Some((code, reason)) => (InviteStatus::MchInviteFailed, Some(code), Some(reason)),
    };
    sqlx::query(
        "UPDATE fapiao_invites SET status = ?, sub_mchid = ?, ep_name = ?, tax_id = ?,
           failed_code = ?, failed_reason = ?, operate_time = ? WHERE link_key = ?",
    )
    .bind(status.as_str())
    .bind(&outcome.sub_mchid)
    .bind(&outcome.ep_name)
    .bind(&outcome.tax_id)
    .bind(code)
    .bind(reason)
    .bind(outcome.operate_time)
    .bind(link_key)
    .execute(&mut *tx)
    .await?;
    if status == InviteStatus::MchInviteSucc {
        authorize_provider(&mut tx, &outcome.sub_mchid, outcome.operate_time).await?;
    }
    let updated = by_key(&mut tx, link_key).await?;
    tx.commit().await?;
    Ok(updated)
}

pub(super) async fn invites_page(
    pool: &SqlitePool,
    query: &InviteQuery,
) -> StoreResult<(i64, Vec<FapiaoInvite>)> {
    const FILTER: &str = "provider_mchid = ? AND status = ? AND operate_time BETWEEN ? AND ?
        AND (? IS NULL OR invite_code = ?)";
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM fapiao_invites WHERE {FILTER}"
    ))
    .bind(&query.provider_mchid)
    .bind(query.status.as_str())
    .bind(query.start)
    .bind(query.end)
    .bind(&query.invite_code)
    .bind(&query.invite_code)
    .fetch_one(pool)
    .await?;
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM fapiao_invites WHERE {FILTER}
         ORDER BY operate_time, id LIMIT ? OFFSET ?"
    ))
    .bind(&query.provider_mchid)
    .bind(query.status.as_str())
    .bind(query.start)
    .bind(query.end)
    .bind(&query.invite_code)
    .bind(&query.invite_code)
    .bind(query.limit)
    .bind(query.offset)
    .fetch_all(pool)
    .await?;
    Ok((
        total,
        rows.iter().map(invite_from_row).collect::<Result<_, _>>()?,
    ))
}
