//! check-status (F1) and check (F2).

use super::{admin_put, assert_error};
use crate::fapiao_world::{FapiaoWorld, DIRECT, SUB};
use serde_json::json;

const BASE: &str = "/v3/new-tax-control-fapiao/merchant";

#[tokio::test]
async fn check_status_shows_an_accepted_sub_merchant_enabled_and_a_revoked_one_disabled() {
    let w = FapiaoWorld::start().await;
    let (status, body) = w
        .call(
            &w.provider,
            "GET",
            &format!("{BASE}/{SUB}/check-status"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["sub_mchid"], SUB);
    assert_eq!(body["third_mode"]["status"], "ENABLED");
    assert_eq!(body["digital_tax_mode"]["status"], "ENABLED");
    let abilities = body["digital_tax_mode"]["ability_info"].as_array().unwrap();
    assert_eq!(abilities.len(), 3);
    assert!(abilities.iter().all(|a| a["status"] == "AUTHORIZED"));
    assert!(body["digital_tax_mode"]["access_time"]
        .as_str()
        .unwrap()
        .ends_with("+08:00"));

    let (status, _) = admin_put(
        &w,
        &format!("/fapiao/merchants/{SUB}"),
        &json!({"provider_authorized": false}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = w
        .call(
            &w.provider,
            "GET",
            &format!("{BASE}/{SUB}/check-status"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["third_mode"]["status"], "DISABLED");
    assert_eq!(body["digital_tax_mode"]["status"], "DISABLED");
    let answer = w
        .call(
            &w.provider,
            "POST",
            &format!("{BASE}/{SUB}/check"),
            Some(&json!({})),
        )
        .await;
    assert_error(&answer, 403, "NO_AUTH", None);
    assert!(answer.1["message"].as_str().unwrap().contains(SUB));
}

#[tokio::test]
async fn check_answers_204_by_post_and_by_get_and_a_direct_merchant_may_check_itself() {
    let w = FapiaoWorld::start().await;
    let (status, body) = w
        .call(
            &w.provider,
            "POST",
            &format!("{BASE}/{SUB}/check"),
            Some(&json!({})),
        )
        .await;
    assert_eq!((status, body), (204, serde_json::Value::Null));
    let (status, _) = w
        .call(&w.provider, "GET", &format!("{BASE}/{SUB}/check"), None)
        .await;
    assert_eq!(status, 204);
    let (status, _) = w
        .call(&w.direct, "GET", &format!("{BASE}/{DIRECT}/check"), None)
        .await;
    assert_eq!(status, 204);
    let (status, body) = w
        .call(
            &w.direct,
            "GET",
            &format!("{BASE}/{DIRECT}/check-status"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["sub_mchid"], DIRECT);
    assert_eq!(body["third_mode"]["status"], "ENABLED");
}

#[tokio::test]
async fn checks_refuse_a_merchant_that_is_not_the_callers_sub_merchant() {
    let w = FapiaoWorld::start().await;
    for (merchant, target) in [
        (&w.provider, DIRECT),
        (&w.provider, "1999999999"),
        (&w.direct, SUB),
    ] {
        let answer = w
            .call(
                merchant,
                "GET",
                &format!("{BASE}/{target}/check-status"),
                None,
            )
            .await;
        assert_error(&answer, 403, "NO_AUTH", None);
        assert!(
            answer.1["message"].as_str().unwrap().contains(target),
            "{}",
            answer.1
        );
        let answer = w
            .call(merchant, "GET", &format!("{BASE}/{target}/check"), None)
            .await;
        assert_error(&answer, 403, "NO_AUTH", None);
    }
}

#[tokio::test]
async fn the_digital_tax_status_set_through_the_control_api_shows_in_check_status() {
    let w = FapiaoWorld::start().await;
    let (status, body) = admin_put(
        &w,
        &format!("/fapiao/merchants/{SUB}"),
        &json!({"digital_tax_status": "APPLY_FAILED"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["digital_tax_status"], "APPLY_FAILED");
    let (_, body) = w
        .call(
            &w.provider,
            "GET",
            &format!("{BASE}/{SUB}/check-status"),
            None,
        )
        .await;
    assert_eq!(body["third_mode"]["status"], "ENABLED");
    assert_eq!(body["digital_tax_mode"]["status"], "APPLY_FAILED");
    assert!(body["digital_tax_mode"]["access_fail_reason"].is_string());
    assert!(body["digital_tax_mode"].get("ability_info").is_none());

    let (status, body) = admin_put(
        &w,
        &format!("/fapiao/merchants/{SUB}"),
        &json!({"digital_tax_status": "SOMETIMES"}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["field"], "digital_tax_status");
    let (_, body) = w.app.admin_get(&format!("/fapiao/merchants/{SUB}")).await;
    assert_eq!(body["digital_tax_status"], "APPLY_FAILED");
    let (status, _) = admin_put(&w, "/fapiao/merchants/1999999999", &json!({})).await;
    assert_eq!(status, 404);
}
