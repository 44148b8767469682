//! Steps the taxi tests share: a provider's fleet (company, taxi, driver)
//! registered through T1, T3 and T5, and the driver's sign-in (T7).

use crate::fapiao_steps::encrypt;
use crate::fapiao_world::FapiaoWorld;
use crate::helpers::{now, TestMerchant};
use serde_json::{json, Value};

/// Shanghai, the region of the official examples.
pub const REGION_ID: i64 = 310100;

/// A second service provider, with a fleet of its own.
pub const OTHER_PROVIDER: &str = "1900000999";

/// Provisions [`OTHER_PROVIDER`].
pub async fn other_provider(world: &FapiaoWorld) -> TestMerchant {
    world
        .app
        .merchant(OTHER_PROVIDER, json!({"kind": "service_provider"}))
        .await
}

/// Asserts that an error answer's message says `text` (the official
/// page's wording of the error).
pub fn assert_says(answer: &(u16, Value), text: &str) {
    let message = answer.1["message"].as_str().unwrap_or_default();
    assert!(message.contains(text), "{text:?} not in {}", answer.1);
}

/// One registered company with one taxi and one driver.
#[derive(Debug, Clone)]
pub struct TaxiFleet {
    /// The company's mchid as T1 assigned it.
    pub company_mchid: String,
    /// The company's name.
    pub company_name: String,
    /// The taxi's plate.
    pub plate_number: String,
    /// The driver's 营运资格证号.
    pub driver_license: String,
    /// The region of all three.
    pub region_id: i64,
}

/// T1 `create-taxi-company` as `provider`; the answer's status and body.
pub async fn create_company(
    world: &FapiaoWorld,
    provider: &TestMerchant,
    name: &str,
    region_id: i64,
) -> (u16, Value) {
    let body = json!({
        "company_name": name,
        "tax_id": "12345678901234567J",
        "address": "广东省深圳市南山区高新科技园科技中一路腾讯大厦",
        "phone": "075586013388",
        "bank_name": "中国工商银行南山支行",
        "bank_account": "12345678901234",
        "invoice_mode": "JIAO_WEI",
        "legal_person": "张三",
        "short_name": "深圳未来",
        "region_id": region_id,
        "enterprise_type": "ENTERPRISE"
    });
    world
        .call(
            provider,
            "POST",
            "/v3/taxi-invoice/taxi-company/create-taxi-company",
            Some(&body),
        )
        .await
}

/// T3 `update-taxi` as `provider` for `company`; the answer.
pub async fn update_taxi(
    world: &FapiaoWorld,
    provider: &TestMerchant,
    company_mchid: &str,
    company_name: &str,
    plate_number: &str,
    region_id: i64,
) -> (u16, Value) {
    let body = json!({
        "plate_number": plate_number,
        "company_name": company_name,
        "mchid": company_mchid,
        "main_license": "3101001234",
        "deputy_license": "3101005678",
        "region_id": region_id,
        "invoice_flag": "INVOICE",
        "taxi_state": "IN_OPERATION"
    });
    world
        .call(
            provider,
            "POST",
            "/v3/taxi-invoice/taxi/update-taxi",
            Some(&body),
        )
        .await
}

/// T5 `update-driver` as `provider`, name and ID number encrypted with the
/// platform key (with `Wechatpay-Serial`); the answer.
pub async fn update_driver(
    world: &FapiaoWorld,
    provider: &TestMerchant,
    company_mchid: &str,
    company_name: &str,
    driver_license: &str,
    region_id: i64,
) -> (u16, Value) {
    let (name, serial) = encrypt(world, "王师傅").await;
    let (id_card, _) = encrypt(world, "310101198001010011").await;
    let body = json!({
        "driver_name": name,
        "id_card_number": id_card,
        "company_name": company_name,
        "mchid": company_mchid,
        "driver_license": driver_license,
        "driver_category": "MAIN",
        "driver_status": "ON_DUTY",
        "region_id": region_id
    });
    world
        .call_with_serial(
            provider,
            "POST",
            "/v3/taxi-invoice/driver/update-driver",
            Some(&body),
            &serial,
            now(),
        )
        .await
}

/// A field kabao encrypted for `merchant` (T5's echo, T6's driver_name),
/// decrypted with its API key.
pub fn decrypt(merchant: &TestMerchant, value: &Value) -> String {
    let plain = merchant
        .key
        .decrypt_oaep_sha1_b64(value.as_str().unwrap())
        .expect("encrypted for the caller's API certificate");
    String::from_utf8(plain).unwrap()
}

/// T7 `attendance/punch`: `event_type` (SIGN_IN or SIGN_OUT) now; the answer.
pub async fn punch(
    world: &FapiaoWorld,
    provider: &TestMerchant,
    fleet: &TaxiFleet,
    event_type: &str,
) -> (u16, Value) {
    let now_ms = time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
    punch_at(
        world,
        provider,
        fleet,
        event_type,
        &event_time(now_ms as i64),
    )
    .await
}

/// `unix_ms` as a punch's event_time: RFC 3339 in Beijing time with
/// milliseconds, as the official example writes it.
pub fn event_time(unix_ms: i64) -> String {
    let time = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(unix_ms) * 1_000_000)
        .unwrap()
        .to_offset(time::macros::offset!(+8));
    time.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]+08:00"
    ))
    .unwrap()
}

/// T7 `attendance/punch` of `fleet`'s driver and taxi with `event_type`
/// at `event_time` (RFC 3339); the answer.
pub async fn punch_at(
    world: &FapiaoWorld,
    provider: &TestMerchant,
    fleet: &TaxiFleet,
    event_type: &str,
    event_time: &str,
) -> (u16, Value) {
    let body = json!({
        "plate_number": fleet.plate_number,
        "driver_license": fleet.driver_license,
        "event_time": event_time,
        "event_type": event_type,
        "region_id": fleet.region_id
    });
    world
        .call(
            provider,
            "POST",
            "/v3/taxi-invoice/attendance/punch",
            Some(&body),
        )
        .await
}

/// Registers a company named `name` with taxi `plate_number` and driver
/// `driver_license` for `provider` in [`REGION_ID`], each step answered 200.
pub async fn register_fleet(
    world: &FapiaoWorld,
    provider: &TestMerchant,
    name: &str,
    plate_number: &str,
    driver_license: &str,
) -> TaxiFleet {
    let (status, company) = create_company(world, provider, name, REGION_ID).await;
    assert_eq!(status, 200, "create-taxi-company: {company}");
    let company_mchid = company["mchid"].as_str().unwrap().to_owned();
    let (status, taxi) = update_taxi(
        world,
        provider,
        &company_mchid,
        name,
        plate_number,
        REGION_ID,
    )
    .await;
    assert_eq!(status, 200, "update-taxi: {taxi}");
    let (status, driver) = update_driver(
        world,
        provider,
        &company_mchid,
        name,
        driver_license,
        REGION_ID,
    )
    .await;
    assert_eq!(status, 200, "update-driver: {driver}");
    TaxiFleet {
        company_mchid,
        company_name: name.to_owned(),
        plate_number: plate_number.to_owned(),
        driver_license: driver_license.to_owned(),
        region_id: REGION_ID,
    }
}

/// [`register_fleet`] and the driver's SIGN_IN, so rides become trip orders.
pub async fn signed_in_fleet(
    world: &FapiaoWorld,
    provider: &TestMerchant,
    name: &str,
    plate_number: &str,
    driver_license: &str,
) -> TaxiFleet {
    let fleet = register_fleet(world, provider, name, plate_number, driver_license).await;
    let (status, answer) = punch(world, provider, &fleet, "SIGN_IN").await;
    assert_eq!(status, 204, "punch: {answer}");
    fleet
}

/// The world's provider's signed-in fleet in Shanghai: 上海强生出租汽车,
/// taxi 沪A12345, driver 6298416 (the official examples' plate and licence).
pub async fn shanghai_fleet(world: &FapiaoWorld) -> TaxiFleet {
    let provider = &world.provider;
    signed_in_fleet(world, provider, "上海强生出租汽车", "沪A12345", "6298416").await
}

/// The world's provider's second company, signed in too: 上海强生出租汽车二,
/// taxi 沪B54321, driver 7300001.
pub async fn second_fleet(world: &FapiaoWorld) -> TaxiFleet {
    let provider = &world.provider;
    signed_in_fleet(world, provider, "上海强生出租汽车二", "沪B54321", "7300001").await
}
