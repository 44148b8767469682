//! `taxi_media` and `taxi_cards`: uploaded taxi fapiao files and the cards
//! made from them, at most one per trip.

use crate::domain::taxi::card_package::{CARD_DISCARDED, CARD_INSERTED};
use crate::store::shared::taxi_rows::{card_from_row, CARD_SELECT};
use crate::store::taxi_trips::{NewTaxiCard, NewTaxiMedia, TaxiCard, TaxiCardOutcome};
use crate::store::StoreResult;
use sqlx::{PgConnection, PgPool, Row};

/// Keeps an uploaded file, unbound.
pub(super) async fn put_media(pool: &PgPool, media: &NewTaxiMedia) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO taxi_media (fapiao_media_id, provider_mchid, company_mchid, region_id, digest,
           bytes, expires_at, bound_to, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8)",
    )
    .bind(&media.fapiao_media_id)
    .bind(&media.provider_mchid)
    .bind(&media.company_mchid)
    .bind(media.region_id)
    .bind(&media.digest)
    .bind(&media.bytes)
    .bind(media.expires_at)
    .bind(media.created_at)
    .execute(pool)
    .await?;
    Ok(())
}

/// Sets an unbound file's `expires_at`; whether one was there.
pub(super) async fn renew_media(
    pool: &PgPool,
    provider_mchid: &str,
    fapiao_media_id: &str,
    expires_at: i64,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE taxi_media SET expires_at = $1
         WHERE fapiao_media_id = $2 AND provider_mchid = $3 AND bound_to IS NULL",
    )
    .bind(expires_at)
    .bind(fapiao_media_id)
    .bind(provider_mchid)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The body of `insert_taxi_card` inside `conn`'s transaction; anything
/// but `Inserted` leaves the transaction to roll back.
pub(super) async fn insert_card(
    conn: &mut PgConnection,
    card: &NewTaxiCard,
) -> StoreResult<TaxiCardOutcome> {
    let existing = sqlx::query(&format!("{CARD_SELECT} WHERE c.ride_id = $1"))
        .bind(card.ride_id)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(row) = existing {
        let hash: String = row.try_get("request_hash")?;
        let stored = card_from_row(&row)?;
        return Ok(if hash == card.request_hash {
            TaxiCardOutcome::Replayed(stored)
        } else {
            TaxiCardOutcome::TripAlreadyCarded(stored)
        });
    }
    if let Some(issue) = media_issue(conn, card).await? {
        return Ok(TaxiCardOutcome::MediaRejected { issue });
    }
    let fapiao = serde_json::to_string(&card.fapiao).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO taxi_cards (ride_id, provider_mchid, company_mchid, appid, openid, card_id,
           card_code, fapiao_media_id, fapiao_json, request_hash, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         RETURNING id",
    )
    .bind(card.ride_id)
    .bind(&card.provider_mchid)
    .bind(&card.company_mchid)
    .bind(&card.appid)
    .bind(&card.openid)
    .bind(&card.card_id)
    .bind(&card.card_code)
    .bind(&card.fapiao_media_id)
    .bind(fapiao)
    .bind(&card.request_hash)
    .bind(CARD_INSERTED)
    .bind(card.now)
    .bind(card.now)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("UPDATE taxi_media SET bound_to = $1 WHERE fapiao_media_id = $2")
        .bind(id)
        .bind(&card.fapiao_media_id)
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query(&format!("{CARD_SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(TaxiCardOutcome::Inserted(card_from_row(&row)?))
}

/// Why `card`'s media cannot be used, if it cannot. Another provider's
/// file reads as unknown, so ids never leak across providers.
async fn media_issue(conn: &mut PgConnection, card: &NewTaxiCard) -> sqlx::Result<Option<String>> {
    let id = &card.fapiao_media_id;
    let row = sqlx::query(
        "SELECT company_mchid, expires_at, bound_to FROM taxi_media
         WHERE fapiao_media_id = $1 AND provider_mchid = $2 FOR UPDATE",
    )
    .bind(id)
    .bind(&card.provider_mchid)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(Some(format!(
            "{id} is not a taxi fapiao file uploaded by service provider {} (cards/upload-file)",
            card.provider_mchid
        )));
    };
    let company: String = row.try_get("company_mchid")?;
    let expires_at: i64 = row.try_get("expires_at")?;
    let bound_to: Option<i64> = row.try_get("bound_to")?;
    if company != card.company_mchid {
        return Ok(Some(format!(
            "{id} was uploaded for company {company}, not for company_mchid {}",
            card.company_mchid
        )));
    }
    if expires_at <= card.now {
        return Ok(Some(format!(
            "{id} expired at {} (a file is usable for 3 days); upload the file again",
            kabao_protocol::apiv3::rfc3339_cst(expires_at)
        )));
    }
    if bound_to.is_some() {
        return Ok(Some(format!(
            "{id} is already the file of another card; upload this fapiao's own file"
        )));
    }
    Ok(None)
}

/// Cards of a user (and AppID), or all, newest first.
pub(super) async fn cards(
    pool: &PgPool,
    openid: Option<&str>,
    appid: Option<&str>,
) -> StoreResult<Vec<TaxiCard>> {
    let rows = sqlx::query(&format!(
        "{CARD_SELECT} WHERE ($1::TEXT IS NULL OR c.openid = $1) AND ($2::TEXT IS NULL OR c.appid = $2)
         ORDER BY c.id DESC"
    ))
    .bind(openid)
    .bind(appid)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(card_from_row).collect::<Result<_, _>>()?)
}

/// Marks the card with `card_code` DISCARDED (once) and reads it back.
pub(super) async fn discard(
    pool: &PgPool,
    card_code: &str,
    now: i64,
) -> StoreResult<Option<TaxiCard>> {
    sqlx::query(
        "UPDATE taxi_cards SET status = $1, updated_at = $2 WHERE card_code = $3 AND status != $4",
    )
    .bind(CARD_DISCARDED)
    .bind(now)
    .bind(card_code)
    .bind(CARD_DISCARDED)
    .execute(pool)
    .await?;
    let row = sqlx::query(&format!("{CARD_SELECT} WHERE c.card_code = $1"))
        .bind(card_code)
        .fetch_optional(pool)
        .await?;
    Ok(row.as_ref().map(card_from_row).transpose()?)
}
