//! `GET /cgi-bin/ticket/getticket`: the `wx_card` (and `jsapi`) api_ticket,
//! the first business call that needs a valid access token.

use super::error::{oa_json, OaError};
use super::extract::OaCaller;
use crate::domain::token::{generate_token, ApiTicket, TOKEN_TTL_SECS};
use crate::http::query;
use crate::state::AppState;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use kabao_protocol::oa::OaErrcode;
use serde::Serialize;

#[derive(Serialize)]
struct TicketResponse {
    errcode: i64,
    errmsg: &'static str,
    ticket: String,
    expires_in: i64,
}

/// C3: issues a ticket of the requested type, valid 7200 s.
pub async fn get_ticket(
    State(state): State<AppState>,
    caller: OaCaller,
    uri: Uri,
) -> Result<Response, OaError> {
    let kind = query::param(&uri, "type").unwrap_or_else(|| "jsapi".into());
    if kind != "wx_card" && kind != "jsapi" {
        return Err(OaError::with_detail(
            OaErrcode::InvalidArgs,
            "type must be wx_card or jsapi",
        ));
    }
    let now = state.clock.now();
    let ticket = ApiTicket {
        ticket: generate_token(),
        appid: caller.app.appid.to_string(),
        kind,
        issued_at: now,
        expires_at: now + TOKEN_TTL_SECS,
    };
    state.store.save_ticket(&ticket).await?;
    Ok(oa_json(&TicketResponse {
        errcode: 0,
        errmsg: "ok",
        ticket: ticket.ticket,
        expires_in: TOKEN_TTL_SECS,
    }))
}
