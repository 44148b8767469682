//! A real kabao on 127.0.0.1:0 (fresh SQLite store, no demo world), its
//! control API for setting up what a test needs, and SDK clients for the
//! apps and merchants provisioned there. Nothing of kabao is mocked.

use kabao_client::{OfficialAccount, WechatPay};
use kabao_server::state::Settings;
use kabao_server::{Application, ServeConfig};
use reqwest::Method;
use serde_json::{json, Value};
use tokio::sync::oneshot;

pub const ADMIN: &str = "client-test-admin";

/// A running kabao; stops when dropped.
pub struct Kabao {
    pub base_url: String,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
}

/// A merchant provisioned with a generated API certificate.
pub struct Merchant {
    pub mchid: String,
    pub serial_no: String,
    pub private_key_pem: String,
    pub apiv3_key: String,
}

impl Drop for Kabao {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Kabao {
    /// kabao with default settings.
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// kabao with its settings changed by `change`.
    pub async fn start_with(change: impl FnOnce(&mut Settings)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = ServeConfig::new(format!(
            "sqlite://{}",
            dir.path().join("kabao.db").display()
        ));
        config.bind = "127.0.0.1:0".parse().unwrap();
        config.admin_token = Some(ADMIN.into());
        config.demo = false;
        change(&mut config.settings);
        let app = Application::build(config).await.unwrap();
        let base_url = app.base_url().to_owned();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(app.run_until_stopped(async {
            let _ = stopped.await;
        }));
        Kabao {
            base_url,
            http: reqwest::Client::new(),
            _dir: dir,
            stop: Some(stop),
        }
    }

    /// A control API call; the status and JSON body (Null when none).
    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}/_kabao/api{path}", self.base_url))
            .bearer_auth(ADMIN);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    /// A control API call that must succeed; its body.
    pub async fn admin_ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let (status, body) = self.admin(method, path, body).await;
        assert!((200..300).contains(&status), "{path}: {status} {body}");
        body
    }

    /// Provisions an Official Account app with `role`; a client for it.
    pub async fn oa_app(&self, appid: &str, role: &str) -> OfficialAccount {
        let app = self
            .admin_ok(
                Method::POST,
                "/apps",
                Some(json!({"appid": appid, "role": role})),
            )
            .await;
        OfficialAccount::new(&self.base_url, appid, app["secret"].as_str().unwrap()).unwrap()
    }

    /// Provisions a user of `appid`.
    pub async fn user(&self, appid: &str, openid: &str, unionid: Option<&str>) {
        self.admin_ok(
            Method::POST,
            "/users",
            Some(json!({"appid": appid, "openid": openid, "unionid": unionid})),
        )
        .await;
    }

    /// Provisions a merchant (`spec` adds fields such as `kind` or
    /// `callback_url`) with a generated API certificate.
    pub async fn merchant(&self, mchid: &str, spec: Value) -> Merchant {
        let mut body = json!({"mchid": mchid, "generate_certificate": true});
        body.as_object_mut()
            .unwrap()
            .extend(spec.as_object().unwrap().clone());
        let m = self.admin_ok(Method::POST, "/merchants", Some(body)).await;
        Merchant {
            mchid: mchid.to_owned(),
            serial_no: m["certificates"][0]["serial_no"]
                .as_str()
                .unwrap()
                .to_owned(),
            private_key_pem: m["generated_private_key_pem"].as_str().unwrap().to_owned(),
            apiv3_key: m["apiv3_key"].as_str().unwrap().to_owned(),
        }
    }

    /// A WechatPay client for `m` in certificate mode.
    pub fn pay(&self, m: &Merchant) -> WechatPay {
        WechatPay::new(
            &self.base_url,
            &m.mchid,
            &m.serial_no,
            &m.private_key_pem,
            &m.apiv3_key,
        )
        .unwrap()
    }

    /// Provisions a sub-merchant of `provider`.
    pub async fn sub_merchant(&self, mchid: &str, provider: &str) {
        self.admin_ok(
            Method::POST,
            "/merchants",
            Some(json!({"mchid": mchid, "kind": "sub_merchant", "parent_mchid": provider})),
        )
        .await;
    }

    /// The platform keys (serial, public key id, public key PEM).
    pub async fn platform_keys(&self) -> Vec<Value> {
        let keys = self.admin_ok(Method::GET, "/platform-keys", None).await;
        keys.as_array().unwrap().clone()
    }

    /// Moves kabao's clock by `seconds` (may be negative).
    pub async fn advance_clock(&self, seconds: i64) {
        self.admin_ok(
            Method::POST,
            "/clock",
            Some(json!({"advance_seconds": seconds})),
        )
        .await;
    }

    /// Puts kabao's clock back to real time.
    pub async fn reset_clock(&self) {
        self.admin_ok(Method::POST, "/clock", Some(json!({"reset": true})))
            .await;
    }

    /// kabao's clock, Unix seconds.
    pub async fn now(&self) -> i64 {
        let clock = self.admin_ok(Method::GET, "/clock", None).await;
        clock["now"].as_i64().unwrap()
    }

    /// A plain GET of a link kabao handed out; status and bytes.
    pub async fn fetch(&self, url: &str) -> (u16, Vec<u8>) {
        let r = self.http.get(url).send().await.unwrap();
        (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
    }
}

/// A small PDF labelled `label`.
pub fn pdf(label: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {label}\n%%EOF\n").into_bytes()
}

/// Polls `check` every 50 ms for up to 10 s until it gives `Some`.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    for _ in 0..200 {
        if let Some(v) = check().await {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{what} did not happen within 10 s");
}
