//! T3 update-taxi and T4 taxies/{plate_number}, with plates in Chinese.

use super::*;

const UPDATE: &str = "/v3/taxi-invoice/taxi/update-taxi";
const NAME: &str = "上海未来出租汽车有限公司";

fn body(company_mchid: &str, plate: &str) -> Value {
    json!({
        "plate_number": plate,
        "company_name": NAME,
        "mchid": company_mchid,
        "main_license": "3101001234",
        "deputy_license": "3101005678",
        "region_id": 310100,
        "invoice_flag": "INVOICE",
        "taxi_state": "IN_OPERATION"
    })
}

#[tokio::test]
async fn an_updated_taxi_reads_back_through_its_percent_encoded_plate() {
    let world = FapiaoWorld::start().await;
    let mchid = company(&world, NAME).await;
    let (status, echo) = world
        .call(
            &world.provider,
            "POST",
            UPDATE,
            Some(&body(&mchid, "沪A12345")),
        )
        .await;
    assert_eq!(status, 200, "{echo}");
    assert_eq!(
        echo,
        json!({"plate_number": "沪A12345", "company_name": NAME, "mchid": mchid,
               "main_license": "3101001234", "deputy_license": "3101005678", "region_id": 310100})
    );

    let expected = json!({"plate_number": "沪A12345", "company_name": NAME, "company_mchid": mchid,
        "main_license": "3101001234", "deputy_license": "3101005678", "region_id": 310100,
        "support_invoice": true, "taxi_state": "IN_OPERATION"});
    // Signed over the encoded path, as the SDKs sign what they send.
    let path = taxi_path("沪A12345", 310100);
    assert!(path.contains("%E6%B2%AA"), "{path}");
    let (status, taxi) = get(&world, &world.provider, &path).await;
    assert_eq!((status, &taxi), (200, &expected));
    // Signed over the plate as written (the client encodes it on the wire).
    let raw = "/v3/taxi-invoice/taxies/沪A12345?region_id=310100";
    let (status, taxi) = get(&world, &world.provider, raw).await;
    assert_eq!((status, &taxi), (200, &expected));
}

#[tokio::test]
async fn an_update_replaces_the_taxi_and_keeps_flags_left_out() {
    let world = FapiaoWorld::start().await;
    let mchid = company(&world, NAME).await;
    let mut changed = body(&mchid, "沪B00001");
    changed["invoice_flag"] = json!("NO_INVOICE");
    changed["taxi_state"] = json!("OUT_OPERATION");
    let (status, _) = world
        .call(&world.provider, "POST", UPDATE, Some(&changed))
        .await;
    assert_eq!(status, 200);
    let (_, taxi) = get(&world, &world.provider, &taxi_path("沪B00001", 310100)).await;
    assert_eq!(
        (&taxi["support_invoice"], &taxi["taxi_state"]),
        (&json!(false), &json!("OUT_OPERATION"))
    );

    let mut minimal = body(&mchid, "沪B00001");
    for field in ["invoice_flag", "taxi_state", "deputy_license"] {
        minimal.as_object_mut().unwrap().remove(field);
    }
    minimal["main_license"] = json!("3101009999");
    let (status, echo) = world
        .call(&world.provider, "POST", UPDATE, Some(&minimal))
        .await;
    assert_eq!(status, 200, "{echo}");
    assert!(echo.get("deputy_license").is_none(), "{echo}");
    let (_, taxi) = get(&world, &world.provider, &taxi_path("沪B00001", 310100)).await;
    assert_eq!(taxi["main_license"], "3101009999");
    assert_eq!(taxi["deputy_license"], "");
    assert_eq!(
        (&taxi["support_invoice"], &taxi["taxi_state"]),
        (&json!(false), &json!("OUT_OPERATION"))
    );

    // A new taxi with no flags issues fapiao and is in operation.
    let mut fresh = minimal.clone();
    fresh["plate_number"] = json!("沪B00002");
    let (status, _) = world
        .call(&world.provider, "POST", UPDATE, Some(&fresh))
        .await;
    assert_eq!(status, 200);
    let (_, taxi) = get(&world, &world.provider, &taxi_path("沪B00002", 310100)).await;
    assert_eq!(
        (&taxi["support_invoice"], &taxi["taxi_state"]),
        (&json!(true), &json!("IN_OPERATION"))
    );
}

#[tokio::test]
async fn update_names_each_wrong_field() {
    let world = FapiaoWorld::start().await;
    let mchid = company(&world, NAME).await;
    let change = |field: &str, value: Value| {
        let mut b = body(&mchid, "沪A12345");
        match value {
            Value::Null => {
                b.as_object_mut().unwrap().remove(field);
            }
            v => b[field] = v,
        }
        b
    };
    let cases = [
        ("plate_number", change("plate_number", Value::Null)),
        (
            "plate_number",
            change("plate_number", json!("沪A1234567890123456")),
        ),
        (
            "company_name",
            change("company_name", json!("上海别的公司")),
        ),
        ("mchid", change("mchid", Value::Null)),
        ("main_license", change("main_license", json!(""))),
        ("invoice_flag", change("invoice_flag", json!("YES"))),
        ("taxi_state", change("taxi_state", json!("PARKED"))),
        ("region_id", change("region_id", json!(3101))),
    ];
    for (field, b) in cases {
        let answer = world.call(&world.provider, "POST", UPDATE, Some(&b)).await;
        assert_error(&answer, 400, "PARAM_ERROR", Some(field));
    }
    // Nothing was stored by the refused calls.
    let answer = get(&world, &world.provider, &taxi_path("沪A12345", 310100)).await;
    assert_error(&answer, 404, "NOT_FOUND", Some("plate_number"));
}

#[tokio::test]
async fn a_taxi_of_a_company_not_the_providers_in_that_region_is_refused() {
    let world = FapiaoWorld::start().await;
    let mchid = company(&world, NAME).await;
    let other = other_provider(&world).await;
    let (_, theirs) = create_company(&world, &other, NAME, 310100).await;
    let theirs = theirs["mchid"].as_str().unwrap();
    let mut in_chengdu = body(&mchid, "沪A12345");
    in_chengdu["region_id"] = json!(510100);
    for b in [
        body(theirs, "沪A12345"),
        body("1234567890", "沪A12345"),
        in_chengdu,
    ] {
        let answer = world.call(&world.provider, "POST", UPDATE, Some(&b)).await;
        assert_error(&answer, 403, "NO_AUTH", Some("mchid"));
        assert!(answer.1["message"]
            .as_str()
            .unwrap()
            .contains("出租车公司不属于服务商"));
    }
    let answer = get(&world, &world.provider, &taxi_path("沪A12345", 310100)).await;
    assert_error(&answer, 404, "NOT_FOUND", Some("plate_number"));
}

#[tokio::test]
async fn query_answers_not_found_for_unknown_foreign_or_misplaced_taxis() {
    let world = FapiaoWorld::start().await;
    let fleet = register_fleet(&world, &world.provider, NAME, "沪A12345", "3101001234").await;
    let other = other_provider(&world).await;

    let unknown = get(&world, &world.provider, &taxi_path("沪A99999", 310100)).await;
    assert_error(&unknown, 404, "NOT_FOUND", Some("plate_number"));
    assert!(unknown.1["message"]
        .as_str()
        .unwrap()
        .contains("所查询的出租车不存在"));
    let foreign = get(&world, &other, &taxi_path(&fleet.plate_number, 310100)).await;
    assert_error(&foreign, 404, "NOT_FOUND", Some("plate_number"));
    let elsewhere = get(
        &world,
        &world.provider,
        &taxi_path(&fleet.plate_number, 510100),
    )
    .await;
    assert_error(&elsewhere, 404, "NOT_FOUND", Some("plate_number"));
    let no_region = format!("/v3/taxi-invoice/taxies/{}", encoded(&fleet.plate_number));
    let answer = get(&world, &world.provider, &no_region).await;
    assert_error(&answer, 400, "PARAM_ERROR", Some("region_id"));

    // The same plate registered by the other provider is its own taxi.
    let theirs = register_fleet(
        &world,
        &other,
        "上海强生出租汽车有限公司",
        "沪A12345",
        "3101001234",
    )
    .await;
    let (_, mine) = get(&world, &world.provider, &taxi_path("沪A12345", 310100)).await;
    let (_, their_taxi) = get(&world, &other, &taxi_path("沪A12345", 310100)).await;
    assert_eq!(mine["company_mchid"], json!(fleet.company_mchid));
    assert_eq!(their_taxi["company_mchid"], json!(theirs.company_mchid));
}
