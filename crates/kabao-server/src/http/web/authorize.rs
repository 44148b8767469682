//! The authorisation page behind `auth_url`: the person picks which user
//! they are, fills in the title fields the merchant asked for and confirms.
//! Submitting does exactly what the control API's authorisation step does.

use super::html::{escape, page};
use crate::domain::invoice::order::{AuthOrder, OrderStatus};
use crate::domain::invoice::CardKind;
use crate::flows::authorization::{self, AuthorizeError};
use crate::state::AppState;
use crate::store::invoice::OrderConflict;
use axum::extract::{Form, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use kabao_protocol::oa::merchant::{
    AuthFieldConfig, BizField, CustomFieldValue, UserAuthInfo, UserField,
};
use std::collections::HashMap;

async fn load(state: &AppState, key: &str) -> Result<(AuthOrder, AuthFieldConfig), Response> {
    let order = match state.store.order_by_key(key).await {
        Ok(Some(order)) => order,
        Ok(None) => {
            return Err(page(
                StatusCode::NOT_FOUND,
                "链接无效",
                "<p>No authorisation behind this link.</p>",
            ))
        }
        Err(e) => {
            tracing::error!(error = %e, "reading an order");
            return Err(page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "系统错误",
                "<p>The store is unavailable.</p>",
            ));
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
        Ok((order, config)) => render(&state, &order, &config, None, StatusCode::OK).await,
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
            _ => page(
                StatusCode::OK,
                "授权成功",
                &format!(
                    "<div class=card><p>已授权开票 · Authorised.</p><p class=muted>order_id {}</p></div>",
                    escape(&done.order_id)
                ),
            ),
        },
        Err(AuthorizeError::Store(e)) => {
            tracing::error!(error = %e, "recording an authorisation");
            page(StatusCode::INTERNAL_SERVER_ERROR, "系统错误", "<p>The store is unavailable.</p>")
        }
        Err(e) => {
            let message = match &e {
                AuthorizeError::UnknownUser(_) => "Choose a user of this app.".to_owned(),
                AuthorizeError::Field(f) => format!("{}: {}", f.field, f.issue),
                AuthorizeError::Conflict(OrderConflict::AlreadyAuthorized) => "This order is already authorised.".into(),
                _ => e.to_string(),
            };
            render(&state, &order, &config, Some(&message), StatusCode::UNPROCESSABLE_ENTITY).await
        }
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
    let custom = |keys: &[kabao_protocol::oa::merchant::CustomFieldKey]| {
        keys.iter()
            .map(|k| CustomFieldValue {
                key: k.key.clone(),
                value: get(&format!("custom_{}", k.key)),
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
                custom_field: custom(&config.biz_field.custom_field),
            }),
        }
    } else {
        UserAuthInfo {
            user_field: Some(UserField {
                title: get("title"),
                phone: get("phone"),
                email: get("email"),
                custom_field: custom(&config.user_field.custom_field),
            }),
            biz_field: None,
        }
    }
}

fn input(name: &str, label: &str, required: bool) -> String {
    format!(
        "<label for={name}>{label}{star}</label><input id={name} name={name}{req}>",
        star = if required { " *" } else { "" },
        req = if required { " required" } else { "" },
    )
}

async fn render(
    state: &AppState,
    order: &AuthOrder,
    config: &AuthFieldConfig,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
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
    let mut body = format!(
        "<div class=card><p><b>{}</b> 申请为你开具{what}</p><p>订单 {} · ¥{}.{:02}</p></div>",
        escape(&merchant),
        escape(&order.order_id),
        order.money / 100,
        order.money % 100
    );
    if order.status != OrderStatus::Pending {
        body.push_str(&format!(
            "<div class=card><p>{}</p></div>",
            escape(order.status.invoice_status())
        ));
        return page(status, "开票授权", &body);
    }
    if let Some(error) = error {
        body.push_str(&format!("<p class=error role=alert>{}</p>", escape(error)));
    }
    body.push_str("<form method=post class=card><label for=openid>微信用户 · User</label><select id=openid name=openid>");
    for user in &users {
        body.push_str(&format!(
            "<option value=\"{0}\">{1} ({0})</option>",
            escape(user.openid.as_str()),
            escape(&user.name)
        ));
    }
    body.push_str("</select>");
    if order.kind == CardKind::Invoice && order.auth_type == 1 {
        let u = &config.user_field;
        let b = &config.biz_field;
        body.push_str("<label for=title_type>抬头类型 · Title type</label><select id=title_type name=title_type><option value=user>个人 · Personal</option><option value=biz>单位 · Company</option></select>");
        body.push_str(&input("title", "抬头 · Title", true));
        body.push_str(&input("tax_no", "税号 · Tax number (company)", false));
        body.push_str(&input("phone", "电话 · Phone", u.show_phone != 0));
        body.push_str(&input("email", "邮箱 · Email", u.show_email != 0));
        body.push_str(&input("addr", "地址 · Address (company)", false));
        body.push_str(&input("bank_type", "开户行 · Bank (company)", false));
        body.push_str(&input("bank_no", "账号 · Account (company)", false));
        for key in u.custom_field.iter().chain(&b.custom_field) {
            body.push_str(&input(
                &format!("custom_{}", escape(&key.key)),
                &escape(&key.key),
                false,
            ));
        }
        body.push_str("<p class=muted>Fields the merchant asks for are checked on submit.</p>");
    }
    body.push_str("<button type=submit>确认授权 · Authorise</button></form>");
    page(status, "开票授权", &body)
}
