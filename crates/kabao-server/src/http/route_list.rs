//! Every (method, path) a router serves, read back from the built router, so
//! a test can prove that each endpoint has its bad-input cases: a route added
//! without them makes that test fail instead of going unchecked.
//!
//! axum has no public route listing; its `Debug` output names each route's
//! path and which methods have a handler. [`served_routes`] reads that, and
//! the unit test below pins the format, so an axum upgrade that changes it
//! fails here rather than silently listing nothing.

use axum::Router;
use std::fmt;

/// The methods a `MethodRouter` can hold, in the order axum prints them.
const METHODS: [&str; 9] = [
    "get", "head", "delete", "options", "patch", "post", "put", "trace", "connect",
];

/// One route: an HTTP method (upper case) and the path pattern as
/// registered (`/card/invoice/insert`, `/v3/.../{fapiao_apply_id}`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServedRoute {
    pub method: String,
    pub path: String,
}

impl fmt::Display for ServedRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// The routes `router` serves, sorted; fallbacks are not routes. `HEAD`
/// handlers that axum adds for `GET` are not listed separately. A path
/// served by a whole service rather than per-method handlers is listed with
/// method `*`.
pub fn served_routes<S>(router: &Router<S>) -> Vec<ServedRoute> {
    let text = format!("{router:?}");
    let path_router = text.split(", fallback_router: ").next().unwrap_or_default();
    let (routes, node) = path_router
        .split_once("node: Node { paths: {")
        .unwrap_or((path_router, ""));
    let paths = paths_by_id(node);
    let mut out = Vec::new();
    for chunk in routes.split("RouteId(").skip(1) {
        let Some((id, endpoint)) = chunk.split_once("): ") else {
            continue;
        };
        let Some(path) = paths.iter().find(|(i, _)| i == id).map(|(_, p)| p) else {
            continue;
        };
        if endpoint.starts_with("Route(") {
            out.push(ServedRoute {
                method: "*".into(),
                path: path.clone(),
            });
            continue;
        }
        for method in METHODS {
            let served = endpoint
                .split_once(&format!(" {method}: "))
                .is_some_and(|(_, rest)| !rest.starts_with("None"));
            if served && method != "head" {
                out.push(ServedRoute {
                    method: method.to_uppercase(),
                    path: path.clone(),
                });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// `RouteId(n): "/path"` pairs of the router's path node.
fn paths_by_id(node: &str) -> Vec<(String, String)> {
    node.split("RouteId(")
        .skip(1)
        .filter_map(|chunk| {
            let (id, rest) = chunk.split_once("): \"")?;
            let path = rest.split('"').next()?;
            Some((id.to_owned(), path.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::{get, post};

    async fn ok() -> &'static str {
        "ok"
    }

    #[test]
    fn lists_each_method_of_each_path_and_no_fallback() {
        let inner = Router::new().route("/b/{id}", get(ok).put(ok)).fallback(ok);
        let router: Router = Router::new()
            .route("/a", post(ok).fallback(ok))
            .nest("/v3", inner)
            .layer(axum::middleware::from_fn(
                |req: axum::extract::Request, next: axum::middleware::Next| next.run(req),
            ))
            .fallback(ok);
        let listed: Vec<String> = served_routes(&router)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(listed, ["GET /v3/b/{id}", "POST /a", "PUT /v3/b/{id}"]);
    }
}
