//! The matrix covers the router: a route without a spec fails here, so a
//! new endpoint cannot go without its bad-input cases.

use super::{all_specs, served_routes};

#[tokio::test]
async fn bad_input_matrix_has_a_spec_for_every_route_the_router_serves() {
    let served = served_routes().await;
    assert!(served.len() > 50, "the route list looks broken: {served:?}");
    let specs = all_specs();
    let missing: Vec<String> = served
        .iter()
        .filter(|r| {
            !specs
                .iter()
                .any(|s| s.method == r.method && s.path == r.path)
        })
        .map(ToString::to_string)
        .collect();
    assert!(
        missing.is_empty(),
        "routes without a matrix spec:\n{}",
        missing.join("\n")
    );
    let stale: Vec<String> = specs
        .iter()
        .filter(|s| {
            !served
                .iter()
                .any(|r| s.method == r.method && s.path == r.path)
        })
        .map(|s| format!("{} {}", s.method, s.path))
        .collect();
    assert!(
        stale.is_empty(),
        "specs of routes the router does not serve:\n{}",
        stale.join("\n")
    );
}
