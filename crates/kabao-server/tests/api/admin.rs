//! The control API: its token, its OpenAPI document, field-naming errors and the clock.

use crate::helpers::*;
use serde_json::{json, Value};

#[tokio::test]
async fn the_control_api_refuses_without_its_token() {
    let app = spawn_app().await;
    for token in [None, Some("wrong")] {
        let mut req = app.http.get(app.url("/_kabao/api/merchants"));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), 401);
        assert_eq!(r.json::<Value>().await.unwrap()["error"], "unauthorized");
    }
    let r = app
        .http
        .post(app.url("/_kabao/api/apps"))
        .json(&json!({"appid": "wxa", "role": "merchant"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        app.admin_get("/apps").await.1,
        json!([]),
        "nothing was created"
    );
}

#[tokio::test]
async fn every_documented_path_is_served() {
    let app = spawn_app().await;
    let doc = app.get_json("/_kabao/api/openapi.json").await;
    assert_eq!(doc["openapi"], "3.0.3");
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 8);
    app.app("wxdoc", "merchant").await;
    app.merchant("1900000301", json!({})).await;
    for (path, ops) in paths {
        let concrete = path
            .replace("{appid}", "wxdoc")
            .replace("{mchid}", "1900000301");
        // Paths naming another resource (a card, a callback, a link…) are
        // asked for one that does not exist: the endpoint's own 404, never
        // the router's "no control API endpoint" or 405.
        let names_a_resource = concrete.contains('{');
        let concrete = concrete
            .split('/')
            .map(|part| if part.starts_with('{') { "0" } else { part })
            .collect::<Vec<_>>()
            .join("/");
        for (method, _) in ops.as_object().unwrap() {
            let r = app
                .http
                .request(
                    method.to_uppercase().parse().unwrap(),
                    app.url(&format!("/_kabao/api{concrete}")),
                )
                .bearer_auth(ADMIN_TOKEN)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap_or(Value::Null);
            assert_ne!(status, 405, "{method} {concrete}: {body}");
            assert!(
                !body["message"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("no control API endpoint"),
                "{method} {concrete} is documented but not served: {body}"
            );
            if method == "get" && !names_a_resource && !NEEDS_A_QUERY.contains(&path.as_str()) {
                assert_eq!(status, 200, "GET {concrete}: {body}");
            }
        }
    }
}

/// Documented lists that answer 400 naming their required query parameter.
const NEEDS_A_QUERY: &[&str] = &["/fapiao/cards", "/fapiao/pay-orders"];

#[tokio::test]
async fn invalid_specs_name_the_field_and_store_nothing() {
    let app = spawn_app().await;
    let cases = [
        ("/apps", json!({"appid": "wxa", "role": "boss"}), "role"),
        (
            "/apps",
            json!({"appid": "wx a", "role": "merchant"}),
            "appid",
        ),
        (
            "/apps",
            json!({"appid": "wxa", "role": "merchant", "colour": "red"}),
            "colour",
        ),
        ("/merchants", json!({"mchid": "12ab"}), "mchid"),
        (
            "/merchants",
            json!({"mchid": "1900000302", "apiv3_key": "short"}),
            "apiv3_key",
        ),
        (
            "/merchants",
            json!({"mchid": "1900000302", "kind": "sub_merchant"}),
            "parent_mchid",
        ),
        (
            "/merchants",
            json!({"mchid": "1900000302", "callback_url": "ftp://x"}),
            "callback_url",
        ),
        (
            "/merchants",
            json!({"mchid": "1900000302", "certificates": [{"public_key_pem": "nope", "serial_no": "AB"}]}),
            "certificates[0].public_key_pem",
        ),
        (
            "/merchants",
            json!({"mchid": "1900000302", "certificates": [{"certificate_file": "/etc/passwd"}]}),
            "certificates[0].certificate_file",
        ),
        ("/users", json!({"appid": "wxnobody"}), "appid"),
        (
            "/platform-keys",
            json!({"public_key_id": "KEY_1"}),
            "public_key_id",
        ),
        (
            "/clock",
            json!({"advance_seconds": 1, "reset": true}),
            "body",
        ),
    ];
    for (path, body, field) in cases {
        let (status, answer) = app.admin_post(path, &body).await;
        assert_eq!(status, 400, "{path} {body}: {answer}");
        assert_eq!(answer["error"], "invalid_field");
        assert!(
            answer["field"].as_str().unwrap_or_default().contains(field)
                || answer["message"].as_str().unwrap().contains(field),
            "{path}: {answer} should name {field}"
        );
    }
    let r = app
        .http
        .post(app.url("/_kabao/api/apps"))
        .bearer_auth(ADMIN_TOKEN)
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(app.admin_get("/apps").await.1, json!([]));
    assert_eq!(app.admin_get("/merchants").await.1, json!([]));
}

#[tokio::test]
async fn lists_mask_the_apiv3_key_that_creation_showed_once() {
    let app = spawn_app().await;
    let m = app
        .merchant(
            "1900000303",
            json!({"apiv3_key": "0123456789abcdefghijklmnopqrstuv"}),
        )
        .await;
    assert_eq!(m.apiv3_key, "0123456789abcdefghijklmnopqrstuv");
    let (_, one) = app.admin_get("/merchants/1900000303").await;
    let shown = one["apiv3_key"].as_str().unwrap();
    assert!(!shown.contains("23456789abcdefghijklmnopqrst"), "{shown}");
    let (_, keys) = app.admin_get("/platform-keys").await;
    assert!(
        !keys.to_string().contains("PRIVATE KEY"),
        "private keys are never listed"
    );
    assert_eq!(app.admin_get("/merchants/1999").await.0, 404);
}

#[tokio::test]
async fn the_clock_moves_and_resets() {
    let app = spawn_app().await;
    let (_, before) = app.admin_get("/clock").await;
    let (status, moved) = app
        .admin_post("/clock", &json!({"advance_seconds": 3600}))
        .await;
    assert_eq!(status, 200);
    let delta = moved["now"].as_i64().unwrap() - before["now"].as_i64().unwrap();
    assert!((3600..=3602).contains(&delta), "{delta}");
    let (_, set) = app
        .admin_post("/clock", &json!({"set_unix": 1_700_000_000}))
        .await;
    assert!((set["now"].as_i64().unwrap() - 1_700_000_000).abs() <= 1);
    assert_eq!(
        set["now_rfc3339"].as_str().unwrap()[..16],
        *"2023-11-15T06:13"
    );
    let (_, reset) = app.admin_post("/clock", &json!({"reset": true})).await;
    assert!((reset["now"].as_i64().unwrap() - now()).abs() <= 1);
}

#[tokio::test]
async fn health_reports_the_store() {
    let app = spawn_app().await;
    let v = app.get_json("/_kabao/health").await;
    assert_eq!(v["status"], "ok");
    assert_eq!(v["store"], crate::test_db::backend());
}
