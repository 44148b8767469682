//! F11–F14: the 数电 issue endpoints (issue-general,
//! issue-passenger-transport, issue-refined-oil, real-estate-leasing). One
//! fapiao per call, for real payments of the owner; after ISSUE_FAILED the
//! same fapiao_apply_id may be sent again with a new fapiao_id (4 retries).

use super::build::{build_face, LineRequest};
use super::checks::{
    body_hash, card_for, card_template, decrypt_buyer, owned_pay_order, seller_blocks,
};
use super::errors::{param, refused};
use super::rate::count_issue_call;
use crate::domain::fapiao::face::ApplicationKind;
use crate::domain::fapiao::request::{DigitalApplicationBody, DigitalItemBody};
use crate::domain::fapiao::rules::{check_apply_id, check_fapiao_ids};
use crate::domain::fapiao::Scene;
use crate::http::pay::fapiao::{decrypt_sensitive, parse_body, resolve_party};
use crate::http::pay::{PayError, SignedRequest};
use crate::state::AppState;
use crate::store::fapiao::{NewApplication, NewFapiao};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// F11 issue-general.
pub(super) async fn issue_general(
    state: State<AppState>,
    headers: HeaderMap,
    request: SignedRequest,
) -> Result<Response, PayError> {
    issue(state, headers, request, ApplicationKind::General).await
}

/// F12 issue-passenger-transport.
pub(super) async fn issue_passenger_transport(
    state: State<AppState>,
    headers: HeaderMap,
    request: SignedRequest,
) -> Result<Response, PayError> {
    issue(state, headers, request, ApplicationKind::PassengerTransport).await
}

/// F13 issue-refined-oil.
pub(super) async fn issue_refined_oil(
    state: State<AppState>,
    headers: HeaderMap,
    request: SignedRequest,
) -> Result<Response, PayError> {
    issue(state, headers, request, ApplicationKind::RefinedOil).await
}

/// F14 real-estate-leasing.
pub(super) async fn issue_real_estate_leasing(
    state: State<AppState>,
    headers: HeaderMap,
    request: SignedRequest,
) -> Result<Response, PayError> {
    issue(state, headers, request, ApplicationKind::RealEstateLeasing).await
}

async fn issue(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: SignedRequest,
    kind: ApplicationKind,
) -> Result<Response, PayError> {
    let now = state.clock.now();
    count_issue_call(&state, request.merchant.merchant.mchid.as_str(), now)?;
    let mut body: DigitalApplicationBody = parse_body(&request.body)?;
    let party = resolve_party(&state, &request, body.sub_mchid.as_deref()).await?;
    check_apply_id(&body.fapiao_apply_id).map_err(|e| param("", e))?;
    let fapiao = &mut body.fapiao_information;
    check_fapiao_ids(std::iter::once(fapiao.fapiao_id.as_str())).map_err(|e| {
        param(
            "",
            crate::domain::FieldError::new("fapiao_information.fapiao_id", e.issue),
        )
    })?;
    decrypt_buyer(&state, &headers, &mut body.buyer_information).await?;
    if !matches!(
        fapiao.fapiao_bill_type.as_str(),
        "COMM_FAPIAO" | "VAT_FAPIAO"
    ) {
        return Err(PayError::param(
            "fapiao_information.fapiao_bill_type",
            "body",
            format!(
                "{} is neither COMM_FAPIAO nor VAT_FAPIAO",
                fapiao.fapiao_bill_type
            ),
        ));
    }
    let mut industry = Vec::new();
    for (j, item) in fapiao.items.iter().enumerate() {
        let path = format!("fapiao_information.items[{j}]");
        if let Some(block) = industry_block(&state, &headers, kind, &path, item).await? {
            industry.push(block);
        }
    }
    let template = card_template(&state, &party).await?;
    if fapiao.transaction_information.is_empty() {
        return Err(PayError::param(
            "fapiao_information.transaction_information",
            "body",
            "names no payment; a 数电 fapiao is issued for real WeChat Pay payments",
        ));
    }
    let mut first_order = None;
    for (k, tx) in fapiao.transaction_information.iter().enumerate() {
        let path = format!("fapiao_information.transaction_information[{k}]");
        if tx.pay_channel != "WECHAT_PAY" {
            return Err(PayError::param(
                &format!("{path}.pay_channel"),
                "body",
                format!("{} is not WECHAT_PAY", tx.pay_channel),
            ));
        }
        let order = owned_pay_order(
            &state,
            &party,
            &format!("{path}.transaction_id"),
            &tx.transaction_id,
        )
        .await?;
        first_order.get_or_insert(order);
    }
    let card = card_for(
        &state,
        &party,
        &body.fapiao_apply_id,
        &template,
        first_order.as_ref(),
    )
    .await?;
    let seller = seller_blocks(&state, &party).await?;
    let lines: Vec<LineRequest> = fapiao.items.iter().map(line_request).collect();
    let mut face = build_face(
        &state,
        &party,
        "fapiao_information",
        &lines,
        fapiao.total_amount,
        &seller,
    )
    .await?;
    face.remark = fapiao.remark.clone();
    face.need_list = fapiao.need_list.unwrap_or(false);
    face.digital = Some(json!({
        "billing_person_id": fapiao.billing_person_id,
        "billing_person": fapiao.billing_person,
        "fapiao_bill_type": fapiao.fapiao_bill_type,
        "export_business_policy_code": fapiao.export_business_policy_code,
        "vat_refund_levy_code": fapiao.vat_refund_levy_code,
        "transaction_information": fapiao.transaction_information,
        "industry_information": industry,
    }));
    let application = NewApplication {
        owner_mchid: party.owner_mchid.clone(),
        caller_mchid: party.caller_mchid.clone(),
        fapiao_apply_id: body.fapiao_apply_id.clone(),
        kind,
        scene: Scene::WithWechatpay,
        buyer: body.buyer_information.clone(),
        request_hash: body_hash(&request.body),
        fapiaos: vec![NewFapiao {
            fapiao_id: fapiao.fapiao_id.clone(),
            face,
            card,
        }],
        now,
    };
    let created = state
        .store
        .create_application(&application)
        .await?
        .map_err(|r| {
            refused(
                r,
                &application.fapiao_apply_id,
                "fapiao_information.fapiao_id",
            )
        })?;
    if created.step_due_now {
        state.fapiao_wakeup.notify_one();
    }
    Ok(StatusCode::ACCEPTED.into_response())
}

/// The industry block of a line (its fields were typed when the body was
/// read), with its encrypted field decrypted. Every non-discount line of a
/// passenger, refined-oil or real-estate fapiao carries its block.
async fn industry_block(
    state: &AppState,
    headers: &HeaderMap,
    kind: ApplicationKind,
    path: &str,
    item: &DigitalItemBody,
) -> Result<Option<Value>, PayError> {
    let as_value = |block: Option<Value>| block.filter(|v| !v.is_null());
    let (name, block, encrypted) = match kind {
        ApplicationKind::PassengerTransport => (
            "passenger_information",
            as_value(serde_json::to_value(&item.passenger_information).ok()),
            "certificate_number",
        ),
        ApplicationKind::RefinedOil => (
            "refined_oil_information",
            as_value(serde_json::to_value(&item.refined_oil_information).ok()),
            "",
        ),
        ApplicationKind::RealEstateLeasing => (
            "real_estate_leasing_information",
            as_value(serde_json::to_value(&item.real_estate_leasing_information).ok()),
            "certificate_no",
        ),
        _ => return Ok(None),
    };
    let field = format!("{path}.{name}");
    let Some(mut value) = block else {
        if item.discount {
            return Ok(None);
        }
        return Err(PayError::param(
            &field,
            "body",
            "is required on every line of this fapiao kind",
        ));
    };
    if let Some(Value::String(cipher)) = value.get(encrypted).cloned() {
        let plain =
            decrypt_sensitive(state, headers, &format!("{field}.{encrypted}"), &cipher).await?;
        value[encrypted] = Value::String(plain);
    }
    Ok(Some(value))
}

fn line_request(item: &DigitalItemBody) -> LineRequest {
    LineRequest {
        tax_code: item.tax_code.clone(),
        goods_name: Some(item.goods_name.clone()),
        specification: item.specification.clone(),
        unit: item.unit.clone(),
        quantity: item.quantity,
        total_amount: item.total_amount,
        tax_rate: Some(item.tax_rate),
        tax_prefer_mark: None,
        discount: item.discount,
    }
}
