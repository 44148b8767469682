//! card-template (F7): the card a fapiao becomes in the user's card package.
//! Each call overwrites the owner's template; the card_id stays the same
//! while the card_appid does.

use super::urls::check_url;
use crate::domain::ids::Appid;
use crate::http::pay::fapiao::{parse_body, resolve_party};
use crate::http::pay::{pay_json, PayError, SignedRequest};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The request body.
#[derive(Debug, Deserialize)]
pub(crate) struct TemplateBody {
    #[serde(default)]
    sub_mchid: Option<String>,
    card_appid: String,
    card_template_information: TemplateInformation,
}

/// `card_template_information`, stored as sent.
#[derive(Debug, Deserialize, Serialize)]
struct TemplateInformation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    payee_name: Option<String>,
    logo_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    custom_cell: Option<CustomCell>,
}

/// `custom_cell`: a line on the card linking to a page or mini program.
#[derive(Debug, Deserialize, Serialize)]
struct CustomCell {
    words: String,
    description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    jump_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    miniprogram_user_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    miniprogram_path: Option<String>,
}

/// Longest `payee_name`, `words` and `description` (card-package limits).
const MAX_TEXT_CHARS: usize = 64;

fn check_text(field: &str, value: &str) -> Result<(), PayError> {
    let chars = value.chars().count();
    if chars == 0 || chars > MAX_TEXT_CHARS {
        return Err(PayError::param(
            field,
            "body",
            format!("must be 1-{MAX_TEXT_CHARS} characters"),
        ));
    }
    Ok(())
}

fn validate(body: &TemplateBody) -> Result<(), PayError> {
    Appid::parse("card_appid", &body.card_appid)
        .map_err(|e| PayError::param("card_appid", "body", e.issue))?;
    let info = &body.card_template_information;
    if let Some(payee) = &info.payee_name {
        check_text("card_template_information.payee_name", payee)?;
    }
    check_url("card_template_information.logo_url", &info.logo_url, true)?;
    if let Some(cell) = &info.custom_cell {
        check_text("card_template_information.custom_cell.words", &cell.words)?;
        check_text(
            "card_template_information.custom_cell.description",
            &cell.description,
        )?;
        if let Some(url) = &cell.jump_url {
            check_url("card_template_information.custom_cell.jump_url", url, true)?;
        }
    }
    Ok(())
}

/// `POST card-template` → 200 `{card_appid, card_id}`.
pub(super) async fn create(
    State(state): State<AppState>,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let body: TemplateBody = parse_body(&request.body)?;
    let party = resolve_party(&state, &request, body.sub_mchid.as_deref()).await?;
    validate(&body)?;
    let template =
        serde_json::to_value(&body.card_template_information).map_err(PayError::system)?;
    let new_card_id = format!("p{}", kabao_protocol::aead::random_alphanumeric(27));
    let stored = state
        .store
        .put_fapiao_card_template(
            &party.owner_mchid,
            &body.card_appid,
            &template,
            &new_card_id,
            state.clock.now(),
        )
        .await?;
    Ok(pay_json(
        StatusCode::OK,
        &json!({"card_appid": stored.card_appid, "card_id": stored.card_id}),
    ))
}
