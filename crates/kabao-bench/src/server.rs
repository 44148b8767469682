//! Starts release-built `kabao serve` child processes: one on a fresh SQLite
//! database in a temporary folder, or one or more sharing a fresh PostgreSQL
//! database; waits until they answer, provisions the merchant and app the
//! scenarios use through the control API, measures their CPU and memory
//! together, and stops them.

use crate::http;
use crate::pg_cpu::PgCpu;
use crate::pg_database::PgDatabase;
use crate::procstat::{self, Memory, ThreadTimes, TicksPerSecond};
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

/// One `kabao serve` child process.
struct Process {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
}

/// The kabao processes of one run, sharing one store and one admin token.
pub struct Kabao {
    processes: Vec<Process>,
    /// Where the first process listens: setup, checks and read-backs go here.
    pub addr: SocketAddr,
    /// Where each process listens; a load's connection `i` goes to `addrs[i % len]`.
    pub addrs: Vec<SocketAddr>,
    /// The control API's bearer token (the same for every process).
    pub admin_token: String,
    /// The PostgreSQL database, dropped after the processes stop.
    database: Option<PgDatabase>,
    _dir: tempfile::TempDir,
}

/// Everything the processes of a run used up to one moment.
#[derive(Debug, Clone)]
pub struct CpuReading {
    kabao: Duration,
    postgres: Option<PgCpu>,
    bench: Duration,
    machine: procstat::SystemTicks,
}

/// What was used between two [`CpuReading`]s.
#[derive(Debug, Clone, Copy, Default)]
pub struct CpuUsed {
    /// Every kabao process, all threads.
    pub kabao: Duration,
    /// PostgreSQL's processes working for kabao's database (`None` on SQLite).
    pub postgres: Option<Duration>,
    /// This process, the load generator.
    pub bench: Duration,
    /// Share of the machine's CPU time stolen by the hypervisor, %.
    pub steal_percent: f64,
    /// Share of the machine's CPU time that was idle (with iowait), %.
    pub idle_percent: f64,
}

impl CpuReading {
    /// What was used from `earlier` until this reading.
    pub fn since(&self, earlier: &CpuReading, ticks: TicksPerSecond) -> CpuUsed {
        CpuUsed {
            kabao: self.kabao.saturating_sub(earlier.kabao),
            postgres: match (&self.postgres, &earlier.postgres) {
                (Some(now), Some(then)) => Some(now.since(then, ticks)),
                _ => None,
            },
            bench: self.bench.saturating_sub(earlier.bench),
            steal_percent: self.machine.steal_percent_since(earlier.machine),
            idle_percent: self.machine.idle_percent_since(earlier.machine),
        }
    }
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
    /// Runs one `BINARY serve` on a new SQLite database in a temporary folder,
    /// plus `extra` flags, and waits until it answers.
    pub async fn start_sqlite(binary: &Path, extra: &[String]) -> anyhow::Result<Self> {
        let dir = tempfile::Builder::new().prefix("kabao-bench-").tempdir()?;
        let url = format!("sqlite://{}", dir.path().join("kabao.db").display());
        Self::start(binary, dir, url, None, 1, extra).await
    }

    /// Runs one `BINARY serve` on the SQLite database `kabao.db` already in
    /// `dir` (a store filled by `kabao import`), plus `extra` flags.
    pub async fn start_sqlite_in(
        binary: &Path,
        dir: tempfile::TempDir,
        extra: &[String],
    ) -> anyhow::Result<Self> {
        let url = format!("sqlite://{}", dir.path().join("kabao.db").display());
        Self::start(binary, dir, url, None, 1, extra).await
    }

    /// The folder of the store and the logs.
    pub fn folder(&self) -> &Path {
        self._dir.path()
    }

    /// Runs `processes` × `BINARY serve` on `database`, plus `extra` flags:
    /// the first alone (it applies the migrations), the others once it
    /// answers; waits until all answer.
    pub async fn start_postgres(
        binary: &Path,
        database: PgDatabase,
        processes: usize,
        extra: &[String],
    ) -> anyhow::Result<Self> {
        let dir = tempfile::Builder::new().prefix("kabao-bench-").tempdir()?;
        let url = database.url.clone();
        Self::start(binary, dir, url, Some(database), processes, extra).await
    }

    async fn start(
        binary: &Path,
        dir: tempfile::TempDir,
        url: String,
        database: Option<PgDatabase>,
        processes: usize,
        extra: &[String],
    ) -> anyhow::Result<Self> {
        // kabao runs in its own folder, so a relative path must be resolved here.
        let binary = std::fs::canonicalize(binary)
            .with_context(|| format!("cannot find {}", binary.display()))?;
        let mut kabao = Self {
            processes: Vec::new(),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            addrs: Vec::new(),
            admin_token: random_hex(32),
            database,
            _dir: dir,
        };
        for n in 0..processes.max(1) {
            let folder = if processes > 1 {
                let folder = kabao._dir.path().join(format!("process-{n}"));
                std::fs::create_dir_all(&folder)?;
                folder
            } else {
                kabao._dir.path().to_owned()
            };
            let process = spawn(&binary, &folder, &url, &kabao.admin_token, extra)?;
            kabao.addrs.push(process.addr);
            kabao.processes.push(process);
            kabao.addr = kabao.addrs[0];
            kabao.wait_healthy(Duration::from_secs(60)).await?;
        }
        Ok(kabao)
    }

    /// The children's process ids.
    pub fn pids(&self) -> Vec<u32> {
        self.processes.iter().map(|p| p.child.id()).collect()
    }

    /// How many kabao processes run.
    pub fn process_count(&self) -> usize {
        self.processes.len()
    }

    /// The PostgreSQL database's name (`None` on SQLite).
    pub fn database_name(&self) -> Option<&str> {
        self.database.as_ref().map(|d| d.name.as_str())
    }

    /// CPU time of every kabao process (all threads) so far.
    pub fn cpu(&self, ticks: TicksPerSecond) -> anyhow::Result<Duration> {
        self.pids()
            .into_iter()
            .map(|pid| procstat::process_cpu(pid, ticks))
            .sum()
    }

    /// kabao's, PostgreSQL's (for kabao's database), the bench's and the
    /// machine's CPU time so far.
    pub fn reading(&self, ticks: TicksPerSecond) -> anyhow::Result<CpuReading> {
        Ok(CpuReading {
            machine: procstat::system_ticks(),
            postgres: self.database_name().map(PgCpu::read),
            kabao: self.cpu(ticks)?,
            bench: procstat::process_cpu(std::process::id(), ticks)?,
        })
    }

    /// Memory of the kabao processes added up (RSS, peak RSS, threads).
    pub fn memory(&self) -> anyhow::Result<Memory> {
        let mut total = Memory {
            rss_kb: 0,
            peak_rss_kb: 0,
            threads: 0,
        };
        for pid in self.pids() {
            let m = procstat::memory(pid)?;
            total.rss_kb += m.rss_kb;
            total.peak_rss_kb += m.peak_rss_kb;
            total.threads += m.threads;
        }
        Ok(total)
    }

    /// The threads of every kabao process, added up by name.
    pub fn threads(&self, ticks: TicksPerSecond) -> anyhow::Result<Vec<ThreadTimes>> {
        let mut by_name: std::collections::BTreeMap<String, ThreadTimes> = Default::default();
        for pid in self.pids() {
            for t in procstat::threads_cpu(pid, ticks)? {
                match by_name.get_mut(&t.name) {
                    Some(sum) => {
                        sum.threads += t.threads;
                        sum.cpu += t.cpu;
                        sum.runqueue += t.runqueue;
                    }
                    None => {
                        by_name.insert(t.name.clone(), t);
                    }
                }
            }
        }
        Ok(by_name.into_values().collect())
    }

    /// What the processes wrote to stderr so far (each under its own heading when there are several).
    pub fn log_text(&self) -> String {
        if let [only] = self.processes.as_slice() {
            return std::fs::read_to_string(&only.log).unwrap_or_default();
        }
        self.processes
            .iter()
            .enumerate()
            .map(|(n, p)| {
                format!(
                    "--- process {n} ({}) ---\n{}",
                    p.addr,
                    std::fs::read_to_string(&p.log).unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Polls `GET /_kabao/health` of every process until each answers 200.
    pub async fn wait_healthy(&self, timeout: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        for &addr in &self.addrs {
            loop {
                let answer = http::get(addr, "/_kabao/health").await;
                match answer {
                    Ok(reply) if reply.status == StatusCode::OK => break,
                    _ if Instant::now() > deadline => {
                        bail!(
                            "kabao at {addr} is not healthy after {timeout:?}; its log:\n{}",
                            self.log_text()
                        )
                    }
                    _ => tokio::time::sleep(Duration::from_millis(100)).await,
                }
            }
        }
        Ok(())
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

    /// Sends SIGTERM to every process, waits up to 10 s for each to exit,
    /// then kills it; then drops the PostgreSQL database, if any.
    pub fn stop(mut self) -> anyhow::Result<Vec<ExitStatus>> {
        for process in &self.processes {
            let _ = Command::new("kill")
                .args(["-TERM", &process.child.id().to_string()])
                .status();
        }
        let mut statuses = Vec::new();
        for process in &mut self.processes {
            statuses.push(process.stop()?);
        }
        Ok(statuses)
    }
}

impl Process {
    /// Waits up to 10 s for a graceful exit (after SIGTERM), then kills.
    fn stop(&mut self) -> anyhow::Result<ExitStatus> {
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

impl Drop for Process {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs `BINARY serve` on `127.0.0.1:0` in `folder` with `url`, no demo
/// world, `admin_token` and a token quota no run can reach, plus `extra`
/// flags; returns once it has printed its address.
fn spawn(
    binary: &Path,
    folder: &Path,
    url: &str,
    admin_token: &str,
    extra: &[String],
) -> anyhow::Result<Process> {
    let log = folder.join("kabao.log");
    let mut command = Command::new(binary);
    command
        .arg("serve")
        .args(["--bind", "127.0.0.1:0", "--no-demo"])
        .args(["--database-url", url])
        .args(["--admin-token", admin_token])
        .args(["--token-daily-limit", "1000000000"])
        .args(extra)
        .current_dir(folder)
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
    let mut process = Process {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        log,
    };
    match address.recv_timeout(Duration::from_secs(60)) {
        Ok(Ok(addr)) => process.addr = addr,
        Ok(Err(e)) => bail!("kabao printed an address that does not parse: {e}"),
        Err(_) => bail!(
            "kabao did not print \"kabao listening on …\"; its log:\n{}",
            std::fs::read_to_string(&process.log).unwrap_or_default()
        ),
    }
    Ok(process)
}

/// `len` random lowercase hex digits.
pub fn random_hex(len: usize) -> String {
    use rand::Rng as _;
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| char::from(b"0123456789abcdef"[rng.gen_range(0..16)]))
        .collect()
}
