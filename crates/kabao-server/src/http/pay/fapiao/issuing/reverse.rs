//! F16 POST `fapiao-applications/{fapiao_apply_id}/reverse`: reverse (冲红)
//! issued fapiao; 202 with no body, then REVERSE_ACCEPTED → REVERSED and
//! the card DISCARD_ACCEPTED → DISCARDED, with their callbacks.

use super::errors::{field_error, param};
use crate::domain::fapiao::rules::check_fapiao_ids;
use crate::http::pay::fapiao::{parse_body, resolve_party};
use crate::http::pay::{PayError, SignedRequest};
use crate::state::AppState;
use crate::store::fapiao::{ReverseRefusal, ReverseTarget};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kabao_protocol::apiv3::ErrorCode;
use serde::Deserialize;

/// The documented reverse reasons; free text (the YAML's "退款") is accepted too.
pub const REVERSE_REASONS: [&str; 4] = [
    "ISSUE_ERROR",
    "SALES_RETURN",
    "SERVICE_SUSPENTION",
    "SALES_DISCOUNT",
];

/// Longest free-text reverse reason, in characters.
const MAX_REVERSE_REASON_CHARS: usize = 128;

#[derive(Debug, Deserialize)]
pub(crate) struct ReverseBody {
    #[serde(default)]
    sub_mchid: Option<String>,
    reverse_reason: String,
    fapiao_information: Vec<ReverseFapiao>,
}

#[derive(Debug, Deserialize)]
struct ReverseFapiao {
    fapiao_id: String,
    #[serde(default)]
    fapiao_code: Option<String>,
    fapiao_number: String,
}

/// Checks and accepts a reverse request (all named fapiao, or none).
pub(super) async fn reverse(
    State(state): State<AppState>,
    Path(fapiao_apply_id): Path<String>,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let body: ReverseBody = parse_body(&request.body)?;
    let party = resolve_party(&state, &request, body.sub_mchid.as_deref()).await?;
    let reason = body.reverse_reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REVERSE_REASON_CHARS {
        return Err(PayError::param(
            "reverse_reason",
            "body",
            format!(
                "must be one of {} (or a text of at most {MAX_REVERSE_REASON_CHARS} characters)",
                REVERSE_REASONS.join(", ")
            ),
        ));
    }
    check_fapiao_ids(body.fapiao_information.iter().map(|f| f.fapiao_id.as_str()))
        .map_err(|e| param("", e))?;
    let targets: Vec<ReverseTarget> = body
        .fapiao_information
        .into_iter()
        .map(|f| ReverseTarget {
            fapiao_id: f.fapiao_id,
            fapiao_code: f.fapiao_code,
            fapiao_number: f.fapiao_number,
        })
        .collect();
    let now = state.clock.now();
    let outcome = state
        .store
        .request_reverse(&party.owner_mchid, &fapiao_apply_id, reason, &targets, now)
        .await?;
    outcome.map_err(|refusal| refused(refusal, &party.owner_mchid, &fapiao_apply_id, &targets))?;
    state.fapiao_wakeup.notify_one();
    Ok(StatusCode::ACCEPTED.into_response())
}

fn refused(
    refusal: ReverseRefusal,
    owner_mchid: &str,
    fapiao_apply_id: &str,
    targets: &[ReverseTarget],
) -> PayError {
    let id = |i: usize| targets.get(i).map(|t| t.fapiao_id.as_str()).unwrap_or("");
    match refusal {
        ReverseRefusal::UnknownApplication => field_error(
            ErrorCode::ResourceNotExists,
            "fapiao_apply_id",
            format!("merchant {owner_mchid} has no fapiao application {fapiao_apply_id}"),
        ),
        ReverseRefusal::UnknownFapiao(i) => field_error(
            ErrorCode::ResourceNotExists,
            &format!("fapiao_information[{i}].fapiao_id"),
            format!("application {fapiao_apply_id} has no fapiao {}", id(i)),
        ),
        ReverseRefusal::NotIssued(i, status) => field_error(
            ErrorCode::InvalidRequest,
            &format!("fapiao_information[{i}].fapiao_id"),
            format!(
                "fapiao {} is {}; only an ISSUED fapiao issued by WeChat Pay (or a 数电 one whose reversal failed) can be reversed",
                id(i),
                status.as_str()
            ),
        ),
        ReverseRefusal::NumberMismatch(i, field) => field_error(
            ErrorCode::InvalidRequest,
            &format!("fapiao_information[{i}].{field}"),
            format!("is not the {field} of fapiao {}", id(i)),
        ),
    }
}
