//! user-taxi-orders (T8) and find-by-token (T9): a passenger's trip orders
//! with the calling provider's taxis, paged, within half a year.

use super::*;

#[tokio::test]
async fn trip_orders_are_listed_newest_first_in_pages() {
    let world = FapiaoWorld::start().await;
    let provider = world.provider.mchid.clone();
    let fleet = shanghai_fleet(&world).await;
    for _ in 0..3 {
        trip(&world, &provider, &fleet).await;
    }
    // Another passenger's trip is not listed.
    ride(&world, &provider, &fleet, "oOtherPassenger0000000000001").await;
    let today = china_today(&world).await;
    let window = today_window(&world).await;

    let (status, first) = orders(
        &world,
        &world.provider,
        &format!("{window}&limit=2&offset=0"),
    )
    .await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(
        (
            first["total_count"].as_i64(),
            first["limit"].as_i64(),
            first["offset"].as_i64()
        ),
        (Some(3), Some(2), Some(0))
    );
    let data = first["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(data[0]["plate_number"], "沪A12345");
    assert_eq!(data[0]["driver_license"], "6298416");
    assert!(data[0]["up_time"].as_str().unwrap().ends_with("+08:00"));
    let mut keys: Vec<_> = data[0].as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["driver_license", "plate_number", "up_time"]);
    let next = first["links"]["next"].as_str().unwrap();
    assert!(
        next.contains("offset=2") && next.contains("limit=2"),
        "{next}"
    );
    assert!(first["links"].get("prev").is_none());

    let (status, second) = call(&world, &world.provider, "GET", next, None).await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(second["data"].as_array().unwrap().len(), 1);
    assert!(second["links"]["prev"]
        .as_str()
        .unwrap()
        .contains("offset=0"));
    assert!(second["links"].get("next").is_none());

    // Without limit and offset: the first page of the default size.
    let (_, all) = orders(&world, &world.provider, &window).await;
    assert_eq!(
        (all["offset"].as_i64(), all["limit"].as_i64()),
        (Some(0), Some(10))
    );
    assert_eq!(all["data"].as_array().unwrap().len(), 3);
    // Another region has none.
    let (_, chengdu) = orders(
        &world,
        &world.provider,
        &format!("begin_date={today}&end_date={today}&region_id=510100"),
    )
    .await;
    assert_eq!(chengdu["total_count"], 0);
}

#[tokio::test]
async fn the_date_window_is_in_china_days_and_reaches_back_half_a_year() {
    let world = FapiaoWorld::start().await;
    let fleet = shanghai_fleet(&world).await;
    let trip_day = china_today(&world).await;
    trip(&world, &world.provider.mchid, &fleet).await;
    world.app.advance_clock(10 * 86_400).await;
    let today = china_today(&world).await;
    let count = |answer: &Value| answer["total_count"].as_i64();

    let (_, recent) = orders(
        &world,
        &world.provider,
        &format!("begin_date={today}&end_date={today}&region_id={REGION_ID}"),
    )
    .await;
    assert_eq!(count(&recent), Some(0), "{recent}");
    let (_, that_day) = orders(
        &world,
        &world.provider,
        &format!("begin_date={trip_day}&end_date={trip_day}&region_id={REGION_ID}"),
    )
    .await;
    assert_eq!(count(&that_day), Some(1), "{that_day}");
    let (_, span) = orders(
        &world,
        &world.provider,
        &format!("begin_date={trip_day}&end_date={today}&region_id={REGION_ID}"),
    )
    .await;
    assert_eq!(count(&span), Some(1), "{span}");

    // Half a year later the trip day is out of reach.
    world.app.advance_clock(180 * 86_400).await;
    let today = china_today(&world).await;
    let too_early = orders(
        &world,
        &world.provider,
        &format!("begin_date={trip_day}&end_date={today}&region_id={REGION_ID}"),
    )
    .await;
    assert_error(&too_early, 400, "PARAM_ERROR", Some("begin_date"));
    let limit = china_date(&world, 183).await;
    let (status, edge) = orders(
        &world,
        &world.provider,
        &format!("begin_date={limit}&end_date={today}&region_id={REGION_ID}"),
    )
    .await;
    assert_eq!(status, 200, "{edge}");
}

#[tokio::test]
async fn malformed_queries_name_the_parameter() {
    let world = FapiaoWorld::start().await;
    let today = china_today(&world).await;
    let window = today_window(&world).await;
    let cases = [
        (format!("begin_date={today}&end_date={today}"), "region_id"),
        (
            format!("end_date={today}&region_id={REGION_ID}"),
            "begin_date",
        ),
        (
            format!("begin_date=2024-01-01&end_date={today}&region_id={REGION_ID}"),
            "begin_date",
        ),
        (
            format!("begin_date={today}&end_date=20000101&region_id={REGION_ID}"),
            "end_date",
        ),
        (
            format!("begin_date={today}&end_date={today}&region_id=上海"),
            "region_id",
        ),
        (format!("{window}&limit=0"), "limit"),
        (format!("{window}&limit=101"), "limit"),
        (format!("{window}&offset=-1"), "offset"),
    ];
    for (query, field) in cases {
        let answer = orders(&world, &world.provider, &query).await;
        assert_error(&answer, 400, "PARAM_ERROR", Some(field));
    }
    let path = format!("/v3/taxi-invoice/user-taxi-orders?appid={APPID}&{window}");
    let (status, body) = call(&world, &world.provider, "GET", &path, None).await;
    assert_error(&(status, body), 400, "PARAM_ERROR", Some("openid"));
    // A direct merchant has no taxi product.
    let direct = orders(&world, &world.direct, &window).await;
    assert_error(&direct, 403, "NO_AUTH", None);
}

#[tokio::test]
async fn a_token_finds_its_trip_order_for_its_passenger_only() {
    let world = FapiaoWorld::start().await;
    let fleet = shanghai_fleet(&world).await;
    let ride = ride(&world, &world.provider.mchid, &fleet, OPENID).await;
    let token = ride["trip_order"]["token"].as_str().unwrap();
    let (status, found) = by_token(&world, &world.provider, &format!("token={token}&openid={OPENID}&appid={APPID}&region_id={REGION_ID}&auth_mode=ORDER_AUTH")).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(
        found,
        json!({"plate_number": "沪A12345", "driver_license": "6298416",
            "up_time": ride["up_time"], "region_id": REGION_ID, "source": "SOURCE_PAY",
            "pay_time": ride["pay_time"], "pay_amount": 5450})
    );
    let (status, _) = by_token(
        &world,
        &world.provider,
        &format!("token={token}&openid={OPENID}&appid={APPID}"),
    )
    .await;
    assert_eq!(status, 200, "region_id and auth_mode are optional");

    for query in [
        format!("token={token}&openid=oSomeoneElse000000000000001&appid={APPID}"),
        format!("token={token}&openid={OPENID}&appid=wx0000000000000001"),
        format!("token={token}&openid={OPENID}&appid={APPID}&region_id=510100"),
        format!("token=not-a-token&openid={OPENID}&appid={APPID}"),
    ] {
        let answer = by_token(&world, &world.provider, &query).await;
        assert_error(&answer, 404, "NOT_FOUND", Some("token"));
    }
    let bad_mode = by_token(
        &world,
        &world.provider,
        &format!("token={token}&openid={OPENID}&appid={APPID}&auth_mode=USER_AUTH"),
    )
    .await;
    assert_error(&bad_mode, 400, "PARAM_ERROR", Some("auth_mode"));
    let no_token = by_token(
        &world,
        &world.provider,
        &format!("openid={OPENID}&appid={APPID}"),
    )
    .await;
    assert_error(&no_token, 400, "PARAM_ERROR", Some("token"));
}

#[tokio::test]
async fn a_provider_never_sees_another_providers_trip_orders() {
    let world = FapiaoWorld::start().await;
    let fleet = shanghai_fleet(&world).await;
    let token = trip(&world, &world.provider.mchid, &fleet).await;
    let other = other_provider(&world).await;
    // The other provider has a taxi with the same plate in the same region.
    let own = signed_in_fleet(&world, &other, "上海大众出租汽车", "沪A12345", "6298416").await;
    let window = today_window(&world).await;
    let (_, theirs) = orders(&world, &other, &window).await;
    assert_eq!(theirs["total_count"], 0, "{theirs}");
    let answer = by_token(
        &world,
        &other,
        &format!("token={token}&openid={OPENID}&appid={APPID}"),
    )
    .await;
    assert_error(&answer, 404, "NOT_FOUND", Some("token"));
    // Its own trip is its own.
    trip(&world, OTHER_PROVIDER, &own).await;
    let (_, theirs) = orders(&world, &other, &window).await;
    assert_eq!(theirs["total_count"], 1, "{theirs}");
    let (_, ours) = orders(&world, &world.provider, &window).await;
    assert_eq!(ours["total_count"], 1, "{ours}");
}
