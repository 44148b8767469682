//! The title page behind title-url's `title_url`, where a person fills in
//! the invoice title (抬头): individual or organization, the fields the
//! merchant asked for, 普票 or 专票. Submitting does exactly what the
//! control API's title step does (store it, send FAPIAO.USER_APPLIED).

use super::forms::{Field, FormPage, SummaryLine};
use super::html::{message, store_unavailable, yuan};
use crate::http::pay::fapiao::titles::{submit_title, TitleInput, TitleSubmitError};
use crate::state::AppState;
use crate::store::fapiao_titles::TitleApplication;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;

/// Routes of this page.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/_kabao/fapiao/title/{key}", get(show).post(submit))
}

fn unknown_link() -> Response {
    message(
        StatusCode::NOT_FOUND,
        "链接无效",
        &["No title request behind this link."],
    )
}

fn expired_link() -> Response {
    message(
        StatusCode::GONE,
        "链接已过期",
        &[
            "链接已过期，请返回商户重新获取。",
            "This title link has expired (links last 30 minutes); ask the merchant for a new one.",
        ],
    )
}

fn store_failure(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "reading or writing a fapiao title");
    store_unavailable()
}

/// The application behind `key` while its link is valid, or the page to show.
async fn load(state: &AppState, key: &str) -> Result<TitleApplication, Response> {
    match state.store.title_by_link(key).await {
        Ok(Some(application)) if state.clock.now() >= application.link_expires_at => {
            Err(expired_link())
        }
        Ok(Some(application)) => Ok(application),
        Ok(None) => Err(unknown_link()),
        Err(e) => Err(store_failure(e)),
    }
}

/// Shows the form, filled with the title already given, if any.
async fn show(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    match load(&state, &key).await {
        Ok(application) => {
            let values = application
                .title
                .as_ref()
                .and_then(|t| serde_json::to_value(t).ok())
                .and_then(|v| serde_json::from_value::<HashMap<String, serde_json::Value>>(v).ok())
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k, v.to_owned())))
                .collect();
            let mut page = build(&application);
            page.fill(&values);
            page.respond(StatusCode::OK)
        }
        Err(page) => page,
    }
}

/// Records the person's title.
async fn submit(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| form.get(k).cloned();
    let input = TitleInput {
        buyer_type: get("type"),
        name: get("name"),
        taxpayer_id: get("taxpayer_id"),
        address: get("address"),
        telephone: get("telephone"),
        bank_name: get("bank_name"),
        bank_account: get("bank_account"),
        phone: get("phone"),
        email: get("email"),
        fapiao_bill_type: get("fapiao_bill_type"),
        user_apply_message: get("user_apply_message"),
    };
    match submit_title(&state, &key, &input).await {
        Ok(application) => message(
            StatusCode::OK,
            "抬头已提交",
            &[
                "发票抬头已提交 · Title submitted.",
                &format!(
                    "{} · {}",
                    application.request.seller_name, application.fapiao_apply_id
                ),
            ],
        ),
        Err(TitleSubmitError::UnknownLink) => unknown_link(),
        Err(TitleSubmitError::Expired) => expired_link(),
        Err(TitleSubmitError::Store(e)) => store_failure(e),
        Err(TitleSubmitError::Field(error)) => match load(&state, &key).await {
            Ok(application) => {
                let mut page = build(&application);
                page.fill(&form);
                page.refuse(Some(&error.field), &error.issue);
                page.respond(StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(page) => page,
        },
    }
}

/// The form for `application`, its cells as the merchant's link asked.
fn build(application: &TitleApplication) -> FormPage {
    let request = &application.request;
    let mut page = FormPage::new("填写发票抬头", "提交 · Submit");
    page.summary.push(SummaryLine::new(
        &request.seller_name,
        "申请为你开具电子发票",
    ));
    page.summary.push(SummaryLine::new(
        "",
        &format!(
            "¥{} · {}",
            yuan(request.total_amount),
            application.fapiao_apply_id
        ),
    ));
    let fields = &mut page.fields;
    fields.push(Field::select(
        "type",
        "抬头类型 · Title type",
        &[
            ("INDIVIDUAL", "个人 · Individual"),
            ("ORGANIZATION", "单位 · Organization"),
        ],
    ));
    fields.push(Field::text("name", "名称 · Name").required(true));
    fields.push(
        Field::text("taxpayer_id", "税号 · Taxpayer ID")
            .hint("单位必填，15–20 位数字或大写字母 · required for an organization"),
    );
    fields.push(Field::text("address", "地址 · Address"));
    fields.push(Field::text("telephone", "电话 · Telephone").kind("tel"));
    fields.push(Field::text("bank_name", "开户银行 · Bank"));
    fields.push(Field::text("bank_account", "银行账号 · Bank account"));
    if request.show_phone_cell {
        fields.push(
            Field::text("phone", "手机号 · Mobile phone")
                .kind("tel")
                .required(request.must_input_phone),
        );
    }
    if request.show_email_cell {
        fields.push(
            Field::text("email", "邮箱 · Email")
                .kind("email")
                .required(request.must_input_email),
        );
    }
    fields.push(
        Field::select(
            "fapiao_bill_type",
            "发票类型 · Fapiao type",
            &[
                ("COMM_FAPIAO", "增值税普通发票 · Ordinary"),
                ("VAT_FAPIAO", "增值税专用发票 · Special VAT"),
            ],
        )
        .hint("专票需单位的地址、电话、开户行和账号 · a special VAT fapiao needs the organization's address, telephone, bank and account"),
    );
    fields.push(Field::text("user_apply_message", "留言 · Message"));
    page
}
