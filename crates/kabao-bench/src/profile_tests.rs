//! The summary of perf's report: lines parsed and sorted into kinds of work.

use crate::profile_summary::{parse_line, summarise, Category, TOP_FUNCTIONS};

/// `perf report --stdio --no-children --sort dso,symbol` of kabao under the taxi load.
const TAXI: &str = include_str!("testdata/perf_report_taxi.txt");
/// An excerpt of a real one, on a virtual machine (`cpu-clock` samples,
/// padded symbols followed by perf's empty IPC columns): its first 20
/// functions and a few of the crates further down, as perf printed them.
const TAXI_VM: &str = include_str!("testdata/perf_report_taxi_vm.txt");

/// Asserts each category's share of `summary`, to the hundredth of a percent.
fn assert_shares(summary: &crate::profile_summary::ProfileSummary, expected: &[(Category, f64)]) {
    for &(category, expected) in expected {
        let got = share(summary, category);
        assert!(
            (got - expected).abs() < 1e-9,
            "{category:?}: {got} ≠ {expected}"
        );
    }
}

fn share(summary: &crate::profile_summary::ProfileSummary, category: Category) -> f64 {
    summary
        .categories
        .iter()
        .find(|c| c.category == category)
        .map_or(0.0, |c| c.percent)
}

#[test]
fn a_line_gives_share_object_and_function_with_spaces_kept() {
    let line = parse_line(
        "     2.50%  kabao              [.] <hyper::proto::h1::role::Server as hyper::proto::h1::Http1Transaction>::parse",
    )
    .unwrap();
    assert_eq!(line.percent, 2.5);
    assert_eq!(line.dso, "kabao");
    assert_eq!(
        line.symbol,
        "<hyper::proto::h1::role::Server as hyper::proto::h1::Http1Transaction>::parse"
    );
    assert_eq!(line.category, Category::Http);
    let kernel =
        parse_line("     6.00%  [kernel.kallsyms]  [k] _raw_spin_unlock_irqrestore").unwrap();
    assert_eq!(
        (kernel.dso.as_str(), kernel.category),
        ("[kernel.kallsyms]", Category::Kernel)
    );
    assert!(parse_line("# Overhead  Shared Object  Symbol").is_none());
    assert!(parse_line("#").is_none());
    assert!(parse_line("").is_none());
}

#[test]
fn functions_go_to_the_crate_they_name_first_or_their_c_prefix() {
    let of = |dso, symbol| Category::of(dso, symbol, false);
    assert_eq!(
        of("kabao", "aws_lc_0_47_0_bn_sqr8x_internal"),
        Category::Crypto
    );
    assert_eq!(of("kabao", "sqlite3VdbeExec"), Category::Sqlite);
    assert_eq!(of("kabao", "balance_nonroot"), Category::Sqlite);
    assert_eq!(of("libc.so.6", "cfree@GLIBC_2.2.5"), Category::Allocator);
    assert_eq!(of("libc.so.6", "_int_malloc"), Category::Allocator);
    assert_eq!(
        of("libc.so.6", "__memmove_avx_unaligned_erms"),
        Category::Other
    );
    assert_eq!(
        of(
            "kabao",
            "core::ptr::drop_in_place<serde_json::value::Value>"
        ),
        Category::Json
    );
    assert_eq!(
        of(
            "kabao",
            "<kabao_server::api::Json<T> as axum_core::extract::FromRequest<S>>::from_request"
        ),
        Category::Http
    );
    assert_eq!(
        of(
            "kabao",
            "<tokio_postgres::codec::PostgresCodec as tokio_util::codec::decoder::Decoder>::decode"
        ),
        Category::PostgresClient
    );
    assert_eq!(
        of("kabao", "sqlx_core::pool::inner::PoolInner<DB>::acquire"),
        Category::SqlxCore
    );
    assert_eq!(
        of("kabao", "kabao_server::taxi::cards::validate_card"),
        Category::Other
    );
    // `std::http::` is not the `http` crate.
    assert_eq!(of("kabao", "mystd::http::thing"), Category::Other);
    assert_eq!(of("[vdso]", "__vdso_clock_gettime"), Category::Kernel);
}

#[test]
fn a_report_sums_into_categories_and_its_busiest_functions() {
    let summary = summarise(TAXI);
    assert_eq!(summary.samples, 9000);
    assert_eq!(summary.samples_text, "9K");
    assert_eq!(summary.event, "cpu-clock:ppp");
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    assert_shares(
        &summary,
        &[
            (Category::Crypto, 41.6),
            (Category::Kernel, 11.2),
            (Category::Sqlite, 8.7),
            (Category::Other, 6.7),
            (Category::Allocator, 5.9),
            (Category::Http, 4.3),
            (Category::Json, 3.7),
            (Category::Runtime, 2.7),
            (Category::SqlxCore, 1.4),
            (Category::PostgresClient, 0.4),
        ],
    );
    // Largest first; every line counted once.
    assert_eq!(summary.categories[0].category, Category::Crypto);
    let total: f64 = summary.categories.iter().map(|c| c.percent).sum();
    assert!(close(total, 86.6), "{total}");
    assert_eq!(summary.top.len(), TOP_FUNCTIONS);
    assert_eq!(summary.top[0].symbol, "aws_lc_0_47_0_bn_sqr8x_internal");
    assert_eq!(summary.top[0].percent, 30.0);
    assert!(summary.top.windows(2).all(|w| w[0].percent >= w[1].percent));
    assert_eq!(
        summary.top[11].symbol,
        "core::ptr::drop_in_place<serde_json::value::Value>"
    );
}

#[test]
fn a_report_without_samples_summarises_to_nothing() {
    let summary = summarise("# Samples: 0  of event 'cpu-clock:ppp'\n#\n");
    assert_eq!(summary.samples, 0);
    assert!(summary.top.is_empty() && summary.categories.is_empty());
}

#[test]
fn perfs_padding_and_ipc_columns_are_not_part_of_the_function() {
    let summary = summarise(TAXI_VM);
    assert_eq!(summary.samples, 3000);
    assert_eq!(summary.event, "cpu-clock:pppH");
    assert_eq!(summary.top[0].symbol, "finish_task_switch.isra.0");
    assert_eq!(summary.top[0].percent, 33.33);
    let malloc = summary.top.iter().find(|f| f.dso == "libc.so.6").unwrap();
    assert_eq!(
        (malloc.symbol.as_str(), malloc.category),
        ("malloc", Category::Allocator)
    );
    assert_shares(
        &summary,
        &[
            (Category::Kernel, 51.23),
            (Category::Crypto, 18.44),
            (Category::Allocator, 4.89),
            (Category::Sqlite, 1.17),
            (Category::Other, 1.10),
            (Category::Json, 0.33),
            (Category::Runtime, 0.20),
            (Category::SqlxCore, 0.13),
            (Category::Http, 0.10),
        ],
    );
    assert_eq!(share(&summary, Category::PostgresClient), 0.0);
}
