//! Interop proof: clients written by others drive kabao unmodified but for
//! the base URL. The SDKs are installed from their registries into a
//! throwaway folder under the target directory.

#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;
#[path = "../api/test_db.rs"]
#[allow(dead_code)]
mod test_db;

use helpers::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

mod wechatpayv3_fapiao;
mod wechatpayv3_taxi;
mod wechatpy;

/// What the interop virtualenv holds: the SDK versions the protocol
/// references studied, and a crypto backend for wechatpy.
const PYTHON_PACKAGES: &[&str] = &["wechatpayv3==2.0.4", "wechatpy==1.8.18", "cryptography"];

/// Makes (once) the one virtualenv of the interop tests and returns its
/// python. Its folder is named after [`PYTHON_PACKAGES`], so changing the
/// list makes a new one. Tests run as parallel processes, so each builds in
/// a folder of its own and renames it into place; the first rename wins and
/// a loser throws its copy away.
/// Runs `tests/interop/<script>` with the interop venv's Python and `args`
/// as its one JSON argument; returns the JSON it prints (panics with its
/// stderr if it fails).
async fn run_script(script: &'static str, args: Value) -> Value {
    let python = tokio::task::spawn_blocking(interop_python).await.unwrap();
    let path = format!("{}/tests/interop/{script}", env!("CARGO_MANIFEST_DIR"));
    let out = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(path)
            .arg(args.to_string())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn interop_python() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let name: String = PYTHON_PACKAGES
        .join("-")
        .replace("==", "-")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let venv = tmp.join(format!("venv-{name}"));
    let python = venv.join("bin/python");
    if venv.join("installed").exists() {
        return python;
    }
    let staging = tmp.join(format!("venv-{name}.building-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let ok = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&staging)
        .status()
        .unwrap()
        .success();
    assert!(ok, "python3 -m venv failed");
    let ok = Command::new(staging.join("bin/python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(PYTHON_PACKAGES)
        .status()
        .unwrap()
        .success();
    assert!(ok, "pip install {PYTHON_PACKAGES:?} failed");
    std::fs::write(staging.join("installed"), "").unwrap();
    if std::fs::rename(&staging, &venv).is_err() {
        // Another test process got there first (or a stale half-built folder
        // is in the way: it never has the marker, so replace it).
        if !venv.join("installed").exists() {
            let _ = std::fs::remove_dir_all(&venv);
            if std::fs::rename(&staging, &venv).is_ok() {
                return python;
            }
        }
        let _ = std::fs::remove_dir_all(&staging);
    }
    assert!(venv.join("installed").exists(), "no virtualenv at {venv:?}");
    python
}

#[tokio::test]
async fn wechatpayv3_downloads_certificates_and_verifies_kabao() {
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
    let result = run_script("wechatpayv3_client.py", args).await;
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
