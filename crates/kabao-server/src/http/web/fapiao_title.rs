//! The title page behind title-url's `title_url`, where a person fills in
//! the invoice title (抬头): individual or organization, the fields the
//! merchant asked for, 普票 or 专票. Submitting does exactly what the
//! control API's title step does (store it, send FAPIAO.USER_APPLIED).

use super::html::{error_alert, escape, page, store_unavailable};
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
    page(
        StatusCode::NOT_FOUND,
        "链接无效",
        "<div class=card><p>No title request behind this link.</p></div>",
    )
}

fn expired_link() -> Response {
    page(
        StatusCode::GONE,
        "链接已过期",
        "<div class=card><p>链接已过期，请返回商户重新获取。</p><p class=muted>This title link has expired (links last 30 minutes); ask the merchant for a new one.</p></div>",
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
                .and_then(|v| serde_json::from_value::<HashMap<String, String>>(v).ok())
                .unwrap_or_default();
            render(&application, &values, None, StatusCode::OK)
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
        Ok(application) => page(
            StatusCode::OK,
            "抬头已提交",
            &format!(
                "<div class=card><p>发票抬头已提交 · Title submitted.</p><p class=muted>{} · {}</p></div>",
                escape(&application.request.seller_name),
                escape(&application.fapiao_apply_id)
            ),
        ),
        Err(TitleSubmitError::UnknownLink) => unknown_link(),
        Err(TitleSubmitError::Expired) => expired_link(),
        Err(TitleSubmitError::Store(e)) => store_failure(e),
        Err(TitleSubmitError::Field(error)) => match load(&state, &key).await {
            Ok(application) => render(
                &application,
                &form,
                Some(&error.to_string()),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(page) => page,
        },
    }
}

fn input(values: &HashMap<String, String>, name: &str, label: &str, required: bool) -> String {
    format!(
        "<label for={name}>{label}{star}</label><input id={name} name={name} value=\"{value}\"{req}>",
        star = if required { " *" } else { "" },
        req = if required { " required" } else { "" },
        value = escape(values.get(name).map(String::as_str).unwrap_or_default()),
    )
}

fn select(
    values: &HashMap<String, String>,
    name: &str,
    label: &str,
    options: &[(&str, &str)],
) -> String {
    let chosen = values.get(name).map(String::as_str).unwrap_or_default();
    let mut html = format!("<label for={name}>{label}</label><select id={name} name={name}>");
    for (value, text) in options {
        let selected = if *value == chosen { " selected" } else { "" };
        html.push_str(&format!("<option value={value}{selected}>{text}</option>"));
    }
    html.push_str("</select>");
    html
}

fn render(
    application: &TitleApplication,
    values: &HashMap<String, String>,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let request = &application.request;
    let mut body = format!(
        "<div class=card><p><b>{}</b> 申请为你开具电子发票</p><p>¥{}.{:02} · {}</p></div>",
        escape(&request.seller_name),
        request.total_amount / 100,
        request.total_amount % 100,
        escape(&application.fapiao_apply_id)
    );
    if let Some(error) = error {
        body.push_str(&error_alert(error));
    }
    body.push_str("<form method=post class=card>");
    body.push_str(&select(
        values,
        "type",
        "抬头类型 · Title type",
        &[
            ("INDIVIDUAL", "个人 · Individual"),
            ("ORGANIZATION", "单位 · Organization"),
        ],
    ));
    body.push_str(&input(values, "name", "名称 · Name", true));
    body.push_str(&input(
        values,
        "taxpayer_id",
        "税号 · Taxpayer ID (单位必填 · required for an organization)",
        false,
    ));
    body.push_str(&input(values, "address", "地址 · Address", false));
    body.push_str(&input(values, "telephone", "电话 · Telephone", false));
    body.push_str(&input(values, "bank_name", "开户银行 · Bank", false));
    body.push_str(&input(
        values,
        "bank_account",
        "银行账号 · Bank account",
        false,
    ));
    if request.show_phone_cell {
        body.push_str(&input(
            values,
            "phone",
            "手机号 · Mobile phone",
            request.must_input_phone,
        ));
    }
    if request.show_email_cell {
        body.push_str(&input(
            values,
            "email",
            "邮箱 · Email",
            request.must_input_email,
        ));
    }
    body.push_str(&select(
        values,
        "fapiao_bill_type",
        "发票类型 · Fapiao type",
        &[
            ("COMM_FAPIAO", "增值税普通发票 · Ordinary"),
            ("VAT_FAPIAO", "增值税专用发票 · Special VAT"),
        ],
    ));
    body.push_str(&input(
        values,
        "user_apply_message",
        "留言 · Message",
        false,
    ));
    body.push_str("<button type=submit>提交 · Submit</button></form>");
    page(status, "填写发票抬头", &body)
}
