//! Starts a real kabao on 127.0.0.1:0 with a fresh database (SQLite, or
//! PostgreSQL in the `api_postgres` target: see `test_db`) and talks HTTP to
//! it; nothing of kabao is mocked.

pub use crate::test_db::{database_url, postgres};
use kabao_protocol::auth::AuthorizationHeader;
use kabao_protocol::rsa::PrivateKey;
use kabao_server::{Application, ServeConfig};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const ADMIN_TOKEN: &str = "test-admin-token";

/// A running kabao and what a test needs to talk to it.
pub struct TestApp {
    pub base_url: String,
    pub http: reqwest::Client,
    pub dir: tempfile::TempDir,
    pub demo_guide: Option<String>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// A merchant provisioned through the control API, with its private key.
pub struct TestMerchant {
    pub mchid: String,
    pub serial: String,
    pub key: PrivateKey,
    pub apiv3_key: String,
}

pub fn config(dir: &std::path::Path) -> ServeConfig {
    let mut config = ServeConfig::new(database_url(dir));
    config.bind = "127.0.0.1:0".parse().unwrap();
    config.admin_token = Some(ADMIN_TOKEN.into());
    config.demo = false;
    if postgres() {
        // demo/ and tls/ go to the test's folder (SQLite: beside kabao.db).
        config.data_dir = Some(dir.to_owned());
    }
    config
}

/// Starts kabao on a fresh database without the demo world.
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    spawn_with(dir, cfg).await
}

/// Starts kabao with `config` in `dir` (kept alive by the returned app).
pub async fn spawn_with(dir: tempfile::TempDir, config: ServeConfig) -> TestApp {
    let app = Application::build(config).await.expect("kabao builds");
    let base_url = app.base_url().to_owned();
    let demo_guide = app.demo_guide().map(str::to_owned);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    TestApp {
        base_url,
        http: reqwest::Client::new(),
        dir,
        demo_guide,
        stop: Some(stop),
        task: Some(task),
    }
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn nonce() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    (0..32)
        .map(|_| char::from(b"0123456789ABCDEF"[rng.gen_range(0..16)]))
        .collect()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// Stops serving (gracefully) and gives back the folder, so a test can restart on it.
    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap();
        }
        std::mem::replace(&mut self.dir, tempfile::tempdir().unwrap())
    }

    pub async fn admin_get(&self, path: &str) -> (u16, Value) {
        let r = self
            .http
            .get(self.url(&format!("/_kabao/api{path}")))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    pub async fn admin_post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.admin_send(reqwest::Method::POST, path, body).await
    }

    /// `PUT /_kabao/api{path}` with the admin token; the status and JSON
    /// body (Null when there is none).
    pub async fn admin_put(&self, path: &str, body: &Value) -> (u16, Value) {
        self.admin_send(reqwest::Method::PUT, path, body).await
    }

    async fn admin_send(&self, method: reqwest::Method, path: &str, body: &Value) -> (u16, Value) {
        let r = self
            .http
            .request(method, self.url(&format!("/_kabao/api{path}")))
            .bearer_auth(ADMIN_TOKEN)
            .json(body)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    /// The text of the page at `url` (a link kabao handed out), whatever
    /// the status.
    pub async fn page_text(&self, url: &str) -> String {
        let r = self.http.get(url).send().await.unwrap();
        r.text().await.unwrap()
    }

    /// Submits `form` to `url` as a browser sends an HTML form
    /// (`application/x-www-form-urlencoded`).
    pub async fn submit_form(&self, url: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http.post(url).form(form).send().await.unwrap()
    }

    /// Provisions an app and returns its secret.
    pub async fn app(&self, appid: &str, role: &str) -> String {
        let (status, body) = self
            .admin_post("/apps", &json!({"appid": appid, "role": role}))
            .await;
        assert_eq!(status, 201, "{body}");
        body["secret"].as_str().unwrap().to_owned()
    }

    /// Provisions a merchant with a generated API certificate.
    pub async fn merchant(&self, mchid: &str, extra: Value) -> TestMerchant {
        let mut spec = json!({"mchid": mchid, "generate_certificate": true});
        if let (Some(s), Some(e)) = (spec.as_object_mut(), extra.as_object()) {
            s.extend(e.clone());
        }
        let (status, body) = self.admin_post("/merchants", &spec).await;
        assert_eq!(status, 201, "{body}");
        TestMerchant {
            mchid: mchid.to_owned(),
            serial: body["certificates"][0]["serial_no"]
                .as_str()
                .unwrap()
                .to_owned(),
            key: PrivateKey::from_pem(body["generated_private_key_pem"].as_str().unwrap()).unwrap(),
            apiv3_key: body["apiv3_key"].as_str().unwrap().to_owned(),
        }
    }

    /// `GET path` (no credentials) and its JSON body, whatever the status.
    pub async fn get_json(&self, path: &str) -> Value {
        let r = self.http.get(self.url(path)).send().await.unwrap();
        r.json().await.unwrap()
    }

    /// Fetches a token for `appid`.
    pub async fn token(&self, appid: &str, secret: &str) -> String {
        let body = self
            .get_json(&format!(
                "/cgi-bin/token?grant_type=client_credential&appid={appid}&secret={secret}"
            ))
            .await;
        body["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("{body}"))
            .to_owned()
    }

    /// Moves kabao's clock.
    pub async fn advance_clock(&self, seconds: i64) {
        let (status, body) = self
            .admin_post("/clock", &json!({"advance_seconds": seconds}))
            .await;
        assert_eq!(status, 200, "{body}");
    }

    /// Sends an APIv3 request signed by `merchant` at `timestamp`.
    pub async fn signed(
        &self,
        merchant: &TestMerchant,
        method: &str,
        path: &str,
        body: &str,
        timestamp: i64,
    ) -> reqwest::Response {
        self.signed_request(merchant, method, path, body.as_bytes(), timestamp)
            .header("Content-Type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
    }

    /// A request to `path` with `merchant`'s APIv3 signature over `method`,
    /// `path`, `timestamp` and `signed` (the body, or an upload's meta);
    /// the caller adds the body and any other header.
    pub fn signed_request(
        &self,
        merchant: &TestMerchant,
        method: &str,
        path: &str,
        signed: &[u8],
        timestamp: i64,
    ) -> reqwest::RequestBuilder {
        let auth = AuthorizationHeader::sign(
            &merchant.key,
            &merchant.mchid,
            &merchant.serial,
            method,
            path,
            timestamp,
            &nonce(),
            signed,
        );
        self.http
            .request(method.parse().unwrap(), self.url(path))
            .header("Authorization", auth.to_header_value())
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // A stopped app gave its folder (and database) back to the test.
        crate::test_db::drop_database(self.dir.path());
    }
}

/// The platform public keys the control API publishes, by serial and by key id.
pub async fn platform_public_keys(
    app: &TestApp,
) -> Vec<(
    Option<String>,
    Option<String>,
    kabao_protocol::rsa::PublicKey,
)> {
    let (status, keys) = app.admin_get("/platform-keys").await;
    assert_eq!(status, 200);
    keys.as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["serial_no"].as_str().map(str::to_owned),
                k["public_key_id"].as_str().map(str::to_owned),
                kabao_protocol::rsa::PublicKey::from_pem(k["public_key_pem"].as_str().unwrap())
                    .unwrap(),
            )
        })
        .collect()
}

/// Verifies an APIv3 response's signature headers over `body`; returns the serial used.
pub fn verify_response(
    headers: &reqwest::header::HeaderMap,
    body: &[u8],
    keys: &[(
        Option<String>,
        Option<String>,
        kabao_protocol::rsa::PublicKey,
    )],
) -> String {
    let h = |n: &str| {
        headers
            .get(n)
            .unwrap_or_else(|| panic!("missing {n}"))
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(h("Wechatpay-Signature-Type"), "WECHATPAY2-SHA256-RSA2048");
    let serial = h("Wechatpay-Serial");
    let key = keys
        .iter()
        .find(|(s, id, _)| s.as_deref() == Some(&serial) || id.as_deref() == Some(&serial))
        .unwrap_or_else(|| panic!("unknown serial {serial}"));
    let message = kabao_protocol::message::response_message(
        &h("Wechatpay-Timestamp"),
        &h("Wechatpay-Nonce"),
        body,
    );
    key.2
        .verify_sha256_b64(&message, &h("Wechatpay-Signature"))
        .expect("response signature verifies");
    serial
}

/// The reference test vectors (`../shared/reference/test-vectors`).
pub fn test_vectors() -> PathBuf {
    std::env::var_os("KABAO_TEST_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/reference/test-vectors"
            ))
        })
}

/// The `kabao` binary running as a child process, for what only the real
/// process shows: signals and logs.
pub struct KabaoProcess {
    pub child: tokio::process::Child,
    pub base_url: String,
}

impl KabaoProcess {
    /// Starts `kabao serve` on 127.0.0.1:0 with a fresh store in `dir`,
    /// stderr to `dir/stderr.log`, and waits until it says it is listening.
    pub async fn start(dir: &std::path::Path, args: &[&str], envs: &[(&str, &str)]) -> Self {
        use tokio::io::AsyncReadExt;
        let db = database_url(dir);
        let stderr = std::fs::File::create(dir.join("stderr.log")).unwrap();
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_kabao"))
            .args([
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--no-demo",
                "--database-url",
                &db,
                "--data-dir",
                &dir.display().to_string(),
            ])
            .args(args)
            .envs(envs.iter().copied())
            .stdout(std::process::Stdio::piped())
            .stderr(stderr)
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let mut seen = String::new();
        let mut buf = [0u8; 512];
        let base_url = loop {
            if let Some(rest) = seen.split("kabao listening on ").nth(1) {
                if let Some(url) = rest
                    .split_whitespace()
                    .next()
                    .filter(|_| rest.contains('\n'))
                {
                    break url.to_owned();
                }
            }
            let n = tokio::time::timeout(std::time::Duration::from_secs(30), out.read(&mut buf))
                .await
                .unwrap()
                .unwrap();
            assert!(n > 0, "kabao exited early");
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        };
        Self { child, base_url }
    }

    /// Sends SIGTERM and waits (at most 10 s) for the exit.
    pub async fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().unwrap().to_string();
        assert!(std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success());
        tokio::time::timeout(std::time::Duration::from_secs(10), self.child.wait())
            .await
            .unwrap()
            .unwrap()
    }
}
