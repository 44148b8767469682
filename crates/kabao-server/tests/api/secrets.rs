//! Secrets stay secret: merchants' private keys and APIv3 keys appear in no
//! log line (debug level, JSON) and on no console page, and the files
//! kabao writes that hold keys are readable by their owner only.

use crate::console_steps::{Console, PAGES};
use crate::fapiao_issue::{direct_inserted, direct_order, issue_one};
use crate::fapiao_world::{FapiaoWorld, DIRECT};
use crate::helpers::*;
use kabao_protocol::auth::AuthorizationHeader;
use kabao_protocol::rsa::PrivateKey;
use serde_json::{json, Value};

/// Pieces of `key`'s PEM long enough to identify it: each full base64 line.
fn pem_lines(key: &PrivateKey) -> Vec<String> {
    key.to_pkcs8_pem()
        .lines()
        .filter(|l| l.len() >= 40 && !l.starts_with("-----"))
        .map(str::to_owned)
        .collect()
}

/// Panics, naming `place`, when `text` holds any of `secrets`.
fn assert_hides(place: &str, text: &str, secrets: &[String]) {
    assert!(
        !text.contains("PRIVATE KEY"),
        "{place} shows a PEM private key"
    );
    for secret in secrets {
        assert!(
            !text.contains(secret.as_str()),
            "{place} shows the secret {secret:?}"
        );
    }
}

#[tokio::test]
async fn console_pages_never_show_a_private_key_or_an_apiv3_key() {
    let world = FapiaoWorld::start().await;
    let tx = direct_order(&world).await;
    issue_one(&world, &tx, 1000).await;
    direct_inserted(&world, &tx).await;
    let mut secrets = vec![
        world.direct.apiv3_key.clone(),
        world.provider.apiv3_key.clone(),
    ];
    secrets.extend(pem_lines(&world.direct.key));
    secrets.extend(pem_lines(&world.provider.key));

    let console = Console::logged_in(&world.app).await;
    let mut pages: Vec<String> = PAGES.iter().map(|p| p.to_string()).collect();
    pages.push(format!("/_kabao/console/fapiao?mchid={DIRECT}"));
    pages.push(format!("/_kabao/console/fapiao/{DIRECT}/{tx}"));
    for path in &pages {
        let html = console.html(path).await;
        assert_hides(path, &html, &secrets);
    }
    // The callbacks page shows the decrypted resource, which proves the
    // APIv3 key was used there without being shown.
    assert!(console
        .html("/_kabao/console/callbacks")
        .await
        .contains(&tx));
}

#[cfg(unix)]
#[tokio::test]
async fn debug_logs_never_carry_a_private_key_or_an_apiv3_key() {
    let dir = tempfile::tempdir().unwrap();
    let kabao = KabaoProcess::start(
        dir.path(),
        &["--log-json", "--admin-token", ADMIN_TOKEN],
        &[("KABAO_LOG", "trace")],
    )
    .await;
    let http = reqwest::Client::new();
    let apiv3_key = "LogsNeverSeeThisApiV3Key01234567";
    let created: Value = http
        .post(format!("{}/_kabao/api/merchants", kabao.base_url))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"mchid": "1900000301", "generate_certificate": true, "apiv3_key": apiv3_key}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = PrivateKey::from_pem(created["generated_private_key_pem"].as_str().unwrap()).unwrap();
    let serial = created["certificates"][0]["serial_no"].as_str().unwrap();
    let path = "/v3/new-tax-control-fapiao/merchant/development-config";
    for (body, forge) in [
        (r#"{"callback_url":"http://127.0.0.1:9/cb"}"#, false),
        (r#"{"callback_url":"http://127.0.0.1:9/cb"}"#, true),
        (r#"{"callback_url":5}"#, false),
    ] {
        let auth = AuthorizationHeader::sign(
            &key,
            "1900000301",
            serial,
            "PATCH",
            path,
            now(),
            &nonce(),
            body.as_bytes(),
        );
        let mut header = auth.to_header_value();
        if forge {
            header = header.replace("signature=\"", "signature=\"AAAA");
        }
        let r = http
            .patch(format!("{}{path}", kabao.base_url))
            .header("Authorization", header)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_ne!(r.status(), 500);
    }
    assert!(kabao.terminate().await.success());

    let logs = std::fs::read_to_string(dir.path().join("stderr.log")).unwrap();
    assert!(
        logs.contains("development-config"),
        "requests are logged: {logs}"
    );
    let mut secrets = vec![apiv3_key.to_owned()];
    secrets.extend(pem_lines(&key));
    assert_hides("the log", &logs, &secrets);
}

#[cfg(unix)]
#[tokio::test]
async fn an_export_of_the_store_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn_app().await;
    app.merchant("1900000302", json!({})).await;
    let out = app.dir.path().join("kabao.jsonl");
    std::fs::write(&out, "an older export, world-readable\n").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_kabao"))
        .args(["export", "--database-url", &database_url(app.dir.path())])
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the export holds every key of the store");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("1900000302"), "a real export");
}
