//! Reverse (F16) and fapiao files (F17, F18), end to end: red fapiao, the
//! card leaving the package, their callbacks, and PDF downloads.

use crate::fapiao_issue::{
    callbacks, classic, direct_inserted, direct_order, fapiao, issue, issue_one, line, paid_order,
    wait_until, PAYER,
};
use crate::fapiao_steps::{
    application, assert_error, card_template, cards, post_reverse, query, release_one, set_outcome,
    ISSUE_PATH,
};
use crate::fapiao_world::{FapiaoWorld, DIRECT, PROVIDER, SUB};
use serde_json::{json, Value};

/// Issues one fapiao "F" (or `ids`) for a new order of `owner` and waits for INSERTED.
async fn issued(world: &FapiaoWorld, provider: bool, ids: &[&str]) -> (String, Value) {
    let (merchant, sub, owner) = if provider {
        (&world.provider, Some(SUB), SUB)
    } else {
        (&world.direct, None, DIRECT)
    };
    card_template(world, merchant, sub).await;
    let tx = paid_order(world, owner).await;
    let mut body = classic(
        "WITH_WECHATPAY",
        &tx,
        ids.iter()
            .map(|id| fapiao(id, vec![line(11_300)]))
            .collect(),
    );
    if let Some(sub) = sub {
        body["sub_mchid"] = json!(sub);
    }
    let (status, answer) = issue(world, merchant, &body).await;
    assert_eq!(status, 202, "{answer}");
    let done = wait_until(world, merchant, &tx, sub, "ISSUED", Some("INSERTED")).await;
    (tx, done)
}

fn reverse_body(sub: Option<&str>, targets: &[(&str, &str)]) -> Value {
    let mut body = json!({"reverse_reason": "SALES_RETURN", "fapiao_information":
        targets.iter().map(|(id, number)| json!({"fapiao_id": id, "fapiao_number": number})).collect::<Vec<_>>()});
    if let Some(sub) = sub {
        body["sub_mchid"] = json!(sub);
    }
    body
}

/// POSTs a reverse `body` for the direct merchant's `tx`.
async fn direct_reverse(world: &FapiaoWorld, tx: &str, body: &Value) -> (u16, Value) {
    post_reverse(world, &world.direct, tx, body).await
}

fn number(done: &Value, i: usize) -> String {
    done["fapiao_information"][i]["blue_fapiao"]["fapiao_number"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn reversing_issues_a_red_fapiao_and_discards_the_card() {
    let world = FapiaoWorld::start().await;
    let (tx, done) = issued(&world, true, &["A", "B"]).await;
    let body = reverse_body(Some(SUB), &[("B", &number(&done, 1))]);
    let (status, answer) = post_reverse(&world, &world.provider, &tx, &body).await;
    assert_eq!((status, answer), (202, Value::Null));

    let after = wait_until_one(&world, &tx, "B", "REVERSED", "DISCARDED").await;
    let b = &after["fapiao_information"][1];
    assert_ne!(
        b["red_fapiao"]["fapiao_number"],
        b["blue_fapiao"]["fapiao_number"]
    );
    assert_eq!(b["red_fapiao"]["check_code"].as_str().unwrap().len(), 20);
    assert_eq!(
        after["fapiao_information"][0]["status"], "ISSUED",
        "A is untouched"
    );

    let reversed = callbacks(&world, &world.provider, "/provider", "FAPIAO.REVERSED", 1).await;
    assert_eq!(
        reversed[0],
        json!({"mchid": PROVIDER, "sub_mchid": SUB, "fapiao_apply_id": tx,
        "fapiao_information": [{"fapiao_id": "B", "fapiao_status": "REVERSED", "card_status": "DISCARD_ACCEPTED"}]})
    );
    let discarded = callbacks(
        &world,
        &world.provider,
        "/provider",
        "FAPIAO.CARD_DISCARDED",
        1,
    )
    .await;
    assert_eq!(
        discarded[0]["fapiao_information"][0]["card_status"],
        "DISCARDED"
    );

    let (_, cards) = cards(&world, PAYER).await;
    let b_card = cards["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["fapiao_id"] == "B")
        .unwrap()
        .clone();
    assert_eq!(
        (b_card["status"].as_str(), b_card["card_status"].as_str()),
        (Some("REVERSED"), Some("DISCARDED"))
    );

    let again = post_reverse(&world, &world.provider, &tx, &body).await;
    assert_error(
        &again,
        400,
        "INVALID_REQUEST",
        Some("fapiao_information[0].fapiao_id"),
    );
}

async fn wait_until_one(
    world: &FapiaoWorld,
    tx: &str,
    id: &str,
    status: &str,
    card: &str,
) -> Value {
    for _ in 0..100 {
        let (_, body) = query(world, &world.provider, tx, Some(SUB)).await;
        let f = body["fapiao_information"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["fapiao_id"] == id)
            .unwrap()
            .clone();
        if f["status"] == status && f["card_information"]["card_status"] == card {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{id} never reached {status}/{card}");
}

#[tokio::test]
async fn only_an_issued_fapiao_with_its_number_can_be_reversed() {
    let world = FapiaoWorld::start().await;
    set_outcome(&world, DIRECT, None, &json!({"mode": "manual"})).await;
    let tx = direct_order(&world).await;
    issue_one(&world, &tx, 100).await;
    let held = direct_reverse(&world, &tx, &reverse_body(None, &[("F", "12345678")])).await;
    assert_error(
        &held,
        400,
        "INVALID_REQUEST",
        Some("fapiao_information[0].fapiao_id"),
    );
    let files = world
        .call(
            &world.direct,
            "GET",
            &format!("{ISSUE_PATH}/{tx}/fapiao-files"),
            None,
        )
        .await;
    assert_error(&files, 400, "INVALID_REQUEST", None);

    release_one(&world, DIRECT, &tx).await;
    let done = direct_inserted(&world, &tx).await;

    let wrong = direct_reverse(&world, &tx, &reverse_body(None, &[("F", "00000000")])).await;
    assert_error(
        &wrong,
        400,
        "INVALID_REQUEST",
        Some("fapiao_information[0].fapiao_number"),
    );
    let unknown = direct_reverse(&world, &tx, &reverse_body(None, &[("G", "1")])).await;
    assert_error(
        &unknown,
        404,
        "RESOURCE_NOT_EXISTS",
        Some("fapiao_information[0].fapiao_id"),
    );
    let mut no_reason = reverse_body(None, &[("F", &number(&done, 0))]);
    no_reason["reverse_reason"] = json!(" ");
    let answer = direct_reverse(&world, &tx, &no_reason).await;
    assert_error(&answer, 400, "PARAM_ERROR", Some("reverse_reason"));
    let still = direct_inserted(&world, &tx).await;
    assert!(still["fapiao_information"][0].get("red_fapiao").is_none());

    let mut free_text = reverse_body(None, &[("F", &number(&done, 0))]);
    free_text["reverse_reason"] = json!("退款");
    let (status, _) = direct_reverse(&world, &tx, &free_text).await;
    assert_eq!(status, 202, "free-text reasons are tolerated");
    let (status, held) = application(&world, DIRECT, &tx).await;
    assert_eq!(status, 200);
    assert_eq!(
        held["fapiao_information"][0]["status"], "REVERSE_ACCEPTED",
        "manual holds the reversal too"
    );
    assert_eq!(held["pending_steps"][0]["action"], "REVERSE");
    assert_eq!(held["fapiao_information"][0]["reverse_reason"], "退款");
}

#[tokio::test]
async fn fapiao_files_hand_out_a_pdf_for_thirty_seconds() {
    let world = FapiaoWorld::start().await;
    let (tx, done) = issued(&world, false, &["F"]).await;
    let files_path = format!("{ISSUE_PATH}/{tx}/fapiao-files");
    let (status, files) = world
        .call(
            &world.direct,
            "GET",
            &format!("{files_path}?fapiao_id=F"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{files}");
    let info = &files["fapiao_download_info_list"][0];
    assert_eq!(
        (info["fapiao_id"].as_str(), info["status"].as_str()),
        (Some("F"), Some("ISSUED"))
    );
    let url = info["download_url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with(&format!(
            "{}/invoicing/fapiao/fapiao-file?token=",
            world.app.base_url
        )),
        "{url}"
    );
    assert!(
        url.contains(&format!("invoice_no={}", number(&done, 0))),
        "{url}"
    );

    let response = world.app.http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let digest = response.headers()["sm3-digest"]
        .to_str()
        .unwrap()
        .to_owned();
    let pdf = response.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    assert_eq!(digest, crate::fapiao_self_issued::sm3_hex(&pdf));

    let (status, posted) = world
        .call(
            &world.direct,
            "POST",
            &files_path,
            Some(&json!({"fapiao_id": "F"})),
        )
        .await;
    assert_eq!(status, 200, "wechatpayv3 POSTs a JSON body: {posted}");
    let posted_url = posted["fapiao_download_info_list"][0]["download_url"]
        .as_str()
        .unwrap()
        .to_owned();

    let (status, empty) = wechatpayv3_empty_post(&world, &files_path).await;
    assert_eq!(
        status, 200,
        "wechatpayv3 sends {{}} but signs an empty body: {empty}"
    );

    let tampered = url.replacen("token=", "token=x", 1);
    let refused = world.app.http.get(&tampered).send().await.unwrap();
    assert_eq!(refused.status(), 400);
    world.app.advance_clock(31).await;
    let expired = world.app.http.get(&posted_url).send().await.unwrap();
    assert_eq!(expired.status(), 400);
    let body: Value = expired.json().await.unwrap();
    assert_eq!(body["detail"]["field"], "token", "{body}");
    let missing = world
        .call(
            &world.direct,
            "GET",
            &format!("{files_path}?fapiao_id=X"),
            None,
        )
        .await;
    assert_error(&missing, 404, "RESOURCE_NOT_EXISTS", Some("fapiao_id"));
}

/// What wechatpayv3's fapiao_query_files sends without parameters: the body
/// `{}`, signed as if it were empty.
async fn wechatpayv3_empty_post(world: &FapiaoWorld, path: &str) -> (u16, Value) {
    let response = world
        .app
        .signed_request(&world.direct, "POST", path, b"", crate::helpers::now())
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}
