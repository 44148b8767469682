//! development-config (F5/F6) and card-template (F7).

use crate::fapiao_steps::assert_error;
use crate::fapiao_world::{FapiaoWorld, DIRECT, PROVIDER, SUB};
use serde_json::{json, Value};

const DEV_CONFIG: &str = "/v3/new-tax-control-fapiao/merchant/development-config";
const CARD_TEMPLATE: &str = "/v3/new-tax-control-fapiao/card-template";

#[tokio::test]
async fn development_config_round_trips_and_bad_urls_change_nothing() {
    let w = FapiaoWorld::start().await;
    let (status, body) = w.call(&w.direct, "GET", DEV_CONFIG, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["callback_url"], w.receiver.url("/direct"));
    assert_eq!(
        (
            body["show_fapiao_cell"].as_bool(),
            body["support_vat_fapiao"].as_bool()
        ),
        (Some(false), Some(false))
    );

    let patch =
        json!({"callback_url": "https://merchant.example/fapiao/notify", "show_fapiao_cell": true});
    let (status, body) = w.call(&w.direct, "PATCH", DEV_CONFIG, Some(&patch)).await;
    assert_eq!(status, 200, "{body}");
    let expected = json!({"callback_url": "https://merchant.example/fapiao/notify",
        "show_fapiao_cell": true, "support_vat_fapiao": false});
    assert_eq!(body, expected);
    let (_, body) = w.call(&w.direct, "GET", DEV_CONFIG, None).await;
    assert_eq!(body, expected);

    // Absent fields keep their value; kabao accepts http for local receivers.
    let patch = json!({"support_vat_fapiao": true});
    let (_, body) = w.call(&w.direct, "PATCH", DEV_CONFIG, Some(&patch)).await;
    assert_eq!(
        body["callback_url"],
        "https://merchant.example/fapiao/notify"
    );
    assert_eq!(body["show_fapiao_cell"], true);
    assert_eq!(body["support_vat_fapiao"], true);
    // wechatpayv3 sends the same body with POST.
    let patch = json!({"callback_url": "https://merchant.example/fapiao/posted"});
    let (status, body) = w.call(&w.direct, "POST", DEV_CONFIG, Some(&patch)).await;
    assert_eq!(
        (status, &body["callback_url"]),
        (200, &json!("https://merchant.example/fapiao/posted"))
    );
    assert_eq!(body["support_vat_fapiao"], true);
    let local = w.receiver.url("/direct");
    let (status, body) = w
        .call(
            &w.direct,
            "PATCH",
            DEV_CONFIG,
            Some(&json!({"callback_url": local})),
        )
        .await;
    assert_eq!(
        (status, &body["callback_url"]),
        (200, &Value::from(local.clone()))
    );

    for bad in [
        "https://merchant.example/notify?x=1",
        "ftp://merchant.example/",
        "notify",
        "https://",
    ] {
        let answer = w
            .call(
                &w.direct,
                "PATCH",
                DEV_CONFIG,
                Some(&json!({"callback_url": bad, "show_fapiao_cell": false})),
            )
            .await;
        assert_error(&answer, 400, "PARAM_ERROR", Some("callback_url"));
    }
    let answer = w
        .call(
            &w.direct,
            "PATCH",
            DEV_CONFIG,
            Some(&json!({"show_fapiao_cell": "yes"})),
        )
        .await;
    assert_error(&answer, 400, "PARAM_ERROR", Some("show_fapiao_cell"));
    let (_, body) = w.call(&w.direct, "GET", DEV_CONFIG, None).await;
    assert_eq!(
        body,
        json!({"callback_url": local, "show_fapiao_cell": true, "support_vat_fapiao": true})
    );
    let (_, setup) = w
        .app
        .admin_get(&format!("/fapiao/merchants/{DIRECT}"))
        .await;
    assert_eq!(setup["development_config"], body);
}

#[tokio::test]
async fn development_config_is_per_caller_and_checks_sub_mch_code() {
    let w = FapiaoWorld::start().await;
    let patch = json!({"callback_url": "https://provider.example/notify", "sub_mch_code": SUB});
    let (status, body) = w.call(&w.provider, "PATCH", DEV_CONFIG, Some(&patch)).await;
    assert_eq!(status, 200, "{body}");
    let (_, provider) = w
        .app
        .admin_get(&format!("/fapiao/merchants/{PROVIDER}"))
        .await;
    assert_eq!(
        provider["development_config"]["callback_url"],
        "https://provider.example/notify"
    );
    let (_, direct) = w.call(&w.direct, "GET", DEV_CONFIG, None).await;
    assert_eq!(direct["callback_url"], w.receiver.url("/direct"));

    let patch = json!({"callback_url": "https://provider.example/other", "sub_mch_code": DIRECT});
    let answer = w.call(&w.provider, "PATCH", DEV_CONFIG, Some(&patch)).await;
    assert_error(&answer, 403, "NO_AUTH", None);
    assert!(answer.1["message"]
        .as_str()
        .unwrap()
        .contains("sub_mch_code"));
    let (_, body) = w.call(&w.provider, "GET", DEV_CONFIG, None).await;
    assert_eq!(body["callback_url"], "https://provider.example/notify");
}

#[tokio::test]
async fn a_merchant_without_any_callback_url_must_set_one_first() {
    let w = FapiaoWorld::start().await;
    let other = w
        .app
        .merchant("1900000309", json!({"kind": "direct"}))
        .await;
    let answer = w.call(&other, "GET", DEV_CONFIG, None).await;
    assert_error(&answer, 404, "RESOURCE_NOT_EXISTS", None);
    assert!(answer.1["message"]
        .as_str()
        .unwrap()
        .contains("callback_url"));
    let answer = w
        .call(
            &other,
            "PATCH",
            DEV_CONFIG,
            Some(&json!({"show_fapiao_cell": true})),
        )
        .await;
    assert_error(&answer, 400, "PARAM_ERROR", Some("callback_url"));
    let answer = w.call(&other, "GET", DEV_CONFIG, None).await;
    assert_eq!(answer.0, 404);
}

fn template(logo: &str) -> Value {
    json!({"payee_name": "某公司", "logo_url": logo,
        "custom_cell": {"words": "电子发票", "description": "查看发票", "jump_url": "http://www.qq.com"}})
}

#[tokio::test]
async fn card_template_overwrites_and_keeps_the_card_id_for_the_same_appid() {
    let w = FapiaoWorld::start().await;
    let body = json!({"card_appid": "wxb1170446a4c0a5a2", "card_template_information": template("https://logo.example/a.png")});
    let (status, first) = w.call(&w.direct, "POST", CARD_TEMPLATE, Some(&body)).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["card_appid"], "wxb1170446a4c0a5a2");
    let card_id = first["card_id"].as_str().unwrap().to_owned();
    assert!(card_id.starts_with('p') && card_id.len() == 28, "{card_id}");

    let body = json!({"card_appid": "wxb1170446a4c0a5a2", "card_template_information": template("https://logo.example/b.png")});
    let (_, second) = w.call(&w.direct, "POST", CARD_TEMPLATE, Some(&body)).await;
    assert_eq!(second["card_id"], card_id.as_str());
    let (_, setup) = w
        .app
        .admin_get(&format!("/fapiao/merchants/{DIRECT}"))
        .await;
    assert_eq!(
        setup["card_template"]["card_template_information"]["logo_url"],
        "https://logo.example/b.png"
    );
    assert_eq!(setup["card_template"]["card_id"], card_id.as_str());

    let body = json!({"card_appid": "wx0000000000000002", "card_template_information": {"logo_url": "https://logo.example/c.png"}});
    let (_, third) = w.call(&w.direct, "POST", CARD_TEMPLATE, Some(&body)).await;
    assert_ne!(third["card_id"], card_id.as_str());
    let (_, setup) = w
        .app
        .admin_get(&format!("/fapiao/merchants/{DIRECT}"))
        .await;
    assert_eq!(setup["card_template"]["card_appid"], "wx0000000000000002");
    assert_eq!(
        setup["card_template"]["card_template_information"],
        json!({"logo_url": "https://logo.example/c.png"})
    );
}

#[tokio::test]
async fn card_template_names_the_bad_field_and_a_provider_sets_its_sub_merchants_template() {
    let w = FapiaoWorld::start().await;
    for (body, field) in [
        (
            json!({"card_appid": "wxb1170446a4c0a5a2", "card_template_information": {}}),
            "card_template_information.logo_url",
        ),
        (
            json!({"card_template_information": template("https://l.example/a.png")}),
            "card_appid",
        ),
        (
            json!({"card_appid": "wx b", "card_template_information": template("https://l.example/a.png")}),
            "card_appid",
        ),
        (
            json!({"card_appid": "wxb1170446a4c0a5a2", "card_template_information": template("logo.png")}),
            "card_template_information.logo_url",
        ),
        (
            json!({"card_appid": "wxb1170446a4c0a5a2", "card_template_information": {"logo_url": "https://l.example/a.png",
            "custom_cell": {"words": "电子发票"}}}),
            "card_template_information.custom_cell.description",
        ),
    ] {
        let answer = w.call(&w.direct, "POST", CARD_TEMPLATE, Some(&body)).await;
        assert_error(&answer, 400, "PARAM_ERROR", Some(field));
    }
    let (_, setup) = w
        .app
        .admin_get(&format!("/fapiao/merchants/{DIRECT}"))
        .await;
    assert_eq!(setup["card_template"], Value::Null);

    let body = json!({"sub_mchid": SUB, "card_appid": "wxb1170446a4c0a5a2", "card_template_information": template("https://l.example/a.png")});
    let (status, answer) = w
        .call(&w.provider, "POST", CARD_TEMPLATE, Some(&body))
        .await;
    assert_eq!(status, 200, "{answer}");
    let (_, sub) = w.app.admin_get(&format!("/fapiao/merchants/{SUB}")).await;
    assert_eq!(sub["card_template"]["card_id"], answer["card_id"]);
    let (_, provider) = w
        .app
        .admin_get(&format!("/fapiao/merchants/{PROVIDER}"))
        .await;
    assert_eq!(provider["card_template"], Value::Null);
    let body = json!({"card_appid": "wxb1170446a4c0a5a2", "card_template_information": template("https://l.example/a.png")});
    let answer = w
        .call(&w.provider, "POST", CARD_TEMPLATE, Some(&body))
        .await;
    assert_error(&answer, 400, "PARAM_ERROR", Some("sub_mchid"));
    let mut body = body;
    body["sub_mchid"] = json!("1999999999");
    let answer = w
        .call(&w.provider, "POST", CARD_TEMPLATE, Some(&body))
        .await;
    assert_error(&answer, 403, "NO_AUTH", None);
}
