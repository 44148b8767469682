//! The invitation page behind getspinviteurl's invite_url: the invited
//! merchant picks or enters its mchid, company name and tax id and accepts
//! its service provider. Submitting does what the control API's
//! `fapiao/invites/{key}/answer` does.

use super::html::{error_alert, escape, page, store_unavailable};
use crate::domain::fapiao::setup::{check_invite_answer, FapiaoInvite, InviteStatus};
use crate::state::AppState;
use crate::store::fapiao_setup::InviteAnswer;
use crate::store::StoreError;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;

const TITLE: &str = "开通电子发票 · Fapiao invitation";

/// Routes of this page.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/_kabao/fapiao/invite/{key}", get(show).post(submit))
}

async fn load(state: &AppState, key: &str) -> Result<FapiaoInvite, Response> {
    match state.store.invite_by_key(key).await {
        Ok(Some(invite)) => Ok(invite),
        Ok(None) => Err(page(
            StatusCode::NOT_FOUND,
            "链接无效",
            "<p>No invitation behind this link.</p>",
        )),
        Err(e) => {
            tracing::error!(error = %e, "reading a fapiao invitation");
            Err(store_unavailable())
        }
    }
}

/// Shows the form, or the outcome once answered.
async fn show(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    match load(&state, &key).await {
        Ok(invite) => render(&state, &invite, None, StatusCode::OK).await,
        Err(page) => page,
    }
}

/// Records the merchant's answer.
async fn submit(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let invite = match load(&state, &key).await {
        Ok(invite) => invite,
        Err(page) => return page,
    };
    let get = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let (sub_mchid, ep_name, tax_id) = (get("sub_mchid"), get("ep_name"), get("tax_id"));
    if invite.status == InviteStatus::Pending {
        if let Err(e) = check_invite_answer(&invite, &sub_mchid, &ep_name, &tax_id) {
            let message = format!("{}: {}", e.field, e.issue);
            return render(
                &state,
                &invite,
                Some(&message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    }
    let answer = InviteAnswer {
        sub_mchid,
        ep_name,
        tax_id,
        forced_failure: None,
        operate_time: state.clock.now(),
    };
    match state.store.answer_invite(&key, &answer).await {
        Ok(Some(answered)) => render(&state, &answered, None, StatusCode::OK).await,
        Ok(None) => load(&state, &key)
            .await
            .err()
            .unwrap_or_else(store_unavailable),
        Err(StoreError::Conflict(_)) => {
            render(
                &state,
                &invite,
                Some("This invitation was already answered."),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => {
            tracing::error!(error = %e, "answering a fapiao invitation");
            store_unavailable()
        }
    }
}

fn input(name: &str, label: &str, value: &str, extra: &str) -> String {
    format!(
        "<label for={name}>{label} *</label><input id={name} name={name} value=\"{}\" required{extra}>",
        escape(value)
    )
}

async fn render(
    state: &AppState,
    invite: &FapiaoInvite,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let merchants = state.store.merchants().await.unwrap_or_default();
    let provider_name = merchants
        .iter()
        .find(|m| m.mchid.as_str() == invite.provider_mchid)
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let mode = invite.request["fapiao_mode"].as_str().unwrap_or("");
    let mut body = format!(
        "<div class=card><p>服务商 <b>{}</b> ({}) 邀请你开通电子发票能力</p><p class=muted>invite_code {} · {}</p></div>",
        escape(&provider_name),
        escape(&invite.provider_mchid),
        escape(&invite.invite_code),
        escape(mode),
    );
    match invite.status {
        InviteStatus::MchInviteSucc => {
            body.push_str("<div class=card><p>已开通 · Accepted (MCH_INVITE_SUCC).</p></div>");
            return page(status, TITLE, &body);
        }
        InviteStatus::MchInviteFailed => {
            body.push_str(&format!(
                "<div class=card><p class=error>开通失败 · Failed (MCH_INVITE_FAILED): {} {}</p></div>",
                escape(invite.failed_code.as_deref().unwrap_or("")),
                escape(invite.failed_reason.as_deref().unwrap_or("")),
            ));
            return page(status, TITLE, &body);
        }
        InviteStatus::Pending => {}
    }
    if let Some(error) = error {
        body.push_str(&error_alert(error));
    }
    body.push_str("<form method=post class=card>");
    let fixed = invite.sub_mchid.clone().unwrap_or_default();
    let lock = if fixed.is_empty() {
        " list=subs"
    } else {
        " readonly"
    };
    body.push_str(&input("sub_mchid", "商户号 · Merchant id", &fixed, lock));
    body.push_str("<datalist id=subs>");
    for m in merchants.iter().filter(|m| {
        m.parent_mchid.as_ref().map(|p| p.as_str()) == Some(invite.provider_mchid.as_str())
    }) {
        body.push_str(&format!(
            "<option value=\"{}\">{}</option>",
            escape(m.mchid.as_str()),
            escape(&m.name)
        ));
    }
    body.push_str("</datalist>");
    body.push_str(&input("ep_name", "商户名称 · Company name", "", ""));
    body.push_str(&input("tax_id", "商户税号 · Tax id", "", ""));
    body.push_str("<button type=submit>同意开通 · Accept</button></form>");
    page(status, TITLE, &body)
}
