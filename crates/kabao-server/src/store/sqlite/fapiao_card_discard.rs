//! [`FapiaoCardStore::discard_fapiao_card`] in SQLite: the user deletes a
//! fapiao card; the card goes INSERTED → DISCARD_ACCEPTED and the same
//! DISCARD_CARD step a reversal schedules finishes it (DISCARDED,
//! FAPIAO.CARD_DISCARDED).
//!
//! [`FapiaoCardStore::discard_fapiao_card`]: crate::store::fapiao_cards::FapiaoCardStore::discard_fapiao_card

use super::fapiao_jobs::{schedule_job, NewJob};
use crate::domain::fapiao::{CardStatus, JobAction};
use crate::store::fapiao_cards::FapiaoCardDiscard;
use sqlx::SqliteConnection;

/// The discard inside the caller's (immediate) transaction.
pub(super) async fn discard(
    conn: &mut SqliteConnection,
    owner_mchid: &str,
    fapiao_apply_id: &str,
    fapiao_id: &str,
    now: i64,
) -> sqlx::Result<FapiaoCardDiscard> {
    let found: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT card_status FROM fapiaos WHERE owner_mchid = ? AND fapiao_apply_id = ? AND fapiao_id = ?",
    )
    .bind(owner_mchid)
    .bind(fapiao_apply_id)
    .bind(fapiao_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((card_status,)) = found else {
        return Ok(FapiaoCardDiscard::Unknown);
    };
    match card_status.as_deref().and_then(CardStatus::parse) {
        Some(CardStatus::Inserted) => {}
        Some(CardStatus::DiscardAccepted | CardStatus::Discarded) => {
            return Ok(FapiaoCardDiscard::AlreadyDiscarded)
        }
        _ => return Ok(FapiaoCardDiscard::NotInPackage(card_status)),
    }
    sqlx::query(
        "UPDATE fapiaos SET card_status = ?, updated_at = ?
         WHERE owner_mchid = ? AND fapiao_apply_id = ? AND fapiao_id = ?",
    )
    .bind(CardStatus::DiscardAccepted.as_str())
    .bind(now)
    .bind(owner_mchid)
    .bind(fapiao_apply_id)
    .bind(fapiao_id)
    .execute(&mut *conn)
    .await?;
    schedule_job(
        conn,
        &NewJob {
            owner_mchid,
            fapiao_apply_id,
            fapiao_id,
            action: JobAction::DiscardCard,
            now,
        },
    )
    .await?;
    Ok(FapiaoCardDiscard::Accepted)
}
