//! Who may use the console: a login form that checks the admin token and
//! sets an HttpOnly, SameSite=Strict cookie, a guard that sends everyone
//! else to that form, and the CSRF check of every POST.
//!
//! The cookie holds HMAC-SHA256(admin token, a fixed label), hex: nothing is
//! kept in memory, a session outlives a restart, and changing the admin
//! token ends every session. POSTs are guarded by the SameSite=Strict cookie
//! (a browser never sends it from another site's form) plus an `Origin`
//! check: a POST whose `Origin` names another host is refused.

use crate::state::AppState;
use aws_lc_rs::hmac;
use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, HOST, LOCATION, ORIGIN, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};

/// Name of the console's session cookie.
pub const COOKIE_NAME: &str = "kabao_console";
/// Where the console's login form lives.
pub const LOGIN_PATH: &str = "/_kabao/console/login";

const LABEL: &[u8] = b"kabao console session v1";

/// The cookie value a logged-in browser carries (None: no admin token is
/// set, so nobody can log in).
fn session_value(state: &AppState) -> Option<String> {
    let token = state.settings.admin_token.as_bytes();
    if token.is_empty() {
        return None;
    }
    let key = hmac::Key::new(hmac::HMAC_SHA256, token);
    Some(hex::encode(hmac::sign(&key, LABEL).as_ref()))
}

/// Whether `presented` is the admin token.
pub fn token_matches(state: &AppState, presented: &str) -> bool {
    let expected = state.settings.admin_token.as_bytes();
    !expected.is_empty()
        && expected.len() == presented.len()
        && expected
            .iter()
            .zip(presented.as_bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn cookie_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_owned())
}

/// Whether the request carries a valid session cookie.
pub fn logged_in(state: &AppState, headers: &HeaderMap) -> bool {
    match (session_value(state), cookie_of(headers)) {
        (Some(expected), Some(presented)) => {
            expected.len() == presented.len()
                && expected
                    .bytes()
                    .zip(presented.bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
        }
        _ => false,
    }
}

/// A 303 to `location` that sets the session cookie.
pub fn start(state: &AppState, location: &str) -> Response {
    let value = session_value(state).unwrap_or_default();
    let cookie = format!("{COOKIE_NAME}={value}; Path=/_kabao/console; HttpOnly; SameSite=Strict");
    (
        StatusCode::SEE_OTHER,
        [(SET_COOKIE, cookie), (LOCATION, location.to_owned())],
    )
        .into_response()
}

/// A 303 to the login form that clears the session cookie.
pub fn end() -> Response {
    let cookie =
        format!("{COOKIE_NAME}=; Path=/_kabao/console; HttpOnly; SameSite=Strict; Max-Age=0");
    (
        StatusCode::SEE_OTHER,
        [(SET_COOKIE, cookie), (LOCATION, LOGIN_PATH.to_owned())],
    )
        .into_response()
}

/// A 303 to `location` (the answer to every successful console form).
pub fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, location.to_owned())]).into_response()
}

/// Whether a POST's `Origin` (when sent) names the host it was sent to.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, rest)| rest);
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

/// Proof that a console request may go on: taken by every console handler
/// but the login form. No session → 303 to the login form; a POST from
/// another origin → 403.
pub struct Session;

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if parts.method == Method::POST && !same_origin(&parts.headers) {
            return Err((StatusCode::FORBIDDEN, "cross-site form refused").into_response());
        }
        if logged_in(state, &parts.headers) {
            Ok(Session)
        } else {
            Err(see_other(LOGIN_PATH))
        }
    }
}
