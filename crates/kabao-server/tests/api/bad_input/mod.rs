//! The bad-input matrix: every endpoint the router serves gets the hostile
//! classes of `spec::Class` (empty, not JSON, invalid UTF-8, wrong types,
//! missing fields, lengths at the documented limits, bad numbers, 4-byte
//! UTF-8 on APIv3, duplicated keys, huge arrays, deep nesting, oversized
//! bodies, wrong content types and methods, bad queries), each answer
//! checked against its family's documented error; afterwards kabao still
//! answers and its store (as `kabao export` writes it) is unchanged. It
//! runs on both stores (a few seconds each).

mod coverage;
mod oa;
mod other;
mod pay;
pub(crate) mod run;
pub(crate) mod spec;

use spec::Spec;

/// Every spec of the matrix, all families.
pub fn all_specs() -> Vec<Spec> {
    let mut all = oa::specs();
    all.extend(pay::specs());
    all.extend(other::admin_specs());
    all.extend(other::page_specs());
    all
}

/// Methods `spec.path` does not serve, from the router's own list.
pub fn other_methods(
    served: &[kabao_server::http::route_list::ServedRoute],
    spec: &Spec,
) -> Vec<&'static str> {
    ["DELETE", "PUT", "GET", "POST", "PATCH"]
        .into_iter()
        .filter(|m| !served.iter().any(|r| r.path == spec.path && r.method == *m))
        .take(2)
        .collect()
}

/// The routes the application serves (built on a throwaway store).
pub async fn served_routes() -> Vec<kabao_server::http::route_list::ServedRoute> {
    let dir = tempfile::tempdir().unwrap();
    let app = kabao_server::Application::build(crate::helpers::config(dir.path()))
        .await
        .unwrap();
    app.served_routes()
}

/// Runs `specs` against `callers`: refusals first, then the store check,
/// then the classes that may be accepted; panics listing every failure.
pub async fn run_family(callers: &run::Callers<'_>, specs: &[Spec]) {
    let served = served_routes().await;
    let before = run::store_snapshot(callers.app).await;
    let (refusals, mut failures) = run::run_cases(
        callers,
        specs,
        |s| other_methods(&served, s),
        |c| !run::may_succeed(c),
    )
    .await;
    run::assert_alive(callers.app).await;
    let after = run::store_snapshot(callers.app).await;
    if before != after {
        let changed: Vec<_> = after
            .lines()
            .filter(|l| !before.lines().any(|b| b == *l))
            .take(5)
            .collect();
        failures.push(format!("the store changed: {changed:#?}"));
    }
    let (acceptable, more) = run::run_cases(
        callers,
        specs,
        |s| other_methods(&served, s),
        run::may_succeed,
    )
    .await;
    failures.extend(more);
    run::assert_alive(callers.app).await;
    // Every spec sends at least its wrong methods, so fewer cases than specs
    // means the generators broke.
    assert!(
        refusals > 2 * specs.len(),
        "only {refusals} cases for {} specs",
        specs.len()
    );
    println!(
        "{} specs: {refusals} hostile requests refused, {acceptable} at the limits",
        specs.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
