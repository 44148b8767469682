//! The 数电 variants (F11–F14): one fapiao per call for real payments,
//! industry blocks, ISSUE_FAILED with an error code, and retries with a new
//! fapiao_id.

use super::*;
use crate::fapiao_steps::{post_reverse, set_outcome};
use crate::fapiao_world::{PROVIDER, SUB};

const GENERAL: &str = "/v3/new-tax-control-fapiao/fapiao-applications/issue-general";
const PASSENGER: &str = "/v3/new-tax-control-fapiao/fapiao-applications/issue-passenger-transport";

fn digital(apply_id: &str, fapiao_id: &str, tx: &str) -> Value {
    json!({"sub_mchid": SUB, "fapiao_apply_id": apply_id,
        "buyer_information": {"type": "INDIVIDUAL", "name": "张三"},
        "fapiao_information": {"fapiao_id": fapiao_id, "total_amount": 11_300, "need_list": false,
            "items": [{"tax_code": TAXI, "goods_name": "客运服务", "total_amount": 11_300,
                       "tax_rate": 1300.0, "discount": false}],
            "billing_person_id": "BP-01", "fapiao_bill_type": "COMM_FAPIAO",
            "transaction_information": [{"pay_channel": "WECHAT_PAY", "transaction_id": tx, "amount": 11_300}]}})
}

/// POSTs `body` to issue-general as the provider.
async fn general(world: &FapiaoWorld, body: &Value) -> (u16, Value) {
    world
        .call(&world.provider, "POST", GENERAL, Some(body))
        .await
}

/// Waits until the sub-merchant's `apply_id` has `status` and `card_status`.
async fn sub_reaches(
    world: &FapiaoWorld,
    apply_id: &str,
    status: &str,
    card_status: Option<&str>,
) -> Value {
    wait_until(
        world,
        &world.provider,
        apply_id,
        Some(SUB),
        status,
        card_status,
    )
    .await
}

/// A world with the sub-merchant's template and one of its paid orders.
async fn ready() -> (FapiaoWorld, String) {
    let world = FapiaoWorld::start().await;
    card_template(&world, &world.provider, Some(SUB)).await;
    let tx = paid_order(&world, SUB).await;
    (world, tx)
}

#[tokio::test]
async fn a_failed_digital_fapiao_is_retried_with_a_new_fapiao_id() {
    let (world, tx) = ready().await;
    let apply_id = "DIGITAL-RETRY";
    set_outcome(
        &world,
        SUB,
        Some(apply_id),
        &json!({"mode": "fail", "code": "TAX_BUREAU_BUSY", "message": "税局系统繁忙"}),
    )
    .await;

    let (status, answer) = general(&world, &digital(apply_id, "D-1", &tx)).await;
    assert_eq!(status, 202, "{answer}");
    let failed = sub_reaches(&world, apply_id, "ISSUE_FAILED", None).await;
    let f = &failed["fapiao_information"][0];
    assert_eq!(
        (
            f["fapiao_error_code"].as_str(),
            f["fapiao_error_message"].as_str()
        ),
        (Some("TAX_BUREAU_BUSY"), Some("税局系统繁忙"))
    );
    assert!(f.get("blue_fapiao").is_none());
    let issued = callbacks(&world, &world.provider, "/provider", "FAPIAO.ISSUED", 1).await;
    assert_eq!(
        issued[0]["fapiao_information"][0]["fapiao_status"],
        "ISSUE_FAILED"
    );
    assert_eq!(issued[0]["mchid"], PROVIDER);

    let same_id = general(&world, &digital(apply_id, "D-1", &tx)).await;
    assert_error(
        &same_id,
        400,
        "INVALID_REQUEST",
        Some("fapiao_information.fapiao_id"),
    );

    for attempt in 2..=5 {
        let (status, answer) =
            general(&world, &digital(apply_id, &format!("D-{attempt}"), &tx)).await;
        assert_eq!(status, 202, "attempt {attempt}: {answer}");
        sub_reaches(&world, apply_id, "ISSUE_FAILED", None).await;
    }
    let sixth = general(&world, &digital(apply_id, "D-6", &tx)).await;
    assert_error(&sixth, 400, "INVALID_REQUEST", Some("fapiao_apply_id"));

    let immediate = json!({"mode": "immediate"});
    set_outcome(&world, SUB, Some("OTHER-APPLY"), &immediate).await;
    let (status, answer) = general(&world, &digital("OTHER-APPLY", "E-1", &tx)).await;
    assert_eq!(status, 202, "{answer}");
    let done = sub_reaches(&world, "OTHER-APPLY", "ISSUED", Some("INSERTED")).await;
    let blue = &done["fapiao_information"][0]["blue_fapiao"];
    assert_eq!(blue["fapiao_code"], "", "a 数电 fapiao has no code");
    assert_eq!(blue["fapiao_number"].as_str().unwrap().len(), 20);
    let number = blue["fapiao_number"].as_str().unwrap().to_owned();
    let reverse = json!({"sub_mchid": SUB, "reverse_reason": "ISSUE_ERROR",
        "fapiao_information": [{"fapiao_id": "E-1", "fapiao_number": number}]});
    let fail = json!({"mode": "fail", "code": "RED_LIMIT", "message": "红字确认单未确认"});
    set_outcome(&world, SUB, Some("OTHER-APPLY"), &fail).await;
    let (status, _) = post_reverse(&world, &world.provider, "OTHER-APPLY", &reverse).await;
    assert_eq!(status, 202);
    let failed = sub_reaches(&world, "OTHER-APPLY", "REVERSE_FAILED", Some("INSERTED")).await;
    assert_eq!(
        failed["fapiao_information"][0]["fapiao_error_code"],
        "RED_LIMIT"
    );
    set_outcome(&world, SUB, Some("OTHER-APPLY"), &immediate).await;
    let (status, _) = post_reverse(&world, &world.provider, "OTHER-APPLY", &reverse).await;
    assert_eq!(status, 202, "a failed reversal may be tried again");
    let reversed = sub_reaches(&world, "OTHER-APPLY", "REVERSED", Some("DISCARDED")).await;
    let red = &reversed["fapiao_information"][0];
    assert!(red.get("fapiao_error_code").is_none(), "{red}");
    assert_eq!(
        red["red_fapiao"]["fapiao_number"].as_str().unwrap().len(),
        20
    );
    let again = general(&world, &digital("OTHER-APPLY", "E-2", &tx)).await;
    assert_error(
        &again,
        400,
        "RESOURCE_ALREADY_EXISTS",
        Some("fapiao_apply_id"),
    );
}

#[tokio::test]
async fn a_digital_fapiao_names_real_payments_of_the_owner() {
    let (world, _) = ready().await;
    let answer = general(
        &world,
        &digital("DIG-UNPAID", "D", "4200000000202601019999999999"),
    )
    .await;
    assert_error(
        &answer,
        403,
        "RULE_LIMIT",
        Some("fapiao_information.transaction_information[0].transaction_id"),
    );
    let mut body = digital("DIG-2", "D", "x");
    body["fapiao_information"]["fapiao_bill_type"] = json!("PAPER");
    let answer = general(&world, &body).await;
    assert_error(
        &answer,
        400,
        "PARAM_ERROR",
        Some("fapiao_information.fapiao_bill_type"),
    );
    let answer = query(&world, &world.provider, "DIG-UNPAID", Some(SUB)).await;
    assert_error(&answer, 404, "RESOURCE_NOT_EXISTS", None);
}

#[tokio::test]
async fn a_passenger_fapiao_needs_its_block_with_an_encrypted_certificate() {
    let (world, tx) = ready().await;
    let body = digital("PASSENGER-1", "P-1", &tx);
    let missing = world
        .call(&world.provider, "POST", PASSENGER, Some(&body))
        .await;
    assert_error(
        &missing,
        400,
        "PARAM_ERROR",
        Some("fapiao_information.items[0].passenger_information"),
    );

    let (certificate, serial) = encrypt(&world, "440301199001011234").await;
    let mut body = body;
    body["fapiao_information"]["items"][0]["passenger_information"] = json!({
        "name": "张三", "certificate_type": "IDENTITY_CARD", "certificate_number": certificate,
        "departure_date": "2026-01-01", "departure_place": "深圳", "destination": "广州",
        "transportation_type": "LONG_DISTANCE_BUS"});
    let mut without_destination = body.clone();
    without_destination["fapiao_information"]["items"][0]["passenger_information"]
        .as_object_mut()
        .unwrap()
        .remove("destination");
    let answer = call_with_serial(
        &world,
        &world.provider,
        PASSENGER,
        &without_destination,
        &serial,
    )
    .await;
    assert_error(
        &answer,
        400,
        "PARAM_ERROR",
        Some("fapiao_information.items[0].passenger_information.destination"),
    );
    let (status, answer) =
        call_with_serial(&world, &world.provider, PASSENGER, &body, &serial).await;
    assert_eq!(status, 202, "{answer}");
    let done = sub_reaches(&world, "PASSENGER-1", "ISSUED", Some("INSERTED")).await;
    assert_eq!(
        done["fapiao_information"][0]["card_information"]["card_openid"],
        PAYER
    );
    assert_eq!(done["fapiao_information"][0]["tax_amount"], 1_300);
}
