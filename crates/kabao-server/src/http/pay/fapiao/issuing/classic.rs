//! F10 POST `/v3/new-tax-control-fapiao/fapiao-applications`: classic
//! tax-control fapiao, 1 to 5 per application, answered 202 with no body.

use super::build::{build_face, LineRequest};
use super::checks::{
    body_hash, buyer_matches_title, card_for, card_template, decrypt_buyer, owned_pay_order,
    seller_blocks,
};
use super::errors::{param, refused};
use super::rate::count_issue_call;
use crate::domain::fapiao::face::ApplicationKind;
use crate::domain::fapiao::request::{ClassicApplicationBody, ClassicItemBody};
use crate::domain::fapiao::rules::{check_apply_id, check_fapiao_ids};
use crate::domain::fapiao::Scene;
use crate::http::pay::fapiao::{parse_body, resolve_party};
use crate::http::pay::{PayError, SignedRequest};
use crate::state::AppState;
use crate::store::fapiao::{NewApplication, NewFapiao};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// Checks an F10 call completely, stores it and schedules its issuing.
pub(super) async fn issue(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let now = state.clock.now();
    count_issue_call(&state, request.merchant.merchant.mchid.as_str(), now)?;
    let mut body: ClassicApplicationBody = parse_body(&request.body)?;
    let party = resolve_party(&state, &request, body.sub_mchid.as_deref()).await?;
    let scene = Scene::parse(&body.scene).ok_or_else(|| {
        PayError::param(
            "scene",
            "body",
            format!(
                "{} is neither WITH_WECHATPAY nor WITHOUT_WECHATPAY",
                body.scene
            ),
        )
    })?;
    check_apply_id(&body.fapiao_apply_id).map_err(|e| param("", e))?;
    check_fapiao_ids(body.fapiao_information.iter().map(|f| f.fapiao_id.as_str()))
        .map_err(|e| param("", e))?;
    decrypt_buyer(&state, &headers, &mut body.buyer_information).await?;
    let template = card_template(&state, &party).await?;
    let order = match scene {
        Scene::WithWechatpay => {
            Some(owned_pay_order(&state, &party, "fapiao_apply_id", &body.fapiao_apply_id).await?)
        }
        Scene::WithoutWechatpay => {
            buyer_matches_title(
                &state,
                &party,
                &body.fapiao_apply_id,
                &body.buyer_information,
            )
            .await?;
            None
        }
    };
    let card = card_for(
        &state,
        &party,
        &body.fapiao_apply_id,
        &template,
        order.as_ref(),
    )
    .await?;
    let seller = seller_blocks(&state, &party).await?;
    let mut fapiaos = Vec::with_capacity(body.fapiao_information.len());
    for (i, fapiao) in body.fapiao_information.iter().enumerate() {
        let lines: Vec<LineRequest> = fapiao.items.iter().map(line_request).collect();
        let path = format!("fapiao_information[{i}]");
        let mut face =
            build_face(&state, &party, &path, &lines, fapiao.total_amount, &seller).await?;
        face.remark = fapiao.remark.clone();
        face.need_list = fapiao.need_list;
        fapiaos.push(NewFapiao {
            fapiao_id: fapiao.fapiao_id.clone(),
            face,
            card: card.clone(),
        });
    }
    let application = NewApplication {
        owner_mchid: party.owner_mchid.clone(),
        caller_mchid: party.caller_mchid.clone(),
        fapiao_apply_id: body.fapiao_apply_id.clone(),
        kind: ApplicationKind::Classic,
        scene,
        buyer: body.buyer_information,
        request_hash: body_hash(&request.body),
        fapiaos,
        now,
    };
    let created = state
        .store
        .create_application(&application)
        .await?
        .map_err(|r| refused(r, &application.fapiao_apply_id, "fapiao_information"))?;
    // A held or delayed application has nothing for the worker yet: the
    // control API's release, or its poll, finds it when it is due.
    if created.step_due_now {
        state.fapiao_wakeup.notify_one();
    }
    Ok(StatusCode::ACCEPTED.into_response())
}

fn line_request(item: &ClassicItemBody) -> LineRequest {
    LineRequest {
        tax_code: item.tax_code.clone(),
        goods_name: item.goods_name.clone(),
        specification: item.specification.clone(),
        unit: item.unit.clone(),
        quantity: Some(item.quantity),
        total_amount: item.total_amount,
        tax_rate: item.tax_rate,
        tax_prefer_mark: item.tax_prefer_mark.clone(),
        discount: item.discount,
    }
}
