//! F20 `POST /v3/new-tax-control-fapiao/fapiao-applications/{fapiao_apply_id}/insert-cards`:
//! fapiao the merchant issued itself go into the buyer's card package.
//! Answers 202; the fapiao worker moves each card INSERT_ACCEPTED → INSERTED
//! and sends FAPIAO.CARD_INSERTED. One order is inserted once: the same
//! request again is a 202 that changes nothing, a different one is 400
//! RESOURCE_ALREADY_EXISTS.

use super::body::InsertCardsBody;
use super::errors::{field_error, param};
use super::face::build_application;
use super::rules::check_body;
use crate::domain::fapiao::face::CardInformation;
use crate::domain::fapiao::rules::check_apply_id;
use crate::domain::fapiao::{FapiaoParty, Scene};
use crate::http::pay::fapiao::{decrypt_sensitive, parse_body, resolve_party};
use crate::http::pay::{PayError, SignedRequest};
use crate::state::AppState;
use crate::store::fapiao_cards::InsertCardsOutcome;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kabao_protocol::apiv3::ErrorCode;

/// Validates, stores and schedules the insertion of every fapiao.
pub(super) async fn insert_cards(
    State(state): State<AppState>,
    Path(fapiao_apply_id): Path<String>,
    headers: HeaderMap,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let mut body: InsertCardsBody = parse_body(&request.body)?;
    check_apply_id(&fapiao_apply_id).map_err(|e| PayError::param(&e.field, "path", e.issue))?;
    let party = resolve_party(&state, &request, body.sub_mchid.as_deref()).await?;
    let scene = Scene::parse(&body.scene).ok_or_else(|| {
        PayError::param(
            "scene",
            "body",
            format!("{} is not WITH_WECHATPAY or WITHOUT_WECHATPAY", body.scene),
        )
    })?;
    check_body(&body).map_err(param)?;
    let buyer = &mut body.buyer_information;
    if let Some(phone) = buyer.phone.take() {
        buyer.phone =
            Some(decrypt_sensitive(&state, &headers, "buyer_information.phone", &phone).await?);
    }
    if let Some(email) = buyer.email.take() {
        buyer.email =
            Some(decrypt_sensitive(&state, &headers, "buyer_information.email", &email).await?);
    }
    let holder = card_holder(&state, &party, scene, &fapiao_apply_id).await?;
    let application = build_application(
        &party,
        &fapiao_apply_id,
        scene,
        &body,
        &holder,
        state.clock.now(),
    );
    match state.store.insert_self_issued(&application).await? {
        InsertCardsOutcome::Accepted => {
            state.fapiao_wakeup.notify_one();
            Ok(StatusCode::ACCEPTED.into_response())
        }
        InsertCardsOutcome::Replayed => Ok(StatusCode::ACCEPTED.into_response()),
        InsertCardsOutcome::AlreadyExists => Err(field_error(
            ErrorCode::ResourceAlreadyExists,
            "fapiao_apply_id",
            format!(
                "{fapiao_apply_id} already has fapiao; an order is inserted once, and only the identical request may be repeated"
            ),
        )),
        InsertCardsOutcome::MediaRejected { index, issue } => Err(PayError::param(
            &format!("fapiao_card_information[{index}].fapiao_media_id"),
            "body",
            issue,
        )),
    }
}

/// Who gets the cards: the owner's card template (required, 403
/// RULE_LIMIT) and the buyer's openid, from the owner's paid order
/// (WITH_WECHATPAY) or from the title link the user filled in
/// (WITHOUT_WECHATPAY, 404 RESOURCE_NOT_EXISTS until filled in).
async fn card_holder(
    state: &AppState,
    party: &FapiaoParty,
    scene: Scene,
    fapiao_apply_id: &str,
) -> Result<CardInformation, PayError> {
    let owner = &party.owner_mchid;
    let template = state
        .store
        .fapiao_card_template(owner)
        .await?
        .ok_or_else(|| {
            field_error(
                ErrorCode::RuleLimit,
                "card_template",
                format!(
                "merchant {owner} has no fapiao card template; create one with card-template first"
            ),
            )
        })?;
    let openid = match scene {
        Scene::WithWechatpay => {
            let order = state
                .store
                .pay_order(fapiao_apply_id)
                .await?
                .ok_or_else(|| {
                    field_error(
                        ErrorCode::ResourceNotExists,
                        "fapiao_apply_id",
                        format!("{fapiao_apply_id} is not a WeChat Pay transaction_id"),
                    )
                })?;
            if &order.mchid != owner {
                return Err(field_error(
                    ErrorCode::RuleLimit,
                    "fapiao_apply_id",
                    format!("transaction {fapiao_apply_id} is not an order of merchant {owner}"),
                ));
            }
            order.openid
        }
        Scene::WithoutWechatpay => {
            let title = state
                .store
                .title_application(owner, fapiao_apply_id)
                .await?
                .filter(|t| t.title.is_some())
                .ok_or_else(|| {
                    field_error(
                        ErrorCode::ResourceNotExists,
                        "fapiao_apply_id",
                        format!("the user has not filled in a title for {fapiao_apply_id} (title-url) yet"),
                    )
                })?;
            Some(title.request.openid)
        }
    };
    let openid = openid.filter(|o| !o.is_empty()).ok_or_else(|| {
        field_error(
            ErrorCode::RuleLimit,
            "fapiao_apply_id",
            format!("order {fapiao_apply_id} has no payer openid to insert cards for"),
        )
    })?;
    Ok(CardInformation {
        card_appid: template.card_appid,
        card_openid: openid,
        card_id: Some(template.card_id),
        card_code: None,
    })
}
