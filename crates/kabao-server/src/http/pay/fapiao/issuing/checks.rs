//! The checks every issuing call shares, each against the store: card
//! template, tax codes, the paid order or the user's title, and the
//! sensitive buyer fields.

use super::errors::rule_limit;
use crate::domain::fapiao::face::CardInformation;
use crate::domain::fapiao::request::BuyerInformation;
use crate::domain::fapiao::setup::{FapiaoCardTemplate, PayOrder, TaxCode};
use crate::domain::fapiao::FapiaoParty;
use crate::http::pay::fapiao::decrypt_sensitive;
use crate::http::pay::PayError;
use crate::state::AppState;
use axum::http::HeaderMap;
use kabao_protocol::apiv3::ErrorCode;

/// The owner's card template; without one, 403 RULE_LIMIT.
pub(super) async fn card_template(
    state: &AppState,
    party: &FapiaoParty,
) -> Result<FapiaoCardTemplate, PayError> {
    state
        .store
        .fapiao_card_template(&party.owner_mchid)
        .await?
        .ok_or_else(|| {
            PayError::new(
                ErrorCode::RuleLimit,
                format!(
                    "merchant {} has no fapiao card template yet; call card-template first",
                    party.owner_mchid
                ),
            )
        })
}

/// The owner's entry for a line's tax code; a code outside its table is
/// 403 RULE_LIMIT naming `field`.
pub(super) async fn tax_code(
    state: &AppState,
    party: &FapiaoParty,
    field: &str,
    code: &str,
) -> Result<TaxCode, PayError> {
    state
        .store
        .tax_code(&party.owner_mchid, code)
        .await?
        .ok_or_else(|| {
            rule_limit(
                field,
                format!(
                    "merchant {} may not issue fapiao for tax code {code}: it is not in the table tax-codes returns",
                    party.owner_mchid
                ),
            )
        })
}

/// Replaces the encrypted phone and email of a buyer by their plaintext.
pub(super) async fn decrypt_buyer(
    state: &AppState,
    headers: &HeaderMap,
    buyer: &mut BuyerInformation,
) -> Result<(), PayError> {
    if let Some(phone) = buyer.phone.as_deref().filter(|p| !p.is_empty()) {
        let plain = decrypt_sensitive(state, headers, "buyer_information.phone", phone).await?;
        buyer.phone = Some(plain);
    }
    if let Some(email) = buyer.email.as_deref().filter(|e| !e.is_empty()) {
        let plain = decrypt_sensitive(state, headers, "buyer_information.email", email).await?;
        buyer.email = Some(plain);
    }
    if !matches!(buyer.buyer_type.as_str(), "INDIVIDUAL" | "ORGANIZATION") {
        return Err(PayError::param(
            "buyer_information.type",
            "body",
            format!(
                "{} is neither INDIVIDUAL nor ORGANIZATION",
                buyer.buyer_type
            ),
        ));
    }
    if buyer.name.trim().is_empty() {
        return Err(PayError::param(
            "buyer_information.name",
            "body",
            "must not be empty",
        ));
    }
    Ok(())
}

/// A paid WeChat Pay order of the owner; someone else's or an unknown
/// transaction is 403 RULE_LIMIT naming `field`.
pub(super) async fn owned_pay_order(
    state: &AppState,
    party: &FapiaoParty,
    field: &str,
    transaction_id: &str,
) -> Result<PayOrder, PayError> {
    match state.store.pay_order(transaction_id).await? {
        Some(order) if order.mchid == party.owner_mchid => Ok(order),
        Some(_) => Err(rule_limit(
            field,
            format!(
                "WeChat Pay order {transaction_id} does not belong to merchant {}",
                party.owner_mchid
            ),
        )),
        None => Err(rule_limit(
            field,
            format!(
                "{transaction_id} is not a paid WeChat Pay order of merchant {}",
                party.owner_mchid
            ),
        )),
    }
}

/// WITHOUT_WECHATPAY: the user must have filled in the title (404
/// RESOURCE_NOT_EXISTS) and the buyer must equal it (403 RULE_LIMIT naming
/// the first differing field).
pub(super) async fn buyer_matches_title(
    state: &AppState,
    party: &FapiaoParty,
    fapiao_apply_id: &str,
    buyer: &BuyerInformation,
) -> Result<(), PayError> {
    let title = state
        .store
        .user_title(&party.owner_mchid, fapiao_apply_id)
        .await?
        .ok_or_else(|| {
            PayError::new(
                ErrorCode::ResourceNotExists,
                format!("the user has not filled in the title of fapiao_apply_id {fapiao_apply_id} yet; get a title-url with this id and wait for FAPIAO.USER_APPLIED"),
            )
        })?;
    match buyer.first_difference_from(&title) {
        Some((name, ours, theirs)) => Err(rule_limit(
            &format!("buyer_information.{name}"),
            format!("is \"{ours}\" but the title the user filled in says \"{theirs}\""),
        )),
        None => Ok(()),
    }
}

/// The card a fapiao of this application goes into: the template's app and
/// the buyer's openid from the paid order, else from the title request.
/// None when kabao knows no openid: the fapiao is then issued without a card.
pub(super) async fn card_for(
    state: &AppState,
    party: &FapiaoParty,
    fapiao_apply_id: &str,
    template: &FapiaoCardTemplate,
    order: Option<&PayOrder>,
) -> Result<Option<CardInformation>, PayError> {
    let mut openid = order
        .and_then(|o| o.openid.clone())
        .filter(|o| !o.is_empty());
    if openid.is_none() {
        openid = state
            .store
            .title_application(&party.owner_mchid, fapiao_apply_id)
            .await?
            .map(|t| t.request.openid)
            .filter(|o| !o.is_empty());
    }
    Ok(openid.map(|card_openid| CardInformation {
        card_appid: template.card_appid.clone(),
        card_openid,
        card_id: Some(template.card_id.clone()),
        card_code: None,
    }))
}

/// The seller and extra information printed on the owner's fapiao.
pub(super) async fn seller_blocks(
    state: &AppState,
    party: &FapiaoParty,
) -> Result<(serde_json::Value, serde_json::Value), PayError> {
    let seller = state.store.seller_information(&party.owner_mchid).await?;
    Ok((
        serde_json::to_value(&seller.seller_information).map_err(PayError::system)?,
        serde_json::to_value(&seller.extra_information).map_err(PayError::system)?,
    ))
}

/// SHA-256 (hex) of a request body.
pub(super) fn body_hash(body: &[u8]) -> String {
    hex::encode(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, body).as_ref())
}
