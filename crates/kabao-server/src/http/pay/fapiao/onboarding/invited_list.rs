//! listspinvitemchinfo (F22): a provider's answered invitations in a time
//! window, paged.

use super::require_provider;
use crate::domain::fapiao::setup::{FapiaoInvite, InviteStatus};
use crate::http::pay::fapiao::setup::paging::{links, parse_page};
use crate::http::pay::{pay_json, PayError, SignedRequest};
use crate::http::query;
use crate::state::AppState;
use crate::store::fapiao_setup::InviteQuery;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use kabao_protocol::apiv3::{parse_rfc3339, rfc3339_cst};
use serde_json::{json, Value};

/// Most rows one page answers (not documented; the tax-codes maximum).
const MAX_LIMIT: i64 = 20;

const PATH: &str = "/v3/new-tax-control-fapiao/fapiaomerchant/listspinvitemchinfo";

fn time_param(uri: &Uri, name: &str) -> Result<(String, i64), PayError> {
    let raw = query::param(uri, name)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| PayError::param(name, "query", "is required"))?;
    // An unencoded '+' of the offset arrives as ' '.
    let raw = raw.replace(' ', "+");
    let at = parse_rfc3339(&raw).ok_or_else(|| {
        PayError::param(
            name,
            "query",
            format!("must be RFC 3339 like 2020-07-01T12:00:00+08:00, not {raw:?}"),
        )
    })?;
    Ok((raw, at))
}

fn row(invite: &FapiaoInvite) -> Value {
    let mut row = json!({
        "sub_mchid": invite.sub_mchid,
        "mch_invite_status": invite.status.as_str(),
        "ep_name": invite.ep_name,
        "tax_id": invite.tax_id,
        "invite_code": invite.invite_code,
        "operate_time": rfc3339_cst(invite.operate_time.unwrap_or(invite.created_at)),
    });
    if let Some(code) = &invite.failed_code {
        row["invite_failed_code"] = json!(code);
        row["invite_failed_reason"] = json!(invite.failed_reason);
    }
    row
}

/// `GET fapiaomerchant/listspinvitemchinfo`.
pub(super) async fn list_invited(
    State(state): State<AppState>,
    uri: Uri,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let provider = require_provider(&request)?.to_owned();
    let (start_raw, start) = time_param(&uri, "query_time_start")?;
    let (end_raw, end) = time_param(&uri, "query_time_end")?;
    if end < start {
        return Err(PayError::param(
            "query_time_end",
            "query",
            "must not be before query_time_start",
        ));
    }
    let page = parse_page(&uri, MAX_LIMIT)?;
    let status_raw = query::param(&uri, "mch_invite_status")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| PayError::param("mch_invite_status", "query", "is required"))?;
    let status = InviteStatus::parse(&status_raw)
        .filter(|s| *s != InviteStatus::Pending)
        .ok_or_else(|| {
            PayError::param(
                "mch_invite_status",
                "query",
                format!("must be MCH_INVITE_SUCC or MCH_INVITE_FAILED, not {status_raw:?}"),
            )
        })?;
    let invite_code = query::param(&uri, "invite_code").filter(|v| !v.is_empty());
    let (total, invites) = state
        .store
        .invites_page(&InviteQuery {
            provider_mchid: provider,
            start,
            end,
            status,
            invite_code: invite_code.clone(),
            offset: page.offset,
            limit: page.limit,
        })
        .await?;
    let mut keep = vec![
        ("query_time_start", start_raw),
        ("query_time_end", end_raw),
        ("mch_invite_status", status_raw),
    ];
    if let Some(code) = invite_code {
        keep.push(("invite_code", code));
    }
    Ok(pay_json(
        StatusCode::OK,
        &json!({
            "total_count": total,
            "offset": page.offset,
            "limit": page.limit,
            "links": links(PATH, &keep, page, total),
            "mch_invite_result_list": invites.iter().map(row).collect::<Vec<_>>(),
        }),
    ))
}
