//! T7 attendance/punch: sign-ins and sign-outs of a provider's drivers on
//! its taxis.

use super::*;
use crate::taxi_steps::event_time;

const PUNCH: &str = "/v3/taxi-invoice/attendance/punch";
const NAME: &str = "上海未来出租汽车有限公司";

fn body(plate: &str, license: &str, event_type: &str, at: &str) -> Value {
    json!({"plate_number": plate, "driver_license": license, "event_time": at,
           "event_type": event_type, "region_id": 310100})
}

#[tokio::test]
async fn a_driver_signs_in_and_out_of_a_taxi_of_the_same_company() {
    let world = FapiaoWorld::start().await;
    let fleet = register_fleet(&world, &world.provider, NAME, "沪A12345", "3101001234").await;
    let (status, answer) = punch(&world, &world.provider, &fleet, "SIGN_IN").await;
    assert_eq!((status, answer), (204, Value::Null));
    let (status, _) = punch(&world, &world.provider, &fleet, "SIGN_OUT").await;
    assert_eq!(status, 204);
    // The official example's time, with milliseconds; the region as a string.
    let mut example = body(
        "沪A12345",
        "3101001234",
        "SIGN_IN",
        "2019-12-01T12:00:00.000+08:00",
    );
    example["region_id"] = json!("310100");
    let (status, answer) = world
        .call(&world.provider, "POST", PUNCH, Some(&example))
        .await;
    assert_eq!(status, 204, "{answer}");
    let (status, _) = punch_at(
        &world,
        &world.provider,
        &fleet,
        "SIGN_OUT",
        "2019-12-01T20:00:00Z",
    )
    .await;
    assert_eq!(status, 204);
}

#[tokio::test]
async fn punch_names_each_wrong_field() {
    let world = FapiaoWorld::start().await;
    register_fleet(&world, &world.provider, NAME, "沪A12345", "3101001234").await;
    let at = event_time(1_575_172_800_000);
    let cases = [
        (
            "plate_number",
            json!({"driver_license": "3101001234", "event_time": at, "event_type": "SIGN_IN", "region_id": 310100}),
        ),
        ("driver_license", body("沪A12345", "", "SIGN_IN", &at)),
        (
            "event_time",
            body("沪A12345", "3101001234", "SIGN_IN", "2019-12-01 12:00:00"),
        ),
        ("event_time", body("沪A12345", "3101001234", "SIGN_IN", "")),
        ("event_type", body("沪A12345", "3101001234", "BREAK", &at)),
        (
            "region_id",
            json!({"plate_number": "沪A12345", "driver_license": "3101001234", "event_time": at, "event_type": "SIGN_IN"}),
        ),
    ];
    for (field, b) in cases {
        let answer = world.call(&world.provider, "POST", PUNCH, Some(&b)).await;
        assert_error(&answer, 400, "PARAM_ERROR", Some(field));
    }
}

#[tokio::test]
async fn the_taxi_and_the_driver_must_be_the_providers_and_of_one_company() {
    let world = FapiaoWorld::start().await;
    let fleet = register_fleet(&world, &world.provider, NAME, "沪A12345", "3101001234").await;
    let second = register_fleet(
        &world,
        &world.provider,
        "上海第二出租汽车有限公司",
        "沪B54321",
        "3101009876",
    )
    .await;
    let other = other_provider(&world).await;
    let at = event_time(1_575_172_800_000);

    let no_taxi = world
        .call(
            &world.provider,
            "POST",
            PUNCH,
            Some(&body("沪A99999", "3101001234", "SIGN_IN", &at)),
        )
        .await;
    assert_error(&no_taxi, 404, "NOT_FOUND", Some("plate_number"));
    assert!(no_taxi.1["message"]
        .as_str()
        .unwrap()
        .contains("所查询的出租车不存在"));
    let no_driver = world
        .call(
            &world.provider,
            "POST",
            PUNCH,
            Some(&body("沪A12345", "3109999999", "SIGN_IN", &at)),
        )
        .await;
    assert_error(&no_driver, 404, "NOT_FOUND", Some("driver_license"));
    assert!(no_driver.1["message"]
        .as_str()
        .unwrap()
        .contains("所查询的出租车司机不存在"));
    let mixed = world
        .call(
            &world.provider,
            "POST",
            PUNCH,
            Some(&body(
                &fleet.plate_number,
                &second.driver_license,
                "SIGN_IN",
                &at,
            )),
        )
        .await;
    assert_error(&mixed, 400, "INVALID_REQUEST", Some("driver_license"));
    // The other provider's punch on this provider's taxi: as if absent.
    let foreign = punch(&world, &other, &fleet, "SIGN_IN").await;
    assert_error(&foreign, 404, "NOT_FOUND", Some("plate_number"));
}
