//! The `kabao` command line: `serve`, provisioning subcommands that write to
//! the same store, `tls init`, and `sign` (an APIv3 `Authorization` header for
//! curl).

use crate::clock::Clock;
use crate::domain::taxi::card_package::TaxiCardResponse;
use crate::provision::{
    AppSpec, CertificateSpec, MerchantSpec, PlatformKeySpec, Provisioner, UserSpec,
};
use crate::startup::{Application, ServeConfig};
use crate::state::Settings;
use crate::{server, store, tls};
use clap::{Args, Parser, Subcommand};
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// kabao: a self-hosted, wire-compatible WeChat invoice card-package service.
#[derive(Debug, Parser)]
#[command(name = "kabao", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start kabao (SQLite at ./kabao.db and a demo world by default).
    Serve(ServeArgs),
    /// Provision Official Account apps.
    App {
        #[command(subcommand)]
        action: AppAction,
    },
    /// Provision WeChat Pay merchants.
    Merchant {
        #[command(subcommand)]
        action: MerchantAction,
    },
    /// Provision platform signing keys.
    PlatformKey {
        #[command(subcommand)]
        action: PlatformKeyAction,
    },
    /// Provision users.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Local TLS for SDKs with hard-coded hosts.
    Tls {
        #[command(subcommand)]
        action: TlsAction,
    },
    /// Print an APIv3 Authorization header for a request (for curl).
    Sign(SignArgs),
    /// Create the store if needed and apply pending migrations, then exit.
    Migrate(DatabaseArg),
    /// Write the whole store to a file (JSON lines), e.g. to move to PostgreSQL.
    Export {
        #[command(flatten)]
        db: DatabaseArg,
        /// The file to write (`-` for standard output).
        #[arg(long, default_value = "-")]
        out: PathBuf,
    },
    /// Load a file written by `kabao export` into a new, empty store.
    Import {
        #[command(flatten)]
        db: DatabaseArg,
        /// The file to read (`-` for standard input).
        #[arg(long = "in", default_value = "-")]
        input: PathBuf,
    },
}

#[derive(Debug, Args)]
struct DatabaseArg {
    /// sqlite://PATH or postgres://…
    #[arg(
        long,
        env = "KABAO_DATABASE_URL",
        default_value = "sqlite://./kabao.db"
    )]
    database_url: String,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "KABAO_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    #[command(flatten)]
    db: DatabaseArg,
    /// TOML provisioning file applied at start.
    #[arg(long = "config", env = "KABAO_CONFIG")]
    config: Option<PathBuf>,
    /// Folder for demo/ and tls/ (default: the SQLite file's folder).
    #[arg(long, env = "KABAO_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Bearer token of the control API (default: generated once and kept in the store).
    #[arg(long, env = "KABAO_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Do not create the demo world on an empty store.
    #[arg(long, env = "KABAO_NO_DEMO")]
    no_demo: bool,
    /// Serve HTTPS with the certificate of `kabao tls init` (made if missing).
    #[arg(long, env = "KABAO_TLS")]
    tls: bool,
    /// Reject what default mode accepts with a warning.
    #[arg(long, env = "KABAO_STRICT")]
    strict: bool,
    /// Base URL of the links kabao hands out (authorisation pages, PDF
    /// downloads), e.g. https://kabao.example.com; default: the requester's Host.
    #[arg(long, env = "KABAO_PUBLIC_URL")]
    public_url: Option<String>,
    /// Token fetches per app per day before 45009.
    #[arg(long, env = "KABAO_TOKEN_DAILY_LIMIT", default_value_t = 2000)]
    token_daily_limit: i64,
    /// Allowed distance of an APIv3 request's timestamp from kabao's clock, in seconds.
    #[arg(long, env = "KABAO_SIGNATURE_WINDOW", default_value_t = 300)]
    signature_window_secs: i64,
    /// Multiplies every gap of the APIv3 callback retry schedule (0.001
    /// turns 15 s into 15 ms); for tests.
    #[arg(long, env = "KABAO_CALLBACK_TIME_SCALE", default_value_t = 1.0, value_parser = parse_time_scale)]
    callback_time_scale: f64,
    /// Longest time a request may take, from its headers to its answer
    /// (body upload included), before it is cut off with 408.
    #[arg(long, env = "KABAO_REQUEST_TIMEOUT", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    request_timeout_secs: u64,
    /// Let callbacks and event pushes go to link-local addresses
    /// (169.254.0.0/16, fe80::/10, where cloud metadata services answer);
    /// refused by default.
    #[arg(long, env = "KABAO_ALLOW_LINK_LOCAL_CALLBACKS")]
    allow_link_local_callbacks: bool,
    /// Most APIv3 callbacks one merchant may have pending (its receiver
    /// failing); a callback beyond it is stored as failed, with the reason,
    /// and can be redelivered from the console. Several processes on one
    /// PostgreSQL database share the value the last one started with.
    #[arg(long, env = "KABAO_CALLBACK_OUTBOX_LIMIT", default_value_t = crate::store::callback::DEFAULT_CALLBACK_OUTBOX_LIMIT, value_parser = clap::value_parser!(u64).range(1..))]
    callback_outbox_limit: u64,
    /// What a successful taxi insert-card (POST /v3/taxi-invoice/cards)
    /// answers: 204 (no content, the official page) or 200 (the card, the YAML).
    #[arg(long, env = "KABAO_TAXI_CARD_RESPONSE", default_value = "204", value_parser = TaxiCardResponse::parse)]
    taxi_card_response: TaxiCardResponse,
    /// Log as JSON lines instead of text.
    #[arg(long, env = "KABAO_LOG_JSON")]
    log_json: bool,
}

#[derive(Debug, Subcommand)]
enum AppAction {
    /// Create or replace an app; prints it as JSON.
    Add {
        #[command(flatten)]
        db: DatabaseArg,
        #[arg(long)]
        appid: String,
        /// invoicing_platform, merchant or fiscal_bureau
        #[arg(long)]
        role: String,
        #[arg(long)]
        secret: Option<String>,
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum MerchantAction {
    /// Create or replace a merchant; prints it as JSON.
    Add(MerchantAddArgs),
}

#[derive(Debug, Args)]
struct MerchantAddArgs {
    #[command(flatten)]
    db: DatabaseArg,
    #[arg(long)]
    mchid: String,
    #[arg(long)]
    name: Option<String>,
    /// direct, service_provider or sub_merchant
    #[arg(long)]
    kind: Option<String>,
    #[arg(long)]
    parent_mchid: Option<String>,
    /// 32 characters; generated when absent.
    #[arg(long, hide_env_values = true)]
    apiv3_key: Option<String>,
    #[arg(long)]
    callback_url: Option<String>,
    /// certificate or public_key
    #[arg(long)]
    platform_mode: Option<String>,
    /// The merchant API certificate (apiclient_cert.pem).
    #[arg(long)]
    certificate_file: Option<PathBuf>,
    /// Or the merchant's public key PEM (with --serial).
    #[arg(long)]
    public_key_file: Option<PathBuf>,
    /// Serial of --public-key-file.
    #[arg(long)]
    serial: Option<String>,
    /// Generate a key pair and certificate; the private key goes to this file.
    #[arg(long)]
    generate_key_into: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum PlatformKeyAction {
    /// Add a platform key (generated when no --private-key-file is given).
    Add {
        #[command(flatten)]
        db: DatabaseArg,
        #[arg(long)]
        private_key_file: Option<PathBuf>,
        #[arg(long)]
        certificate_file: Option<PathBuf>,
        /// PUB_KEY_ID_… for public-key mode.
        #[arg(long)]
        public_key_id: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum UserAction {
    /// Create or replace a user; prints it as JSON.
    Add {
        #[command(flatten)]
        db: DatabaseArg,
        #[arg(long)]
        appid: String,
        #[arg(long)]
        openid: Option<String>,
        #[arg(long)]
        unionid: Option<String>,
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum TlsAction {
    /// Make a local CA and a server certificate for WeChat's API hosts and localhost.
    Init {
        /// Where to write them.
        #[arg(long, default_value = "./tls")]
        dir: PathBuf,
        /// Replace existing files.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
struct SignArgs {
    #[arg(long)]
    mchid: String,
    /// The merchant API certificate serial.
    #[arg(long)]
    serial: String,
    /// The merchant private key PEM.
    #[arg(long)]
    key: PathBuf,
    /// The signed body (default empty).
    #[arg(long, default_value = "")]
    body: String,
    /// GET, POST, …
    method: String,
    /// Path and query, e.g. /v3/certificates
    url: String,
}

/// A callback time scale: a finite number from 0 up.
fn parse_time_scale(value: &str) -> Result<f64, String> {
    value
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .ok_or_else(|| format!("{value} is not a number from 0 up (1 = the real schedule)"))
}

fn read(path: &std::path::Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))
}

async fn provisioner(db: &DatabaseArg) -> anyhow::Result<Provisioner> {
    let store = store::open(&db.database_url).await?;
    Ok(Provisioner::new(store, Arc::new(Clock::default()), None))
}

fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KABAO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    init_logging(args.log_json);
    let config = ServeConfig {
        bind: args.bind,
        database_url: args.db.database_url,
        data_dir: args.data_dir,
        provision_file: args.config,
        admin_token: args.admin_token,
        demo: !args.no_demo,
        tls: args.tls,
        settings: Settings {
            strict: args.strict,
            public_url: args.public_url,
            token_daily_limit: args.token_daily_limit,
            signature_window_secs: args.signature_window_secs,
            callback_time_scale: args.callback_time_scale,
            allow_link_local_callbacks: args.allow_link_local_callbacks,
            callback_outbox_limit: args.callback_outbox_limit,
            request_timeout_secs: args.request_timeout_secs,
            taxi_card_response: args.taxi_card_response,
            ..Settings::default()
        },
        program: std::env::args().next().unwrap_or_else(|| "kabao".into()),
    };
    let app = Application::build(config).await?;
    let shutdown = server::shutdown_signal();
    // Start-up text goes to stdout without panicking if nobody reads it any
    // more (a closed pipe must not take the server down); "listening on" comes
    // last so a reader that waits for it knows start-up is over.
    let mut text = String::new();
    if let Some(guide) = app.demo_guide() {
        text.push_str(guide);
        text.push('\n');
    }
    text.push_str(&format!(
        "control API: {}/_kabao/api/ (Authorization: Bearer {})\nkabao listening on {}\n",
        app.base_url(),
        app.admin_token(),
        app.base_url()
    ));
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    drop(stdout);
    tracing::info!(addr = %app.local_addr(), "kabao started");
    app.run_until_stopped(shutdown).await;
    Ok(())
}

/// Runs the command line.
pub async fn run() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Serve(args) => serve(args).await,
        Command::App {
            action:
                AppAction::Add {
                    db,
                    appid,
                    role,
                    secret,
                    name,
                },
        } => {
            let app = provisioner(&db)
                .await?
                .app(&AppSpec {
                    appid,
                    secret,
                    role,
                    name,
                })
                .await?;
            print_json(&app)
        }
        Command::Merchant {
            action: MerchantAction::Add(a),
        } => {
            let mut certificates = Vec::new();
            if let Some(path) = &a.certificate_file {
                certificates.push(CertificateSpec {
                    certificate_pem: Some(read(path)?),
                    serial_no: a.serial.clone(),
                    ..CertificateSpec::default()
                });
            }
            if let Some(path) = &a.public_key_file {
                certificates.push(CertificateSpec {
                    public_key_pem: Some(read(path)?),
                    serial_no: a.serial.clone(),
                    ..CertificateSpec::default()
                });
            }
            let spec = MerchantSpec {
                mchid: a.mchid,
                name: a.name,
                kind: a.kind,
                parent_mchid: a.parent_mchid,
                apiv3_key: a.apiv3_key,
                callback_url: a.callback_url,
                platform_mode: a.platform_mode,
                certificates,
                generate_certificate: a.generate_key_into.is_some(),
            };
            let mut made = provisioner(&a.db).await?.merchant(&spec).await?;
            if let (Some(path), Some(pem)) =
                (&a.generate_key_into, made.generated_private_key_pem.take())
            {
                crate::files::write_owner_only(path, &pem)?;
                eprintln!("private key written to {}", path.display());
            }
            print_json(&serde_json::json!({
                "mchid": made.merchant.mchid,
                "kind": made.merchant.kind,
                "apiv3_key": made.merchant.apiv3_key.expose(),
                "platform_mode": made.merchant.platform_mode,
                "certificates": made.certificates.iter().map(|c| &c.serial_no).collect::<Vec<_>>(),
            }))
        }
        Command::PlatformKey {
            action:
                PlatformKeyAction::Add {
                    db,
                    private_key_file,
                    certificate_file,
                    public_key_id,
                },
        } => {
            let spec = PlatformKeySpec {
                private_key_pem: private_key_file.as_deref().map(read).transpose()?,
                certificate_pem: certificate_file.as_deref().map(read).transpose()?,
                public_key_id,
                ..PlatformKeySpec::default()
            };
            let key = provisioner(&db).await?.platform_key(&spec).await?;
            print_json(&serde_json::json!({
                "serial_no": key.serial_no, "public_key_id": key.public_key_id,
                "not_before": key.not_before, "not_after": key.not_after,
            }))
        }
        Command::User {
            action:
                UserAction::Add {
                    db,
                    appid,
                    openid,
                    unionid,
                    name,
                },
        } => {
            let user = provisioner(&db)
                .await?
                .user(&UserSpec {
                    appid,
                    openid,
                    unionid,
                    name,
                })
                .await?;
            print_json(&user)
        }
        Command::Tls {
            action: TlsAction::Init { dir, force },
        } => {
            let files = tls::init(&dir, force)?;
            println!("CA certificate (trust this): {}", files.ca_cert.display());
            println!("server certificate: {}", files.server_cert.display());
            println!("hosts: {}", tls::HOSTS.join(", "));
            Ok(())
        }
        Command::Migrate(db) => {
            let store = store::open(&db.database_url).await?;
            println!("{} store at the current schema", store.backend());
            Ok(())
        }
        Command::Export { db, out } => {
            let summary = if out.as_os_str() == "-" {
                store::transfer::export(&db.database_url, &mut std::io::stdout().lock()).await?
            } else {
                let mut file = std::io::BufWriter::new(crate::files::create_owner_only(&out)?);
                store::transfer::export(&db.database_url, &mut file).await?
            };
            eprintln!(
                "exported {} rows from {} tables",
                summary.total(),
                summary.rows.len()
            );
            Ok(())
        }
        Command::Import { db, input } => {
            let summary = if input.as_os_str() == "-" {
                store::transfer::import(&db.database_url, &mut std::io::stdin().lock()).await?
            } else {
                let mut file = std::io::BufReader::new(std::fs::File::open(&input)?);
                store::transfer::import(&db.database_url, &mut file).await?
            };
            eprintln!(
                "imported {} rows into {} tables",
                summary.total(),
                summary.rows.len()
            );
            Ok(())
        }
        Command::Sign(a) => {
            let key = kabao_protocol::rsa::PrivateKey::from_pem(&read(&a.key)?)?;
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            let nonce: String = {
                use rand::Rng;
                let mut rng = rand::thread_rng();
                (0..32)
                    .map(|_| char::from(b"0123456789ABCDEF"[rng.gen_range(0..16)]))
                    .collect()
            };
            let header = kabao_protocol::auth::AuthorizationHeader::sign(
                &key,
                &a.mchid,
                &a.serial,
                &a.method.to_ascii_uppercase(),
                &a.url,
                now,
                &nonce,
                a.body.as_bytes(),
            );
            println!("{}", header.to_header_value());
            Ok(())
        }
    }
}
