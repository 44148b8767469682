//! Every issuing rule with WeChat's code and the field it names; a refused
//! call stores nothing (the application stays unknown to F15).

use super::*;
use crate::fapiao_steps::merchant_settings;
use crate::fapiao_world::{DIRECT, SUB};
use futures_util::future::join_all;

/// A world with the direct merchant's template and one of its paid orders.
async fn ready() -> (FapiaoWorld, String) {
    let world = FapiaoWorld::start().await;
    let tx = direct_order(&world).await;
    (world, tx)
}

async fn assert_nothing_stored(world: &FapiaoWorld, apply_id: &str) {
    let answer = query(world, &world.direct, apply_id, None).await;
    assert_error(&answer, 404, "RESOURCE_NOT_EXISTS", None);
}

#[tokio::test]
async fn shape_rules_answer_param_error_naming_the_field() {
    let (world, tx) = ready().await;
    let six = (0..6)
        .map(|i| fapiao(&format!("F{i}"), vec![line(100)]))
        .collect();
    let answer = issue(&world, &world.direct, &classic("WITH_WECHATPAY", &tx, six)).await;
    assert_error(&answer, 400, "PARAM_ERROR", Some("fapiao_information"));

    let long = "1".repeat(33);
    let answer = issue(
        &world,
        &world.direct,
        &classic("WITH_WECHATPAY", &long, vec![fapiao("F", vec![line(100)])]),
    )
    .await;
    assert_error(&answer, 400, "PARAM_ERROR", Some("fapiao_apply_id"));

    let twice = vec![fapiao("F", vec![line(100)]), fapiao("F", vec![line(200)])];
    let answer = issue(
        &world,
        &world.direct,
        &classic("WITH_WECHATPAY", &tx, twice),
    )
    .await;
    assert_error(
        &answer,
        400,
        "PARAM_ERROR",
        Some("fapiao_information[1].fapiao_id"),
    );

    let mut wrong_total = fapiao("F", vec![line(100), line(200)]);
    wrong_total["total_amount"] = json!(301);
    let answer = issue(
        &world,
        &world.direct,
        &classic("WITH_WECHATPAY", &tx, vec![wrong_total]),
    )
    .await;
    assert_error(
        &answer,
        400,
        "PARAM_ERROR",
        Some("fapiao_information[0].total_amount"),
    );

    let mut bad_type = classic("WITH_WECHATPAY", &tx, vec![fapiao("F", vec![line(100)])]);
    bad_type["fapiao_information"][0]["items"][0]["quantity"] = json!("one");
    let answer = issue(&world, &world.direct, &bad_type).await;
    assert_error(
        &answer,
        400,
        "PARAM_ERROR",
        Some("fapiao_information[0].items[0].quantity"),
    );

    let answer = issue(
        &world,
        &world.direct,
        &classic("SOMETIMES", &tx, vec![fapiao("F", vec![line(100)])]),
    )
    .await;
    assert_error(&answer, 400, "PARAM_ERROR", Some("scene"));
    assert_nothing_stored(&world, &tx).await;
}

#[tokio::test]
async fn discount_lines_follow_a_larger_line_with_its_code_and_rate() {
    let (world, tx) = ready().await;
    let discount = |total: i64| {
        let mut l = line(total);
        l["discount"] = json!(true);
        l
    };
    let cases = [
        (
            vec![discount(-100)],
            "fapiao_information[0].items[0].discount",
        ),
        (
            vec![line(1000), discount(100)],
            "fapiao_information[0].items[1].total_amount",
        ),
        (
            vec![line(1000), discount(-1001)],
            "fapiao_information[0].items[1].total_amount",
        ),
        (
            vec![line(1000), {
                let mut d = discount(-100);
                d["tax_code"] = json!("1010101010000000000");
                d["tax_rate"] = json!(900);
                d
            }],
            "fapiao_information[0].items[1].tax_code",
        ),
        (
            vec![line(1000), {
                let mut d = discount(-100);
                d["tax_rate"] = json!(600);
                d
            }],
            "fapiao_information[0].items[1].tax_rate",
        ),
    ];
    for (lines, field) in cases {
        let answer = issue(
            &world,
            &world.direct,
            &classic("WITH_WECHATPAY", &tx, vec![fapiao("F", lines)]),
        )
        .await;
        assert_error(&answer, 400, "PARAM_ERROR", Some(field));
    }
    assert_nothing_stored(&world, &tx).await;

    let ok = fapiao("F", vec![line(11_300), discount(-1_130)]);
    let (status, body) = issue(
        &world,
        &world.direct,
        &classic("WITH_WECHATPAY", &tx, vec![ok]),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    let done = direct_inserted(&world, &tx).await;
    let f = &done["fapiao_information"][0];
    assert_eq!(f["items"][1]["tax_amount"], -130);
    assert_eq!(f["items"][1]["discount"], true);
    assert_eq!(
        (
            f["total_amount"].as_i64(),
            f["tax_amount"].as_i64(),
            f["amount"].as_i64()
        ),
        (Some(10_170), Some(1_170), Some(9_000))
    );
}

#[tokio::test]
async fn a_preferential_mark_means_no_tax_and_the_rate_defaults_to_the_table() {
    let (world, tx) = ready().await;
    let mut outside = line(10_000);
    outside["tax_prefer_mark"] = json!("OUTSIDE_VAT");
    let mut defaulted = line(11_300);
    defaulted.as_object_mut().unwrap().remove("tax_rate");
    defaulted.as_object_mut().unwrap().remove("tax_prefer_mark");
    let body = classic(
        "WITH_WECHATPAY",
        &tx,
        vec![fapiao("F", vec![outside, defaulted])],
    );
    let (status, answer) = issue(&world, &world.direct, &body).await;
    assert_eq!(status, 202, "{answer}");
    let done = direct_inserted(&world, &tx).await;
    let items = &done["fapiao_information"][0]["items"];
    assert_eq!(
        (items[0]["tax_amount"].as_i64(), items[0]["amount"].as_i64()),
        (Some(0), Some(10_000))
    );
    assert_eq!(
        (
            items[1]["tax_rate"].as_i64(),
            items[1]["tax_amount"].as_i64()
        ),
        (Some(1300), Some(1_300))
    );
}

#[tokio::test]
async fn an_apply_id_is_used_once_per_merchant() {
    let (world, tx) = ready().await;
    let body = classic("WITH_WECHATPAY", &tx, vec![fapiao("F", vec![line(100)])]);
    let (status, _) = issue(&world, &world.direct, &body).await;
    assert_eq!(status, 202);
    let replay = issue(&world, &world.direct, &body).await;
    assert_error(
        &replay,
        400,
        "RESOURCE_ALREADY_EXISTS",
        Some("fapiao_apply_id"),
    );
    assert!(
        replay.1["message"]
            .as_str()
            .unwrap()
            .contains("exact request"),
        "{}",
        replay.1
    );
    let other = classic(
        "WITH_WECHATPAY",
        &tx,
        vec![fapiao("G", vec![line(100)]), fapiao("H", vec![line(5)])],
    );
    let answer = issue(&world, &world.direct, &other).await;
    assert_error(
        &answer,
        400,
        "RESOURCE_ALREADY_EXISTS",
        Some("fapiao_apply_id"),
    );
    let stored = direct_inserted(&world, &tx).await;
    assert_eq!(stored["total_count"], 1);
    assert_eq!(stored["fapiao_information"][0]["fapiao_id"], "F");
}

#[tokio::test]
async fn setup_and_ownership_rules_answer_rule_limit() {
    let world = FapiaoWorld::start().await;
    let tx = paid_order(&world, DIRECT).await;
    let body = classic("WITH_WECHATPAY", &tx, vec![fapiao("F", vec![line(100)])]);
    let no_template = issue(&world, &world.direct, &body).await;
    assert_error(&no_template, 403, "RULE_LIMIT", None);
    assert!(no_template.1["message"]
        .as_str()
        .unwrap()
        .contains("card-template"));
    card_template(&world, &world.direct, None).await;

    let mut unknown_code = line(100);
    unknown_code["tax_code"] = json!("9999999999999999999");
    let answer = issue(
        &world,
        &world.direct,
        &classic(
            "WITH_WECHATPAY",
            &tx,
            vec![fapiao("F", vec![line(100), unknown_code])],
        ),
    )
    .await;
    assert_error(
        &answer,
        403,
        "RULE_LIMIT",
        Some("fapiao_information[0].items[1].tax_code"),
    );

    let sub_order = paid_order(&world, SUB).await;
    let theirs = issue(
        &world,
        &world.direct,
        &classic(
            "WITH_WECHATPAY",
            &sub_order,
            vec![fapiao("F", vec![line(100)])],
        ),
    )
    .await;
    assert_error(&theirs, 403, "RULE_LIMIT", Some("fapiao_apply_id"));
    let unpaid = issue(
        &world,
        &world.direct,
        &classic(
            "WITH_WECHATPAY",
            "4200000000202601010000000000",
            vec![fapiao("F", vec![line(100)])],
        ),
    )
    .await;
    assert_error(&unpaid, 403, "RULE_LIMIT", Some("fapiao_apply_id"));
    assert_nothing_stored(&world, &tx).await;
    assert_nothing_stored(&world, &sub_order).await;
}

#[tokio::test]
async fn a_sub_merchant_that_has_not_accepted_its_provider_is_refused() {
    let world = FapiaoWorld::start().await;
    card_template(&world, &world.provider, Some(SUB)).await;
    let tx = paid_order(&world, SUB).await;
    let (status, _) = merchant_settings(&world, SUB, &json!({"provider_authorized": false})).await;
    assert_eq!(status, 200);
    let mut body = classic("WITH_WECHATPAY", &tx, vec![fapiao("F", vec![line(100)])]);
    body["sub_mchid"] = json!(SUB);
    let answer = issue(&world, &world.provider, &body).await;
    assert_error(&answer, 403, "NO_AUTH", None);
    let (status, _) = query(&world, &world.provider, &tx, Some(SUB)).await;
    assert_eq!(status, 403, "the sub-merchant is not reachable at all");
}

#[tokio::test]
async fn encrypted_fields_need_the_platform_serial() {
    let (world, tx) = ready().await;
    let (phone, _) = encrypt(&world, "13800138000").await;
    let mut body = classic("WITH_WECHATPAY", &tx, vec![fapiao("F", vec![line(100)])]);
    body["buyer_information"]["phone"] = json!(phone);
    let answer = issue(&world, &world.direct, &body).await;
    assert_error(&answer, 400, "PARAM_ERROR", Some("Wechatpay-Serial"));
    body["buyer_information"]["phone"] = json!("bm90IGVuY3J5cHRlZA==");
    let (_, serial) = encrypt(&world, "x").await;
    let answer = call_with_serial(&world, &world.direct, ISSUE_PATH, &body, &serial).await;
    assert_error(&answer, 400, "PARAM_ERROR", Some("buyer_information.phone"));
    assert_nothing_stored(&world, &tx).await;
}

#[tokio::test]
async fn more_than_the_rate_limit_in_a_second_answers_429() {
    let world = FapiaoWorld::start().await;
    let merchant = &world.direct;
    // Signed first and sent together, so they land within a second or two:
    // 301 calls over at most two seconds put more than 100 in one of them.
    let requests: Vec<_> = (0..301)
        .map(|_| {
            world
                .app
                .signed_request(merchant, "POST", ISSUE_PATH, b"{}", now())
                .header("Content-Type", "application/json")
                .body("{}")
        })
        .collect();
    let answers = join_all(requests.into_iter().map(|r| async move {
        let response = r.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json::<Value>().await.unwrap())
    }))
    .await;
    let limited: Vec<_> = answers.iter().filter(|a| a.0 == 429).collect();
    assert!(!limited.is_empty(), "no call was limited");
    assert_eq!(limited[0].1["code"], "FREQUENCY_LIMITED");
    assert!(answers
        .iter()
        .all(|a| a.0 == 429 || a.1["code"] == "PARAM_ERROR"));
}
