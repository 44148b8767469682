//! First start on an empty store makes a demo world a newcomer can call at once.

use crate::helpers::*;
use kabao_protocol::rsa::PrivateKey;

fn field<'a>(guide: &'a str, after: &str, key: &str) -> &'a str {
    let section = &guide[guide
        .find(after)
        .unwrap_or_else(|| panic!("no {after:?} in guide"))..];
    let line = section
        .lines()
        .find(|l| l.trim_start().starts_with(key))
        .unwrap();
    line.trim_start()[key.len()..].trim()
}

#[tokio::test]
async fn the_demo_world_works_with_the_printed_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.demo = true;
    cfg.program = env!("CARGO_BIN_EXE_kabao").into();
    let app = spawn_with(dir, cfg).await;
    let guide = app.demo_guide.clone().expect("first start prints a guide");
    let calls: Vec<&str> = guide
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("curl "))
        .collect();
    assert_eq!(
        calls.len(),
        6,
        "one call per app and merchant, plus the user list: {guide}"
    );
    for call in calls {
        let out = tokio::process::Command::new("bash")
            .args(["-c", call])
            .output()
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("access_token") || text.contains("\"data\"") || text.contains("openid"),
            "the printed call works as pasted: {call}\n{text}"
        );
    }
    for family in [
        "invoicing_platform",
        "fiscal_bureau",
        "merchant (fapiao)",
        "taxi service provider",
        "/v3/certificates",
        "/cgi-bin/token",
    ] {
        assert!(guide.contains(family), "guide mentions {family}");
    }
    let appid = field(&guide, "invoicing_platform", "appid");
    let secret = field(&guide, "invoicing_platform", "secret");
    assert!(app.token(appid, secret).await.len() > 100);
    let bureau = field(&guide, "fiscal_bureau", "appid");
    assert!(
        app.token(bureau, field(&guide, "fiscal_bureau", "secret"))
            .await
            .len()
            > 100
    );

    for (title, mchid) in [
        ("merchant (fapiao)", "1900000001"),
        ("taxi service provider", "1900000100"),
    ] {
        assert_eq!(field(&guide, title, "mchid"), mchid);
        let key_file = field(&guide, title, "key file");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(key_file).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let m = TestMerchant {
            mchid: mchid.into(),
            serial: field(&guide, title, "serial_no").into(),
            key: PrivateKey::from_pem(&std::fs::read_to_string(key_file).unwrap()).unwrap(),
            apiv3_key: field(&guide, title, "apiv3_key").into(),
        };
        assert_eq!(
            app.signed(&m, "GET", "/v3/certificates", "", now())
                .await
                .status(),
            200,
            "{title}"
        );
    }
    let (_, users) = app.admin_get("/users").await;
    assert_eq!(
        users.as_array().unwrap().len(),
        9,
        "three people under three apps"
    );
    assert!(app.dir.path().join("demo/credentials.txt").exists());

    let dir = app.stop().await;
    let mut cfg = config(dir.path());
    cfg.demo = true;
    let again = spawn_with(dir, cfg).await;
    assert!(again.demo_guide.is_none(), "the demo world is made once");
    assert!(again.token(appid, secret).await.len() > 100);
}
