//! wechatpayv3 2.0.4, unmodified but for its base URL, drives the taxi
//! invoice family against kabao through its generic signed request: company,
//! taxi, driver (name and ID number encrypted with kabao's platform public
//! key, the name read back and decrypted), sign-in, then — after a
//! passenger's ride recorded here on the control API — the trip orders, the
//! upload and the card, inserted twice. The SDK verifies every answer's
//! signature.

use super::run_script;
use crate::helpers::*;
use serde_json::{json, Value};

const PROVIDER: &str = "1900000801";
const APPID: &str = "wxb1170446a4c0a5a2";
const OPENID: &str = "oUypO5aQ1oOCaSiNZUpT5kxxJHuc";
const REGION_ID: i64 = 310100;
const COMPANY_NAME: &str = "上海强生出租汽车有限公司";
const PLATE: &str = "沪A12345";
const DRIVER_LICENSE: &str = "6298416";
const DRIVER_NAME: &str = "王师傅";

/// A small valid PDF for the upload.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// Unix seconds as an RFC 3339 time in China.
fn china_time(at: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(at)
        .unwrap()
        .to_offset(time::macros::offset!(+8));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+08:00",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[tokio::test]
async fn wechatpayv3_runs_the_taxi_flow_through_its_generic_request() {
    let app = spawn_app().await;
    let provider = app
        .merchant(PROVIDER, json!({"kind": "service_provider"}))
        .await;
    let key_file = app.dir.path().join("apiclient_key.pem");
    std::fs::write(&key_file, provider.key.to_pkcs8_pem()).unwrap();
    let pdf_path = app.dir.path().join("taxi-fapiao.pdf");
    std::fs::write(&pdf_path, PDF).unwrap();
    let (_, keys) = app.admin_get("/platform-keys").await;
    let platform = &keys[0];
    // The punch a minute ago, so the ride below finds the driver signed in.
    let event_time = china_time(now() - 60);
    let common = json!({
        "base_url": app.base_url,
        "mchid": PROVIDER,
        "serial": provider.serial,
        "key_file": key_file,
        "apiv3_key": provider.apiv3_key,
        "public_key_pem": platform["public_key_pem"],
        "public_key_id": platform["public_key_id"],
        "appid": APPID,
        "openid": OPENID,
        "region_id": REGION_ID,
        "company_name": COMPANY_NAME,
        "plate_number": PLATE,
        "driver_license": DRIVER_LICENSE,
        "driver_name": DRIVER_NAME,
    });
    let with = |extra: Value| {
        let mut args = common.clone();
        args.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        args
    };

    let fleet = run_script(
        "wechatpayv3_taxi.py",
        with(json!({"phase": "fleet", "event_time": event_time})),
    )
    .await;
    assert_eq!(fleet["company"][0], 200, "{fleet}");
    let company_mchid = fleet["company"][1]["mchid"].as_str().unwrap().to_owned();
    assert_eq!(fleet["company"][1]["company_name"], COMPANY_NAME);
    assert_eq!(fleet["company_read"][0], 200, "{fleet}");
    assert_eq!(fleet["company_read"][1]["company_mchid"], company_mchid);
    assert_eq!(fleet["company_read"][1]["region_id"], REGION_ID);
    assert_eq!(fleet["taxi"][0], 200, "{fleet}");
    assert_eq!(fleet["taxi_read"][0], 200, "{fleet}");
    assert_eq!(fleet["taxi_read"][1]["plate_number"], PLATE);
    assert_eq!(fleet["taxi_read"][1]["company_mchid"], company_mchid);
    assert_eq!(fleet["driver"][0], 200, "{fleet}");
    assert_eq!(
        fleet["driver_name_echo"], DRIVER_NAME,
        "the SDK decrypts T5's echo"
    );
    assert_eq!(fleet["driver_read"][0], 200, "{fleet}");
    assert_eq!(fleet["driver_read"][1]["driver_state"], "ACTIVE");
    assert_eq!(
        fleet["driver_name"], DRIVER_NAME,
        "the SDK decrypts T6's name"
    );
    assert_eq!(fleet["punch"][0], 204, "{fleet}");

    // The passenger pays in the taxi: a trip order, since the driver is signed in.
    let (status, ride) = app
        .admin_post(
            "/taxi/rides",
            &json!({"provider_mchid": PROVIDER, "region_id": REGION_ID, "plate_number": PLATE,
                "appid": APPID, "openid": OPENID, "amount": 5450}),
        )
        .await;
    assert_eq!(status, 201, "{ride}");
    let token = ride["trip_order"]["token"].as_str().unwrap().to_owned();
    // T8 asks for the China day the passenger got in (up_time is +08:00).
    let date = ride["up_time"].as_str().unwrap()[..10].replace('-', "");

    let trip = run_script(
        "wechatpayv3_taxi.py",
        with(
            json!({"phase": "trip", "company_mchid": company_mchid, "token": token,
            "date": date, "pdf_path": pdf_path}),
        ),
    )
    .await;
    assert_eq!(trip["orders"][0], 200, "{trip}");
    assert_eq!(trip["orders"][1]["total_count"], 1, "{trip}");
    assert_eq!(trip["orders"][1]["data"][0]["plate_number"], PLATE);
    assert_eq!(
        trip["orders"][1]["data"][0]["driver_license"],
        DRIVER_LICENSE
    );
    assert_eq!(trip["by_token"][0], 200, "{trip}");
    assert_eq!(trip["by_token"][1]["pay_amount"], 5450);
    assert_eq!(trip["by_token"][1]["source"], "SOURCE_PAY");
    assert_eq!(trip["upload"][0], 200, "{trip}");
    let media_id = trip["upload"][1]["fapiao_media_id"].as_str().unwrap();
    assert_eq!(trip["card"], json!([204, null]), "{trip}");
    assert_eq!(
        trip["card_again"],
        json!([204, null]),
        "the replay answers the same"
    );

    let (status, cards) = app.admin_get(&format!("/taxi/cards?openid={OPENID}")).await;
    assert_eq!(status, 200, "{cards}");
    assert_eq!(cards["total_count"], 1, "one card for one trip: {cards}");
    let card = &cards["cards"][0];
    assert_eq!(card["status"], "INSERTED");
    assert_eq!(card["card_appid"], APPID);
    assert_eq!(card["company_mchid"], company_mchid.as_str());
    assert_eq!(card["fapiao_media_id"], media_id);
    assert_eq!(card["trip"]["trip_order"]["token"], token.as_str());
    assert_eq!(
        card["warnings"],
        json!([]),
        "the SDK's body is consistent: {card}"
    );
}
