//! Every control API route the router serves refuses a call without the
//! admin token, with a wrong one, or with another scheme: 401
//! `unauthorized`, whatever the route would do.

use crate::bad_input::{served_routes, spec::fill};
use crate::helpers::*;

#[tokio::test]
async fn every_control_api_route_refuses_without_the_admin_token() {
    let app = spawn_app().await;
    let routes: Vec<_> = served_routes()
        .await
        .into_iter()
        .filter(|r| r.path.starts_with("/_kabao/api/") && r.path != "/_kabao/api/openapi.json")
        .collect();
    assert!(routes.len() > 40, "{routes:?}");
    for route in routes {
        let basic = format!("Basic {ADMIN_TOKEN}");
        for auth in [None, Some("Bearer wrong-token"), Some(basic.as_str())] {
            let mut request = app
                .http
                .request(route.method.parse().unwrap(), app.url(&fill(&route.path)))
                .header("Content-Type", "application/json")
                .body("{}");
            if let Some(auth) = &auth {
                request = request.header("Authorization", *auth);
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let body: serde_json::Value = response.json().await.unwrap_or_default();
            assert_eq!(
                (status, body["error"].as_str()),
                (401, Some("unauthorized")),
                "{route} with {auth:?}"
            );
        }
    }
}
