//! kabao's own endpoints in the matrix: the control API (answers
//! `{"error","message","field"?}` naming the field) and the person-facing
//! pages and forms (HTML; bad input is never a server error and changes
//! nothing), sent with a logged-in console session so that the console's
//! forms read their fields.

use super::run::Callers;
use super::spec::{Body, Family::*, Spec};
use serde_json::json;

fn a(method: &'static str, rest: &str, body: Body) -> Spec {
    let path: &'static str = Box::leak(format!("/_kabao/api{rest}").into_boxed_str());
    Spec::new(Admin, method, path, body)
}

/// A fapiao setup with both blocks, so that their required keys are tested.
const SETUP: &str = r#"{"provider_authorized":true,"digital_tax_status":"ENABLED",
 "seller_information":{"name":"s","taxpayer_id":"t","address":"a","telephone":"1"},
 "extra_information":{"payee":"p","drawer":"d"}}"#;
const TAX_CODES: &str = r#"{"tax_codes":[{"tax_code":"3010101020203000000","goods_name":"g",
 "goods_category":"c","goods_id":1,"tax_rate":1300,"tax_prefer_mark":"NO_FAVORABLE"}]}"#;
/// A title: every key is optional (a form sends them all, some empty).
const TITLE: &str =
    r#"{"type":"INDIVIDUAL","name":"n","email":"a@example.com","user_apply_message":"m"}"#;
const OUTCOME: &str = r#"{"mode":"after_seconds","seconds":5}"#;
const OUTCOME_REQUIRED: &[&str] = &["mode", "seconds"];
const FAIL_OUTCOME: &str = r#"{"mode":"fail","code":"ISSUE_FAILED","message":"m"}"#;
const FAIL_REQUIRED: &[&str] = &["mode", "code", "message"];
const RIDE: &str = r#"{"provider_mchid":"1900000399","region_id":310100,"plate_number":"A12345",
 "appid":"wxmatrix000000000","openid":"oMatrix","amount":100,
 "pay_time":"2026-01-01T08:00:00+08:00","up_time":"2026-01-01T07:30:00+08:00"}"#;

/// The control API specs.
pub fn admin_specs() -> Vec<Spec> {
    let j = Body::Json;
    let n = Body::None;
    vec![
        a("GET", "/openapi.json", n),
        a("GET", "/apps", n),
        a(
            "POST",
            "/apps",
            j(r#"{"appid":"wxmatrix000000001","role":"merchant","name":"n","secret":"s"}"#),
        )
        .required(&["appid", "role"]),
        a("GET", "/apps/{appid}", n),
        a("GET", "/apps/{appid}/push-config", n),
        a(
            "PUT",
            "/apps/{appid}/push-config",
            j(r#"{"url":"https://example.com/push","token":"token123","original_id":"gh_000000000000"}"#),
        )
        .required(&["url", "token"])
        // openapi.json: "3-32 letters or digits".
        .limits(&[("token", 32)]),
        a("GET", "/merchants", n),
        a(
            "POST",
            "/merchants",
            j(r#"{"mchid":"1900000398","kind":"direct","name":"n","callback_url":"https://example.com/cb",
                 "platform_mode":"certificate","certificates":[{"serial_no":"1","public_key_pem":"x"}],
                 "generate_certificate":false}"#),
        )
        .required(&["mchid"]),
        a("GET", "/merchants/{mchid}", n),
        a("GET", "/platform-keys", n),
        a(
            "POST",
            "/platform-keys",
            j(r#"{"public_key_id":"PUB_KEY_ID_0114232134912410000000000000","private_key_pem":"x"}"#),
        ),
        a("GET", "/users", n),
        a(
            "POST",
            "/users",
            j(r#"{"appid":"wxmatrix000000000","openid":"oMatrix","unionid":"u","name":"n"}"#),
        )
        .required(&["appid"]),
        a("GET", "/clock", n),
        a("POST", "/clock", j(r#"{"advance_seconds":1}"#)),
        a("GET", "/event-pushes", n),
        a("POST", "/event-pushes/{id}/redeliver", n),
        a(
            "POST",
            "/oa/authorizations",
            j(r#"{"appid":"wxmatrix000000000","order_id":"o","openid":"oMatrix",
                 "user_field":{"title":"t","phone":"1","email":"e"},"biz_field":{"title":"t","tax_no":"x"}}"#),
        )
        .required(&["appid", "order_id", "openid"]),
        a("GET", "/oa/orders/{appid}/{order_id}", n),
        a("GET", "/users/{openid}/cards", n),
        a("GET", "/cards/{code}", n),
        a("POST", "/cards/{code}/discard", n),
        a("GET", "/fapiao/pay-orders", n),
        a(
            "POST",
            "/fapiao/pay-orders",
            j(r#"{"mchid":"1900000399","amount":100,"appid":"wxmatrix000000000","openid":"oMatrix",
                 "description":"d","out_trade_no":"matrix-order-1"}"#),
        )
        .required(&["mchid", "amount"])
        // WeChat Pay's description string(127) and out_trade_no string(32).
        .limits(&[("description", 127), ("out_trade_no", 32)]),
        a("GET", "/fapiao/pay-orders/{transaction_id}", n),
        a("GET", "/fapiao/merchants/{mchid}", n),
        a("PUT", "/fapiao/merchants/{mchid}", j(SETUP)).required(&[
            "seller_information.name",
            "seller_information.taxpayer_id",
            "seller_information.address",
            "extra_information.drawer",
        ]),
        a("GET", "/fapiao/merchants/{mchid}/tax-codes", n),
        a("POST", "/fapiao/merchants/{mchid}/tax-codes", j(TAX_CODES)).required(&[
            "tax_codes",
            "tax_codes[0].tax_code",
            "tax_codes[0].goods_name",
            "tax_codes[0].goods_category",
            "tax_codes[0].tax_rate",
            "tax_codes[0].tax_prefer_mark",
        ]),
        a("GET", "/fapiao/invites/{key}", n),
        a(
            "POST",
            "/fapiao/invites/{key}/answer",
            j(r#"{"sub_mchid":"1900000399","ep_name":"e","tax_id":"t","fail_code":"UNKNOWN_TAX_INFO","fail_reason":"r"}"#),
        )
        .required(&["sub_mchid", "ep_name", "tax_id"]),
        a(
            "POST",
            "/fapiao/cards/{mchid}/{fapiao_apply_id}/{fapiao_id}/discard",
            n,
        ),
        a("GET", "/fapiao/titles/{link_key}", n),
        a("POST", "/fapiao/titles/{link_key}", j(TITLE)),
        a(
            "GET",
            "/fapiao/merchants/{mchid}/titles/{fapiao_apply_id}",
            n,
        ),
        a(
            "POST",
            "/fapiao/merchants/{mchid}/titles/{fapiao_apply_id}",
            j(TITLE),
        ),
        a("GET", "/fapiao/outcomes/{mchid}", n),
        a("PUT", "/fapiao/outcomes/{mchid}", j(OUTCOME)).required(OUTCOME_REQUIRED),
        a("POST", "/fapiao/outcomes/{mchid}", j(FAIL_OUTCOME)).required(FAIL_REQUIRED),
        a("GET", "/fapiao/applications/{mchid}/{fapiao_apply_id}", n),
        a(
            "GET",
            "/fapiao/applications/{mchid}/{fapiao_apply_id}/outcome",
            n,
        ),
        a(
            "PUT",
            "/fapiao/applications/{mchid}/{fapiao_apply_id}/outcome",
            j(OUTCOME),
        )
        .required(OUTCOME_REQUIRED),
        a(
            "POST",
            "/fapiao/applications/{mchid}/{fapiao_apply_id}/outcome",
            j(FAIL_OUTCOME),
        )
        .required(FAIL_REQUIRED),
        a(
            "POST",
            "/fapiao/applications/{mchid}/{fapiao_apply_id}/release",
            n,
        ),
        a("GET", "/fapiao/cards", n),
        a("GET", "/callbacks", n),
        a("GET", "/callbacks/{id}", n),
        a("POST", "/callbacks/{id}/redeliver", n),
        a("POST", "/callbacks/{id}/duplicate", n),
        a("GET", "/taxi/rides", n),
        a("POST", "/taxi/rides", j(RIDE)).required(&[
            "provider_mchid",
            "region_id",
            "plate_number",
            "appid",
            "openid",
            "amount",
        ]),
        a("GET", "/taxi/cards", n),
        a("POST", "/taxi/cards/{card_code}/discard", n),
    ]
}

/// The pages and forms.
pub fn page_specs() -> Vec<Spec> {
    let get = |path| Spec::new(Page, "GET", path, Body::None);
    let form = |path| Spec::new(Page, "POST", path, Body::Form("title=x&openid=y"));
    vec![
        get("/_kabao/health"),
        get("/_kabao/static/kabao.css"),
        get("/_kabao/cards"),
        get("/_kabao/cards/{appid}/{openid}"),
        get("/_kabao/cards/{appid}/{openid}/{family}/{code}/pdf"),
        form("/_kabao/cards/{appid}/{openid}/{family}/{code}/discard"),
        get("/_kabao/authorize/{key}"),
        form("/_kabao/authorize/{key}"),
        get("/_kabao/media/pdf"),
        get("/_kabao/fapiao/title/{key}"),
        form("/_kabao/fapiao/title/{key}"),
        get("/_kabao/fapiao/invite/{key}"),
        form("/_kabao/fapiao/invite/{key}"),
        get("/invoicing/fapiao/fapiao-file"),
        get("/_kabao/console"),
        get("/_kabao/console/"),
        get("/_kabao/console/login"),
        form("/_kabao/console/login"),
        form("/_kabao/console/logout"),
        get("/_kabao/console/tenants"),
        form("/_kabao/console/tenants/apps"),
        form("/_kabao/console/tenants/merchants"),
        get("/_kabao/console/fapiao"),
        get("/_kabao/console/fapiao/{mchid}/{apply_id}"),
        form("/_kabao/console/fapiao/{mchid}/{apply_id}/release"),
        get("/_kabao/console/callbacks"),
        form("/_kabao/console/callbacks/{id}/redeliver"),
        form("/_kabao/console/callbacks/{id}/duplicate"),
        get("/_kabao/console/pushes"),
        form("/_kabao/console/pushes/{id}/redeliver"),
        get("/_kabao/console/controls"),
        form("/_kabao/console/controls/clock"),
        form("/_kabao/console/controls/outcome"),
        form("/_kabao/console/controls/order"),
        form("/_kabao/console/controls/ride"),
    ]
}

#[tokio::test]
async fn bad_input_matrix_control_api_and_pages() {
    let app = crate::helpers::spawn_app().await;
    // The app and merchant the paths name exist, so that a body that is
    // well-formed but too long is judged on its field, not on a 404.
    for (path, body) in [
        (
            "/apps",
            json!({"appid": "wxmatrix000000000", "role": "merchant"}),
        ),
        (
            "/merchants",
            json!({"mchid": "1900000399", "kind": "direct"}),
        ),
    ] {
        let (status, answer) = app.admin_post(path, &body).await;
        assert!(status < 300, "{path}: {status} {answer}");
    }
    let console = crate::console_steps::Console::logged_in(&app).await;
    let forms = console.get("/_kabao/console/controls").await;
    assert_eq!(
        forms.status, 200,
        "the session opens the console: {}",
        forms.body
    );
    let refused = console
        .post(
            "/_kabao/console/controls/clock",
            &[("advance_seconds", "x")],
        )
        .await;
    assert!(
        refused.status < 500 && refused.status != 303,
        "a bad form reaches its field check"
    );
    let callers = Callers {
        app: &app,
        oa_token: None,
        pay: None,
        console_cookie: console.cookie.clone(),
    };
    let mut specs = admin_specs();
    specs.extend(page_specs());
    super::run_family(&callers, &specs).await;
}
