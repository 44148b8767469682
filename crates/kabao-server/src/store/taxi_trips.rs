//! Passengers' taxi rides and trip orders, uploaded taxi fapiao files and
//! the taxi fapiao cards in users' card packages (T8–T11). Every row
//! carries the service provider it belongs to; no call reads across
//! providers.

use crate::store::StoreResult;
use async_trait::async_trait;
use serde::Serialize;

/// A face-to-face payment in a taxi to record; a trip order when
/// `driver_license` and `token` are set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRide {
    /// The service provider whose taxi it was.
    pub provider_mchid: String,
    /// The taxi's company at the time of the ride.
    pub company_mchid: String,
    /// The taxi's region.
    pub region_id: i64,
    /// The taxi.
    pub plate_number: String,
    /// The driver signed in on the taxi at pay time, if any.
    pub driver_license: Option<String>,
    /// The passenger's AppID.
    pub appid: String,
    /// The passenger.
    pub openid: String,
    /// The payment's WeChat Pay transaction_id.
    pub transaction_id: String,
    /// Fen.
    pub pay_amount: i64,
    /// Unix seconds.
    pub pay_time: i64,
    /// When the passenger got in, Unix seconds.
    pub up_time: i64,
    /// The trip order's token (set with `driver_license`).
    pub token: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
}

/// A stored ride.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ride {
    /// kabao's id of the ride.
    pub ride_id: i64,
    /// The service provider.
    pub provider_mchid: String,
    /// The taxi's company at the time of the ride.
    pub company_mchid: String,
    /// The region.
    pub region_id: i64,
    /// The taxi.
    pub plate_number: String,
    /// The signed-in driver; `None` when the ride is not a trip order.
    pub driver_license: Option<String>,
    /// The passenger's AppID.
    pub appid: String,
    /// The passenger.
    pub openid: String,
    /// The payment's transaction_id (the older T11 shape's trade_number).
    pub transaction_id: String,
    /// Fen.
    pub pay_amount: i64,
    /// Unix seconds.
    pub pay_time: i64,
    /// Unix seconds.
    pub up_time: i64,
    /// The trip order's token.
    pub token: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
}

/// Which trip orders user-taxi-orders (T8) lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TripOrderQuery {
    /// The calling provider.
    pub provider_mchid: String,
    /// The passenger's AppID.
    pub appid: String,
    /// The passenger.
    pub openid: String,
    /// The region.
    pub region_id: i64,
    /// First up_time included, Unix seconds.
    pub from: i64,
    /// First up_time excluded, Unix seconds.
    pub until: i64,
    /// Rows skipped.
    pub offset: i64,
    /// Most rows answered.
    pub limit: i64,
}

/// An uploaded taxi fapiao file, usable by its company until `expires_at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTaxiMedia {
    /// The id handed back.
    pub fapiao_media_id: String,
    /// The uploading provider.
    pub provider_mchid: String,
    /// The company the fapiao is for.
    pub company_mchid: String,
    /// The company's region.
    pub region_id: i64,
    /// SM3 of the file, lower-case hex.
    pub digest: String,
    /// The PDF.
    pub bytes: Vec<u8>,
    /// Unix seconds.
    pub expires_at: i64,
    /// Unix seconds.
    pub created_at: i64,
}

/// A card to put into a user's card package for one trip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTaxiCard {
    /// The trip.
    pub ride_id: i64,
    /// The inserting provider.
    pub provider_mchid: String,
    /// The company that issued the fapiao.
    pub company_mchid: String,
    /// The card package's AppID.
    pub appid: String,
    /// The card package's owner.
    pub openid: String,
    /// The card template id.
    pub card_id: String,
    /// A fresh card code (used only when the card is new).
    pub card_code: String,
    /// The uploaded file, bound to the card.
    pub fapiao_media_id: String,
    /// fapiao_card_information as accepted.
    pub fapiao: serde_json::Value,
    /// Tells an identical replay from a different body.
    pub request_hash: String,
    /// Unix seconds.
    pub now: i64,
}

/// A stored taxi fapiao card, with the trip it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaxiCard {
    /// The card package's AppID (card_appid).
    pub appid: String,
    /// The card package's owner (card_openid).
    pub openid: String,
    /// The card template id.
    pub card_id: String,
    /// The card's code.
    pub card_code: String,
    /// INSERTED or DISCARDED.
    pub status: String,
    /// The inserting provider.
    pub provider_mchid: String,
    /// The company that issued the fapiao.
    pub company_mchid: String,
    /// The file bound to the card.
    pub fapiao_media_id: String,
    /// fapiao_card_information as accepted.
    pub fapiao_card_information: serde_json::Value,
    /// The trip.
    pub ride: Ride,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
}

/// What inserting a taxi card did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaxiCardOutcome {
    /// Stored, the media bound to it.
    Inserted(TaxiCard),
    /// The trip already has this very card; nothing changed.
    Replayed(TaxiCard),
    /// The trip already has a card made from a different body; nothing changed.
    TripAlreadyCarded(TaxiCard),
    /// The media id cannot be used (`issue` says why); nothing changed.
    MediaRejected {
        /// Unknown, another company's, expired or already used.
        issue: String,
    },
}

/// Rides, taxi fapiao files and cards; a supertrait of `Store`.
#[async_trait]
pub trait TaxiTripStore: Send + Sync {
    /// Records a ride and returns it as stored.
    async fn add_ride(&self, ride: &NewRide) -> StoreResult<Ride>;

    /// Rides, newest first, of one provider and/or one passenger (all when
    /// neither is given).
    async fn rides(
        &self,
        provider_mchid: Option<&str>,
        openid: Option<&str>,
    ) -> StoreResult<Vec<Ride>>;

    /// One page of a passenger's trip orders (newest up_time first) and
    /// how many match in all.
    async fn trip_orders(&self, query: &TripOrderQuery) -> StoreResult<(Vec<Ride>, i64)>;

    /// A provider's trip order by its token.
    async fn trip_by_token(&self, provider_mchid: &str, token: &str) -> StoreResult<Option<Ride>>;

    /// A provider's ride by its transaction_id.
    async fn ride_by_transaction(
        &self,
        provider_mchid: &str,
        transaction_id: &str,
    ) -> StoreResult<Option<Ride>>;

    /// Keeps an uploaded taxi fapiao file.
    async fn put_taxi_media(&self, media: &NewTaxiMedia) -> StoreResult<()>;

    /// Extends the life of a provider's file to `expires_at` while no card
    /// uses it (the demo's example file); false when there is no such
    /// unused file.
    async fn renew_taxi_media(
        &self,
        provider_mchid: &str,
        fapiao_media_id: &str,
        expires_at: i64,
    ) -> StoreResult<bool>;

    /// Inserts the card of one trip in one transaction: a trip that has a
    /// card answers it (as a replay when `request_hash` matches); otherwise
    /// the media must be the company's, live and unused, and is bound to
    /// the new card.
    async fn insert_taxi_card(&self, card: &NewTaxiCard) -> StoreResult<TaxiCardOutcome>;

    /// Cards, newest first, of one user (and AppID), or all.
    async fn taxi_cards(
        &self,
        openid: Option<&str>,
        appid: Option<&str>,
    ) -> StoreResult<Vec<TaxiCard>>;

    /// The bytes of an uploaded taxi fapiao file (the card package's
    /// "open PDF" of a taxi card), whether or not it expired.
    async fn taxi_media_file(&self, fapiao_media_id: &str) -> StoreResult<Option<Vec<u8>>>;
    /// Marks a card DISCARDED (the user removed it from the card package);
    /// `None` when no card has that code.
    async fn discard_taxi_card(&self, card_code: &str, now: i64) -> StoreResult<Option<TaxiCard>>;
}
