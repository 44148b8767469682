//! T10 `POST /v3/taxi-invoice/cards/upload-file`: the PDF of a taxi fapiao
//! one of the provider's companies issued (at most 2 MB), whose SM3 digest
//! the signed `meta` declares; answers a `fapiao_media_id` the company may
//! insert (T11) within 3 days.

use super::provider_company;
use crate::domain::fapiao::file::{check_digest, check_file, new_media_id, FileFormat};
use crate::domain::taxi::{RegionId, TAXI_MEDIA_TTL_SECS};
use crate::http::pay::fapiao::parse_body;
use crate::http::pay::taxi::require_provider;
use crate::http::pay::{pay_json, PayError, SignedUpload};
use crate::state::AppState;
use crate::store::taxi_trips::NewTaxiMedia;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

/// The one digest algorithm the page documents.
const SM3: &str = "DIGEST_ALGORITHM_SM3";

/// The `meta` part; `region_id` may be a number or a string of digits.
#[derive(Debug, Deserialize)]
pub(crate) struct UploadMeta {
    company_mchid: String,
    digest: String,
    digest_algorithm: String,
    region_id: RegionId,
}

/// T10 → 200 `{fapiao_media_id}`.
pub(super) async fn upload_file(
    State(state): State<AppState>,
    upload: SignedUpload,
) -> Result<Response, PayError> {
    let provider = require_provider(&upload.request)?;
    let meta: UploadMeta = parse_body(&upload.request.body)?;
    if meta.company_mchid.trim().is_empty() || meta.company_mchid.chars().count() > 32 {
        return Err(PayError::param(
            "company_mchid",
            "body",
            "must be 1 to 32 characters",
        ));
    }
    // "SM3" is what the fapiao family's upload says; read it the same here.
    if !meta.digest_algorithm.eq_ignore_ascii_case(SM3)
        && !meta.digest_algorithm.eq_ignore_ascii_case("SM3")
    {
        return Err(PayError::param(
            "digest_algorithm",
            "body",
            format!("{} is not {SM3}", meta.digest_algorithm),
        ));
    }
    let bytes = &upload.file.bytes;
    // Taxi fapiao files are PDF only.
    let digest = check_file(FileFormat::Pdf, bytes)
        .and_then(|()| check_digest(&meta.digest, bytes))
        .map_err(|e| PayError::param(&e.field, "body", e.issue))?;
    let company = provider_company(&state, &provider, &meta.company_mchid, meta.region_id).await?;
    let now = state.clock.now();
    let media = NewTaxiMedia {
        fapiao_media_id: new_media_id(),
        provider_mchid: provider,
        company_mchid: company.company_mchid,
        region_id: company.region_id,
        digest,
        bytes: bytes.to_vec(),
        expires_at: now + TAXI_MEDIA_TTL_SECS,
        created_at: now,
    };
    state.store.put_taxi_media(&media).await?;
    Ok(pay_json(
        StatusCode::OK,
        &json!({ "fapiao_media_id": media.fapiao_media_id }),
    ))
}
