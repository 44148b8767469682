//! `taxi_rides`: passengers' payments in taxis; those with a driver and a
//! token are trip orders.

pub(super) use crate::store::shared::taxi_rows::{
    ride_from_row as from_row, RIDE_COLUMNS as COLUMNS,
};
use crate::store::sqlite::SqliteStore;
use crate::store::taxi_trips::{NewRide, Ride, TripOrderQuery};
use crate::store::StoreResult;
use sqlx::query::Query;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Row, Sqlite, SqlitePool};

/// Inserts a ride; returns it with its id.
pub(super) async fn add_ride(pool: &SqlitePool, ride: &NewRide) -> StoreResult<Ride> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO taxi_rides (provider_mchid, company_mchid, region_id, plate_number,
           driver_license, appid, openid, transaction_id, pay_amount, pay_time, up_time, token,
           created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING id",
    )
    .bind(&ride.provider_mchid)
    .bind(&ride.company_mchid)
    .bind(ride.region_id)
    .bind(&ride.plate_number)
    .bind(&ride.driver_license)
    .bind(&ride.appid)
    .bind(&ride.openid)
    .bind(&ride.transaction_id)
    .bind(ride.pay_amount)
    .bind(ride.pay_time)
    .bind(ride.up_time)
    .bind(&ride.token)
    .bind(ride.created_at)
    .fetch_one(pool)
    .await?;
    Ok(Ride {
        ride_id: id,
        provider_mchid: ride.provider_mchid.clone(),
        company_mchid: ride.company_mchid.clone(),
        region_id: ride.region_id,
        plate_number: ride.plate_number.clone(),
        driver_license: ride.driver_license.clone(),
        appid: ride.appid.clone(),
        openid: ride.openid.clone(),
        transaction_id: ride.transaction_id.clone(),
        pay_amount: ride.pay_amount,
        pay_time: ride.pay_time,
        up_time: ride.up_time,
        token: ride.token.clone(),
        created_at: ride.created_at,
    })
}

/// Rides of a provider and/or a passenger, newest payment first.
pub(super) async fn rides(
    pool: &SqlitePool,
    provider_mchid: Option<&str>,
    openid: Option<&str>,
) -> StoreResult<Vec<Ride>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM taxi_rides
         WHERE (?1 IS NULL OR provider_mchid = ?1) AND (?2 IS NULL OR openid = ?2)
         ORDER BY pay_time DESC, id DESC"
    ))
    .bind(provider_mchid)
    .bind(openid)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// The filter of [`trip_orders`], shared by its count and its page.
const TRIP_ORDERS_OF: &str = "FROM taxi_rides
    WHERE provider_mchid = ? AND appid = ? AND openid = ? AND region_id = ?
      AND up_time >= ? AND up_time < ? AND driver_license IS NOT NULL AND token IS NOT NULL";

/// One page of a passenger's trip orders, newest up_time first, and the total.
pub(super) async fn trip_orders(
    pool: &SqlitePool,
    q: &TripOrderQuery,
) -> StoreResult<(Vec<Ride>, i64)> {
    let count = format!("SELECT COUNT(*) {TRIP_ORDERS_OF}");
    let total: i64 = bind_filter(sqlx::query(&count), q)
        .fetch_one(pool)
        .await?
        .try_get(0)?;
    let page = format!(
        "SELECT {COLUMNS} {TRIP_ORDERS_OF} ORDER BY up_time DESC, id DESC LIMIT ? OFFSET ?"
    );
    let rows = bind_filter(sqlx::query(&page), q)
        .bind(q.limit)
        .bind(q.offset)
        .fetch_all(pool)
        .await?;
    Ok((rows.iter().map(from_row).collect::<Result<_, _>>()?, total))
}

/// `query` with the parameters of [`TRIP_ORDERS_OF`] bound from `q`.
fn bind_filter<'q>(
    query: Query<'q, Sqlite, SqliteArguments<'q>>,
    q: &'q TripOrderQuery,
) -> Query<'q, Sqlite, SqliteArguments<'q>> {
    query
        .bind(&q.provider_mchid)
        .bind(&q.appid)
        .bind(&q.openid)
        .bind(q.region_id)
        .bind(q.from)
        .bind(q.until)
}

/// A provider's ride whose `column` (`token` or `transaction_id`, both
/// unique) is `value`: a point read.
pub(super) fn ride_where(
    store: &SqliteStore,
    provider_mchid: &str,
    column: &'static str,
    value: &str,
) -> StoreResult<Option<Ride>> {
    store.point_row(
        &format!("SELECT {COLUMNS} FROM taxi_rides WHERE {column} = ? AND provider_mchid = ?"),
        [value, provider_mchid],
        |row| from_row(row),
    )
}
