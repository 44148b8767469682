//! fapiao_invites: partner onboarding invitations.

use super::merchants::authorize_provider;
use crate::domain::fapiao::setup::{invite_failure, FapiaoInvite, InviteStatus};
use crate::store::fapiao_setup::{InviteAnswer, InviteQuery, NewInvite};
use crate::store::shared::fapiao_rows::{invite_from_row as from_row, INVITE_COLUMNS as COLUMNS};
use crate::store::{StoreError, StoreResult};
use sqlx::{PgConnection, PgPool};

async fn by_key(conn: &mut PgConnection, link_key: &str) -> StoreResult<Option<FapiaoInvite>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM fapiao_invites WHERE link_key = $1"
    ))
    .bind(link_key)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

pub(super) async fn create_invite(pool: &PgPool, invite: &NewInvite) -> StoreResult<FapiaoInvite> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO fapiao_invites (provider_mchid, invite_code, link_key, request_json, sub_mchid, status, created_at)
         VALUES ($1, $2, $3, $4, $5, 'PENDING', $6)",
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
    pool: &PgPool,
    link_key: &str,
) -> StoreResult<Option<FapiaoInvite>> {
    let mut conn = pool.acquire().await?;
    by_key(&mut conn, link_key).await
}

pub(super) async fn answer_invite(
    pool: &PgPool,
    link_key: &str,
    outcome: &InviteAnswer,
) -> StoreResult<Option<FapiaoInvite>> {
    let mut tx = pool.begin().await?;
    // Locks the invitation, so that of two answers only one finds it pending.
    sqlx::query("SELECT 1 FROM fapiao_invites WHERE link_key = $1 FOR UPDATE")
        .bind(link_key)
        .execute(&mut *tx)
        .await?;
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
        sqlx::query_scalar("SELECT parent_mchid FROM merchants WHERE mchid = $1")
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
        "UPDATE fapiao_invites SET status = $1, sub_mchid = $2, ep_name = $3, tax_id = $4,
           failed_code = $5, failed_reason = $6, operate_time = $7 WHERE link_key = $8",
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
    pool: &PgPool,
    query: &InviteQuery,
) -> StoreResult<(i64, Vec<FapiaoInvite>)> {
    const FILTER: &str = "provider_mchid = $1 AND status = $2 AND operate_time BETWEEN $3 AND $4
        AND ($5::TEXT IS NULL OR invite_code = $6)";
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
         ORDER BY operate_time, id LIMIT $7 OFFSET $8"
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
    Ok((total, rows.iter().map(from_row).collect::<Result<_, _>>()?))
}
