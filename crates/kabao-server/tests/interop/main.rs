//! Interop proof: clients written by others drive kabao unmodified but for
//! the base URL. The SDKs are installed from their registries into a
//! throwaway folder under the target directory.

#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use helpers::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Makes (once) a virtualenv with wechatpayv3 2.0.4, the version the protocol reference studied.
fn wechatpayv3_python() -> PathBuf {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("venv-wechatpayv3-2.0.4");
    let python = venv.join("bin/python");
    let marker = venv.join("installed");
    if !marker.exists() {
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .unwrap()
            .success();
        assert!(ok, "python3 -m venv failed");
        let ok = Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "wechatpayv3==2.0.4",
            ])
            .status()
            .unwrap()
            .success();
        assert!(ok, "pip install wechatpayv3 failed");
        std::fs::write(&marker, "").unwrap();
    }
    python
}

#[tokio::test]
async fn wechatpayv3_downloads_certificates_and_verifies_kabao() {
    let python = tokio::task::spawn_blocking(wechatpayv3_python)
        .await
        .unwrap();
    let app = spawn_app().await;
    let m = app.merchant("1900000601", json!({})).await;
    let key_file = app.dir.path().join("apiclient_key.pem");
    std::fs::write(&key_file, m.key.to_pkcs8_pem()).unwrap();
    let cert_dir = app.dir.path().join("wechatpay-certs");
    std::fs::create_dir_all(&cert_dir).unwrap();
    std::fs::copy(
        test_vectors().join("go-sdk-platform-cert-D7CE59D1F522D701.pem"),
        cert_dir.join("D7CE59D1F522D701.pem"),
    )
    .unwrap();
    let (_, keys) = app.admin_get("/platform-keys").await;
    let platform = &keys[0];
    let other = kabao_protocol::rsa::PrivateKey::generate_2048()
        .unwrap()
        .public_key()
        .to_spki_pem();
    let args = json!({
        "base_url": app.base_url,
        "mchid": m.mchid,
        "serial": m.serial,
        "key_file": key_file,
        "apiv3_key": m.apiv3_key,
        "cert_dir": cert_dir,
        "public_key_pem": platform["public_key_pem"],
        "public_key_id": platform["public_key_id"],
        "other_public_key_pem": other,
    });
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/interop/wechatpayv3_client.py"
    );
    let out = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(script)
            .arg(args.to_string())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "wechatpayv3 script failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kabao_serial = platform["serial_no"].as_str().unwrap();

    assert_eq!(result["cert_mode_status"], 200, "{result}");
    assert!(
        result["cert_mode_serials"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == kabao_serial),
        "the SDK downloaded and decrypted kabao's certificate: {result}"
    );
    assert!(result["cert_dir_files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == &json!(format!("{kabao_serial}.pem"))));
    assert_eq!(result["cert_mode_body_serials"], json!([kabao_serial]));
    assert_eq!(result["public_key_mode_status"], 200, "{result}");
    assert_eq!(result["wrong_serial_status"], 401);
    assert_eq!(result["wrong_serial_code"], "SIGN_ERROR");
    assert_eq!(
        result["wrong_key_verifies"], false,
        "the SDK must reject a signature it cannot verify: {result}"
    );
}
