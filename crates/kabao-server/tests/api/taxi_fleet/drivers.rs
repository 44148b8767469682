//! T5 update-driver (name and ID number encrypted both ways) and T6
//! drivers/{driver_license}.

use super::*;

const UPDATE: &str = "/v3/taxi-invoice/driver/update-driver";
const NAME: &str = "上海未来出租汽车有限公司";

/// A T5 body for `company_mchid`, name and ID number encrypted for the
/// platform; the body and the `Wechatpay-Serial` to send.
async fn body(world: &FapiaoWorld, company_mchid: &str, license: &str) -> (Value, String) {
    let (name, serial) = encrypt(world, "王师傅").await;
    let (id_card, _) = encrypt(world, "310101198001010011").await;
    let body = json!({
        "driver_name": name,
        "id_card_number": id_card,
        "company_name": NAME,
        "mchid": company_mchid,
        "driver_license": license,
        "driver_category": "MAIN",
        "driver_status": "ON_DUTY",
        "driver_photo": {
            "photo_type": "PHOTO_URL",
            "photo_digest": {"hash_type": "MD5", "hash_value": "e10adc3949ba59abbe56e057f20f883e"},
            "photo_url": "http://www.abc.com/driver.icon",
            "photo_icon": "/9j/4AAQSkZJRgABAgAAAQABAAD"
        },
        "region_id": 310100
    });
    (body, serial)
}

async fn send(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    body: &Value,
    serial: &str,
) -> (u16, Value) {
    world
        .call_with_serial(merchant, "POST", UPDATE, Some(body), serial, now())
        .await
}

#[tokio::test]
async fn an_updated_driver_reads_back_with_the_name_encrypted_for_the_caller() {
    let world = FapiaoWorld::start().await;
    let mchid = company(&world, NAME).await;
    let (request, serial) = body(&world, &mchid, "3101001234").await;
    let (status, echo) = send(&world, &world.provider, &request, &serial).await;
    assert_eq!(status, 200, "{echo}");
    assert_eq!(decrypt(&world.provider, &echo["driver_name"]), "王师傅");
    assert_eq!(
        decrypt(&world.provider, &echo["id_card_number"]),
        "310101198001010011"
    );
    for field in [
        "company_name",
        "mchid",
        "driver_license",
        "driver_category",
        "driver_status",
        "driver_photo",
        "region_id",
    ] {
        assert_eq!(echo[field], request[field], "{field}");
    }

    let (status, driver) = get(&world, &world.provider, &driver_path("3101001234", 310100)).await;
    assert_eq!(status, 200, "{driver}");
    assert_eq!(decrypt(&world.provider, &driver["driver_name"]), "王师傅");
    assert!(driver.get("id_card_number").is_none(), "{driver}");
    let mut rest = driver.clone();
    rest.as_object_mut().unwrap().remove("driver_name");
    assert_eq!(
        rest,
        json!({"company_name": NAME, "company_mchid": mchid, "driver_license": "3101001234",
            "driver_category": "MAIN", "region_id": 310100, "driver_state": "ACTIVE",
            "driver_photo": {"photo_type": "PHOTO_URL",
                "photo_digest": {"hash_type": "MD5", "hash_value": "e10adc3949ba59abbe56e057f20f883e"},
                "photo_url": "http://www.abc.com/driver.icon",
                "photo_data": "/9j/4AAQSkZJRgABAgAAAQABAAD"}})
    );
}

#[tokio::test]
async fn a_driver_updated_off_duty_is_inactive() {
    let world = FapiaoWorld::start().await;
    let mchid = company(&world, NAME).await;
    let (mut request, serial) = body(&world, &mchid, "沪3101001234").await;
    request["driver_status"] = json!("OFF_DUTY");
    request["driver_category"] = json!("FLEXIBLE");
    request.as_object_mut().unwrap().remove("driver_photo");
    let (status, echo) = send(&world, &world.provider, &request, &serial).await;
    assert_eq!(status, 200, "{echo}");
    assert!(echo.get("driver_photo").is_none(), "{echo}");
    let (status, driver) = get(
        &world,
        &world.provider,
        &driver_path("沪3101001234", 310100),
    )
    .await;
    assert_eq!(status, 200, "{driver}");
    assert_eq!(
        (&driver["driver_state"], &driver["driver_category"]),
        (&json!("INACTIVE"), &json!("FLEXIBLE"))
    );
    assert!(driver.get("driver_photo").is_none(), "{driver}");
}

#[tokio::test]
async fn update_names_each_wrong_field() {
    let world = FapiaoWorld::start().await;
    let mchid = company(&world, NAME).await;
    let (request, serial) = body(&world, &mchid, "3101001234").await;
    let change = |field: &str, value: Value| {
        let mut b = request.clone();
        match value {
            Value::Null => {
                b.as_object_mut().unwrap().remove(field);
            }
            v => b[field] = v,
        }
        b
    };
    let cases = [
        (
            "driver_name",
            change("driver_name", json!("not-a-ciphertext")),
        ),
        ("id_card_number", change("id_card_number", Value::Null)),
        ("driver_license", change("driver_license", json!(""))),
        ("driver_category", change("driver_category", json!("NIGHT"))),
        ("driver_status", change("driver_status", json!("SLEEPING"))),
        (
            "company_name",
            change("company_name", json!("上海别的公司")),
        ),
        ("mchid", change("mchid", Value::Null)),
        (
            "driver_photo",
            change("driver_photo", json!("http://www.abc.com/driver.icon")),
        ),
        ("region_id", change("region_id", json!("上海"))),
    ];
    for (field, b) in cases {
        let answer = send(&world, &world.provider, &b, &serial).await;
        assert_error(&answer, 400, "PARAM_ERROR", Some(field));
    }
    // Encrypted with a key kabao does not hold under that name.
    let answer = send(
        &world,
        &world.provider,
        &request,
        "PUB_KEY_ID_0000000000000000000000000000",
    )
    .await;
    assert_error(&answer, 400, "PARAM_ERROR", Some("Wechatpay-Serial"));
    // Without Wechatpay-Serial the fields cannot be decrypted.
    let answer = world
        .call(&world.provider, "POST", UPDATE, Some(&request))
        .await;
    assert_error(&answer, 400, "PARAM_ERROR", Some("Wechatpay-Serial"));
    let answer = get(&world, &world.provider, &driver_path("3101001234", 310100)).await;
    assert_error(&answer, 404, "NOT_FOUND", Some("driver_license"));
}

#[tokio::test]
async fn a_driver_of_a_company_not_the_providers_is_refused_and_drivers_are_per_provider() {
    let world = FapiaoWorld::start().await;
    let fleet = register_fleet(&world, &world.provider, NAME, "沪A12345", "3101001234").await;
    let other = other_provider(&world).await;
    let (_, theirs) = create_company(&world, &other, NAME, 310100).await;
    let (request, serial) = body(&world, theirs["mchid"].as_str().unwrap(), "3101005555").await;
    let answer = send(&world, &world.provider, &request, &serial).await;
    assert_error(&answer, 403, "NO_AUTH", Some("mchid"));

    let unknown = get(&world, &world.provider, &driver_path("3109999999", 310100)).await;
    assert_error(&unknown, 404, "NOT_FOUND", Some("driver_license"));
    assert!(unknown.1["message"]
        .as_str()
        .unwrap()
        .contains("所查询的出租车司机不存在"));
    let foreign = get(&world, &other, &driver_path(&fleet.driver_license, 310100)).await;
    assert_error(&foreign, 404, "NOT_FOUND", Some("driver_license"));
    let elsewhere = get(
        &world,
        &world.provider,
        &driver_path(&fleet.driver_license, 510100),
    )
    .await;
    assert_error(&elsewhere, 404, "NOT_FOUND", Some("driver_license"));
}
