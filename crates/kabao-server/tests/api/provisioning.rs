//! The TOML file and the CLI subcommands provision the same tenants as the control API.

use crate::helpers::*;
use kabao_protocol::rsa::PrivateKey;
use serde_json::Value;
use std::process::Command;

#[tokio::test]
async fn a_toml_file_provisions_apps_merchants_keys_and_users() {
    let dir = tempfile::tempdir().unwrap();
    let v = test_vectors();
    for f in [
        "go-sdk-mock-merchant-BE6DCDA7A5931FA0.public.pem",
        "go-sdk-test-key-A.private.pem",
        "go-sdk-platform-cert-D7CE59D1F522D701.pem",
    ] {
        std::fs::copy(v.join(f), dir.path().join(f)).unwrap();
    }
    let toml = r#"
[[apps]]
appid = "wxtoml0000000001"
secret = "s3cret"
role = "invoicing_platform"
name = "TOML platform"

[[merchants]]
mchid = "1234567890"
kind = "service_provider"
apiv3_key = "mockAPIv3Key1234"
callback_url = "https://example.invalid/notify"
[[merchants.certificates]]
serial_no = "BE6DCDA7A5931FA0"
public_key_file = "go-sdk-mock-merchant-BE6DCDA7A5931FA0.public.pem"

[[merchants]]
mchid = "1234567899"
kind = "sub_merchant"
parent_mchid = "1234567890"

[[platform_keys]]
private_key_file = "go-sdk-test-key-A.private.pem"
certificate_file = "go-sdk-platform-cert-D7CE59D1F522D701.pem"
public_key_id = "PUB_KEY_ID_0114232134912410000000000000"

[[users]]
appid = "wxtoml0000000001"
openid = "oTOMLuser0000000000000000001"
unionid = "uTOML1"
"#;
    let path = dir.path().join("kabao.toml");
    std::fs::write(&path, toml).unwrap();
    let mut cfg = config(dir.path());
    cfg.provision_file = Some(path);
    cfg.demo = true;
    let app = spawn_with(dir, cfg).await;
    assert!(
        app.demo_guide.is_none(),
        "a provisioned store gets no demo world"
    );

    assert!(app.token("wxtoml0000000001", "s3cret").await.len() > 100);
    let (_, sub) = app.admin_get("/merchants/1234567899").await;
    assert_eq!(sub["parent_mchid"], "1234567890");
    let (_, users) = app.admin_get("/users?appid=wxtoml0000000001").await;
    assert_eq!(users[0]["unionid"], "uTOML1");
    let (_, keys) = app.admin_get("/platform-keys").await;
    assert!(keys
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["serial_no"] == "D7CE59D1F522D701"
            && k["public_key_id"] == "PUB_KEY_ID_0114232134912410000000000000"));

    let m = TestMerchant {
        mchid: "1234567890".into(),
        serial: "BE6DCDA7A5931FA0".into(),
        key: PrivateKey::from_pem(
            &std::fs::read_to_string(v.join("go-sdk-mock-merchant-BE6DCDA7A5931FA0.private.pem"))
                .unwrap(),
        )
        .unwrap(),
        apiv3_key: "mockAPIv3Key1234".into(),
    };
    assert_eq!(
        app.signed(&m, "GET", "/v3/certificates", "", now())
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_bad_toml_file_stops_start_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kabao.toml");
    std::fs::write(&path, "[[merchants]]\nmchid = \"19x\"\n").unwrap();
    let mut cfg = config(dir.path());
    cfg.provision_file = Some(path);
    let err = kabao_server::Application::build(cfg)
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("merchants[0].mchid"), "{err}");
}

fn kabao(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_kabao"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kabao {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn cli_subcommands_provision_the_store_a_server_then_uses() {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::helpers::database_url(dir.path());
    let app: Value = serde_json::from_str(&kabao(&[
        "app",
        "add",
        "--database-url",
        &db,
        "--appid",
        "wxcli000000000001",
        "--role",
        "fiscal_bureau",
        "--secret",
        "clisecret",
    ]))
    .unwrap();
    assert_eq!(app["role"], "fiscal_bureau");
    let key_file = dir.path().join("merchant_key.pem");
    let merchant: Value = serde_json::from_str(&kabao(&[
        "merchant",
        "add",
        "--database-url",
        &db,
        "--mchid",
        "1900000401",
        "--generate-key-into",
        key_file.to_str().unwrap(),
    ]))
    .unwrap();
    let serial = merchant["certificates"][0].as_str().unwrap().to_owned();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777,
            0o600,
            "key files are owner-only"
        );
    }
    let user: Value = serde_json::from_str(&kabao(&[
        "user",
        "add",
        "--database-url",
        &db,
        "--appid",
        "wxcli000000000001",
        "--unionid",
        "uCLI",
    ]))
    .unwrap();
    assert!(user["openid"].as_str().unwrap().starts_with('o'));
    let pk: Value =
        serde_json::from_str(&kabao(&["platform-key", "add", "--database-url", &db])).unwrap();
    assert!(pk["public_key_id"]
        .as_str()
        .unwrap()
        .starts_with("PUB_KEY_ID_"));

    let cfg = config(dir.path());
    let app = spawn_with(dir, cfg).await;
    assert!(app.token("wxcli000000000001", "clisecret").await.len() > 100);
    let (_, keys) = app.admin_get("/platform-keys").await;
    assert_eq!(
        keys.as_array().unwrap().len(),
        1,
        "the CLI key counts; no second one is generated"
    );
    let m = TestMerchant {
        mchid: "1900000401".into(),
        serial: serial.clone(),
        key: PrivateKey::from_pem(&std::fs::read_to_string(&key_file).unwrap()).unwrap(),
        apiv3_key: merchant["apiv3_key"].as_str().unwrap().into(),
    };
    assert_eq!(
        app.signed(&m, "GET", "/v3/certificates", "", now())
            .await
            .status(),
        200
    );

    // `kabao sign` prints a header kabao accepts.
    let header = kabao(&[
        "sign",
        "--mchid",
        "1900000401",
        "--serial",
        &serial,
        "--key",
        key_file.to_str().unwrap(),
        "GET",
        "/v3/certificates",
    ]);
    let r = app
        .http
        .get(app.url("/v3/certificates"))
        .header("Authorization", header.trim())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}
