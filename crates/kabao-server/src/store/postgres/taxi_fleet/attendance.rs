//! Attendance punches (`taxi_punches`) and who is signed in on a taxi: the
//! question every passenger payment asks before it becomes a trip order.

use crate::store::taxi_fleet::TaxiPunch;
use crate::store::StoreResult;
use sqlx::PgPool;

/// Records one punch.
pub(super) async fn add_punch(pool: &PgPool, punch: &TaxiPunch) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO taxi_punches (provider_mchid, region_id, plate_number, driver_license,
             event_type, event_time, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&punch.provider_mchid)
    .bind(punch.region_id)
    .bind(&punch.plate_number)
    .bind(&punch.driver_license)
    .bind(&punch.event_type)
    .bind(punch.event_time_ms)
    .bind(punch.recorded_at)
    .execute(pool)
    .await?;
    Ok(())
}

/// The driver of the latest SIGN_IN on the plate at or before `at_ms`,
/// unless a later punch of that driver, up to `at_ms`, ended it: a SIGN_OUT
/// (on any taxi) or a SIGN_IN on another taxi. Punches are ordered by their
/// event_time, then by arrival.
pub(super) async fn signed_in_driver(
    pool: &PgPool,
    provider_mchid: &str,
    region_id: i64,
    plate_number: &str,
    at_ms: i64,
) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "WITH latest AS (
             SELECT id, driver_license, event_time FROM taxi_punches
             WHERE provider_mchid = $1 AND region_id = $2 AND plate_number = $3
               AND event_type = 'SIGN_IN' AND event_time <= $4
             ORDER BY event_time DESC, id DESC LIMIT 1)
         SELECT l.driver_license FROM latest l
         WHERE NOT EXISTS (
             SELECT 1 FROM taxi_punches q
             WHERE q.provider_mchid = $1 AND q.region_id = $2
               AND q.driver_license = l.driver_license AND q.event_time <= $4
               AND (q.event_time > l.event_time OR (q.event_time = l.event_time AND q.id > l.id))
               AND (q.event_type = 'SIGN_OUT' OR q.plate_number <> $3))",
    )
    .bind(provider_mchid)
    .bind(region_id)
    .bind(plate_number)
    .bind(at_ms)
    .fetch_optional(pool)
    .await?)
}
