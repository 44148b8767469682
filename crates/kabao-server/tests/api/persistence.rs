//! Everything a call creates outlives a restart.

use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn tenants_tokens_and_the_clock_survive_a_restart() {
    let app = spawn_app().await;
    let secret = app.app("wxpersist00000001", "merchant").await;
    let m = app.merchant("1900000501", json!({})).await;
    let token = app.token("wxpersist00000001", &secret).await;
    app.advance_clock(600).await;
    let dir = app.stop().await;

    let cfg = config(dir.path());
    let app = spawn_with(dir, cfg).await;
    let t = app
        .get_json(&format!(
            "/cgi-bin/ticket/getticket?type=wx_card&access_token={token}"
        ))
        .await;
    assert_eq!(
        t["errcode"], 0,
        "the token issued before the restart still works: {t}"
    );
    assert_eq!(
        app.signed(&m, "GET", "/v3/certificates", "", now() + 600)
            .await
            .status(),
        200,
        "merchant and clock offset kept"
    );
    let (_, clock) = app.admin_get("/clock").await;
    assert!(clock["offset_seconds"].as_f64().unwrap() >= 599.0);
}

#[tokio::test]
async fn a_generated_admin_token_is_kept_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.admin_token = None;
    let first = kabao_server::Application::build(cfg.clone()).await.unwrap();
    let token = first.admin_token().to_owned();
    assert!(token.len() >= 32);
    drop(first);
    let second = kabao_server::Application::build(cfg).await.unwrap();
    assert_eq!(second.admin_token(), token);
}

#[tokio::test]
async fn the_sqlite_store_runs_in_wal_mode() {
    if postgres() {
        return; // a property of the SQLite store only
    }
    let app = spawn_app().await;
    app.app("wxwal000000000001", "merchant").await;
    assert!(
        app.dir.path().join("kabao.db-wal").exists(),
        "SQLite keeps a write-ahead log"
    );
}

#[tokio::test]
async fn an_unreachable_postgres_server_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    // Port 1 on loopback: nothing listens there.
    cfg.database_url = "postgres://kabao:secret@127.0.0.1:1/kabao".into();
    let err = kabao_server::Application::build(cfg)
        .await
        .err()
        .expect("refused");
    let message = format!("{err:#}");
    assert!(message.contains("PostgreSQL at 127.0.0.1:1"), "{message}");
    assert!(
        !message.contains("secret"),
        "the password is not shown: {message}"
    );
}
