//! [`FapiaoCardStore`] in PostgreSQL (`fapiao_media`, and the SELF_ISSUED rows
//! of `fapiao_applications` / `fapiaos` / `fapiao_jobs`).

mod discard;

use super::fapiao::jobs::{schedule_job, NewJob};
use super::PostgresStore;
use crate::domain::fapiao::face::ApplicationKind;
use crate::domain::fapiao::{CardStatus, FapiaoStatus, JobAction};
use crate::store::fapiao_cards::{
    FapiaoCardDiscard, FapiaoCardStore, InsertCardsOutcome, NewFapiaoMedia, SelfIssuedApplication,
};
use crate::store::StoreResult;
use async_trait::async_trait;
use sqlx::{PgConnection, Row};

fn to_json(value: &impl serde::Serialize) -> sqlx::Result<String> {
    serde_json::to_string(value).map_err(|e| sqlx::Error::Encode(e.into()))
}

#[async_trait]
impl FapiaoCardStore for PostgresStore {
    async fn put_fapiao_media(&self, media: &NewFapiaoMedia) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO fapiao_media (fapiao_media_id, owner_mchid, file_type, digest, bytes,
               expires_at, bound_to, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)",
        )
        .bind(&media.fapiao_media_id)
        .bind(&media.owner_mchid)
        .bind(&media.file_type)
        .bind(&media.digest)
        .bind(&media.bytes)
        .bind(media.expires_at)
        .bind(media.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn insert_self_issued(
        &self,
        application: &SelfIssuedApplication,
    ) -> StoreResult<InsertCardsOutcome> {
        // Two identical calls racing queue on the application's advisory
        // lock, so the second reads the first's row and answers as a replay.
        let mut tx = self.pool.begin().await?;
        super::fapiao::lock_application(
            &mut tx,
            &application.owner_mchid,
            &application.fapiao_apply_id,
        )
        .await?;
        let outcome = store_application(&mut tx, application).await?;
        if outcome == InsertCardsOutcome::Accepted {
            tx.commit().await?;
        }
        Ok(outcome)
    }

    async fn discard_fapiao_card(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: &str,
        fapiao_id: &str,
        now: i64,
    ) -> StoreResult<FapiaoCardDiscard> {
        let mut tx = self.pool.begin().await?;
        let outcome =
            discard::discard(&mut tx, owner_mchid, fapiao_apply_id, fapiao_id, now).await?;
        tx.commit().await?;
        Ok(outcome)
    }
}

/// The body of [`FapiaoCardStore::insert_self_issued`], inside `conn`'s
/// transaction; anything but `Accepted` leaves the transaction to roll back.
async fn store_application(
    conn: &mut PgConnection,
    app: &SelfIssuedApplication,
) -> sqlx::Result<InsertCardsOutcome> {
    let existing = sqlx::query(
        "SELECT kind, request_hash FROM fapiao_applications
         WHERE owner_mchid = $1 AND fapiao_apply_id = $2",
    )
    .bind(&app.owner_mchid)
    .bind(&app.fapiao_apply_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(row) = existing {
        let kind: String = row.try_get("kind")?;
        let hash: String = row.try_get("request_hash")?;
        return Ok(
            if kind == ApplicationKind::SelfIssued.as_str() && hash == app.request_hash {
                InsertCardsOutcome::Replayed
            } else {
                InsertCardsOutcome::AlreadyExists
            },
        );
    }
    for (index, fapiao) in app.fapiaos.iter().enumerate() {
        if let Some(issue) = media_issue(conn, &fapiao.fapiao_media_id, app).await? {
            return Ok(InsertCardsOutcome::MediaRejected { index, issue });
        }
    }
    sqlx::query(
        "INSERT INTO fapiao_applications (owner_mchid, fapiao_apply_id, caller_mchid, kind, scene,
           buyer_json, request_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&app.owner_mchid)
    .bind(&app.fapiao_apply_id)
    .bind(&app.caller_mchid)
    .bind(ApplicationKind::SelfIssued.as_str())
    .bind(&app.scene)
    .bind(to_json(&app.buyer)?)
    .bind(&app.request_hash)
    .bind(app.now)
    .execute(&mut *conn)
    .await?;
    for (seq, fapiao) in app.fapiaos.iter().enumerate() {
        sqlx::query(
            "INSERT INTO fapiaos (owner_mchid, fapiao_apply_id, fapiao_id, seq, status, card_status,
               total_amount, tax_amount, amount, fapiao_json, blue_json, card_json,
               fapiao_media_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(&app.owner_mchid)
        .bind(&app.fapiao_apply_id)
        .bind(&fapiao.fapiao_id)
        .bind(seq as i64)
        .bind(FapiaoStatus::Issued.as_str())
        .bind(CardStatus::InsertAccepted.as_str())
        .bind(fapiao.total_amount)
        .bind(fapiao.tax_amount)
        .bind(fapiao.amount)
        .bind(to_json(&fapiao.face)?)
        .bind(to_json(&fapiao.blue)?)
        .bind(to_json(&fapiao.card)?)
        .bind(&fapiao.fapiao_media_id)
        .bind(app.now)
        .bind(app.now)
        .execute(&mut *conn)
        .await?;
        sqlx::query("UPDATE fapiao_media SET bound_to = $1 WHERE fapiao_media_id = $2")
            .bind(&app.fapiao_apply_id)
            .bind(&fapiao.fapiao_media_id)
            .execute(&mut *conn)
            .await?;
        let job = NewJob {
            owner_mchid: &app.owner_mchid,
            fapiao_apply_id: &app.fapiao_apply_id,
            fapiao_id: &fapiao.fapiao_id,
            action: JobAction::InsertCard,
            now: app.now,
        };
        schedule_job(&mut *conn, &job).await?;
    }
    Ok(InsertCardsOutcome::Accepted)
}

/// Why a media id cannot be inserted by `app`'s owner, if it cannot. Another
/// merchant's file reads as unknown, so ids never leak across merchants.
async fn media_issue(
    conn: &mut PgConnection,
    fapiao_media_id: &str,
    app: &SelfIssuedApplication,
) -> sqlx::Result<Option<String>> {
    let row = sqlx::query(
        "SELECT expires_at, bound_to FROM fapiao_media
         WHERE fapiao_media_id = $1 AND owner_mchid = $2 FOR UPDATE",
    )
    .bind(fapiao_media_id)
    .bind(&app.owner_mchid)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(Some(format!(
            "{fapiao_media_id} is not a file uploaded by merchant {} (upload-fapiao-file)",
            app.owner_mchid
        )));
    };
    let expires_at: i64 = row.try_get("expires_at")?;
    let bound_to: Option<String> = row.try_get("bound_to")?;
    if expires_at <= app.now {
        return Ok(Some(format!(
            "{fapiao_media_id} expired at {}; upload the file again",
            kabao_protocol::apiv3::rfc3339_cst(expires_at)
        )));
    }
    if let Some(apply_id) = bound_to {
        return Ok(Some(format!(
            "{fapiao_media_id} was already inserted under fapiao_apply_id {apply_id}"
        )));
    }
    Ok(None)
}
