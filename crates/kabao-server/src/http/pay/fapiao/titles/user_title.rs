//! F9 `GET /v3/new-tax-control-fapiao/user-title`: the title the user
//! filled in, with phone and email encrypted for the calling merchant.

use super::title_url::{apply_id, query_error};
use crate::domain::fapiao::{FapiaoParty, Scene};
use crate::domain::tenant::MerchantKind;
use crate::http::pay::fapiao::{encrypt_for_merchant, resolve_party};
use crate::http::pay::{pay_json, PayError, SignedRequest};
use crate::http::query;
use crate::state::AppState;
use crate::store::fapiao_titles::UserTitle;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use kabao_protocol::apiv3::ErrorCode;

fn not_filled(fapiao_apply_id: &str) -> PayError {
    PayError::new(
        ErrorCode::ResourceNotExists,
        format!("fapiao_apply_id: the user has not filled in the title of {fapiao_apply_id} yet"),
    )
}

/// Who the call acts for. A service provider that names no `sub_mchid`
/// (wechatpayv3's fapiao_title sends none) is resolved to the one
/// sub-merchant it asked a title link for under this id.
async fn party_of(
    state: &AppState,
    request: &SignedRequest,
    sub_mchid: Option<String>,
    fapiao_apply_id: &str,
) -> Result<FapiaoParty, PayError> {
    let caller = &request.merchant.merchant;
    let sub_mchid = sub_mchid.filter(|s| !s.is_empty());
    if caller.kind != MerchantKind::ServiceProvider || sub_mchid.is_some() {
        return resolve_party(state, request, sub_mchid.as_deref()).await;
    }
    let mut titles = state
        .store
        .titles_of_caller(caller.mchid.as_str(), fapiao_apply_id)
        .await?;
    match titles.len() {
        0 => Err(not_filled(fapiao_apply_id)),
        1 => {
            let owner = titles.remove(0).owner_mchid;
            resolve_party(state, request, Some(&owner)).await
        }
        n => Err(PayError::param(
            "sub_mchid",
            "query",
            format!("{n} sub-merchants have a title for {fapiao_apply_id}; name the one meant"),
        )),
    }
}

/// F9 user-title.
pub(super) async fn user_title(
    State(state): State<AppState>,
    uri: Uri,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let scene = query::param(&uri, "scene").unwrap_or_default();
    if Scene::parse(&scene).is_none() {
        let issue = if scene.is_empty() {
            "is required (WITH_WECHATPAY or WITHOUT_WECHATPAY)".to_owned()
        } else {
            format!("{scene} is not WITH_WECHATPAY or WITHOUT_WECHATPAY")
        };
        return Err(PayError::param("scene", "query", issue));
    }
    let fapiao_apply_id = apply_id(&uri).map_err(query_error)?;
    let party = party_of(
        &state,
        &request,
        query::param(&uri, "sub_mchid"),
        &fapiao_apply_id,
    )
    .await?;
    let application = state
        .store
        .title_application(&party.owner_mchid, &fapiao_apply_id)
        .await?
        .ok_or_else(|| not_filled(&fapiao_apply_id))?;
    let title = application
        .title
        .ok_or_else(|| not_filled(&fapiao_apply_id))?;
    let phone = match &title.phone {
        Some(phone) => Some(encrypt_for_merchant(&request, phone)?),
        None => None,
    };
    let email = match &title.email {
        Some(email) => Some(encrypt_for_merchant(&request, email)?),
        None => None,
    };
    let (out_trade_no, amount) = match application.paid_order {
        Some((out_trade_no, amount)) => (Some(out_trade_no), amount),
        None => (None, application.request.total_amount),
    };
    // The title always has its bill type; the answer adds amount and order.
    let answer = UserTitle {
        phone,
        email,
        amount: Some(amount),
        out_trade_no,
        ..title
    };
    Ok(pay_json(StatusCode::OK, &answer))
}
