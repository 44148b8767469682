//! The command line: which scenarios run, for how long, at which connection
//! counts, and how much each scenario prepares before its load.

use crate::profile::ProfileMode;
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
    /// `FAPIAO.ISSUED` callback latency (outcome immediate, paced) and
    /// callbacks delivered per second (outcome immediate, unpaced).
    Fapiao,
    /// `POST /v3/taxi-invoice/cards`: CPU per accepted card (each a new card
    /// on its own trip order and uploaded file) against the crypto floor.
    Taxi,
    /// The fapiao-applications body, unsigned, to Stoplight Prism mocking the
    /// published spec (installed with npm for the run), at the same
    /// connection counts; reported as kabao's applications/s ÷ Prism's req/s.
    Prism,
    /// `POST /nontax/insertbill`, each insert a new fiscal bill card.
    #[value(name = "insertbill")]
    #[serde(rename = "insertbill")]
    InsertBill,
    /// Cost against store size: `POST /card/invoice/insert` and
    /// `/card/invoice/reimburse/getinvoiceinfo` on SQLite stores filled in
    /// bulk (`kabao import`) with --scaling-cards cards, and with the cards
    /// spread over --scaling-spread users.
    Scaling,
}

impl Scenario {
    /// The endpoint of a request/response scenario (`None` for the others).
    pub fn endpoint(self) -> Option<Endpoint> {
        match self {
            Scenario::Certificates => Some(Endpoint::Certificates),
            Scenario::Token => Some(Endpoint::Token),
            Scenario::Insert
            | Scenario::InsertBill
            | Scenario::Fapiao
            | Scenario::Taxi
            | Scenario::Scaling
            | Scenario::Prism => None,
        }
    }

    /// The name `--scenarios` takes.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Certificates => "certificates",
            Scenario::Token => "token",
            Scenario::Insert => "insert",
            Scenario::Fapiao => "fapiao",
            Scenario::InsertBill => "insertbill",
            Scenario::Taxi => "taxi",
            Scenario::Prism => "prism",
            Scenario::Scaling => "scaling",
        }
    }
}

/// At most this many inserts are prepared per PostgreSQL insert scenario
/// unless `--postgres-insert-orders` says otherwise.
pub const POSTGRES_INSERT_ORDERS: usize = 20_000;
/// At most this many applications are prepared per PostgreSQL held load
/// unless `--postgres-fapiao-applications` says otherwise.
pub const POSTGRES_FAPIAO_APPLICATIONS: usize = 15_000;

/// The stores `--stores` can pick, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Store {
    /// A fresh SQLite file in a temporary folder, one kabao process: every
    /// scenario, judged against the bars.
    Sqlite,
    /// A fresh database on the PostgreSQL server at `--postgres-url`, one
    /// run per `--processes` count: every scenario but scaling and prism.
    Postgres,
}

impl Store {
    /// The name `--stores` takes and the report shows.
    pub fn name(self) -> &'static str {
        match self {
            Store::Sqlite => "sqlite",
            Store::Postgres => "postgres",
        }
    }

    /// The scenarios a run on this store measures, of those asked for.
    pub fn runs(self, scenario: Scenario) -> bool {
        match self {
            Store::Sqlite => true,
            Store::Postgres => !matches!(scenario, Scenario::Scaling | Scenario::Prism),
        }
    }
}

/// kabao-bench: measure kabao and write BENCHMARKS.md.
#[derive(Debug, Clone, Parser)]
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
        default_value = "certificates,token,insert,insertbill,fapiao,taxi,scaling,prism"
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
    /// Applications of the callback-delivery load: outcome immediate, sent on
    /// the largest --connections count as fast as the per-merchant limit
    /// allows, to count callbacks delivered per second.
    #[arg(long, default_value_t = 6_000)]
    pub fapiao_delivery_applications: usize,
    /// Merchants the callback-delivery load is spread over (each kept under
    /// --fapiao-merchant-rate).
    #[arg(long, default_value_t = 48)]
    pub fapiao_delivery_merchants: usize,
    /// Taxi cards (each on its own trip order and uploaded file, pre-signed)
    /// prepared for each measured taxi scenario; the measurement stops early
    /// (never fails) when they are used up before --duration-secs.
    #[arg(long, default_value_t = 15_000)]
    pub taxi_cards: usize,
    /// Taxi cards prepared for each taxi warm-up, which ends after
    /// --warmup-secs or when they are used up.
    #[arg(long, default_value_t = 2_000)]
    pub taxi_warmup_cards: usize,
    /// Fiscal bills prepared for each measured `/nontax/insertbill` scenario
    /// (the measurement stops early, never fails, when they are used up).
    #[arg(long, default_value_t = 30_000)]
    pub bill_orders: usize,
    /// Stored cards of each store of the scaling scenario, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "10000,100000,1000000")]
    pub scaling_cards: Vec<u64>,
    /// Users of the merchant the stored cards are spread over, at every --scaling-cards size.
    #[arg(long, default_value_t = 1000)]
    pub scaling_users: usize,
    /// Other user counts the cards are spread over, comma-separated, each
    /// on a store of --scaling-spread-cards cards (empty: none).
    #[arg(long, value_delimiter = ',', default_value = "10,10000")]
    pub scaling_spread: Vec<usize>,
    /// Stored cards of the --scaling-spread stores.
    #[arg(long, default_value_t = 100_000)]
    pub scaling_spread_cards: u64,
    /// New cards inserted on each scaling store (the measurement ends at
    /// --duration-secs or when they are used up); their orders and PDFs are
    /// part of the bulk fill.
    #[arg(long, default_value_t = 20_000)]
    pub scaling_inserts: usize,
    /// Connections of every scaling load.
    #[arg(long, default_value_t = 64)]
    pub scaling_connections: usize,
    /// Stores to measure, comma-separated: SQLite runs every scenario (one
    /// process); PostgreSQL runs all but scaling and prism at each
    /// --processes count.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "sqlite,postgres"
    )]
    pub stores: Vec<Store>,
    /// The PostgreSQL server's admin database: each PostgreSQL run creates a
    /// fresh database there (`kabao_bench_<unix seconds>_<random>`) and drops it afterwards.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/test")]
    pub postgres_url: String,
    /// kabao processes sharing each PostgreSQL database, comma-separated; one
    /// run per count, the load's connection i going to process i % n.
    #[arg(long, value_delimiter = ',', default_value = "1,2")]
    pub processes: Vec<usize>,
    /// Connection counts of the PostgreSQL runs; default: those of
    /// --connections above 1 (one connection cannot spread over two processes).
    #[arg(long, value_delimiter = ',')]
    pub postgres_connections: Vec<usize>,
    /// Inserts prepared for each measured PostgreSQL insert scenario; default:
    /// --insert-orders, at most 20000 (preparing is the slow part on
    /// PostgreSQL). The measurement ends at the deadline or when they are used up.
    #[arg(long)]
    pub postgres_insert_orders: Option<usize>,
    /// Fapiao applications prepared for each measured PostgreSQL held-outcome
    /// load; default: --fapiao-applications, at most 15000.
    #[arg(long)]
    pub postgres_fapiao_applications: Option<usize>,
    /// The OpenAPI (Swagger 2.0 path item) file Prism mocks in the `prism` scenario.
    #[arg(long, env = "KABAO_PRISM_SPEC", default_value = DEFAULT_PRISM_SPEC)]
    pub prism_spec: PathBuf,
    /// The `@stoplight/prism-cli` version npm installs for the `prism` scenario.
    #[arg(long, default_value = crate::prism_server::VERSION)]
    pub prism_version: String,
    /// Where the SVG plots go; `bench-plots` beside --out when not given.
    #[arg(long)]
    pub plots_dir: Option<PathBuf>,
    /// Profile kabao with `perf record` during the measured period of each
    /// load judged against a bar (certificates, inserts, held fapiao
    /// applications, taxi cards, on SQLite) and show where the time went
    /// for the loads that miss their bar (`missed`), for all of them
    /// (`all`), or profile nothing (`off`). Without a working `perf` the
    /// report says the profile is unavailable and why.
    #[arg(long, value_enum, default_value = "missed")]
    pub profile: ProfileMode,
    /// Samples per second per CPU of those profiles (`perf record -F`). The
    /// judged figures include perf's overhead, so the default is low: at 499,
    /// perf added about 4% to kabao's CPU per signed request, at 99 under 2%,
    /// and a 10 s load still gives about 800 samples.
    #[arg(long, default_value_t = 99)]
    pub profile_frequency: u32,
}

impl Args {
    /// These arguments as a PostgreSQL run uses them: its connection counts
    /// and prepared counts in place of SQLite's.
    pub fn for_postgres(&self) -> Self {
        let mut args = self.clone();
        args.connections = if !self.postgres_connections.is_empty() {
            self.postgres_connections.clone()
        } else if self.connections.iter().any(|&c| c > 1) {
            self.connections
                .iter()
                .copied()
                .filter(|&c| c > 1)
                .collect()
        } else {
            self.connections.clone()
        };
        args.insert_orders = self
            .postgres_insert_orders
            .unwrap_or(self.insert_orders.min(POSTGRES_INSERT_ORDERS));
        args.fapiao_applications = self
            .postgres_fapiao_applications
            .unwrap_or(self.fapiao_applications.min(POSTGRES_FAPIAO_APPLICATIONS));
        // The bars judge SQLite; the PostgreSQL runs are not profiled.
        args.profile = ProfileMode::Off;
        args
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Args {
        Args::try_parse_from(line.split_ascii_whitespace()).unwrap()
    }

    #[test]
    fn postgres_runs_default_to_sqlites_counts_capped_and_spreadable_connections() {
        let p = parse("kabao-bench").for_postgres();
        assert_eq!(p.connections, vec![8, 64]);
        assert_eq!(p.insert_orders, 20_000);
        assert_eq!(p.fapiao_applications, 15_000);
        let p =
            parse("kabao-bench --connections 8 --insert-orders 3000 --fapiao-applications 2000")
                .for_postgres();
        assert_eq!(
            (p.connections, p.insert_orders, p.fapiao_applications),
            (vec![8], 3000, 2000)
        );
        let p = parse("kabao-bench --connections 1").for_postgres();
        assert_eq!(p.connections, vec![1]);
    }

    #[test]
    fn postgres_flags_override() {
        let p = parse(
            "kabao-bench --postgres-connections 4,16 --postgres-insert-orders 500 \
             --postgres-fapiao-applications 700",
        )
        .for_postgres();
        assert_eq!(
            (p.connections, p.insert_orders, p.fapiao_applications),
            (vec![4, 16], 500, 700)
        );
        let a = parse("kabao-bench");
        assert_eq!(a.profile, ProfileMode::Missed);
        assert_eq!(a.for_postgres().profile, ProfileMode::Off);
        assert_eq!(a.stores, vec![Store::Sqlite, Store::Postgres]);
        assert_eq!(a.processes, vec![1, 2]);
        assert_eq!(a.postgres_url, "postgres://postgres@127.0.0.1:5432/test");
    }
}
