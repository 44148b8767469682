//! T1 create-taxi-company and T2 taxi-companies/{company_mchid}.

use super::*;
use crate::fapiao_world::{DIRECT, PROVIDER, SUB};

const CREATE: &str = "/v3/taxi-invoice/taxi-company/create-taxi-company";

/// The official example's body, in Shanghai.
fn example() -> Value {
    json!({
        "company_name": "上海未来出租汽车有限公司",
        "tax_id": "12345678901234567J",
        "address": "上海市黄浦区人民大道200号",
        "phone": "021-63213388",
        "bank_name": "中国工商银行黄浦支行",
        "bank_account": "12345678901234",
        "invoice_mode": "JIAO_WEI",
        "legal_person": "张三",
        "short_name": "上海未来",
        "region_id": 310100,
        "enterprise_type": "ENTERPRISE"
    })
}

/// `example()` with `field` set to `value` (or removed when `value` is null).
fn with(field: &str, value: Value) -> Value {
    let mut body = example();
    match value {
        Value::Null => {
            body.as_object_mut().unwrap().remove(field);
        }
        value => body[field] = value,
    }
    body
}

#[tokio::test]
async fn a_created_company_gets_a_new_mchid_and_reads_back_as_registered() {
    let world = FapiaoWorld::start().await;
    let (status, created) = world
        .call(&world.provider, "POST", CREATE, Some(&example()))
        .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["company_name"], "上海未来出租汽车有限公司");
    let mchid = created["mchid"].as_str().unwrap();
    assert_eq!(mchid.len(), 10, "{mchid}");
    assert!(mchid.bytes().all(|b| b.is_ascii_digit()), "{mchid}");
    assert!(![DIRECT, PROVIDER, SUB].contains(&mchid), "{mchid}");

    let (status, company) = get(&world, &world.provider, &company_path(mchid, 310100)).await;
    assert_eq!(status, 200, "{company}");
    let mut expected = example();
    expected["company_mchid"] = json!(mchid);
    assert_eq!(company, expected);

    // Another call registers another company.
    let (status, second) = world
        .call(&world.provider, "POST", CREATE, Some(&example()))
        .await;
    assert_eq!(status, 200, "{second}");
    assert_ne!(second["mchid"], created["mchid"]);
}

#[tokio::test]
async fn region_id_may_be_a_numeric_string_and_optional_fields_may_be_left_out() {
    let world = FapiaoWorld::start().await;
    let body = json!({
        "company_name": "成都个体出租",
        "tax_id": "510100198001010011",
        "address": "成都市锦江区红星路一段",
        "invoice_mode": "NUO_NUO",
        "legal_person": "李四",
        "region_id": "510100",
        "enterprise_type": "INDIVIDUALS"
    });
    let (status, created) = world
        .call(&world.provider, "POST", CREATE, Some(&body))
        .await;
    assert_eq!(status, 200, "{created}");
    let mchid = created["mchid"].as_str().unwrap();
    let (status, company) = get(&world, &world.provider, &company_path(mchid, 510100)).await;
    assert_eq!(status, 200, "{company}");
    assert_eq!(company["region_id"], 510100);
    assert_eq!(company["enterprise_type"], "INDIVIDUALS");
    assert!(company.get("short_name").is_none(), "{company}");
    assert!(company.get("phone").is_none(), "{company}");
}

#[tokio::test]
async fn create_names_each_missing_or_malformed_field() {
    let world = FapiaoWorld::start().await;
    let cases = [
        ("tax_id", with("tax_id", Value::Null)),
        ("address", with("address", json!("  "))),
        ("invoice_mode", with("invoice_mode", Value::Null)),
        ("legal_person", with("legal_person", json!("张".repeat(65)))),
        ("enterprise_type", with("enterprise_type", Value::Null)),
        ("company_name", with("company_name", Value::Null)),
        ("short_name", with("short_name", Value::Null)),
        ("phone", with("phone", json!("0".repeat(33)))),
        ("tax_id", with("tax_id", json!(12345678901234567i64))),
        ("region_id", with("region_id", Value::Null)),
        ("region_id", with("region_id", json!(31010))),
        ("region_id", with("region_id", json!("31o100"))),
    ];
    for (field, body) in cases {
        let answer = world
            .call(&world.provider, "POST", CREATE, Some(&body))
            .await;
        assert_error(&answer, 400, "PARAM_ERROR", Some(field));
    }
    let answer = world
        .send(
            world
                .app
                .signed_request(&world.provider, "POST", CREATE, b"{not json", now())
                .header("Content-Type", "application/json")
                .body("{not json"),
        )
        .await;
    assert_error(&answer, 400, "PARAM_ERROR", None);
}

#[tokio::test]
async fn query_answers_not_found_for_unknown_foreign_or_misplaced_companies() {
    let world = FapiaoWorld::start().await;
    let mchid = company(&world, "上海未来出租汽车有限公司").await;
    let other = other_provider(&world).await;

    let unknown = get(&world, &world.provider, &company_path("1234567890", 310100)).await;
    assert_error(&unknown, 404, "NOT_FOUND", Some("company_mchid"));
    assert!(unknown.1["message"]
        .as_str()
        .unwrap()
        .contains("未找到指定的出租车经营主体信息"));
    // A merchant's mchid is not a taxi company.
    let merchant = get(&world, &world.provider, &company_path(SUB, 310100)).await;
    assert_error(&merchant, 404, "NOT_FOUND", Some("company_mchid"));
    // The other provider cannot see it, exactly as if it did not exist.
    let foreign = get(&world, &other, &company_path(&mchid, 310100)).await;
    assert_error(&foreign, 404, "NOT_FOUND", Some("company_mchid"));
    let elsewhere = get(&world, &world.provider, &company_path(&mchid, 510100)).await;
    assert_error(&elsewhere, 404, "NOT_FOUND", Some("region_id"));

    let path = format!("/v3/taxi-invoice/taxi-companies/{mchid}");
    let missing = get(&world, &world.provider, &path).await;
    assert_error(&missing, 400, "PARAM_ERROR", Some("region_id"));
    let malformed = get(
        &world,
        &world.provider,
        &format!("{path}?region_id=Shanghai"),
    )
    .await;
    assert_error(&malformed, 400, "PARAM_ERROR", Some("region_id"));

    // Still there for its owner.
    let (status, _) = get(&world, &world.provider, &company_path(&mchid, 310100)).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn each_provider_has_its_own_companies() {
    let world = FapiaoWorld::start().await;
    let other = other_provider(&world).await;
    let mine = company(&world, "上海未来出租汽车有限公司").await;
    let (status, theirs) = create_company(&world, &other, "上海强生出租汽车有限公司", 310100).await;
    assert_eq!(status, 200, "{theirs}");
    let theirs = theirs["mchid"].as_str().unwrap();
    assert_ne!(mine, theirs);
    let (status, company) = get(&world, &other, &company_path(theirs, 310100)).await;
    assert_eq!(
        (status, &company["company_name"]),
        (200, &json!("上海强生出租汽车有限公司"))
    );
    let answer = get(&world, &world.provider, &company_path(theirs, 310100)).await;
    assert_error(&answer, 404, "NOT_FOUND", Some("company_mchid"));
}

#[tokio::test]
async fn a_direct_merchant_may_not_use_the_taxi_fleet_apis() {
    let world = FapiaoWorld::start().await;
    let mchid = company(&world, "上海未来出租汽车有限公司").await;
    let fleet = TaxiFleet {
        company_mchid: mchid.clone(),
        company_name: "上海未来出租汽车有限公司".into(),
        plate_number: "沪A12345".into(),
        driver_license: "3101001234".into(),
        region_id: REGION_ID,
    };
    let direct = &world.direct;
    let answers = [
        world.call(direct, "POST", CREATE, Some(&example())).await,
        get(&world, direct, &company_path(&mchid, REGION_ID)).await,
        update_taxi(
            &world,
            direct,
            &mchid,
            &fleet.company_name,
            "沪A12345",
            REGION_ID,
        )
        .await,
        get(&world, direct, &taxi_path("沪A12345", REGION_ID)).await,
        update_driver(
            &world,
            direct,
            &mchid,
            &fleet.company_name,
            "3101001234",
            REGION_ID,
        )
        .await,
        get(&world, direct, &driver_path("3101001234", REGION_ID)).await,
        punch(&world, direct, &fleet, "SIGN_IN").await,
    ];
    for answer in &answers {
        assert_error(answer, 403, "NO_AUTH", None);
        assert!(
            answer.1["message"].as_str().unwrap().contains(DIRECT),
            "{}",
            answer.1
        );
    }
}
