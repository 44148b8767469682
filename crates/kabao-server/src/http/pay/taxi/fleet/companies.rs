//! T1 `POST /v3/taxi-invoice/taxi-company/create-taxi-company` (kabao
//! assigns the company a new mchid) and T2 `GET
//! /v3/taxi-invoice/taxi-companies/{company_mchid}?region_id=` (the
//! registered fields echoed).

use super::{body_error, fleet_read, FleetRead};
use crate::domain::taxi::fleet::{optional, required, ENTERPRISE};
use crate::domain::taxi::RegionId;
use crate::domain::FieldError;
use crate::http::pay::fapiao::parse_body;
use crate::http::pay::taxi::require_provider;
use crate::http::pay::{pay_json, PayError, SignedRequest};
use crate::state::AppState;
use crate::store::taxi_fleet::{CompanyRegistration, NewTaxiCompany};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use kabao_protocol::apiv3::ErrorCode;
use serde::{Deserialize, Serialize};

/// T1's body. Lengths are the official page's.
#[derive(Deserialize)]
pub(crate) struct CreateCompanyBody {
    #[serde(default)]
    company_name: Option<String>,
    tax_id: String,
    address: String,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    bank_name: Option<String>,
    #[serde(default)]
    bank_account: Option<String>,
    invoice_mode: String,
    legal_person: String,
    #[serde(default)]
    short_name: Option<String>,
    region_id: RegionId,
    enterprise_type: String,
}

impl CreateCompanyBody {
    /// The registration to store. company_name is required always (taxis
    /// and drivers name their company by it); short_name when the company
    /// is an ENTERPRISE, as the official page says. invoice_mode and
    /// enterprise_type are kept as given (no enum is settled).
    pub(crate) fn validate(&self) -> Result<CompanyRegistration, FieldError> {
        let registration = CompanyRegistration {
            company_name: required(
                "company_name",
                self.company_name.as_deref().unwrap_or_default(),
                1024,
            )?,
            tax_id: required("tax_id", &self.tax_id, 32)?,
            address: required("address", &self.address, 128)?,
            phone: optional("phone", self.phone.as_deref(), 32)?,
            bank_name: optional("bank_name", self.bank_name.as_deref(), 128)?,
            bank_account: optional("bank_account", self.bank_account.as_deref(), 32)?,
            invoice_mode: required("invoice_mode", &self.invoice_mode, 16)?,
            legal_person: required("legal_person", &self.legal_person, 64)?,
            short_name: optional("short_name", self.short_name.as_deref(), 1024)?,
            enterprise_type: required("enterprise_type", &self.enterprise_type, 20)?,
        };
        if registration.short_name.is_none() && registration.enterprise_type == ENTERPRISE {
            return Err(FieldError::new(
                "short_name",
                "is required when enterprise_type is ENTERPRISE",
            ));
        }
        Ok(registration)
    }
}

/// T1's answer.
#[derive(Serialize)]
struct CreatedCompany<'a> {
    mchid: &'a str,
    company_name: &'a str,
}

/// T1 create-taxi-company: every call registers a new company under a
/// fresh 10-digit mchid owned by the calling provider.
pub(super) async fn create(
    State(state): State<AppState>,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let provider = require_provider(&request)?;
    let body: CreateCompanyBody = parse_body(&request.body)?;
    let registration = body.validate().map_err(body_error)?;
    let company = state
        .store
        .create_taxi_company(&NewTaxiCompany {
            company_mchid: None,
            provider_mchid: provider,
            region_id: body.region_id.get(),
            registration,
            now: state.clock.now(),
        })
        .await?;
    Ok(pay_json(
        StatusCode::OK,
        &CreatedCompany {
            mchid: &company.company_mchid,
            company_name: &company.company_name,
        },
    ))
}

/// T2's answer: the registered fields.
#[derive(Serialize)]
struct CompanyView<'a> {
    company_mchid: &'a str,
    #[serde(flatten)]
    registration: &'a CompanyRegistration,
    region_id: i64,
}

/// T2 taxi-companies/{company_mchid}: one of the caller's companies in the
/// region; anything else is 404 NOT_FOUND 未找到指定的出租车经营主体信息.
pub(super) async fn query(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    uri: Uri,
    request: SignedRequest,
) -> Result<Response, PayError> {
    let FleetRead {
        provider,
        key: company_mchid,
        region,
    } = fleet_read(&request, path, &uri, "company_mchid")?;
    let company = state
        .store
        .company(&company_mchid)
        .await?
        .filter(|c| c.provider_mchid == provider)
        .ok_or_else(|| {
            PayError::field(
                ErrorCode::NotFound,
                "company_mchid",
                "path",
                format!("未找到指定的出租车经营主体信息: service provider {provider} has no taxi company {company_mchid}"),
            )
        })?;
    if company.region_id != region.get() {
        return Err(PayError::field(
            ErrorCode::NotFound,
            "region_id",
            "query",
            format!(
                "未找到指定的出租车经营主体信息: taxi company {company_mchid} is not registered in region {}",
                region.get()
            ),
        ));
    }
    Ok(pay_json(
        StatusCode::OK,
        &CompanyView {
            company_mchid: &company.company_mchid,
            registration: &company.registration,
            region_id: company.region_id,
        },
    ))
}
