//! Invitations answered on the page and through the control API, and how
//! listspinvitemchinfo lists them.

use super::{answer, enc, invite, list, CHECK, INVITE, LIST};
use crate::fapiao_steps::{encrypt, merchant_settings};
use crate::fapiao_world::{FapiaoWorld, DIRECT, PROVIDER, SUB};
use crate::helpers::now;
use kabao_protocol::apiv3::rfc3339_cst;
use serde_json::json;

/// Submits the invite page at `url` for [`SUB`] as company `ep_name`.
async fn submit(w: &FapiaoWorld, url: &str, ep_name: &str) -> reqwest::Response {
    let form = [
        ("sub_mchid", SUB),
        ("ep_name", ep_name),
        ("tax_id", "9144050071126766XG"),
    ];
    w.app.submit_form(url, &form).await
}

#[tokio::test]
async fn an_invitation_accepted_on_the_page_authorizes_the_sub_merchant_and_is_listed() {
    let w = FapiaoWorld::start().await;
    let (status, _) = merchant_settings(&w, SUB, &json!({"provider_authorized": false})).await;
    assert_eq!(status, 200);
    let (status, _) = w
        .call(&w.provider, "GET", &format!("{CHECK}/{SUB}/check"), None)
        .await;
    assert_eq!(status, 403);

    let (operate_user, serial) = encrypt(&w, "张三").await;
    let path = format!(
        "{INVITE}?operation_type=AUTH_BINDING&fapiao_mode=TENCENT_DIGITAL_TAX&fapiao_ability_type_list=BASE_ABILITY\
         &fapiao_ability_type_list=REAL_ESTATE_ABILITY&invite_channel=miniprogram&operate_user={}&invite_code=code_001",
        enc(&operate_user)
    );
    let (status, body) = w
        .call_with_serial(&w.provider, "GET", &path, None, &serial, now())
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["miniprogram_appid"]
        .as_str()
        .unwrap()
        .starts_with("wx"));
    let url = body["invite_url"].as_str().unwrap().to_owned();
    let key = url.rsplit('/').next().unwrap();
    assert!(body["miniprogram_path"].as_str().unwrap().contains(key));
    let (_, stored) = w.app.admin_get(&format!("/fapiao/invites/{key}")).await;
    assert_eq!(stored["status"], "PENDING");
    assert_eq!(stored["request"]["operate_user"], "张三");
    assert_eq!(
        stored["request"]["fapiao_ability_type_list"],
        json!(["BASE_ABILITY", "REAL_ESTATE_ABILITY"])
    );

    let page = w.app.http.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(PROVIDER) && html.contains("code_001") && html.contains(SUB),
        "{html}"
    );

    // An empty company name is shown back and stores nothing.
    let r = submit(&w, &url, "").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("ep_name"));
    let (_, stored) = w.app.admin_get(&format!("/fapiao/invites/{key}")).await;
    assert_eq!(stored["status"], "PENDING");

    let r = submit(&w, &url, "示例（深圳）有限公司").await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("MCH_INVITE_SUCC"));
    let (status, _) = w
        .call(&w.provider, "GET", &format!("{CHECK}/{SUB}/check"), None)
        .await;
    assert_eq!(status, 204);

    let (status, body) = list(&w, "offset=0&limit=10&mch_invite_status=MCH_INVITE_SUCC").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total_count"], 1);
    let row = &body["mch_invite_result_list"][0];
    assert_eq!(row["sub_mchid"], SUB);
    assert_eq!(row["mch_invite_status"], "MCH_INVITE_SUCC");
    assert_eq!(row["ep_name"], "示例（深圳）有限公司");
    assert_eq!(row["tax_id"], "9144050071126766XG");
    assert_eq!(row["invite_code"], "code_001");
    assert!(row["operate_time"].as_str().unwrap().ends_with("+08:00"));
    assert!(row.get("invite_failed_code").is_none());
    let (_, failed) = list(&w, "offset=0&limit=10&mch_invite_status=MCH_INVITE_FAILED").await;
    assert_eq!(failed["total_count"], 0);
    // Answered once: a second answer is refused.
    let again = answer(
        &w,
        key,
        json!({"sub_mchid": SUB, "ep_name": "x", "tax_id": "9144050071126766XG"}),
    )
    .await;
    assert_eq!(again.0, 409, "{}", again.1);
}

#[tokio::test]
async fn failed_invitations_are_listed_with_their_code_apart_from_accepted_ones() {
    let w = FapiaoWorld::start().await;
    let stranger = invite(&w, "code_A", "").await;
    let (status, body) = answer(
        &w,
        &stranger,
        json!({"sub_mchid": DIRECT, "ep_name": "别家公司", "tax_id": "9144050071126766XG"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "MCH_INVITE_FAILED");
    assert_eq!(body["failed_code"], "NOT_MEET_ACCESS_CONDITION");
    let html = w
        .app
        .page_text(&w.app.url(&format!("/_kabao/fapiao/invite/{stranger}")))
        .await;
    assert!(
        html.contains("MCH_INVITE_FAILED") && html.contains("NOT_MEET_ACCESS_CONDITION"),
        "{html}"
    );
    let bad_tax = invite(&w, "code_A", "").await;
    let (_, body) = answer(
        &w,
        &bad_tax,
        json!({"sub_mchid": SUB, "ep_name": "示例公司", "tax_id": "123"}),
    )
    .await;
    assert_eq!(body["failed_code"], "UNKNOWN_TAX_INFO");
    let forced = invite(&w, "code_B", &format!("&sub_mchid={SUB}")).await;
    let (_, body) = answer(
        &w,
        &forced,
        json!({"sub_mchid": SUB, "ep_name": "示例公司", "tax_id": "9144050071126766XG",
        "fail_code": "NOT_IN_PILOT_SCOPE", "fail_reason": "不在试点范围"}),
    )
    .await;
    assert_eq!(body["failed_code"], "NOT_IN_PILOT_SCOPE");
    let ok = invite(&w, "code_B", "").await;
    let (_, body) = answer(
        &w,
        &ok,
        json!({"sub_mchid": SUB, "ep_name": "示例公司", "tax_id": "9144050071126766XG"}),
    )
    .await;
    assert_eq!(body["status"], "MCH_INVITE_SUCC");

    let (_, failed) = list(&w, "offset=0&limit=10&mch_invite_status=MCH_INVITE_FAILED").await;
    assert_eq!(failed["total_count"], 3, "{failed}");
    let rows = failed["mch_invite_result_list"].as_array().unwrap();
    assert_eq!(rows[0]["sub_mchid"], DIRECT);
    assert_eq!(rows[0]["invite_failed_code"], "NOT_MEET_ACCESS_CONDITION");
    assert!(rows[0]["invite_failed_reason"].is_string());
    assert_eq!(rows[2]["invite_failed_reason"], "不在试点范围");
    let (_, filtered) = list(
        &w,
        "offset=0&limit=10&mch_invite_status=MCH_INVITE_FAILED&invite_code=code_B",
    )
    .await;
    assert_eq!(filtered["total_count"], 1);
    let (_, succ) = list(&w, "offset=0&limit=10&mch_invite_status=MCH_INVITE_SUCC").await;
    assert_eq!(succ["total_count"], 1);

    let (status, page) = list(&w, "offset=0&limit=2&mch_invite_status=MCH_INVITE_FAILED").await;
    assert_eq!(status, 200);
    assert_eq!(page["mch_invite_result_list"].as_array().unwrap().len(), 2);
    let next = page["links"]["next"].as_str().unwrap();
    assert!(
        next.starts_with(LIST) && next.contains("offset=2&limit=2"),
        "{next}"
    );
    let (status, second) = w.call(&w.provider, "GET", next, None).await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(
        second["mch_invite_result_list"].as_array().unwrap().len(),
        1
    );
    assert!(second["links"].get("next").is_none());

    // A window that ended before the answers lists nothing.
    let path = format!("{LIST}?query_time_start={}&query_time_end={}&offset=0&limit=10&mch_invite_status=MCH_INVITE_FAILED",
        enc(&rfc3339_cst(now() - 7200)), enc(&rfc3339_cst(now() - 3600)));
    let (_, early) = w.call(&w.provider, "GET", &path, None).await;
    assert_eq!(early["total_count"], 0);
}

#[tokio::test]
async fn an_invitation_for_a_named_sub_merchant_cannot_be_answered_by_another() {
    let w = FapiaoWorld::start().await;
    let key = invite(&w, "code_C", &format!("&sub_mchid={SUB}")).await;
    let (status, body) = answer(
        &w,
        &key,
        json!({"sub_mchid": DIRECT, "ep_name": "x", "tax_id": "9144050071126766XG"}),
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("sub_mchid")),
        "{body}"
    );
    let (_, stored) = w.app.admin_get(&format!("/fapiao/invites/{key}")).await;
    assert_eq!(stored["status"], "PENDING");
    let (status, body) = answer(&w, &key, json!({"sub_mchid": SUB, "ep_name": "x", "tax_id": "9144050071126766XG", "fail_code": "NOPE"})).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("fail_code")));
    let (status, _) = answer(
        &w,
        "unknown",
        json!({"sub_mchid": SUB, "ep_name": "x", "tax_id": "1"}),
    )
    .await;
    assert_eq!(status, 404);
    let page = w
        .app
        .http
        .get(w.app.url("/_kabao/fapiao/invite/unknown"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
}
