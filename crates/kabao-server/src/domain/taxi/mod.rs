//! WeChat Pay taxi invoices (出租车电子发票): the rules of the
//! `/v3/taxi-invoice/*` family that need no I/O.

pub mod card;
pub mod card_package;
pub mod card_rules;
pub mod fleet;
pub mod region;
pub mod trip;

pub use region::RegionId;

/// How long an uploaded taxi fapiao file (`fapiao_media_id`) stays usable: 3 days.
pub const TAXI_MEDIA_TTL_SECS: i64 = 3 * 24 * 3600;

/// How far back user-taxi-orders reaches: half a year, in days.
pub const TRIP_LOOKBACK_DAYS: i64 = 183;
