//! [`FapiaoCardStore::discard_fapiao_card`] in PostgreSQL: the user deletes a
//! fapiao card; the card goes INSERTED → DISCARD_ACCEPTED and the same
//! DISCARD_CARD step a reversal schedules finishes it (DISCARDED,
//! FAPIAO.CARD_DISCARDED).
//!
//! [`FapiaoCardStore::discard_fapiao_card`]: crate::store::fapiao_cards::FapiaoCardStore::discard_fapiao_card

use crate::domain::fapiao::{CardStatus, JobAction};
use crate::store::fapiao_cards::FapiaoCardDiscard;
use crate::store::postgres::fapiao::jobs::{schedule_job, NewJob};
use sqlx::PgConnection;

/// The discard inside the caller's transaction (the fapiao row locked).
pub(super) async fn discard(
    conn: &mut PgConnection,
    owner_mchid: &str,
    fapiao_apply_id: &str,
    fapiao_id: &str,
    now: i64,
) -> sqlx::Result<FapiaoCardDiscard> {
    let found: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT card_status FROM fapiaos WHERE owner_mchid = $1 AND fapiao_apply_id = $2 AND fapiao_id = $3
         FOR UPDATE",
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
        "UPDATE fapiaos SET card_status = $1, updated_at = $2
         WHERE owner_mchid = $3 AND fapiao_apply_id = $4 AND fapiao_id = $5",
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
