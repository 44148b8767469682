//! A title as a person submits it (the page's form or the control API's
//! JSON), checked against what the merchant's link asked for, and stored
//! with its FAPIAO.USER_APPLIED callback.

use crate::domain::title_format::{valid_email, valid_phone, valid_taxpayer_id};
use crate::domain::FieldError;
use crate::state::AppState;
use crate::store::fapiao_titles::{TitleApplication, TitleRequest, TitleSubmission, UserTitle};
use crate::store::StoreError;
use serde::Deserialize;

/// Longest name, address, bank name or account kabao accepts.
const MAX_TEXT_CHARS: usize = 100;
/// Longest message to the merchant.
const MAX_MESSAGE_CHARS: usize = 200;

/// A title as submitted; empty strings count as absent (an HTML form sends
/// every input).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitleInput {
    /// `INDIVIDUAL` or `ORGANIZATION`.
    #[serde(rename = "type", default)]
    pub buyer_type: Option<String>,
    /// Buyer name.
    #[serde(default)]
    pub name: Option<String>,
    /// Required for an organization.
    #[serde(default)]
    pub taxpayer_id: Option<String>,
    /// Address.
    #[serde(default)]
    pub address: Option<String>,
    /// Landline.
    #[serde(default)]
    pub telephone: Option<String>,
    /// Bank.
    #[serde(default)]
    pub bank_name: Option<String>,
    /// Bank account.
    #[serde(default)]
    pub bank_account: Option<String>,
    /// Mobile phone, only when the link shows the cell.
    #[serde(default)]
    pub phone: Option<String>,
    /// Email, only when the link shows the cell.
    #[serde(default)]
    pub email: Option<String>,
    /// `COMM_FAPIAO` (default) or `VAT_FAPIAO`.
    #[serde(default)]
    pub fapiao_bill_type: Option<String>,
    /// Message to the merchant.
    #[serde(default)]
    pub user_apply_message: Option<String>,
}

/// Why a submission was not stored.
#[derive(Debug, thiserror::Error)]
pub enum TitleSubmitError {
    /// No link has that key.
    #[error("no title link has this key")]
    UnknownLink,
    /// The link's 30 minutes are over.
    #[error("this title link has expired; ask the merchant for a new one")]
    Expired,
    /// A field is wrong (named).
    #[error("{0}")]
    Field(FieldError),
    /// The store failed.
    #[error("{0}")]
    Store(#[from] StoreError),
}

fn present(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

fn text(field: &str, value: &Option<String>, max: usize) -> Result<Option<String>, FieldError> {
    match present(value) {
        Some(v) if v.chars().count() > max => Err(FieldError::new(
            field,
            format!("is longer than {max} characters"),
        )),
        other => Ok(other),
    }
}

/// A contact cell (phone or email): refused when the link hides it,
/// required when the link says so, and well formed.
fn contact(
    field: &str,
    value: &Option<String>,
    shown: bool,
    must: bool,
    well_formed: fn(&str) -> bool,
) -> Result<Option<String>, FieldError> {
    match (present(value), shown) {
        (Some(_), false) => Err(FieldError::new(
            field,
            format!("this title link does not ask for {field} (show_{field}_cell is not true)"),
        )),
        (None, true) if must => Err(FieldError::new(
            field,
            "is required: the merchant asked for it (must_input)",
        )),
        (Some(v), _) if !well_formed(&v) => Err(FieldError::new(
            field,
            format!("{v} is not a valid {field}"),
        )),
        (v, _) => Ok(v),
    }
}

impl TitleInput {
    /// The title this input describes, checked against the link's request.
    pub fn validate(&self, request: &TitleRequest) -> Result<UserTitle, FieldError> {
        let buyer_type = present(&self.buyer_type)
            .ok_or_else(|| FieldError::new("type", "is required (INDIVIDUAL or ORGANIZATION)"))?;
        if buyer_type != "INDIVIDUAL" && buyer_type != "ORGANIZATION" {
            return Err(FieldError::new(
                "type",
                format!("{buyer_type} is not INDIVIDUAL or ORGANIZATION"),
            ));
        }
        let organization = buyer_type == "ORGANIZATION";
        let name = text("name", &self.name, MAX_TEXT_CHARS)?
            .ok_or_else(|| FieldError::new("name", "is required"))?;
        let taxpayer_id = present(&self.taxpayer_id);
        match &taxpayer_id {
            None if organization => {
                return Err(FieldError::new(
                    "taxpayer_id",
                    "is required for an ORGANIZATION",
                ))
            }
            Some(id) if !valid_taxpayer_id(id) => {
                return Err(FieldError::new(
                    "taxpayer_id",
                    format!("{id} is not 15 to 20 digits or capital letters"),
                ))
            }
            _ => {}
        }
        let fapiao_bill_type =
            present(&self.fapiao_bill_type).unwrap_or_else(|| "COMM_FAPIAO".to_owned());
        let title = UserTitle {
            buyer_type,
            name,
            taxpayer_id,
            address: text("address", &self.address, MAX_TEXT_CHARS)?,
            telephone: text("telephone", &self.telephone, 40)?,
            bank_name: text("bank_name", &self.bank_name, MAX_TEXT_CHARS)?,
            bank_account: text("bank_account", &self.bank_account, MAX_TEXT_CHARS)?,
            phone: contact(
                "phone",
                &self.phone,
                request.show_phone_cell,
                request.must_input_phone,
                valid_phone,
            )?,
            email: contact(
                "email",
                &self.email,
                request.show_email_cell,
                request.must_input_email,
                valid_email,
            )?,
            amount: None,
            out_trade_no: None,
            fapiao_bill_type: Some(fapiao_bill_type),
            user_apply_message: text(
                "user_apply_message",
                &self.user_apply_message,
                MAX_MESSAGE_CHARS,
            )?,
        };
        check_bill_type(&title)?;
        Ok(title)
    }
}

/// COMM_FAPIAO for anyone; VAT_FAPIAO (专票) only for an organization with
/// its address, telephone, bank and account, as a 专票 face needs them.
fn check_bill_type(title: &UserTitle) -> Result<(), FieldError> {
    match title.fapiao_bill_type.as_deref().unwrap_or_default() {
        "COMM_FAPIAO" => Ok(()),
        "VAT_FAPIAO" => {
            if title.buyer_type != "ORGANIZATION" {
                return Err(FieldError::new(
                    "fapiao_bill_type",
                    "VAT_FAPIAO is only for an ORGANIZATION",
                ));
            }
            let needed = [
                ("address", &title.address),
                ("telephone", &title.telephone),
                ("bank_name", &title.bank_name),
                ("bank_account", &title.bank_account),
            ];
            match needed.iter().find(|(_, v)| v.is_none()) {
                Some((field, _)) => Err(FieldError::new(
                    *field,
                    "is required for a VAT_FAPIAO (专票)",
                )),
                None => Ok(()),
            }
        }
        other => Err(FieldError::new(
            "fapiao_bill_type",
            format!("{other} is not COMM_FAPIAO or VAT_FAPIAO"),
        )),
    }
}

/// Stores the title submitted behind `link_key` and sends FAPIAO.USER_APPLIED
/// to the merchant that asked for the link: what the page's form and the
/// control API's title step both do. A second submission replaces the
/// title (the person edited it) and sends the callback again.
pub async fn submit_title(
    state: &AppState,
    link_key: &str,
    input: &TitleInput,
) -> Result<TitleApplication, TitleSubmitError> {
    let now = state.clock.now();
    let application = state
        .store
        .title_by_link(link_key)
        .await?
        .ok_or(TitleSubmitError::UnknownLink)?;
    if now >= application.link_expires_at {
        return Err(TitleSubmitError::Expired);
    }
    let title = input
        .validate(&application.request)
        .map_err(TitleSubmitError::Field)?;
    match state.store.submit_title(link_key, &title, now).await? {
        TitleSubmission::Applied(application) => {
            state.callback_wakeup.notify_one();
            Ok(*application)
        }
        TitleSubmission::UnknownLink => Err(TitleSubmitError::UnknownLink),
        TitleSubmission::Expired => Err(TitleSubmitError::Expired),
    }
}
