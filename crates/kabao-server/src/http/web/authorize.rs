//! The authorisation page behind `auth_url`: the person picks which user
//! they are, fills in the title fields the merchant asked for and confirms.
//! Submitting does exactly what the control API's authorisation step does;
//! a refused value comes back beside its field with everything typed kept.

use super::forms::{Field, FormPage, SummaryLine};
use super::html::{message, store_unavailable, yuan};
use crate::domain::invoice::order::{AuthOrder, OrderStatus};
use crate::domain::invoice::CardKind;
use crate::flows::authorization::{self, AuthorizeError};
use crate::state::AppState;
use crate::store::invoice::OrderConflict;
use axum::extract::{Form, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use kabao_protocol::oa::merchant::{
    AuthFieldConfig, BizField, CustomFieldKey, CustomFieldValue, UserAuthInfo, UserField,
};
use std::collections::HashMap;

const TITLE: &str = "开票授权";

async fn load(state: &AppState, key: &str) -> Result<(AuthOrder, AuthFieldConfig), Response> {
    let order = match state.store.order_by_key(key).await {
        Ok(Some(order)) => order,
        Ok(None) => {
            return Err(message(
                StatusCode::NOT_FOUND,
                "链接无效",
                &["No authorisation behind this link."],
            ))
        }
        Err(e) => {
            tracing::error!(error = %e, "reading an order");
            return Err(store_unavailable());
        }
    };
    let config = state
        .store
        .biz_attr(&order.appid, "auth_field")
        .await
        .ok()
        .flatten()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    Ok((order, config))
}

/// Shows the form (or the order's outcome once answered).
pub async fn show(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    match load(&state, &key).await {
        Ok((order, config)) => {
            let page = build(&state, &order, &config).await;
            page.respond(StatusCode::OK)
        }
        Err(page) => page,
    }
}

/// Records the person's answer.
pub async fn submit(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (order, config) = match load(&state, &key).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let openid = form.get("openid").cloned().unwrap_or_default();
    let info = title_from_form(&order, &config, &form);
    match authorization::authorize(&state, &order, &openid, info).await {
        Ok(done) => match &done.redirect_url {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                (StatusCode::SEE_OTHER, [(header::LOCATION, url.clone())]).into_response()
            }
            _ => message(
                StatusCode::OK,
                "授权成功",
                &[
                    "已授权开票 · Authorised.",
                    &format!("order_id {}", done.order_id),
                ],
            ),
        },
        Err(AuthorizeError::Store(e)) => {
            tracing::error!(error = %e, "recording an authorisation");
            store_unavailable()
        }
        Err(e) => {
            let mut page = build(&state, &order, &config).await;
            page.fill(&form);
            let (field, text) = refusal(&config, &e);
            page.refuse(field.as_deref(), &text);
            page.respond(StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// The form field a refusal belongs to (None: the whole form) and its message.
fn refusal(config: &AuthFieldConfig, e: &AuthorizeError) -> (Option<String>, String) {
    match e {
        AuthorizeError::UnknownUser(_) => {
            (Some("openid".into()), "Choose a user of this app.".into())
        }
        AuthorizeError::Field(f) => (form_field(config, &f.field), f.issue.clone()),
        AuthorizeError::Conflict(OrderConflict::AlreadyAuthorized) => {
            (None, "This order is already authorised.".into())
        }
        other => (None, other.to_string()),
    }
}

/// `user_field.phone` → `phone`, `biz_field.custom_field[k]` → `biz_custom_<i>`.
fn form_field(config: &AuthFieldConfig, path: &str) -> Option<String> {
    let (side, rest) = path.split_once('.')?;
    if let Some(key) = rest
        .strip_prefix("custom_field[")
        .and_then(|k| k.strip_suffix(']'))
    {
        let (keys, prefix) = custom_keys(config, side)?;
        let index = keys.iter().position(|k| k.key == key)?;
        return Some(format!("{prefix}{index}"));
    }
    Some(rest.to_owned())
}

/// The custom keys of one side of the title and their form-name prefix.
fn custom_keys<'a>(
    config: &'a AuthFieldConfig,
    side: &str,
) -> Option<(&'a [CustomFieldKey], &'static str)> {
    match side {
        "user_field" => Some((&config.user_field.custom_field, "user_custom_")),
        "biz_field" => Some((&config.biz_field.custom_field, "biz_custom_")),
        _ => None,
    }
}

fn title_from_form(
    order: &AuthOrder,
    config: &AuthFieldConfig,
    form: &HashMap<String, String>,
) -> UserAuthInfo {
    let get = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let needs_title = order.kind == CardKind::Invoice && order.auth_type == 1;
    if !needs_title && get("title").is_empty() {
        return UserAuthInfo::default();
    }
    let custom = |side: &str| {
        let (keys, prefix) = custom_keys(config, side).unwrap_or_default();
        keys.iter()
            .enumerate()
            .map(|(i, k)| CustomFieldValue {
                key: k.key.clone(),
                value: get(&format!("{prefix}{i}")),
            })
            .collect::<Vec<_>>()
    };
    if get("title_type") == "biz" {
        UserAuthInfo {
            user_field: None,
            biz_field: Some(BizField {
                title: get("title"),
                tax_no: get("tax_no"),
                addr: get("addr"),
                phone: get("phone"),
                bank_type: get("bank_type"),
                bank_no: get("bank_no"),
                custom_field: custom("biz_field"),
            }),
        }
    } else {
        UserAuthInfo {
            user_field: Some(UserField {
                title: get("title"),
                phone: get("phone"),
                email: get("email"),
                custom_field: custom("user_field"),
            }),
            biz_field: None,
        }
    }
}

/// The page for `order`: its summary, and the form while it is pending.
async fn build(state: &AppState, order: &AuthOrder, config: &AuthFieldConfig) -> FormPage {
    let merchant = state
        .store
        .app(&order.appid)
        .await
        .ok()
        .flatten()
        .map(|a| a.name)
        .unwrap_or_default();
    let users = state
        .store
        .users(Some(&order.appid))
        .await
        .unwrap_or_default();
    let what = if order.kind == CardKind::Invoice {
        "电子发票"
    } else {
        "财政电子票据"
    };
    let mut page = FormPage::new(TITLE, "确认授权 · Authorise");
    page.summary
        .push(SummaryLine::new(&merchant, &format!("申请为你开具{what}")));
    page.summary.push(SummaryLine::new(
        "",
        &format!("订单 {} · ¥{}", order.order_id, yuan(order.money)),
    ));
    if order.status != OrderStatus::Pending {
        page.summary
            .push(SummaryLine::new("", order.status.invoice_status()));
        page.submit = None;
        return page;
    }
    let choices: Vec<(String, String)> = users
        .iter()
        .map(|u| {
            let id = u.openid.as_str().to_owned();
            (id.clone(), format!("{} ({id})", u.name))
        })
        .collect();
    let refs: Vec<(&str, &str)> = choices
        .iter()
        .map(|(v, t)| (v.as_str(), t.as_str()))
        .collect();
    page.fields
        .push(Field::select("openid", "微信用户 · User", &refs));
    if order.kind == CardKind::Invoice && order.auth_type == 1 {
        title_fields(&mut page, config);
    }
    page
}

/// The title fields of an invoice that needs a title (type 1).
fn title_fields(page: &mut FormPage, config: &AuthFieldConfig) {
    let (u, b) = (&config.user_field, &config.biz_field);
    let company = "单位填写 · for a company";
    page.fields.push(Field::select(
        "title_type",
        "抬头类型 · Title type",
        &[("user", "个人 · Personal"), ("biz", "单位 · Company")],
    ));
    page.fields
        .push(Field::text("title", "抬头 · Title").required(true));
    page.fields.push(
        Field::text("tax_no", "税号 · Taxpayer id")
            .required(b.show_tax_no != 0)
            .hint("15–20 位数字或大写字母 · 15 to 20 digits or capital letters (company)"),
    );
    page.fields.push(
        Field::text("phone", "电话 · Phone")
            .kind("tel")
            .required(u.show_phone != 0),
    );
    page.fields.push(
        Field::text("email", "邮箱 · Email")
            .kind("email")
            .required(u.show_email != 0)
            .hint("个人填写 · personal title"),
    );
    page.fields.push(
        Field::text("addr", "地址 · Address")
            .required(b.show_addr != 0)
            .hint(company),
    );
    page.fields.push(
        Field::text("bank_type", "开户行 · Bank")
            .required(b.show_bank_type != 0)
            .hint(company),
    );
    page.fields.push(
        Field::text("bank_no", "账号 · Account")
            .required(b.show_bank_no != 0)
            .hint(company),
    );
    for (side, prefix) in [
        (&u.custom_field, "user_custom_"),
        (&b.custom_field, "biz_custom_"),
    ] {
        for (i, key) in side.iter().enumerate() {
            page.fields.push(
                Field::text(&format!("{prefix}{i}"), &key.key)
                    .required(key.is_require.unwrap_or(0) != 0),
            );
        }
    }
    page.note = Some("Fields the merchant asks for are checked when you confirm.".into());
}
