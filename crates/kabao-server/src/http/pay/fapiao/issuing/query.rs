//! F15 GET `fapiao-applications/{fapiao_apply_id}?sub_mchid&fapiao_id`:
//! every fapiao of the application (or the one named) in its current state.

use super::view::fapiao_view;
use crate::http::pay::fapiao::{encrypt_for_merchant, resolve_party};
use crate::http::pay::{pay_json, PayError, SignedRequest};
use crate::http::query::param;
use crate::state::AppState;
use crate::store::fapiao::StoredApplication;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use kabao_protocol::apiv3::{ErrorCode, ErrorDetail};
use serde_json::json;

/// Answers F15; phone and email are encrypted for the caller.
pub(super) async fn query(
    State(state): State<AppState>,
    Path(fapiao_apply_id): Path<String>,
    uri: Uri,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let application = load(&state, &request, &uri, &fapiao_apply_id).await?;
    let wanted = param(&uri, "fapiao_id").filter(|f| !f.is_empty());
    let mut buyer = application.buyer.clone();
    if let Some(phone) = buyer.phone.as_deref() {
        buyer.phone = Some(encrypt_for_merchant(&request, phone)?);
    }
    if let Some(email) = buyer.email.as_deref() {
        buyer.email = Some(encrypt_for_merchant(&request, email)?);
    }
    let fapiaos: Vec<_> = application
        .fapiaos
        .iter()
        .filter(|f| wanted.as_deref().is_none_or(|w| w == f.fapiao_id))
        .map(|f| fapiao_view(f, &buyer))
        .collect();
    if let (Some(wanted), true) = (&wanted, fapiaos.is_empty()) {
        return Err(PayError {
            code: ErrorCode::ResourceNotExists,
            message: format!("fapiao_id: application {fapiao_apply_id} has no fapiao {wanted}"),
            detail: Some(ErrorDetail {
                field: Some("fapiao_id".into()),
                value: Some(json!(wanted)),
                issue: Some("not a fapiao of this application".into()),
                location: Some("query".into()),
            }),
        });
    }
    Ok(pay_json(
        StatusCode::OK,
        &json!({"total_count": fapiaos.len(), "fapiao_information": fapiaos}),
    ))
}

/// The caller's application `fapiao_apply_id` (for `sub_mchid` when a
/// service provider asks); 404 RESOURCE_NOT_EXISTS for anyone else's.
pub(super) async fn load(
    state: &AppState,
    request: &SignedRequest,
    uri: &Uri,
    fapiao_apply_id: &str,
) -> Result<StoredApplication, PayError> {
    let sub_mchid = param(uri, "sub_mchid");
    let party = resolve_party(state, request, sub_mchid.as_deref()).await?;
    find(state, &party, fapiao_apply_id).await
}

/// The application of `party`'s owner; 404 RESOURCE_NOT_EXISTS when none.
pub(super) async fn find(
    state: &AppState,
    party: &crate::domain::fapiao::FapiaoParty,
    fapiao_apply_id: &str,
) -> Result<StoredApplication, PayError> {
    state
        .store
        .application(&party.owner_mchid, fapiao_apply_id)
        .await?
        .ok_or_else(|| {
            PayError::new(
                ErrorCode::ResourceNotExists,
                format!(
                    "fapiao_apply_id: merchant {} has no fapiao application {fapiao_apply_id}",
                    party.owner_mchid
                ),
            )
        })
}
