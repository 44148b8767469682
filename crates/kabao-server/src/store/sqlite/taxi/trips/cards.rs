//! `taxi_media` and `taxi_cards`: uploaded taxi fapiao files and the cards
//! made from them, at most one per trip.

use crate::domain::taxi::card_package::{CARD_DISCARDED, CARD_INSERTED};
use crate::store::shared::into_rusqlite;
use crate::store::shared::taxi_rows::{card_from_row, CARD_SELECT};
use crate::store::taxi_trips::{NewTaxiCard, NewTaxiMedia, TaxiCard, TaxiCardOutcome};
use crate::store::StoreResult;
use rusqlite::OptionalExtension;
use sqlx::SqlitePool;

/// Keeps an uploaded file, unbound.
pub(super) async fn put_media(pool: &SqlitePool, media: &NewTaxiMedia) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO taxi_media (fapiao_media_id, provider_mchid, company_mchid, region_id, digest,
           bytes, expires_at, bound_to, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)",
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
    pool: &SqlitePool,
    provider_mchid: &str,
    fapiao_media_id: &str,
    expires_at: i64,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE taxi_media SET expires_at = ?
         WHERE fapiao_media_id = ? AND provider_mchid = ? AND bound_to IS NULL",
    )
    .bind(expires_at)
    .bind(fapiao_media_id)
    .bind(provider_mchid)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The body of `insert_taxi_card`, on the writer's connection inside its
/// batch: one trip's two inserts are serialised by the writer, so the
/// second sees the first's card. Anything but `Inserted` writes nothing.
pub(super) fn insert_card(
    conn: &rusqlite::Connection,
    card: &NewTaxiCard,
) -> rusqlite::Result<TaxiCardOutcome> {
    let existing = conn
        .prepare_cached(&format!("{CARD_SELECT} WHERE c.ride_id = ?"))?
        .query_row([card.ride_id], |row| {
            let hash: String = row.get("request_hash")?;
            Ok((hash, card_from_row(row).map_err(into_rusqlite)?))
        })
        .optional()?;
    if let Some((hash, stored)) = existing {
        return Ok(if hash == card.request_hash {
            TaxiCardOutcome::Replayed(stored)
        } else {
            TaxiCardOutcome::TripAlreadyCarded(stored)
        });
    }
    if let Some(issue) = media_issue(conn, card)? {
        return Ok(TaxiCardOutcome::MediaRejected { issue });
    }
    let fapiao = serde_json::to_string(&card.fapiao)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    let id: i64 = conn
        .prepare_cached(
            "INSERT INTO taxi_cards (ride_id, provider_mchid, company_mchid, appid, openid, card_id,
               card_code, fapiao_media_id, fapiao_json, request_hash, status, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             RETURNING id",
        )?
        .query_row(
            rusqlite::params![
                card.ride_id,
                card.provider_mchid,
                card.company_mchid,
                card.appid,
                card.openid,
                card.card_id,
                card.card_code,
                card.fapiao_media_id,
                fapiao,
                card.request_hash,
                CARD_INSERTED,
                card.now,
                card.now,
            ],
            |r| r.get(0),
        )?;
    conn.prepare_cached("UPDATE taxi_media SET bound_to = ? WHERE fapiao_media_id = ?")?
        .execute(rusqlite::params![id, card.fapiao_media_id])?;
    let stored = conn
        .prepare_cached(&format!("{CARD_SELECT} WHERE c.id = ?"))?
        .query_row([id], |row| card_from_row(row).map_err(into_rusqlite))?;
    Ok(TaxiCardOutcome::Inserted(stored))
}

/// Why `card`'s media cannot be used, if it cannot. Another provider's
/// file reads as unknown, so ids never leak across providers.
fn media_issue(
    conn: &rusqlite::Connection,
    card: &NewTaxiCard,
) -> rusqlite::Result<Option<String>> {
    let id = &card.fapiao_media_id;
    let row: Option<(String, i64, Option<i64>)> = conn
        .prepare_cached(
            "SELECT company_mchid, expires_at, bound_to FROM taxi_media
             WHERE fapiao_media_id = ? AND provider_mchid = ?",
        )?
        .query_row([id, &card.provider_mchid], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((company, expires_at, bound_to)) = row else {
        return Ok(Some(format!(
            "{id} is not a taxi fapiao file uploaded by service provider {} (cards/upload-file)",
            card.provider_mchid
        )));
    };
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
    pool: &SqlitePool,
    openid: Option<&str>,
    appid: Option<&str>,
) -> StoreResult<Vec<TaxiCard>> {
    let rows = sqlx::query(&format!(
        "{CARD_SELECT} WHERE (?1 IS NULL OR c.openid = ?1) AND (?2 IS NULL OR c.appid = ?2)
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
    pool: &SqlitePool,
    card_code: &str,
    now: i64,
) -> StoreResult<Option<TaxiCard>> {
    sqlx::query(
        "UPDATE taxi_cards SET status = ?, updated_at = ? WHERE card_code = ? AND status != ?",
    )
    .bind(CARD_DISCARDED)
    .bind(now)
    .bind(card_code)
    .bind(CARD_DISCARDED)
    .execute(pool)
    .await?;
    let row = sqlx::query(&format!("{CARD_SELECT} WHERE c.card_code = ?"))
        .bind(card_code)
        .fetch_optional(pool)
        .await?;
    Ok(row.as_ref().map(card_from_row).transpose()?)
}
