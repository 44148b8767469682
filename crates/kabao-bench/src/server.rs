//! Starts a release-built `kabao serve` as a child process on a fresh SQLite
//! database in a temporary folder, waits until it answers, provisions the
//! merchant and app the scenarios use through the control API, and stops it.

use crate::http;
use anyhow::{bail, Context as _};
use hyper::{Method, StatusCode};
use kabao_protocol::rsa::{PrivateKey, PublicKey};
use serde_json::{json, Value};
use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running kabao child process.
pub struct Kabao {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// The control API's bearer token.
    pub admin_token: String,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

/// The tenants provisioned for the scenarios.
pub struct Tenants {
    /// The merchant that signs `GET /v3/certificates`.
    pub mchid: String,
    /// Its API certificate serial.
    pub serial: String,
    /// Its private key.
    pub key: PrivateKey,
    /// The Official Account app that fetches tokens.
    pub appid: String,
    /// Its secret.
    pub secret: String,
    /// The platform's public keys by serial (or `PUB_KEY_ID_…`), to check response signatures.
    pub platform_keys: Vec<(String, PublicKey)>,
}

impl Kabao {
    /// Runs `BINARY serve` on `127.0.0.1:0` with a new database, no demo world,
    /// a known admin token and a token quota no run can reach, plus `extra` flags;
    /// returns once it has printed its address.
    pub fn start(binary: &Path, extra: &[String]) -> anyhow::Result<Self> {
        // kabao runs in its own folder, so a relative path must be resolved here.
        let binary = std::fs::canonicalize(binary)
            .with_context(|| format!("cannot find {}", binary.display()))?;
        let dir = tempfile::Builder::new().prefix("kabao-bench-").tempdir()?;
        let log = dir.path().join("kabao.log");
        let admin_token = random_hex(32);
        let mut command = Command::new(&binary);
        command
            .arg("serve")
            .args(["--bind", "127.0.0.1:0", "--no-demo"])
            .arg("--database-url")
            .arg(format!(
                "sqlite://{}",
                dir.path().join("kabao.db").display()
            ))
            .args(["--admin-token", &admin_token])
            .args(["--token-daily-limit", "1000000000"])
            .args(extra)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log)?);
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("KABAO_") {
                command.env_remove(name);
            }
        }
        let mut child = command
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let (found, address) = mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if !sent {
                    if let Some(url) = line.strip_prefix("kabao listening on ") {
                        let addr = url.trim().trim_start_matches("http://").parse();
                        sent = found.send(addr).is_ok();
                    }
                }
            }
        });
        let mut kabao = Self {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            admin_token,
            log,
            _dir: dir,
        };
        match address.recv_timeout(Duration::from_secs(60)) {
            Ok(Ok(addr)) => kabao.addr = addr,
            Ok(Err(e)) => bail!("kabao printed an address that does not parse: {e}"),
            Err(_) => bail!(
                "kabao did not print \"kabao listening on …\"; its log:\n{}",
                kabao.log_text()
            ),
        }
        Ok(kabao)
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What kabao wrote to stderr so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Polls `GET /_kabao/health` until it answers 200.
    pub async fn wait_healthy(&self, timeout: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let answer = http::get(self.addr, "/_kabao/health").await;
            match answer {
                Ok(reply) if reply.status == StatusCode::OK => return Ok(()),
                _ if Instant::now() > deadline => {
                    bail!(
                        "kabao is not healthy after {timeout:?}; its log:\n{}",
                        self.log_text()
                    )
                }
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    async fn admin(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Value> {
        let (status, value) =
            http::admin_json(self.addr, &self.admin_token, method.clone(), path, body).await?;
        if !status.is_success() {
            bail!("{method} {path} answered {status}: {value}");
        }
        Ok(value)
    }

    /// Creates one merchant with a generated API certificate and one app, and reads the platform keys.
    pub async fn provision(&self) -> anyhow::Result<Tenants> {
        let mchid = "1900000109";
        let merchant = self
            .admin(
                Method::POST,
                "/_kabao/api/merchants",
                Some(&json!({"mchid": mchid, "name": "kabao-bench", "generate_certificate": true})),
            )
            .await?;
        let text = |v: &Value, what: &str| -> anyhow::Result<String> {
            v.pointer(what)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .with_context(|| format!("no {what} in {v}"))
        };
        let key = PrivateKey::from_pem(&text(&merchant, "/generated_private_key_pem")?)?;
        let serial = text(&merchant, "/certificates/0/serial_no")?;
        let appid = "wxbench0000000001";
        let app = self
            .admin(
                Method::POST,
                "/_kabao/api/apps",
                Some(&json!({"appid": appid, "role": "invoicing_platform", "name": "kabao-bench"})),
            )
            .await?;
        let secret = text(&app, "/secret")?;
        let listed = self
            .admin(Method::GET, "/_kabao/api/platform-keys", None)
            .await?;
        let mut platform_keys = Vec::new();
        for k in listed.as_array().context("platform-keys is not a list")? {
            let Some(pem) = k["public_key_pem"].as_str() else {
                continue;
            };
            let public = PublicKey::from_pem(pem)?;
            for name in [&k["serial_no"], &k["public_key_id"]] {
                if let Some(name) = name.as_str() {
                    platform_keys.push((name.to_owned(), public.clone()));
                }
            }
        }
        if platform_keys.is_empty() {
            bail!("kabao has no platform key to sign responses with: {listed}");
        }
        Ok(Tenants {
            mchid: mchid.to_owned(),
            serial,
            key,
            appid: appid.to_owned(),
            secret,
            platform_keys,
        })
    }

    /// Sends SIGTERM, waits up to 10 s for a graceful exit, then kills.
    pub fn stop(mut self) -> anyhow::Result<ExitStatus> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.child.kill()?;
        Ok(self.child.wait()?)
    }
}

impl Drop for Kabao {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `len` random lowercase hex digits.
pub fn random_hex(len: usize) -> String {
    use rand::Rng as _;
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| char::from(b"0123456789abcdef"[rng.gen_range(0..16)]))
        .collect()
}
