//! Attendance punches (`taxi_punches`) and who is signed in on a taxi: the
//! question every passenger payment asks before it becomes a trip order.

use crate::store::taxi_fleet::TaxiPunch;
use crate::store::StoreResult;
use sqlx::SqlitePool;

/// Records one punch.
pub(super) async fn add_punch(pool: &SqlitePool, punch: &TaxiPunch) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO taxi_punches (provider_mchid, region_id, plate_number, driver_license,
             event_type, event_time, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
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
    pool: &SqlitePool,
    provider_mchid: &str,
    region_id: i64,
    plate_number: &str,
    at_ms: i64,
) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "WITH latest AS (
             SELECT id, driver_license, event_time FROM taxi_punches
             WHERE provider_mchid = ?1 AND region_id = ?2 AND plate_number = ?3
               AND event_type = 'SIGN_IN' AND event_time <= ?4
             ORDER BY event_time DESC, id DESC LIMIT 1)
         SELECT l.driver_license FROM latest l
         WHERE NOT EXISTS (
             SELECT 1 FROM taxi_punches q
             WHERE q.provider_mchid = ?1 AND q.region_id = ?2
               AND q.driver_license = l.driver_license AND q.event_time <= ?4
               AND (q.event_time > l.event_time OR (q.event_time = l.event_time AND q.id > l.id))
               AND (q.event_type = 'SIGN_OUT' OR q.plate_number <> ?3))",
    )
    .bind(provider_mchid)
    .bind(region_id)
    .bind(plate_number)
    .bind(at_ms)
    .fetch_optional(pool)
    .await?)
}

#[cfg(test)]
mod tests {
    use crate::store::sqlite::SqliteStore;
    use crate::store::taxi_fleet::{TaxiFleetStore, TaxiPunch};

    const PROVIDER: &str = "1900000302";
    const REGION: i64 = 310100;

    async fn punch(store: &SqliteStore, plate: &str, driver: &str, event: &str, at_ms: i64) {
        store
            .add_punch(&TaxiPunch {
                provider_mchid: PROVIDER.into(),
                region_id: REGION,
                plate_number: plate.into(),
                driver_license: driver.into(),
                event_type: event.into(),
                event_time_ms: at_ms,
                recorded_at: 0,
            })
            .await
            .unwrap();
    }

    async fn on(store: &SqliteStore, plate: &str, at_ms: i64) -> Option<String> {
        store
            .signed_in_driver(PROVIDER, REGION, plate, at_ms)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_driver_is_signed_in_from_sign_in_until_sign_out_or_another_taxi() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("kabao.db").to_str().unwrap())
            .await
            .unwrap();
        assert_eq!(on(&store, "沪A1", 1_000).await, None);
        punch(&store, "沪A1", "A", "SIGN_IN", 1_000).await;
        assert_eq!(on(&store, "沪A1", 999).await, None);
        assert_eq!(on(&store, "沪A1", 1_000).await.as_deref(), Some("A"));
        punch(&store, "沪A1", "A", "SIGN_OUT", 2_000).await;
        assert_eq!(on(&store, "沪A1", 1_999).await.as_deref(), Some("A"));
        assert_eq!(on(&store, "沪A1", 2_000).await, None);

        punch(&store, "沪A1", "B", "SIGN_IN", 3_000).await;
        punch(&store, "沪A2", "A", "SIGN_IN", 3_500).await;
        assert_eq!(on(&store, "沪A1", 4_000).await.as_deref(), Some("B"));
        assert_eq!(on(&store, "沪A2", 4_000).await.as_deref(), Some("A"));
        // B moves to the other taxi: 沪A1 has nobody, 沪A2 has B.
        punch(&store, "沪A2", "B", "SIGN_IN", 4_500).await;
        assert_eq!(on(&store, "沪A1", 5_000).await, None);
        assert_eq!(on(&store, "沪A2", 5_000).await.as_deref(), Some("B"));
        assert_eq!(on(&store, "沪A1", 4_400).await.as_deref(), Some("B"));

        // A punch that arrives late counts at its own event_time.
        punch(&store, "沪A3", "C", "SIGN_IN", 10_000).await;
        punch(&store, "沪A3", "C", "SIGN_OUT", 9_000).await;
        assert_eq!(on(&store, "沪A3", 10_000).await.as_deref(), Some("C"));
        assert_eq!(on(&store, "沪A3", 9_500).await, None);

        // Another provider or region sees none of it.
        let other = store
            .signed_in_driver("1900000999", REGION, "沪A2", 5_000)
            .await
            .unwrap();
        let elsewhere = store
            .signed_in_driver(PROVIDER, 510100, "沪A2", 5_000)
            .await
            .unwrap();
        assert_eq!((other, elsewhere), (None, None));
    }
}
