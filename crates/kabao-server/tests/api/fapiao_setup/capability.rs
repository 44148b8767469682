//! check-status (F1) and check (F2).

use crate::fapiao_steps::{assert_error, merchant_settings};
use crate::fapiao_world::{FapiaoWorld, DIRECT, SUB};
use crate::helpers::TestMerchant;
use serde_json::{json, Value};

const BASE: &str = "/v3/new-tax-control-fapiao/merchant";

/// check-status (F1) of `target` as `merchant` asks it.
async fn check_status(w: &FapiaoWorld, merchant: &TestMerchant, target: &str) -> (u16, Value) {
    let path = format!("{BASE}/{target}/check-status");
    w.call(merchant, "GET", &path, None).await
}

/// check (F2) of `target` as `merchant`, by POST with `{}` or by GET.
async fn check(
    w: &FapiaoWorld,
    merchant: &TestMerchant,
    target: &str,
    by_post: bool,
) -> (u16, Value) {
    let path = format!("{BASE}/{target}/check");
    let (method, body) = if by_post {
        ("POST", Some(json!({})))
    } else {
        ("GET", None)
    };
    w.call(merchant, method, &path, body.as_ref()).await
}

#[tokio::test]
async fn check_status_shows_an_accepted_sub_merchant_enabled_and_a_revoked_one_disabled() {
    let w = FapiaoWorld::start().await;
    let (status, body) = check_status(&w, &w.provider, SUB).await;
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

    let (status, _) = merchant_settings(&w, SUB, &json!({"provider_authorized": false})).await;
    assert_eq!(status, 200);
    let (status, body) = check_status(&w, &w.provider, SUB).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["third_mode"]["status"], "DISABLED");
    assert_eq!(body["digital_tax_mode"]["status"], "DISABLED");
    let answer = check(&w, &w.provider, SUB, true).await;
    assert_error(&answer, 403, "NO_AUTH", None);
    assert!(answer.1["message"].as_str().unwrap().contains(SUB));
}

#[tokio::test]
async fn check_answers_204_by_post_and_by_get_and_a_direct_merchant_may_check_itself() {
    let w = FapiaoWorld::start().await;
    let (status, body) = check(&w, &w.provider, SUB, true).await;
    assert_eq!((status, body), (204, Value::Null));
    let (status, _) = check(&w, &w.provider, SUB, false).await;
    assert_eq!(status, 204);
    let (status, _) = check(&w, &w.direct, DIRECT, false).await;
    assert_eq!(status, 204);
    let (status, body) = check_status(&w, &w.direct, DIRECT).await;
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
        let answer = check_status(&w, merchant, target).await;
        assert_error(&answer, 403, "NO_AUTH", None);
        assert!(
            answer.1["message"].as_str().unwrap().contains(target),
            "{}",
            answer.1
        );
        let answer = check(&w, merchant, target, false).await;
        assert_error(&answer, 403, "NO_AUTH", None);
    }
}

#[tokio::test]
async fn the_digital_tax_status_set_through_the_control_api_shows_in_check_status() {
    let w = FapiaoWorld::start().await;
    let (status, body) =
        merchant_settings(&w, SUB, &json!({"digital_tax_status": "APPLY_FAILED"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["digital_tax_status"], "APPLY_FAILED");
    let (_, body) = check_status(&w, &w.provider, SUB).await;
    assert_eq!(body["third_mode"]["status"], "ENABLED");
    assert_eq!(body["digital_tax_mode"]["status"], "APPLY_FAILED");
    assert!(body["digital_tax_mode"]["access_fail_reason"].is_string());
    assert!(body["digital_tax_mode"].get("ability_info").is_none());

    let (status, body) =
        merchant_settings(&w, SUB, &json!({"digital_tax_status": "SOMETIMES"})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["field"], "digital_tax_status");
    let (_, body) = w.app.admin_get(&format!("/fapiao/merchants/{SUB}")).await;
    assert_eq!(body["digital_tax_status"], "APPLY_FAILED");
    let (status, _) = merchant_settings(&w, "1999999999", &json!({})).await;
    assert_eq!(status, 404);
}
