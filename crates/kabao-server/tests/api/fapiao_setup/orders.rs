//! Paid WeChat Pay orders through the control API.

use crate::fapiao_world::{FapiaoWorld, DIRECT, PROVIDER, SUB};
use serde_json::json;

#[tokio::test]
async fn a_paid_order_gets_a_wechat_pay_transaction_id_and_is_listed_for_its_merchant() {
    let w = FapiaoWorld::start().await;
    let (status, order) = w
        .app
        .admin_post(
            "/fapiao/pay-orders",
            &json!({"mchid": SUB, "appid": "wxb1170446a4c0a5a2", "openid": "oUser_1", "amount": 429900,
                "description": "出租车费", "out_trade_no": "TRIP-20261123-1"}),
        )
        .await;
    assert_eq!(status, 201, "{order}");
    let id = order["transaction_id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 28);
    assert!(
        id.starts_with("4200") && id.bytes().all(|b| b.is_ascii_digit()),
        "{id}"
    );
    assert_eq!(order["mchid"], SUB);
    assert_eq!(order["amount"], 429900);
    assert_eq!(order["out_trade_no"], "TRIP-20261123-1");
    assert!(order["paid_at"].is_number());

    let (status, second) = w
        .app
        .admin_post("/fapiao/pay-orders", &json!({"mchid": SUB, "amount": 100}))
        .await;
    assert_eq!(status, 201, "{second}");
    assert_ne!(second["transaction_id"], id.as_str());
    assert!(second["out_trade_no"].as_str().unwrap().len() <= 32);
    assert!(second.get("openid").is_none());

    let (status, list) = w
        .app
        .admin_get(&format!("/fapiao/pay-orders?mchid={SUB}"))
        .await;
    assert_eq!(status, 200);
    let ids: Vec<_> = list["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["transaction_id"].clone())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&json!(id)));
    let (_, direct) = w
        .app
        .admin_get(&format!("/fapiao/pay-orders?mchid={DIRECT}"))
        .await;
    assert_eq!(direct["orders"], json!([]));
    let (status, one) = w.app.admin_get(&format!("/fapiao/pay-orders/{id}")).await;
    assert_eq!((status, &one), (200, &order));
    let (status, _) = w
        .app
        .admin_get("/fapiao/pay-orders/4200000000000000000000000000")
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_paid_order_names_its_bad_field_and_out_trade_no_is_unique_per_merchant() {
    let w = FapiaoWorld::start().await;
    let ok = json!({"mchid": DIRECT, "amount": 100, "out_trade_no": "ORDER-0001"});
    let (status, _) = w.app.admin_post("/fapiao/pay-orders", &ok).await;
    assert_eq!(status, 201);
    let (status, body) = w.app.admin_post("/fapiao/pay-orders", &ok).await;
    assert_eq!(status, 409, "{body}");
    assert!(body["message"].as_str().unwrap().contains("out_trade_no"));
    let (status, _) = w
        .app
        .admin_post(
            "/fapiao/pay-orders",
            &json!({"mchid": SUB, "amount": 100, "out_trade_no": "ORDER-0001"}),
        )
        .await;
    assert_eq!(status, 201, "another merchant may reuse the number");

    for (body, field) in [
        (json!({"mchid": PROVIDER, "amount": 100}), "mchid"),
        (json!({"mchid": "1999999999", "amount": 100}), "mchid"),
        (json!({"mchid": DIRECT, "amount": 0}), "amount"),
        (
            json!({"mchid": DIRECT, "amount": 1, "openid": "o b"}),
            "openid",
        ),
        (
            json!({"mchid": DIRECT, "amount": 1, "out_trade_no": "x"}),
            "out_trade_no",
        ),
        (json!({"mchid": DIRECT}), "amount"),
    ] {
        let (status, answer) = w.app.admin_post("/fapiao/pay-orders", &body).await;
        assert_eq!(status, 400, "{answer}");
        assert_eq!(answer["field"], field, "{answer}");
    }
    let (_, list) = w
        .app
        .admin_get(&format!("/fapiao/pay-orders?mchid={DIRECT}"))
        .await;
    assert_eq!(list["orders"].as_array().unwrap().len(), 1);
    let (status, body) = w.app.admin_get("/fapiao/pay-orders").await;
    assert_eq!((status, body["field"].as_str()), (400, Some("mchid")));
}
