//! The taxi fleet (T1–T7), end to end: a service provider registers taxi
//! companies, taxis and drivers and punches attendance; every answer is
//! read back as an integrator would, every error checked for its status,
//! code and field, and no provider sees another's fleet.

mod attendance;
mod companies;
mod drivers;
mod taxis;

pub use crate::fapiao_steps::{assert_error, encrypt};
pub use crate::fapiao_world::FapiaoWorld;
pub use crate::helpers::{now, TestMerchant};
pub use crate::taxi_steps::{
    create_company, decrypt, other_provider, punch, punch_at, register_fleet, update_driver,
    update_taxi, TaxiFleet, REGION_ID,
};
pub use serde_json::{json, Value};

/// A signed GET as `merchant`.
pub async fn get(world: &FapiaoWorld, merchant: &TestMerchant, path: &str) -> (u16, Value) {
    world.call(merchant, "GET", path, None).await
}

/// A path segment percent-encoded as SDKs send it (沪A12345 → %E6%B2%AA…).
pub fn encoded(segment: &str) -> String {
    percent_encoding::utf8_percent_encode(segment, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// T4's path for `plate` in `region`, the plate percent-encoded.
pub fn taxi_path(plate: &str, region: i64) -> String {
    format!(
        "/v3/taxi-invoice/taxies/{}?region_id={region}",
        encoded(plate)
    )
}

/// T6's path for `license` in `region`.
pub fn driver_path(license: &str, region: i64) -> String {
    format!(
        "/v3/taxi-invoice/drivers/{}?region_id={region}",
        encoded(license)
    )
}

/// T2's path for `company_mchid` in `region`.
pub fn company_path(company_mchid: &str, region: i64) -> String {
    format!("/v3/taxi-invoice/taxi-companies/{company_mchid}?region_id={region}")
}

/// A registered company of the world's provider; its mchid.
pub async fn company(world: &FapiaoWorld, name: &str) -> String {
    let (status, body) = create_company(world, &world.provider, name, REGION_ID).await;
    assert_eq!(status, 200, "{body}");
    body["mchid"].as_str().unwrap().to_owned()
}
