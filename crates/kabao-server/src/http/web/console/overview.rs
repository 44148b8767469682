//! The console's front page (both charts and the demo world) and its
//! login and logout.

use super::form::FormState;
use super::session::Session;
use super::{chart, control, notice, render, session, traffic};
use crate::provision::{
    DEMO_BUREAU_APPID, DEMO_MCHID, DEMO_MERCHANT_APPID, DEMO_PLATFORM_APPID, DEMO_PROVIDER_MCHID,
};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Form, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use std::collections::HashMap;

/// Minutes the callback chart covers, one bar each.
const CHART_MINUTES: i64 = 60;

#[derive(Template)]
#[template(path = "console/login.html")]
struct LoginPage {
    title: &'static str,
    form: FormState,
}

/// `GET /_kabao/console/login`
pub async fn login_form() -> Response {
    render(&LoginPage {
        title: "Console login",
        form: FormState::filled("login", HashMap::new()),
    })
}

/// `POST /_kabao/console/login` with `token`: the admin token.
pub async fn login(
    State(state): State<AppState>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let presented = values.get("token").cloned().unwrap_or_default();
    if session::token_matches(&state, &presented) {
        return session::start(&state, "/_kabao/console");
    }
    let mut form = FormState::filled("login", HashMap::new());
    form.refuse("token", "is not the admin token");
    let mut page = render(&LoginPage {
        title: "Console login",
        form,
    });
    *page.status_mut() = StatusCode::UNAUTHORIZED;
    page
}

/// `POST /_kabao/console/logout`
pub async fn logout(_: Session) -> Response {
    session::end()
}

/// One demo tenant and whether the store has it.
struct DemoTenant {
    what: &'static str,
    id: &'static str,
    present: bool,
    users: usize,
}

#[derive(Template)]
#[template(path = "console/overview.html")]
struct OverviewPage {
    title: &'static str,
    nav: &'static str,
    notice: Option<String>,
    demo: Vec<DemoTenant>,
    totals: Vec<(&'static str, usize)>,
    callback_chart: String,
    traffic_chart: String,
}

async fn count(state: &AppState, path: &str) -> usize {
    control::get(state, path)
        .await
        .ok()
        .and_then(|v| v.as_array().map(Vec::len))
        .unwrap_or(0)
}

async fn demo_world(state: &AppState) -> Vec<DemoTenant> {
    let mut out = Vec::new();
    for (what, appid) in [
        ("invoicing platform app", DEMO_PLATFORM_APPID),
        ("merchant Official Account", DEMO_MERCHANT_APPID),
        ("fiscal bureau app", DEMO_BUREAU_APPID),
    ] {
        out.push(DemoTenant {
            what,
            id: appid,
            present: control::get(state, &format!("/apps/{appid}")).await.is_ok(),
            users: count(state, &format!("/users?appid={appid}")).await,
        });
    }
    for (what, mchid) in [
        ("direct merchant", DEMO_MCHID),
        ("taxi service provider", DEMO_PROVIDER_MCHID),
    ] {
        out.push(DemoTenant {
            what,
            id: mchid,
            present: control::get(state, &format!("/merchants/{mchid}"))
                .await
                .is_ok(),
            users: 0,
        });
    }
    out
}

/// Callback delivery attempts per minute of kabao's clock over the last
/// hour, by outcome (answered 2xx, or not).
async fn callback_chart(state: &AppState) -> String {
    let callbacks = control::get(state, "/callbacks?limit=1000")
        .await
        .unwrap_or_default();
    let now_minute = state.clock.now_ms().div_euclid(60_000);
    let mut columns = vec![vec![0u64; 2]; CHART_MINUTES as usize];
    let attempts = callbacks
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["attempts"].as_array().into_iter().flatten());
    for attempt in attempts {
        let minute = attempt["started_at_ms"]
            .as_i64()
            .unwrap_or(0)
            .div_euclid(60_000);
        let age = now_minute - minute;
        if !(0..CHART_MINUTES).contains(&age) {
            continue;
        }
        let ok = attempt["http_status"]
            .as_u64()
            .is_some_and(|s| (200..300).contains(&s));
        columns[(CHART_MINUTES - 1 - age) as usize][usize::from(!ok)] += 1;
    }
    chart::stacked_bars(
        "Callback deliveries per minute, last hour",
        &["delivered", "failed"],
        &columns,
    )
}

fn traffic_chart() -> String {
    let columns: Vec<Vec<u64>> = traffic::last_hour().iter().map(|r| r.to_vec()).collect();
    chart::stacked_bars(
        "Requests per minute by family, last hour",
        &traffic::FAMILIES,
        &columns,
    )
}

/// `GET /_kabao/console`
pub async fn show(_: Session, State(state): State<AppState>, uri: Uri) -> Response {
    let mut totals = Vec::new();
    for (what, path) in [
        ("apps", "/apps"),
        ("merchants", "/merchants"),
        ("platform keys", "/platform-keys"),
        ("users", "/users"),
    ] {
        totals.push((what, count(&state, path).await));
    }
    let page = OverviewPage {
        title: "Console",
        nav: "overview",
        notice: notice(&uri),
        demo: demo_world(&state).await,
        totals,
        callback_chart: callback_chart(&state).await,
        traffic_chart: traffic_chart(),
    };
    render(&page)
}
