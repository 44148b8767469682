//! The control API's rides: a payment in a taxi whose driver is signed in
//! is a trip order with a token; without a signed-in driver it is not.

use super::*;

#[tokio::test]
async fn a_payment_while_the_driver_is_signed_in_is_a_trip_order() {
    let world = FapiaoWorld::start().await;
    let fleet = shanghai_fleet(&world).await;
    let ride = ride(&world, &world.provider.mchid, &fleet, OPENID).await;
    let trip = &ride["trip_order"];
    assert_eq!(trip["plate_number"], "沪A12345");
    assert_eq!(trip["driver_license"], "6298416");
    assert_eq!(trip["up_time"], ride["pay_time"]);
    let token = trip["token"].as_str().unwrap();
    assert_eq!(token.len(), 86, "{token}");
    assert!(token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    let transaction_id = ride["transaction_id"].as_str().unwrap();
    assert_eq!(transaction_id.len(), 28);
    assert_eq!(ride["company_mchid"], fleet.company_mchid.as_str());
    assert_eq!(ride["amount"], 5450);

    let (status, listed) = world
        .app
        .admin_get(&format!(
            "/taxi/rides?provider_mchid={}&openid={OPENID}",
            world.provider.mchid
        ))
        .await;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed["rides"], json!([ride]));
}

#[tokio::test]
async fn a_payment_without_a_signed_in_driver_makes_no_trip_order() {
    let world = FapiaoWorld::start().await;
    let fleet = register_fleet(
        &world,
        &world.provider,
        "上海强生出租汽车",
        "沪A12345",
        "6298416",
    )
    .await;
    let before = ride(&world, &world.provider.mchid, &fleet, OPENID).await;
    assert_eq!(before["trip_order"], Value::Null, "{before}");
    assert!(before["reason"].as_str().unwrap().contains("signed in"));

    let (status, _) = punch(&world, &world.provider, &fleet, "SIGN_IN").await;
    assert_eq!(status, 204);
    let during = ride(&world, &world.provider.mchid, &fleet, OPENID).await;
    assert!(during["trip_order"]["token"].is_string(), "{during}");

    let (status, _) = punch(&world, &world.provider, &fleet, "SIGN_OUT").await;
    assert_eq!(status, 204);
    let after = ride(&world, &world.provider.mchid, &fleet, OPENID).await;
    assert_eq!(after["trip_order"], Value::Null, "{after}");

    // Only the trip order is listed by user-taxi-orders.
    let (status, orders) = orders(&world, &world.provider, &today_window(&world).await).await;
    assert_eq!(status, 200, "{orders}");
    assert_eq!(orders["total_count"], 1, "{orders}");
}

#[tokio::test]
async fn a_ride_in_an_unknown_taxi_or_for_an_unknown_provider_names_the_field() {
    let world = FapiaoWorld::start().await;
    let fleet = shanghai_fleet(&world).await;
    let body = |provider: &str, plate: &str| {
        json!({"provider_mchid": provider, "region_id": REGION_ID, "plate_number": plate,
            "appid": APPID, "openid": OPENID, "amount": 100})
    };
    let cases = [
        (body(&world.provider.mchid, "沪Z00000"), 404, "plate_number"),
        (
            body(&world.direct.mchid, &fleet.plate_number),
            404,
            "provider_mchid",
        ),
        (
            body("1900000000", &fleet.plate_number),
            404,
            "provider_mchid",
        ),
    ];
    for (spec, status, field) in cases {
        let (got, answer) = world.app.admin_post("/taxi/rides", &spec).await;
        assert_eq!(
            (got, answer["field"].as_str()),
            (status, Some(field)),
            "{answer}"
        );
    }
    let mut wrong_region = body(&world.provider.mchid, &fleet.plate_number);
    wrong_region["region_id"] = json!(510100);
    let (got, answer) = world.app.admin_post("/taxi/rides", &wrong_region).await;
    assert_eq!(
        (got, answer["field"].as_str()),
        (404, Some("plate_number")),
        "{answer}"
    );
    let mut late_boarding = body(&world.provider.mchid, &fleet.plate_number);
    late_boarding["pay_time"] = json!("2024-05-01T08:30:00+08:00");
    late_boarding["up_time"] = json!("2024-05-01T08:45:00+08:00");
    let (got, answer) = world.app.admin_post("/taxi/rides", &late_boarding).await;
    assert_eq!(
        (got, answer["field"].as_str()),
        (400, Some("up_time")),
        "{answer}"
    );
    let (_, listed) = world.app.admin_get("/taxi/rides").await;
    assert_eq!(listed["total_count"], 0, "nothing was recorded: {listed}");
}
