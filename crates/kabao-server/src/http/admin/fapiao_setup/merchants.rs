//! A merchant's fapiao setup on the control API: capability (provider
//! authorisation, 数电 status), seller information, and tax-code additions.

use crate::domain::fapiao::setup::{
    ExtraInformation, SellerInfo, SellerInformation, TaxCode, DIGITAL_TAX_STATUSES,
    TAX_PREFER_MARKS,
};
use crate::domain::FieldError;
use crate::http::admin::error::{AdminError, AdminJson};
use crate::state::AppState;
use crate::store::fapiao_setup::FapiaoMerchantUpdate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// Everything kabao knows about a merchant's fapiao setup.
async fn view(state: &AppState, mchid: &str) -> Result<Value, AdminError> {
    let setup = state
        .store
        .fapiao_merchant(mchid)
        .await?
        .ok_or_else(|| AdminError::not_found(format!("no merchant {mchid}")))?;
    let dev_config = state.store.dev_config(mchid).await?;
    let template = state.store.fapiao_card_template(mchid).await?;
    let tax_codes = state.store.owner_tax_codes(mchid).await?;
    Ok(json!({
        "mchid": setup.mchid,
        "provider_authorized": setup.provider_authorized,
        "digital_tax_status": setup.digital_tax_status,
        "seller_information": setup.seller.seller_information,
        "extra_information": setup.seller.extra_information,
        "development_config": dev_config,
        "card_template": template,
        "tax_codes": tax_codes,
    }))
}

/// `GET /_kabao/api/fapiao/merchants/{mchid}`.
pub(super) async fn get_setup(
    State(state): State<AppState>,
    Path(mchid): Path<String>,
) -> Result<Json<Value>, AdminError> {
    Ok(Json(view(&state, &mchid).await?))
}

/// The body of `PUT /fapiao/merchants/{mchid}`; absent fields are kept.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SetupBody {
    #[serde(default)]
    provider_authorized: Option<bool>,
    #[serde(default)]
    digital_tax_status: Option<String>,
    #[serde(default)]
    seller_information: Option<SellerInformation>,
    #[serde(default)]
    extra_information: Option<ExtraInformation>,
}

fn non_empty(field: &str, value: &str) -> Result<(), AdminError> {
    if value.trim().is_empty() {
        return Err(AdminError::field(FieldError::new(
            field,
            "must not be empty",
        )));
    }
    Ok(())
}

/// `PUT /_kabao/api/fapiao/merchants/{mchid}` → the setup as GET shows it.
pub(super) async fn put_setup(
    State(state): State<AppState>,
    Path(mchid): Path<String>,
    AdminJson(body): AdminJson<SetupBody>,
) -> Result<Json<Value>, AdminError> {
    if let Some(status) = &body.digital_tax_status {
        if !DIGITAL_TAX_STATUSES.contains(&status.as_str()) {
            return Err(AdminError::field(FieldError::new(
                "digital_tax_status",
                format!("must be one of {}", DIGITAL_TAX_STATUSES.join(", ")),
            )));
        }
    }
    if let Some(seller) = &body.seller_information {
        non_empty("seller_information.name", &seller.name)?;
        non_empty("seller_information.taxpayer_id", &seller.taxpayer_id)?;
        non_empty("seller_information.address", &seller.address)?;
    }
    if let Some(extra) = &body.extra_information {
        non_empty("extra_information.drawer", &extra.drawer)?;
    }
    let seller = match (body.seller_information, body.extra_information) {
        (None, None) => None,
        (seller, extra) => {
            let current = state.store.seller_information(&mchid).await?;
            Some(SellerInfo {
                seller_information: seller.unwrap_or(current.seller_information),
                extra_information: extra.unwrap_or(current.extra_information),
            })
        }
    };
    let update = FapiaoMerchantUpdate {
        provider_authorized: body.provider_authorized,
        digital_tax_status: body.digital_tax_status,
        seller,
    };
    state
        .store
        .update_fapiao_merchant(&mchid, &update, state.clock.now())
        .await?
        .ok_or_else(|| AdminError::not_found(format!("no merchant {mchid}")))?;
    Ok(Json(view(&state, &mchid).await?))
}

/// The body of `POST /fapiao/merchants/{mchid}/tax-codes`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TaxCodesBody {
    tax_codes: Vec<TaxCode>,
}

fn check_tax_code(index: usize, code: &TaxCode) -> Result<(), FieldError> {
    let at = |field: &str| format!("tax_codes[{index}].{field}");
    if code.tax_code.len() != 19 || !code.tax_code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new(at("tax_code"), "must be 19 digits"));
    }
    if code.goods_name.trim().is_empty() {
        return Err(FieldError::new(at("goods_name"), "must not be empty"));
    }
    if code.goods_category.trim().is_empty() {
        return Err(FieldError::new(at("goods_category"), "must not be empty"));
    }
    if !(0..=10000).contains(&code.tax_rate) {
        return Err(FieldError::new(
            at("tax_rate"),
            "must be 0-10000 (1/10000: 1300 = 13 %)",
        ));
    }
    if !TAX_PREFER_MARKS.contains(&code.tax_prefer_mark.as_str()) {
        return Err(FieldError::new(
            at("tax_prefer_mark"),
            format!("must be one of {}", TAX_PREFER_MARKS.join(", ")),
        ));
    }
    if code.tax_prefer_mark != "NO_FAVORABLE" && code.tax_rate != 0 {
        return Err(FieldError::new(
            at("tax_rate"),
            "must be 0 unless tax_prefer_mark is NO_FAVORABLE",
        ));
    }
    Ok(())
}

/// `POST /_kabao/api/fapiao/merchants/{mchid}/tax-codes` with
/// `{"tax_codes": [...]}` → 201 `{"tax_codes": every addition}`.
pub(super) async fn add_tax_codes(
    State(state): State<AppState>,
    Path(mchid): Path<String>,
    AdminJson(body): AdminJson<TaxCodesBody>,
) -> Result<(StatusCode, Json<Value>), AdminError> {
    if state.store.merchant(&mchid).await?.is_none() {
        return Err(AdminError::not_found(format!("no merchant {mchid}")));
    }
    if body.tax_codes.is_empty() {
        return Err(AdminError::field(FieldError::new(
            "tax_codes",
            "must not be empty",
        )));
    }
    for (i, code) in body.tax_codes.iter().enumerate() {
        check_tax_code(i, code).map_err(AdminError::field)?;
    }
    state.store.add_tax_codes(&mchid, &body.tax_codes).await?;
    let all = state.store.owner_tax_codes(&mchid).await?;
    Ok((StatusCode::CREATED, Json(json!({ "tax_codes": all }))))
}

/// `GET /_kabao/api/fapiao/merchants/{mchid}/tax-codes` → the additions.
pub(super) async fn list_tax_codes(
    State(state): State<AppState>,
    Path(mchid): Path<String>,
) -> Result<Json<Value>, AdminError> {
    if state.store.merchant(&mchid).await?.is_none() {
        return Err(AdminError::not_found(format!("no merchant {mchid}")));
    }
    let all = state.store.owner_tax_codes(&mchid).await?;
    Ok(Json(json!({ "tax_codes": all })))
}
