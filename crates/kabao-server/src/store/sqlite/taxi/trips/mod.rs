//! [`TaxiTripStore`] in SQLite: `taxi_rides` (rides.rs), `taxi_media` and
//! `taxi_cards` (cards.rs).

mod cards;
mod rides;

use crate::store::sqlite::SqliteStore;
use crate::store::taxi_trips::{
    NewRide, NewTaxiCard, NewTaxiMedia, Ride, TaxiCard, TaxiCardOutcome, TaxiTripStore,
    TripOrderQuery,
};
use crate::store::StoreResult;
use async_trait::async_trait;

#[async_trait]
impl TaxiTripStore for SqliteStore {
    async fn add_ride(&self, ride: &NewRide) -> StoreResult<Ride> {
        rides::add_ride(&self.pool, ride).await
    }

    async fn rides(
        &self,
        provider_mchid: Option<&str>,
        openid: Option<&str>,
    ) -> StoreResult<Vec<Ride>> {
        rides::rides(&self.pool, provider_mchid, openid).await
    }

    async fn trip_orders(&self, query: &TripOrderQuery) -> StoreResult<(Vec<Ride>, i64)> {
        rides::trip_orders(&self.pool, query).await
    }

    async fn trip_by_token(&self, provider_mchid: &str, token: &str) -> StoreResult<Option<Ride>> {
        rides::ride_where(self, provider_mchid, "token", token)
    }

    async fn ride_by_transaction(
        &self,
        provider_mchid: &str,
        transaction_id: &str,
    ) -> StoreResult<Option<Ride>> {
        rides::ride_where(self, provider_mchid, "transaction_id", transaction_id)
    }

    async fn put_taxi_media(&self, media: &NewTaxiMedia) -> StoreResult<()> {
        cards::put_media(&self.pool, media).await
    }

    async fn renew_taxi_media(
        &self,
        provider_mchid: &str,
        fapiao_media_id: &str,
        expires_at: i64,
    ) -> StoreResult<bool> {
        cards::renew_media(&self.pool, provider_mchid, fapiao_media_id, expires_at).await
    }

    async fn insert_taxi_card(&self, card: &NewTaxiCard) -> StoreResult<TaxiCardOutcome> {
        let card = card.clone();
        self.writer
            .write(move |conn| cards::insert_card(conn, &card))
            .await
    }

    async fn taxi_cards(
        &self,
        openid: Option<&str>,
        appid: Option<&str>,
    ) -> StoreResult<Vec<TaxiCard>> {
        cards::cards(&self.pool, openid, appid).await
    }

    async fn taxi_media_file(&self, fapiao_media_id: &str) -> StoreResult<Option<Vec<u8>>> {
        Ok(
            sqlx::query_scalar("SELECT bytes FROM taxi_media WHERE fapiao_media_id = ?")
                .bind(fapiao_media_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn discard_taxi_card(&self, card_code: &str, now: i64) -> StoreResult<Option<TaxiCard>> {
        cards::discard(&self.pool, card_code, now).await
    }
}
