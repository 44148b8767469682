//! The SDK against a real kabao on 127.0.0.1:0 (not against itself).

use kabao_client::{ClientError, OfficialAccount, WechatPay};
use kabao_server::{Application, ServeConfig};
use reqwest::Method;
use serde_json::{json, Value};

const ADMIN: &str = "client-test-admin";

struct Kabao {
    base_url: String,
    _dir: tempfile::TempDir,
}

async fn kabao() -> Kabao {
    let dir = tempfile::tempdir().unwrap();
    let mut config = ServeConfig::new(format!(
        "sqlite://{}",
        dir.path().join("kabao.db").display()
    ));
    config.bind = "127.0.0.1:0".parse().unwrap();
    config.admin_token = Some(ADMIN.into());
    config.demo = false;
    let app = Application::build(config).await.unwrap();
    let base_url = app.base_url().to_owned();
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    Kabao {
        base_url,
        _dir: dir,
    }
}

impl Kabao {
    async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let mut req = reqwest::Client::new()
            .request(method, format!("{}/_kabao/api{path}", self.base_url))
            .bearer_auth(ADMIN);
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.unwrap().json().await.unwrap()
    }

    async fn merchant(&self, mchid: &str) -> WechatPay {
        let m = self
            .admin(
                Method::POST,
                "/merchants",
                Some(json!({"mchid": mchid, "generate_certificate": true})),
            )
            .await;
        WechatPay::new(
            &self.base_url,
            mchid,
            m["certificates"][0]["serial_no"].as_str().unwrap(),
            m["generated_private_key_pem"].as_str().unwrap(),
            m["apiv3_key"].as_str().unwrap(),
        )
        .unwrap()
    }
}

#[tokio::test]
async fn official_account_caches_its_token_and_fetches_tickets() {
    let k = kabao().await;
    let app = k
        .admin(
            Method::POST,
            "/apps",
            Some(json!({"appid": "wxclient00000001", "role": "merchant"})),
        )
        .await;
    let oa = OfficialAccount::new(
        &k.base_url,
        "wxclient00000001",
        app["secret"].as_str().unwrap(),
    );
    let first = oa.access_token().await.unwrap();
    assert_eq!(
        oa.access_token().await.unwrap(),
        first,
        "cached while valid"
    );
    assert!(oa.ticket("wx_card").await.unwrap().len() > 20);

    // A token kabao no longer knows (expired past its end) is refetched once.
    k.admin(
        Method::POST,
        "/clock",
        Some(json!({"advance_seconds": 7300})),
    )
    .await;
    assert!(
        oa.ticket("wx_card").await.is_ok(),
        "42001 triggers one refetch and a retry"
    );
    assert_ne!(oa.access_token().await.unwrap(), first);

    let wrong = OfficialAccount::new(&k.base_url, "wxclient00000001", "wrong-secret");
    match wrong.access_token().await {
        Err(ClientError::Oa(e)) => assert_eq!(e.errcode, 40125),
        other => panic!("expected 40125, got {other:?}"),
    }
}

#[tokio::test]
async fn wechat_pay_downloads_certificates_and_verifies_answers() {
    let k = kabao().await;
    let pay = k.merchant("1900000701").await;
    let certs = pay.certificates().await.unwrap();
    let keys = k.admin(Method::GET, "/platform-keys", None).await;
    assert_eq!(certs.len(), 1);
    assert_eq!(certs[0].serial_no, keys[0]["serial_no"].as_str().unwrap());
    assert!(certs[0].pem.contains("BEGIN CERTIFICATE"));

    let (status, body) = pay
        .request(Method::GET, "/v3/certificates?algorithm_type=SM2", b"")
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap()["data"],
        json!([])
    );

    match pay
        .request(Method::GET, "/v3/certificates?algorithm_type=X", b"")
        .await
    {
        Err(ClientError::Pay(e)) => {
            assert_eq!((e.status, e.code.as_str()), (400, "PARAM_ERROR"));
            assert_eq!(e.detail.unwrap()["field"], "algorithm_type");
        }
        other => panic!("expected PARAM_ERROR, got {other:?}"),
    }
}

#[tokio::test]
async fn public_key_mode_verifies_with_the_platform_public_key() {
    let k = kabao().await;
    let keys = k.admin(Method::GET, "/platform-keys", None).await;
    let pay = k
        .merchant("1900000702")
        .await
        .with_platform_public_key(
            keys[0]["public_key_id"].as_str().unwrap(),
            keys[0]["public_key_pem"].as_str().unwrap(),
        )
        .unwrap();
    let (status, _) = pay
        .request(Method::GET, "/v3/certificates", b"")
        .await
        .unwrap();
    assert_eq!(status, 200);

    // A public key that is not kabao's fails verification.
    let other = kabao_protocol::rsa::PrivateKey::generate_2048()
        .unwrap()
        .public_key()
        .to_spki_pem();
    let fooled = k
        .merchant("1900000703")
        .await
        .with_platform_public_key(keys[0]["public_key_id"].as_str().unwrap(), &other)
        .unwrap();
    assert!(matches!(
        fooled.request(Method::GET, "/v3/certificates", b"").await,
        Err(ClientError::Signature(_))
    ));
}
