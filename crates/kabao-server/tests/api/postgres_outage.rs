//! PostgreSQL going away under kabao (its connections cut and new ones
//! refused, as when the server restarts): every call answers the real
//! system error while it is gone (errcode -1 on the Official Account side,
//! 500 SYSTEM_ERROR on APIv3), kabao recovers by itself when it is back,
//! and nothing it acknowledged is lost. PostgreSQL only: the SQLite store
//! has no server to lose.

use crate::helpers::now;
use crate::oa_world::{vat_invoice, World};
use crate::test_db::{admin, database_name, postgres};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Refuses new connections to `db` and cuts the open ones.
fn cut(db: &str) {
    admin(format!("ALTER DATABASE {db} ALLOW_CONNECTIONS false")).unwrap();
    admin(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'"
    ))
    .unwrap();
}

fn restore(db: &str) {
    admin(format!("ALTER DATABASE {db} ALLOW_CONNECTIONS true")).unwrap();
}

#[tokio::test]
async fn postgres_outage_answers_system_errors_then_recovers_without_losing_a_card() {
    if !postgres() {
        return;
    }
    let world = World::new().await;
    world.authorised_order("UP-1", &world.alice).await;
    world.authorised_order("DOWN-1", &world.alice).await;
    let pdf_up = world.pdf("up").await;
    let pdf_down = world.pdf("down").await;
    let before = world.insert("UP-1", vat_invoice(&pdf_up, "30000001")).await;
    assert_eq!(before["errcode"], 0, "{before}");
    let merchant = world
        .app
        .merchant("1900000901", json!({"kind": "direct"}))
        .await;
    let query = "/v3/new-tax-control-fapiao/fapiao-applications/4200000000000000000001";
    let db = database_name(world.app.dir.path()).expect("a PostgreSQL test database");

    cut(&db);
    let during = world
        .insert("DOWN-1", vat_invoice(&pdf_down, "30000002"))
        .await;
    assert_eq!(during["errcode"], -1, "{during}");
    let r = world.app.signed(&merchant, "GET", query, "", now()).await;
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(
        (status, &body["code"]),
        (500, &json!("SYSTEM_ERROR")),
        "{body}"
    );
    let (status, body) = world.app.admin_post("/fapiao/pay-orders", &json!({"mchid": "1900000901", "appid": "wxf1a7f0a000000002", "openid": "oAlice", "amount": 100})).await;
    assert_eq!(status, 500, "the control API fails too: {body}");
    restore(&db);

    // kabao reconnects by itself: the same insert goes through once it can.
    let started = Instant::now();
    let after = loop {
        let answer = world
            .insert("DOWN-1", vat_invoice(&pdf_down, "30000002"))
            .await;
        if answer["errcode"] != -1 || started.elapsed() > Duration::from_secs(30) {
            break answer;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(after["errcode"], 0, "{after}");
    let cards = world.cards_of(&world.alice).await;
    let mut orders: Vec<&str> = cards
        .iter()
        .map(|c| c["order_id"].as_str().unwrap())
        .collect();
    orders.sort();
    assert_eq!(orders, ["DOWN-1", "UP-1"], "each card once: {cards:?}");
}
