//! Every error row of the official insert-card page, each with its status,
//! code and the field it names; none of them stores a card.

use super::*;

/// Asserts `answer` and that `openid` still has no card.
async fn refused(
    world: &FapiaoWorld,
    answer: (u16, Value),
    status: u16,
    code: &str,
    field: Option<&str>,
) {
    assert_error(&answer, status, code, field);
    assert!(
        cards_of(world, OPENID).await.is_empty(),
        "no card was stored"
    );
}

#[tokio::test]
async fn malformed_bodies_are_param_errors_naming_the_field() {
    let Ready {
        world,
        fleet,
        token,
        media_id,
    } = ready().await;
    let base = card_body(&fleet, &token, &media_id);
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut body = base.clone();
        f(&mut body);
        body
    };
    let cases: Vec<(Value, &str)> = vec![
        (
            edit(&|b| {
                b.as_object_mut().unwrap().remove("token");
            }),
            "token",
        ),
        (
            edit(&|b| {
                b.as_object_mut().unwrap().remove("appid");
            }),
            "appid",
        ),
        (
            edit(&|b| {
                b.as_object_mut().unwrap().remove("openid");
            }),
            "openid",
        ),
        (
            edit(&|b| {
                b.as_object_mut().unwrap().remove("fapiao_card_information");
            }),
            "fapiao_card_information",
        ),
        (edit(&|b| b["region_id"] = json!("上海")), "region_id"),
        (edit(&|b| b["token"] = json!("t".repeat(1025))), "token"),
        (
            edit(&|b| b["fapiao_card_information"]["fapiao_number"] = json!("128977941")),
            "fapiao_card_information.fapiao_number",
        ),
        (
            edit(&|b| b["fapiao_card_information"]["fapiao_time"] = json!("2020-07-01 12:00:00")),
            "fapiao_card_information.fapiao_time",
        ),
        (
            edit(&|b| b["fapiao_card_information"]["total_amount"] = json!("382895元")),
            "fapiao_card_information.total_amount",
        ),
        (
            edit(&|b| {
                b["fapiao_card_information"]["extra_information"]
                    .as_object_mut()
                    .unwrap()
                    .remove("drawer");
            }),
            "fapiao_card_information.extra_information.drawer",
        ),
        (
            edit(&|b| {
                b["fapiao_card_information"]["buyer_information"]["type"] = json!("ORGANIZATION");
                b["fapiao_card_information"]["buyer_information"]
                    .as_object_mut()
                    .unwrap()
                    .remove("taxpayer_id");
            }),
            "fapiao_card_information.buyer_information.taxpayer_id",
        ),
        (
            edit(&|b| b["fapiao_card_information"]["buyer_information"]["type"] = json!("PERSON")),
            "fapiao_card_information.buyer_information.type",
        ),
        (
            edit(&|b| {
                b["fapiao_card_information"]["seller_information"]["name"] = json!("测".repeat(81))
            }),
            "fapiao_card_information.seller_information.name",
        ),
        (
            edit(&|b| b["fapiao_card_information"]["items"][0]["total_amount"] = json!(429901)),
            "fapiao_card_information.items[0].total_amount",
        ),
        (
            edit(&|b| {
                b["fapiao_card_information"]["items"][0]["unit_price"] = json!(400000000000i64)
            }),
            "fapiao_card_information.items[0].amount",
        ),
        (
            edit(&|b| b["fapiao_card_information"]["items"][0]["tax_prefer_mark"] = json!("FREE")),
            "fapiao_card_information.items[0].tax_prefer_mark",
        ),
        (
            edit(&|b| b["fapiao_card_information"]["items"][0]["discount"] = json!(true)),
            "fapiao_card_information.items[0].discount",
        ),
        (
            edit(&|b| b["fapiao_card_information"]["tax_amount"] = json!(44051)),
            "fapiao_card_information.total_amount",
        ),
    ];
    for (body, field) in cases {
        let answer = insert_own(&world, &body).await;
        refused(&world, answer, 400, "PARAM_ERROR", Some(field)).await;
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_an_invalid_request() {
    let Ready { world, .. } = ready().await;
    let request = world
        .app
        .signed_request(
            &world.provider,
            "POST",
            CARDS_PATH,
            b"company_mchid=1",
            kabao_now(&world).await,
        )
        .header("Content-Type", "application/json")
        .body("company_mchid=1");
    let answer = world.send(request).await;
    refused(&world, answer, 400, "INVALID_REQUEST", Some("body")).await;
}

#[tokio::test]
async fn a_body_other_than_the_signed_one_is_a_sign_error() {
    let Ready {
        world,
        fleet,
        token,
        media_id,
    } = ready().await;
    let signed = card_body(&fleet, &token, &media_id).to_string();
    let sent = signed.replace("备注", "改过的备注");
    let request = world
        .app
        .signed_request(
            &world.provider,
            "POST",
            CARDS_PATH,
            signed.as_bytes(),
            kabao_now(&world).await,
        )
        .header("Content-Type", "application/json")
        .body(sent);
    let answer = world.send(request).await;
    refused(&world, answer, 401, "SIGN_ERROR", None).await;
}

#[tokio::test]
async fn no_auth_for_a_merchant_that_is_not_a_provider_and_for_another_providers_company() {
    let Ready {
        world,
        fleet,
        token,
        media_id,
    } = ready().await;
    let body = card_body(&fleet, &token, &media_id);
    let direct = insert(&world, &world.direct, &body).await;
    assert_says(&direct, "服务商无权限");
    refused(&world, direct, 403, "NO_AUTH", None).await;

    let other = other_provider(&world).await;
    let theirs = insert(&world, &other, &body).await;
    assert_says(&theirs, "出租车公司不属于服务商");
    refused(&world, theirs, 403, "NO_AUTH", Some("company_mchid")).await;
    let mut unknown = body.clone();
    unknown["company_mchid"] = json!("1999999999");
    let answer = insert_own(&world, &unknown).await;
    refused(&world, answer, 403, "NO_AUTH", Some("company_mchid")).await;
}

#[tokio::test]
async fn not_found_for_a_company_outside_the_region_an_unknown_taxi_and_an_unknown_driver() {
    let Ready {
        world,
        fleet,
        token,
        media_id,
    } = ready().await;
    let body = card_body(&fleet, &token, &media_id);
    let mut chengdu = body.clone();
    chengdu["region_id"] = json!(510100);
    let company = insert_own(&world, &chengdu).await;
    assert_says(&company, "未找到指定的出租车经营主体信息");
    refused(&world, company, 404, "NOT_FOUND", Some("region_id")).await;

    // The older shape names the taxi and the driver itself.
    let (_, rides) = world
        .app
        .admin_get(&format!("/taxi/rides?openid={OPENID}"))
        .await;
    let trade_number = &rides["rides"][0]["transaction_id"];
    let older = |plate: &str, driver: &str| older_shape(&body, trade_number, plate, driver);
    let taxi = insert_own(&world, &older("沪Z99999", &fleet.driver_license)).await;
    assert_says(&taxi, "所查询的出租车不存在");
    refused(&world, taxi, 404, "NOT_FOUND", Some("plate_number")).await;
    let driver = insert_own(&world, &older(&fleet.plate_number, "0000000")).await;
    assert_says(&driver, "所查询的出租车司机不存在");
    refused(&world, driver, 404, "NOT_FOUND", Some("driver_license")).await;
    // A registered taxi that is not the trip's is a parameter error.
    let second = second_fleet(&world).await;
    let wrong = insert_own(&world, &older(&second.plate_number, &fleet.driver_license)).await;
    refused(&world, wrong, 400, "PARAM_ERROR", Some("plate_number")).await;
}

#[tokio::test]
async fn a_token_that_is_not_this_users_trip_order_names_the_token() {
    let Ready {
        world,
        fleet,
        token,
        media_id,
    } = ready().await;
    let mut someone_else = card_body(&fleet, &token, &media_id);
    someone_else["openid"] = json!("oSomeoneElse000000000000001");
    let answer = insert_own(&world, &someone_else).await;
    assert_error(&answer, 400, "PARAM_ERROR", Some("token"));
    let mut other_app = card_body(&fleet, &token, &media_id);
    other_app["appid"] = json!("wx0000000000000001");
    let answer = insert_own(&world, &other_app).await;
    refused(&world, answer, 400, "PARAM_ERROR", Some("token")).await;
    let unknown = card_body(
        &fleet,
        "ESvqG19gjw0qiiy1eeRA4VusLrOmIYQOMJ8rXX2V",
        &media_id,
    );
    let answer = insert_own(&world, &unknown).await;
    refused(&world, answer, 400, "PARAM_ERROR", Some("token")).await;
    // A trip order of the provider's other company is not this company's.
    let second = second_fleet(&world).await;
    let their_token = trip(&world, &world.provider.mchid, &second).await;
    let answer = insert_own(&world, &card_body(&fleet, &their_token, &media_id)).await;
    refused(&world, answer, 400, "PARAM_ERROR", Some("token")).await;
    // A payment that is no trip order cannot get a card (older shape).
    let (status, _) = punch(&world, &world.provider, &fleet, "SIGN_OUT").await;
    assert_eq!(status, 204);
    let payment = ride(&world, &world.provider.mchid, &fleet, OPENID).await;
    let older = older_shape(
        &card_body(&fleet, "", &media_id),
        &payment["transaction_id"],
        &fleet.plate_number,
        &fleet.driver_license,
    );
    let answer = insert_own(&world, &older).await;
    refused(&world, answer, 400, "PARAM_ERROR", Some("trade_number")).await;
}
