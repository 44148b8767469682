//! kabao's own endpoints in the matrix: the control API (answers
//! `{"error","message","field"?}` naming the field) and the person-facing
//! pages and forms (HTML; bad input is never a server error and changes
//! nothing), sent with a logged-in console session so that the console's
//! forms read their fields.

use super::run::Callers;
use super::spec::{Body, Family::*, Spec};

fn a(method: &'static str, rest: &str, body: Body) -> Spec {
    let path: &'static str = Box::leak(format!("/_kabao/api{rest}").into_boxed_str());
    Spec::new(Admin, method, path, body)
}

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
            j(r#"{"appid":"wxmatrix000000000","role":"merchant"}"#),
        )
        .required(&["appid"]),
        a("GET", "/apps/{appid}", n),
        a("GET", "/apps/{appid}/push-config", n),
        a("PUT", "/apps/{appid}/push-config", j("{}")),
        a("GET", "/merchants", n),
        a(
            "POST",
            "/merchants",
            j(r#"{"mchid":"1900000399","kind":"direct"}"#),
        )
        .required(&["mchid"]),
        a("GET", "/merchants/{mchid}", n),
        a("GET", "/platform-keys", n),
        a("POST", "/platform-keys", j("{}")),
        a("GET", "/users", n),
        a(
            "POST",
            "/users",
            j(r#"{"appid":"wxmatrix000000000","openid":"oMatrix"}"#),
        )
        .required(&["appid"]),
        a("GET", "/clock", n),
        a("POST", "/clock", j(r#"{"advance_seconds":1}"#)),
        a("GET", "/event-pushes", n),
        a("POST", "/event-pushes/{id}/redeliver", n),
        a(
            "POST",
            "/oa/authorizations",
            j(r#"{"appid":"wxmatrix000000000","order_id":"o","openid":"oMatrix"}"#),
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
            j(r#"{"mchid":"1900000399","amount":100}"#),
        )
        .required(&["mchid", "amount"]),
        a("GET", "/fapiao/pay-orders/{transaction_id}", n),
        a("GET", "/fapiao/merchants/{mchid}", n),
        a("PUT", "/fapiao/merchants/{mchid}", j("{}")),
        a("GET", "/fapiao/merchants/{mchid}/tax-codes", n),
        a("POST", "/fapiao/merchants/{mchid}/tax-codes", j("{}")),
        a("GET", "/fapiao/invites/{key}", n),
        a("POST", "/fapiao/invites/{key}/answer", j("{}")),
        a(
            "POST",
            "/fapiao/cards/{mchid}/{fapiao_apply_id}/{fapiao_id}/discard",
            n,
        ),
        a("GET", "/fapiao/titles/{link_key}", n),
        a("POST", "/fapiao/titles/{link_key}", j("{}")),
        a(
            "GET",
            "/fapiao/merchants/{mchid}/titles/{fapiao_apply_id}",
            n,
        ),
        a(
            "POST",
            "/fapiao/merchants/{mchid}/titles/{fapiao_apply_id}",
            j("{}"),
        ),
        a("GET", "/fapiao/outcomes/{mchid}", n),
        a("PUT", "/fapiao/outcomes/{mchid}", j("{}")),
        a("POST", "/fapiao/outcomes/{mchid}", j("{}")),
        a("GET", "/fapiao/applications/{mchid}/{fapiao_apply_id}", n),
        a(
            "GET",
            "/fapiao/applications/{mchid}/{fapiao_apply_id}/outcome",
            n,
        ),
        a(
            "PUT",
            "/fapiao/applications/{mchid}/{fapiao_apply_id}/outcome",
            j("{}"),
        ),
        a(
            "POST",
            "/fapiao/applications/{mchid}/{fapiao_apply_id}/outcome",
            j("{}"),
        ),
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
        a("POST", "/taxi/rides", j("{}")),
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
