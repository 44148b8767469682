//! What a `perf report --stdio --no-children --sort dso,symbol` of kabao
//! says: the share of its samples by kind of work (RSA/crypto, SQLite,
//! HTTP, …) and the functions with the most self time, so that a missed bar
//! comes with where kabao's time went.

use serde::Serialize;

/// Functions listed per profile.
pub const TOP_FUNCTIONS: usize = 12;

/// A kind of work kabao's samples are sorted into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// aws-lc (RSA, SHA-256, AES-GCM) and other crypto crates.
    Crypto,
    /// The SQLite engine and sqlx's SQLite driver.
    Sqlite,
    /// sqlx's PostgreSQL driver, tokio-postgres.
    PostgresClient,
    /// sqlx's shared part: pool, query building, rows.
    SqlxCore,
    /// hyper, axum, tower, http, httparse.
    Http,
    /// serde_json.
    Json,
    /// tokio and mio.
    Runtime,
    /// malloc, free and Rust's allocation entry points.
    Allocator,
    /// The kernel: system calls, network stack, scheduling.
    Kernel,
    /// Everything else: kabao's own code, libc's string functions, …
    Other,
}

impl Category {
    /// Every category, in the order the report lists them.
    pub const ALL: [Category; 10] = [
        Category::Crypto,
        Category::Sqlite,
        Category::PostgresClient,
        Category::SqlxCore,
        Category::Http,
        Category::Json,
        Category::Runtime,
        Category::Allocator,
        Category::Kernel,
        Category::Other,
    ];

    /// The name the report shows.
    pub fn label(self) -> &'static str {
        match self {
            Category::Crypto => "RSA/crypto (aws-lc)",
            Category::Sqlite => "SQLite (engine, sqlx-sqlite)",
            Category::PostgresClient => "PostgreSQL client (sqlx-postgres, tokio-postgres)",
            Category::SqlxCore => "sqlx core (pool, queries, rows)",
            Category::Http => "HTTP (hyper, axum, tower)",
            Category::Json => "JSON (serde_json)",
            Category::Runtime => "async runtime (tokio)",
            Category::Allocator => "allocator",
            Category::Kernel => "kernel (network, scheduling, system calls)",
            Category::Other => "other (kabao's own code, libc, …)",
        }
    }

    /// The kind of work of one sampled function.
    ///
    /// Kernel samples go by their shared object or `[k]`. Otherwise a Rust
    /// symbol belongs to the first crate it names (`<hyper::… as
    /// tokio::…>::poll` is HTTP; `drop_in_place<serde_json::Value>` is JSON),
    /// and C symbols go by their prefix (aws-lc's are `aws_lc_…`, SQLite's
    /// `sqlite3…` and the amalgamation's static helpers).
    pub fn of(dso: &str, symbol: &str, kernel: bool) -> Category {
        if kernel || dso == "[kernel.kallsyms]" || dso.starts_with("[kernel") || dso == "[vdso]" {
            return Category::Kernel;
        }
        if let Some(c) = first_crate(symbol) {
            return c;
        }
        // `cfree@GLIBC_2.2.5`: the version does not name the function.
        let bare = symbol.split('@').next().unwrap_or(symbol);
        let bare = bare.trim_start_matches('_');
        if ALLOCATOR_SYMBOLS.contains(&bare)
            || ALLOCATOR_PREFIXES.iter().any(|p| bare.starts_with(p))
        {
            return Category::Allocator;
        }
        if CRYPTO_PREFIXES.iter().any(|p| bare.starts_with(p))
            || dso.starts_with("libcrypto")
            || dso.starts_with("libssl")
        {
            return Category::Crypto;
        }
        if SQLITE_PREFIXES.iter().any(|p| bare.starts_with(p)) || dso.starts_with("libsqlite3") {
            return Category::Sqlite;
        }
        if dso.starts_with("libpq") {
            return Category::PostgresClient;
        }
        Category::Other
    }
}

/// Rust paths (`crate::`) by the category of their crate.
const CRATES: &[(&str, Category)] = &[
    ("aws_lc_rs::", Category::Crypto),
    ("aws_lc_sys::", Category::Crypto),
    ("ring::", Category::Crypto),
    ("rsa::", Category::Crypto),
    ("sha2::", Category::Crypto),
    ("sha1::", Category::Crypto),
    ("sm3::", Category::Crypto),
    ("aes_gcm::", Category::Crypto),
    ("rustls::", Category::Crypto),
    ("x509_parser::", Category::Crypto),
    ("sqlx_sqlite::", Category::Sqlite),
    ("libsqlite3_sys::", Category::Sqlite),
    ("sqlx_postgres::", Category::PostgresClient),
    ("tokio_postgres::", Category::PostgresClient),
    ("postgres_protocol::", Category::PostgresClient),
    ("sqlx_core::", Category::SqlxCore),
    ("sqlx::", Category::SqlxCore),
    ("hyper::", Category::Http),
    ("hyper_util::", Category::Http),
    ("axum::", Category::Http),
    ("axum_core::", Category::Http),
    ("tower::", Category::Http),
    ("tower_http::", Category::Http),
    ("http::", Category::Http),
    ("http_body::", Category::Http),
    ("http_body_util::", Category::Http),
    ("httparse::", Category::Http),
    ("h2::", Category::Http),
    ("serde_json::", Category::Json),
    ("tokio::", Category::Runtime),
    ("mio::", Category::Runtime),
    ("alloc::alloc::", Category::Allocator),
    ("__rust_alloc", Category::Allocator),
    ("__rust_dealloc", Category::Allocator),
    ("__rust_realloc", Category::Allocator),
    ("__rdl_", Category::Allocator),
];

/// The category of the crate `symbol` names first, if any it knows.
fn first_crate(symbol: &str) -> Option<Category> {
    let mut best: Option<(usize, Category)> = None;
    for &(path, category) in CRATES {
        let mut from = 0;
        while let Some(at) = symbol[from..].find(path).map(|i| i + from) {
            // A path starts the symbol or follows `<`, `&`, ` `, `(`, `,`, `[`;
            // `std::http::` in a longer name must not count as `http::`.
            let starts = at == 0
                || matches!(
                    symbol.as_bytes()[at - 1],
                    b'<' | b'&' | b' ' | b'(' | b',' | b'[' | b'*'
                );
            if starts {
                if best.is_none_or(|(b, _)| at < b) {
                    best = Some((at, category));
                }
                break;
            }
            from = at + path.len();
        }
    }
    best.map(|(_, c)| c)
}

/// glibc's allocator entry points and helpers (leading `_` removed).
const ALLOCATOR_SYMBOLS: &[&str] = &[
    "malloc",
    "free",
    "calloc",
    "realloc",
    "cfree",
    "libc_malloc",
    "libc_free",
    "libc_calloc",
    "libc_realloc",
    "int_malloc",
    "int_free",
    "int_realloc",
    "malloc_consolidate",
    "unlink_chunk",
    "posix_memalign",
    "aligned_alloc",
    "memalign",
];
/// Allocator symbols by prefix (leading `_` removed): glibc internals, mimalloc, jemalloc.
const ALLOCATOR_PREFIXES: &[&str] = &[
    "int_free_",
    "libc_malloc",
    "tcache_",
    "sysmalloc",
    "mi_",
    "je_",
    "rust_alloc",
    "rust_dealloc",
    "rust_realloc",
    "rdl_",
];
/// aws-lc (its symbols carry the `aws_lc_<version>_` prefix), OpenSSL-style names.
const CRYPTO_PREFIXES: &[&str] = &[
    "aws_lc_",
    "bn_",
    "BN_",
    "RSA_",
    "rsa_",
    "EVP_",
    "sha256_block",
    "sha512_block",
    "aes_hw_",
    "aesni_",
    "gcm_",
    "ChaCha20",
    "x25519",
    "CRYPTO_",
];
/// SQLite's API and the amalgamation's static functions.
const SQLITE_PREFIXES: &[&str] = &[
    "sqlite3",
    "vdbe",
    "btree",
    "pager",
    "pcache",
    "wal",
    "balance_",
    "moveToChild",
    "moveToRoot",
    "getAndInitPage",
    "insertCell",
    "accessPayload",
    "fillInCell",
    "unixRead",
    "unixWrite",
    "unixSync",
    "unixLock",
    "unixUnlock",
    "unixShm",
    "yy_",
    "whereLoop",
    "exprAnalyze",
];

/// One line of the report: a function and its share of the samples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunctionShare {
    /// Self share of all samples, %.
    pub percent: f64,
    /// The shared object (`kabao`, `libc.so.6`, `[kernel.kallsyms]`).
    pub dso: String,
    /// The function, demangled.
    pub symbol: String,
    /// Its kind of work.
    pub category: Category,
}

/// One category's share of the samples.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CategoryShare {
    /// The kind of work.
    pub category: Category,
    /// Its share of all samples, %.
    pub percent: f64,
}

/// A profile summarised: by category and by function.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileSummary {
    /// Samples in the profile (`# Samples:` of the report; perf rounds
    /// from 1000 on, `2K`, so this is approximate there).
    pub samples: u64,
    /// The same as perf printed it (`978`, `2K`).
    pub samples_text: String,
    /// The event sampled (`cpu-clock`, `cycles`, …).
    pub event: String,
    /// Every category with samples, largest first.
    pub categories: Vec<CategoryShare>,
    /// The [`TOP_FUNCTIONS`] functions with the most self time.
    pub top: Vec<FunctionShare>,
}

/// One function line of `perf report --stdio --sort dso,symbol`:
/// `    12.34%  kabao  [.] aws_lc_0_29_0_bn_sqr8x_internal`.
pub fn parse_line(line: &str) -> Option<FunctionShare> {
    let rest = line.trim_start();
    let (percent, rest) = rest.split_once('%')?;
    let percent: f64 = percent.trim().parse().ok()?;
    let rest = rest.trim_start();
    // The symbol column starts with perf's marker: `[.]` user, `[k]` kernel.
    let marker = ["[.] ", "[k] ", "[g] ", "[u] ", "[H] "]
        .iter()
        .filter_map(|m| rest.find(m).map(|i| (i, *m)))
        .min_by_key(|(i, _)| *i)?;
    let dso = rest[..marker.0].trim();
    // The symbol column is padded and may be followed by perf's IPC
    // columns (`-      -`); a demangled name has single spaces only.
    let symbol = rest[marker.0 + marker.1.len()..].trim_end();
    let symbol = symbol.split("  ").next().unwrap_or(symbol).trim();
    if dso.is_empty() || symbol.is_empty() {
        return None;
    }
    Some(FunctionShare {
        percent,
        dso: dso.to_owned(),
        symbol: symbol.to_owned(),
        category: Category::of(dso, symbol, marker.1 == "[k] "),
    })
}

/// Summarises the whole text of one `perf report --stdio --no-children --sort dso,symbol`.
pub fn summarise(report: &str) -> ProfileSummary {
    let mut samples = 0;
    let mut samples_text = String::new();
    let mut event = String::new();
    let mut lines = Vec::new();
    for line in report.lines() {
        if let Some(rest) = line.strip_prefix("# Samples:") {
            // `# Samples: 12K of event 'cpu-clock:pppH'`
            let (count, tail) = rest.split_once("of event").unwrap_or((rest, ""));
            samples_text = count.trim().to_owned();
            samples = parse_count(&samples_text);
            event = tail.trim().trim_matches('\'').to_owned();
        } else if !line.starts_with('#') {
            lines.extend(parse_line(line));
        }
    }
    let mut categories: Vec<CategoryShare> = Category::ALL
        .iter()
        .map(|&category| CategoryShare {
            category,
            percent: lines
                .iter()
                .filter(|l| l.category == category)
                .map(|l| l.percent)
                .sum(),
        })
        .filter(|c| c.percent > 0.0)
        .collect();
    categories.sort_by(|a, b| b.percent.total_cmp(&a.percent));
    lines.sort_by(|a, b| b.percent.total_cmp(&a.percent));
    lines.truncate(TOP_FUNCTIONS);
    ProfileSummary {
        samples,
        samples_text,
        event,
        categories,
        top: lines,
    }
}

/// perf's sample counts: `172`, `12K`, `1M`.
fn parse_count(text: &str) -> u64 {
    let (digits, scale) = match text.chars().last() {
        Some('K') => (&text[..text.len() - 1], 1e3),
        Some('M') => (&text[..text.len() - 1], 1e6),
        _ => (text, 1.0),
    };
    digits
        .parse::<f64>()
        .map_or(0, |n| (n * scale).round() as u64)
}
