//! A user authorises an order's invoice: the same step whether a person
//! submits the authorisation page or a test calls the control API. Checks
//! the title fields the merchant asked for, records the answer and pushes
//! `user_authorize_invoice` to the merchant in the same transaction.

use crate::domain::invoice::order::AuthOrder;
use crate::domain::invoice::CardKind;
use crate::domain::FieldError;
use crate::state::AppState;
use crate::store::invoice::OrderConflict;
use crate::store::push::NewPush;
use crate::store::StoreError;
use kabao_protocol::oa::merchant::{AuthFieldConfig, UserAuthInfo};
use kabao_protocol::oa::OaEvent;

/// Why an authorisation was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum AuthorizeError {
    /// The openid is not a user of the merchant's app.
    #[error("openid {0} is not a user of this app")]
    UnknownUser(String),
    /// A title field the merchant asked for is missing.
    #[error("{0}")]
    Field(FieldError),
    /// The order cannot be authorised in its state.
    #[error("the order cannot be authorised: {0:?}")]
    Conflict(OrderConflict),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Records the user's authorisation of `order` with the title `info`.
pub async fn authorize(
    state: &AppState,
    order: &AuthOrder,
    openid: &str,
    info: UserAuthInfo,
) -> Result<AuthOrder, AuthorizeError> {
    let users = state.store.users(Some(&order.appid)).await?;
    if !users.iter().any(|u| u.openid.as_str() == openid) {
        return Err(AuthorizeError::UnknownUser(openid.to_owned()));
    }
    if order.kind == CardKind::Invoice && order.auth_type == 1 {
        let config: AuthFieldConfig = state
            .store
            .biz_attr(&order.appid, "auth_field")
            .await?
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        check_title(&config, &info).map_err(AuthorizeError::Field)?;
    }
    let now = state.clock.now();
    let push = NewPush {
        appid: crate::domain::ids::Appid::parse("appid", &order.appid)
            .map_err(AuthorizeError::Field)?,
        from_openid: openid.to_owned(),
        event: OaEvent::UserAuthorizeInvoice {
            succ_order_id: order.order_id.clone(),
            fail_order_id: String::new(),
            app_id: order.appid.clone(),
            source: order.source.clone(),
        },
        created_at: now,
    };
    let result = state
        .store
        .authorize_order(&order.appid, &order.order_id, openid, &info, now, &push)
        .await?;
    state.push_notifier.nudge();
    result.map_err(AuthorizeError::Conflict)
}

/// The title the user gave must fill every field the merchant shows
/// (a shown field is mandatory, as on the real page), and what it gives
/// must be well formed: taxpayer id, phone and email.
pub fn check_title(config: &AuthFieldConfig, info: &UserAuthInfo) -> Result<(), FieldError> {
    check_required(config, info)?;
    check_formats(info)
}

/// A given value must have its format: `well_formed(value)` or the field's error.
fn format(
    value: &str,
    field: &str,
    well_formed: fn(&str) -> bool,
    what: &str,
) -> Result<(), FieldError> {
    let value = value.trim();
    if value.is_empty() || well_formed(value) {
        Ok(())
    } else {
        Err(FieldError::new(field, format!("{value} is not {what}")))
    }
}

fn check_formats(info: &UserAuthInfo) -> Result<(), FieldError> {
    use crate::domain::title_format::{valid_email, valid_phone, valid_taxpayer_id};
    const PHONE: &str = "a phone number (6 to 20 digits)";
    if let Some(user) = &info.user_field {
        format(&user.phone, "user_field.phone", valid_phone, PHONE)?;
        format(
            &user.email,
            "user_field.email",
            valid_email,
            "an email address",
        )?;
    }
    if let Some(biz) = &info.biz_field {
        format(
            &biz.tax_no,
            "biz_field.tax_no",
            valid_taxpayer_id,
            "a taxpayer id (15 to 20 digits or capital letters)",
        )?;
        format(&biz.phone, "biz_field.phone", valid_phone, PHONE)?;
    }
    Ok(())
}

fn check_required(config: &AuthFieldConfig, info: &UserAuthInfo) -> Result<(), FieldError> {
    let need = |shown: i64, value: &str, field: &str| {
        if shown != 0 && value.trim().is_empty() {
            Err(FieldError::new(
                field,
                "is required by the merchant's auth_field settings",
            ))
        } else {
            Ok(())
        }
    };
    match (&info.user_field, &info.biz_field) {
        (Some(user), None) => {
            need(1, &user.title, "user_field.title")?;
            need(
                config.user_field.show_phone,
                &user.phone,
                "user_field.phone",
            )?;
            need(
                config.user_field.show_email,
                &user.email,
                "user_field.email",
            )?;
            custom(
                &config.user_field.custom_field,
                &user.custom_field,
                "user_field",
            )
        }
        (None, Some(biz)) => {
            need(1, &biz.title, "biz_field.title")?;
            let b = &config.biz_field;
            need(b.show_tax_no, &biz.tax_no, "biz_field.tax_no")?;
            need(b.show_addr, &biz.addr, "biz_field.addr")?;
            need(b.show_phone, &biz.phone, "biz_field.phone")?;
            need(b.show_bank_type, &biz.bank_type, "biz_field.bank_type")?;
            need(b.show_bank_no, &biz.bank_no, "biz_field.bank_no")?;
            custom(&b.custom_field, &biz.custom_field, "biz_field")
        }
        _ => Err(FieldError::new(
            "user_field",
            "give exactly one title: user_field (personal) or biz_field (company)",
        )),
    }
}

fn custom(
    keys: &[kabao_protocol::oa::merchant::CustomFieldKey],
    answers: &[kabao_protocol::oa::merchant::CustomFieldValue],
    parent: &str,
) -> Result<(), FieldError> {
    for key in keys.iter().filter(|k| k.is_require.unwrap_or(0) != 0) {
        let answered = answers
            .iter()
            .any(|a| a.key == key.key && !a.value.trim().is_empty());
        if !answered {
            return Err(FieldError::new(
                format!("{parent}.custom_field[{}]", key.key),
                "is required by the merchant's auth_field settings",
            ));
        }
    }
    Ok(())
}
