//! The command line: which scenarios run, for how long, at which connection
//! counts, and how much each scenario prepares before its load.

use crate::scenario::Endpoint;
use clap::Parser;
use std::path::PathBuf;

/// Where `cargo build --release -p kabao-server` puts kabao.
pub const DEFAULT_KABAO: &str = "target/release/kabao";

/// The published spec of `fapiao-applications` the `prism` scenario mocks:
/// `../shared/reference/…` beside the workspace, as the tests find the
/// reference test vectors.
pub const DEFAULT_PRISM_SPEC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/reference/openapi/v3/new-tax-control-fapiao/fapiao-applications.yaml"
);

/// The scenarios `--scenarios` can pick, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scenario {
    /// `GET /v3/certificates`, signed, against the crypto floor.
    Certificates,
    /// `GET /cgi-bin/token`.
    Token,
    /// `POST /card/invoice/insert`, each insert a new card.
    Insert,
    /// `POST /v3/new-tax-control-fapiao/fapiao-applications`: CPU per accepted
    /// application (outcome held) against the crypto floor, then
    /// `FAPIAO.ISSUED` callback latency (outcome immediate).
    Fapiao,
    /// `POST /v3/taxi-invoice/cards`: CPU per accepted card (each a new card
    /// on its own trip order and uploaded file) against the crypto floor.
    Taxi,
    /// The fapiao-applications body, unsigned, to Stoplight Prism mocking the
    /// published spec (installed with npm for the run), at the same
    /// connection counts; reported as kabao's applications/s ÷ Prism's req/s.
    Prism,
}

impl Scenario {
    /// The endpoint of a request/response scenario (`None` for the others).
    pub fn endpoint(self) -> Option<Endpoint> {
        match self {
            Scenario::Certificates => Some(Endpoint::Certificates),
            Scenario::Token => Some(Endpoint::Token),
            Scenario::Insert | Scenario::Fapiao | Scenario::Taxi | Scenario::Prism => None,
        }
    }

    /// The name `--scenarios` takes.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Certificates => "certificates",
            Scenario::Token => "token",
            Scenario::Insert => "insert",
            Scenario::Fapiao => "fapiao",
            Scenario::Taxi => "taxi",
            Scenario::Prism => "prism",
        }
    }
}

/// kabao-bench: measure kabao and write BENCHMARKS.md.
#[derive(Debug, Parser)]
#[command(name = "kabao-bench", version, about)]
pub struct Args {
    /// The kabao binary; the default is built with `cargo build --release -p kabao-server` when missing.
    #[arg(long, default_value = DEFAULT_KABAO)]
    pub kabao: PathBuf,
    /// Measured seconds per scenario.
    #[arg(long, default_value_t = 10)]
    pub duration_secs: u64,
    /// Unmeasured seconds of the same load before each scenario.
    #[arg(long, default_value_t = 2)]
    pub warmup_secs: u64,
    /// Connection counts, comma-separated; every endpoint runs at each.
    #[arg(long, value_delimiter = ',', default_value = "1,8,64")]
    pub connections: Vec<usize>,
    /// Verify+sign pairs timed per crypto-floor measurement (one before the first
    /// signed scenario, one after each, one with every CPU busy).
    #[arg(long, default_value_t = 2000)]
    pub floor_iterations: usize,
    /// The Markdown report.
    #[arg(long, default_value = "BENCHMARKS.md")]
    pub out: PathBuf,
    /// Also write the raw results as JSON here.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Scenarios to run, comma-separated.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "certificates,token,insert,fapiao,taxi,prism"
    )]
    pub scenarios: Vec<Scenario>,
    /// Inserts prepared for each measured insert scenario; the measurement
    /// stops early (never fails) when they are used up before --duration-secs.
    #[arg(long, default_value_t = 100_000)]
    pub insert_orders: usize,
    /// Inserts prepared for each insert warm-up, which ends after
    /// --warmup-secs or when they are used up.
    #[arg(long, default_value_t = 3_000)]
    pub insert_warmup_orders: usize,
    /// Setup chains (setpdf, getauthurl, authorisation) in flight while
    /// preparing inserts; also the paid orders in flight while preparing fapiao
    /// applications, and the rides and uploads in flight while preparing taxi cards.
    #[arg(long, default_value_t = 48)]
    pub setup_concurrency: usize,
    /// Of those, authorisations in flight at once.
    #[arg(long, default_value_t = 4)]
    pub authorize_concurrency: usize,
    /// Fapiao applications (each on its own paid order, pre-signed) prepared
    /// for each measured held-outcome scenario; the measurement stops early
    /// (never fails) when they are used up before --duration-secs.
    #[arg(long, default_value_t = 20_000)]
    pub fapiao_applications: usize,
    /// Fapiao applications prepared for each held-outcome warm-up, which ends
    /// after --warmup-secs or when they are used up.
    #[arg(long, default_value_t = 2_000)]
    pub fapiao_warmup_applications: usize,
    /// Merchants the held-outcome load is spread over, in turn (kabao allows
    /// each merchant 100 issuing calls per second).
    #[arg(long, default_value_t = 48)]
    pub fapiao_merchants: usize,
    /// Issuing calls per merchant per second the bench never exceeds (it
    /// waits for the next second instead), under kabao's limit of 100.
    #[arg(long, default_value_t = 90)]
    pub fapiao_merchant_rate: usize,
    /// Applications sent with the immediate outcome to time their
    /// `FAPIAO.ISSUED` callbacks.
    #[arg(long, default_value_t = 3_000)]
    pub fapiao_callback_applications: usize,
    /// Connections sending the callback-latency applications.
    #[arg(long, default_value_t = 8)]
    pub fapiao_callback_connections: usize,
    /// Applications per second of the callback-latency load (paced, spread over
    /// enough merchants to stay under --fapiao-merchant-rate each).
    #[arg(long, default_value_t = 200.0)]
    pub fapiao_callback_rate: f64,
    /// Taxi cards (each on its own trip order and uploaded file, pre-signed)
    /// prepared for each measured taxi scenario; the measurement stops early
    /// (never fails) when they are used up before --duration-secs.
    #[arg(long, default_value_t = 15_000)]
    pub taxi_cards: usize,
    /// Taxi cards prepared for each taxi warm-up, which ends after
    /// --warmup-secs or when they are used up.
    #[arg(long, default_value_t = 2_000)]
    pub taxi_warmup_cards: usize,
    /// The OpenAPI (Swagger 2.0 path item) file Prism mocks in the `prism` scenario.
    #[arg(long, env = "KABAO_PRISM_SPEC", default_value = DEFAULT_PRISM_SPEC)]
    pub prism_spec: PathBuf,
    /// The `@stoplight/prism-cli` version npm installs for the `prism` scenario.
    #[arg(long, default_value = crate::prism_server::VERSION)]
    pub prism_version: String,
    /// Where the SVG plots go; `bench-plots` beside --out when not given.
    #[arg(long)]
    pub plots_dir: Option<PathBuf>,
}

impl Args {
    /// Seconds the callback-latency load takes at its rate.
    pub fn fapiao_callback_secs(&self) -> u64 {
        (self.fapiao_callback_applications as f64 / self.fapiao_callback_rate.max(1e-3)).ceil()
            as u64
    }

    /// Merchants the callback-latency load is spread over.
    pub fn fapiao_callback_merchants(&self) -> usize {
        ((self.fapiao_callback_rate / self.fapiao_merchant_rate.max(1) as f64).ceil() as usize)
            .max(1)
    }
}
