//! The invitation page behind getspinviteurl's invite_url: the invited
//! merchant picks or enters its mchid, company name and tax id and accepts
//! its service provider. Submitting does what the control API's
//! `fapiao/invites/{key}/answer` does.

use super::forms::{Choice, Datalist, Field, FormPage, SummaryLine};
use super::html::{message, store_unavailable};
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
        Ok(None) => Err(message(
            StatusCode::NOT_FOUND,
            "链接无效",
            &["No invitation behind this link."],
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
        Ok(invite) => build(&state, &invite).await.respond(StatusCode::OK),
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
            let mut page = build(&state, &invite).await;
            page.fill(&form);
            page.refuse(Some(&e.field), &e.issue);
            return page.respond(StatusCode::UNPROCESSABLE_ENTITY);
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
        Ok(Some(answered)) => build(&state, &answered).await.respond(StatusCode::OK),
        Ok(None) => load(&state, &key)
            .await
            .err()
            .unwrap_or_else(store_unavailable),
        Err(StoreError::Conflict(_)) => {
            let mut page = build(&state, &invite).await;
            page.fill(&form);
            page.refuse(None, "This invitation was already answered.");
            page.respond(StatusCode::CONFLICT)
        }
        Err(e) => {
            tracing::error!(error = %e, "answering a fapiao invitation");
            store_unavailable()
        }
    }
}

/// The page for `invite`: who invites, and the form while it is pending.
async fn build(state: &AppState, invite: &FapiaoInvite) -> FormPage {
    let merchants = state.store.merchants().await.unwrap_or_default();
    let provider_name = merchants
        .iter()
        .find(|m| m.mchid.as_str() == invite.provider_mchid)
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let mode = invite.request["fapiao_mode"].as_str().unwrap_or("");
    let mut page = FormPage::new(TITLE, "同意开通 · Accept");
    page.summary.push(SummaryLine::new(
        "",
        &format!(
            "服务商 {provider_name} ({}) 邀请你开通电子发票能力",
            invite.provider_mchid
        ),
    ));
    page.summary.push(SummaryLine::muted(&format!(
        "invite_code {} · {mode}",
        invite.invite_code
    )));
    match invite.status {
        InviteStatus::MchInviteSucc => {
            page.summary
                .push(SummaryLine::new("", "已开通 · Accepted (MCH_INVITE_SUCC)."));
            page.submit = None;
            return page;
        }
        InviteStatus::MchInviteFailed => {
            page.alert = Some(format!(
                "开通失败 · Failed (MCH_INVITE_FAILED): {} {}",
                invite.failed_code.as_deref().unwrap_or(""),
                invite.failed_reason.as_deref().unwrap_or(""),
            ));
            page.submit = None;
            return page;
        }
        InviteStatus::Pending => {}
    }
    let mut sub = Field::text("sub_mchid", "商户号 · Merchant id").required(true);
    match &invite.sub_mchid {
        Some(fixed) => {
            sub.value = fixed.clone();
            sub.readonly = true;
        }
        None => sub.list = Some("subs".into()),
    }
    page.fields.push(sub);
    page.fields
        .push(Field::text("ep_name", "商户名称 · Company name").required(true));
    page.fields
        .push(Field::text("tax_id", "商户税号 · Tax id").required(true));
    let options = merchants
        .iter()
        .filter(|m| {
            m.parent_mchid.as_ref().map(|p| p.as_str()) == Some(invite.provider_mchid.as_str())
        })
        .map(|m| Choice {
            value: m.mchid.as_str().to_owned(),
            text: m.name.clone(),
            selected: false,
        })
        .collect();
    page.datalists.push(Datalist {
        id: "subs".into(),
        options,
    });
    page
}
