//! `Application::build`: the one way the binary and the tests start kabao —
//! open the store, run migrations, provision, bind, and serve.

use crate::clock::Clock;
use crate::http::admin::CLOCK_OFFSET_KEY;
use crate::keyring::Keyring;
use crate::provision::{create_demo_world, renew_demo_taxi_file, ProvisionFile, Provisioner};
use crate::state::{AppState, Settings};
use crate::store::{self, Store};
use crate::{server, tls};
use rand::distributions::Alphanumeric;
use rand::Rng;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Settings key of the persisted admin token.
pub const ADMIN_TOKEN_KEY: &str = "admin_token";

/// Everything `kabao serve` can be told.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Listen address; port 0 picks a free one (tests).
    pub bind: SocketAddr,
    /// `sqlite://PATH` (default `sqlite://./kabao.db`) or `postgres://…`.
    pub database_url: String,
    /// Where `demo/` and `tls/` go; defaults to the SQLite file's folder.
    pub data_dir: Option<PathBuf>,
    /// A TOML provisioning file applied at start.
    pub provision_file: Option<PathBuf>,
    /// The control API token; persisted and reused when absent, generated on first start.
    pub admin_token: Option<String>,
    /// Create the demo world when the store is empty after provisioning.
    pub demo: bool,
    /// Serve HTTPS with the certificate from `kabao tls init` (made if missing).
    pub tls: bool,
    /// The rest of the run-time settings (admin token is filled in by `build`).
    pub settings: Settings,
    /// How the `kabao` binary is invoked, for the demo guide's `sign` calls.
    pub program: String,
}

impl ServeConfig {
    /// Defaults for a database URL: `127.0.0.1:8080`, demo world on, plain HTTP.
    pub fn new(database_url: impl Into<String>) -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: database_url.into(),
            data_dir: None,
            provision_file: None,
            admin_token: None,
            demo: true,
            tls: false,
            settings: Settings::default(),
            program: "kabao".into(),
        }
    }

    /// The folder for `demo/` and `tls/`.
    pub fn data_dir(&self) -> PathBuf {
        if let Some(dir) = &self.data_dir {
            return dir.clone();
        }
        let path = self
            .database_url
            .trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:");
        if self.database_url.starts_with("postgres") || path.is_empty() {
            return PathBuf::from(".");
        }
        let path = path.split('?').next().unwrap_or(path);
        PathBuf::from(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(|p| p.to_owned())
            .unwrap_or_else(|| PathBuf::from("."))
    }
}

/// A built, bound, not yet serving kabao.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    tls: Option<Arc<rustls::ServerConfig>>,
    base_url: String,
    demo_guide: Option<String>,
}

impl Application {
    /// Opens the store, applies provisioning, makes the demo world on an empty
    /// store, and binds the listener.
    pub async fn build(config: ServeConfig) -> anyhow::Result<Self> {
        let store: Arc<dyn Store> = store::open(&config.database_url).await?;
        let offset = store
            .setting(CLOCK_OFFSET_KEY)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let clock = Arc::new(Clock::with_offset_ms(offset));
        let admin_token = match config.admin_token.clone() {
            Some(t) => t,
            None => match store.setting(ADMIN_TOKEN_KEY).await? {
                Some(t) => t,
                None => {
                    let t: String = rand::thread_rng()
                        .sample_iter(&Alphanumeric)
                        .take(32)
                        .map(char::from)
                        .collect();
                    store.put_setting(ADMIN_TOKEN_KEY, &t).await?;
                    t
                }
            },
        };
        store
            .put_setting(
                crate::store::callback::CALLBACK_OUTBOX_LIMIT_KEY,
                &config.settings.callback_outbox_limit.to_string(),
            )
            .await?;
        let keyring = Arc::new(Keyring::new(store.clone()));
        let provisioner = Provisioner::new(store.clone(), clock.clone(), Some(keyring.clone()));
        if let Some(path) = &config.provision_file {
            let file = ProvisionFile::load(path)?;
            provisioner
                .apply_file(&file)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        }
        provisioner
            .ensure_platform_key()
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;

        let listener = TcpListener::bind(config.bind).await?;
        let addr = listener.local_addr()?;
        let data_dir = config.data_dir();
        let tls = if config.tls {
            Some(tls::server_config(&tls::init(
                &data_dir.join("tls"),
                false,
            )?)?)
        } else {
            None
        };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let base_url = format!("{scheme}://{addr}");

        let demo_guide = if config.demo && store.is_unprovisioned().await? {
            let guide = create_demo_world(
                &provisioner,
                &store,
                &data_dir.join("demo"),
                &base_url,
                &admin_token,
                &config.program,
                clock.now_ms(),
            )
            .await
            .map_err(|e| anyhow::anyhow!("creating the demo world: {e}"))?;
            Some(guide)
        } else {
            None
        };
        if config.demo {
            // The official taxi example's file stays usable while the demo lives.
            renew_demo_taxi_file(&store, clock.now()).await?;
        }
        let settings = Arc::new(Settings {
            admin_token,
            tls: config.tls,
            ..config.settings
        });
        let state = AppState {
            store,
            clock,
            keyring,
            provisioner,
            settings,
            callers: Default::default(),
            push_notifier: Default::default(),
            callback_wakeup: Default::default(),
            fapiao_wakeup: Default::default(),
            nonces: Arc::default(),
            issue_calls: Arc::new(crate::rate_limit::PerSecondLimiter::new(
                crate::domain::fapiao::ISSUE_CALLS_PER_SECOND,
            )),
        };
        Ok(Self {
            listener,
            state,
            tls,
            base_url,
            demo_guide,
        })
    }

    /// The bound address (with the real port when 0 was asked).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("bound listener has an address")
    }

    /// `http://host:port` (or `https://`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The control API's bearer token.
    pub fn admin_token(&self) -> &str {
        &self.state.settings.admin_token
    }

    /// The newcomer's guide when this start created the demo world.
    pub fn demo_guide(&self) -> Option<&str> {
        self.demo_guide.as_deref()
    }

    /// Every (method, path) this application's router serves: the list the
    /// bad-input matrix test checks its cases against.
    pub fn served_routes(&self) -> Vec<crate::http::route_list::ServedRoute> {
        crate::http::route_list::served_routes(&crate::http::router(self.state.clone()))
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests.
    pub async fn run_until_stopped(self, shutdown: impl Future<Output = ()>) {
        let pushes = crate::worker::spawn_push_worker(
            self.state.store.clone(),
            self.state.clock.clone(),
            self.state.push_notifier.clone(),
            self.state.settings.allow_link_local_callbacks,
        );
        let fapiao = crate::worker::spawn_fapiao_worker(
            self.state.store.clone(),
            self.state.clock.clone(),
            self.state.fapiao_wakeup.clone(),
            self.state.callback_wakeup.clone(),
        );
        let callbacks = crate::worker::spawn_callback_worker(&self.state);
        let router = crate::http::router(self.state);
        server::serve(self.listener, router, self.tls, shutdown).await;
        pushes.stop().await;
        callbacks.stop().await;
        fapiao.stop().await;
    }
}
