//! F19 `POST /v3/new-tax-control-fapiao/fapiao-applications/upload-fapiao-file`:
//! a self-issued fapiao file (PDF or OFD, at most 2 MB) whose SM3 digest the
//! signed `meta` declares; answers a `fapiao_media_id` usable for 3 days.

use crate::domain::fapiao::file::{check_digest, check_file, new_media_id, FileFormat};
use crate::domain::fapiao::FAPIAO_MEDIA_TTL_SECS;
use crate::http::pay::fapiao::{parse_body, resolve_party};
use crate::http::pay::{pay_json, PayError, SignedUpload};
use crate::state::AppState;
use crate::store::fapiao_cards::NewFapiaoMedia;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

/// The `meta` part, with WeChat's published spelling `digest_alogrithm`.
#[derive(Debug, Deserialize)]
pub(crate) struct UploadMeta {
    #[serde(default)]
    sub_mchid: Option<String>,
    file_type: String,
    #[serde(alias = "digest_algorithm")]
    digest_alogrithm: String,
    digest: String,
}

/// Stores the uploaded file for the caller's owner and answers its id.
pub(super) async fn upload_fapiao_file(
    State(state): State<AppState>,
    upload: SignedUpload,
) -> Result<Response, PayError> {
    let meta: UploadMeta = parse_body(&upload.request.body)?;
    let party = resolve_party(&state, &upload.request, meta.sub_mchid.as_deref()).await?;
    let (file_type, format) = match meta.file_type.as_str() {
        "PDF" => ("PDF", FileFormat::Pdf),
        // wechatpayv3 names OFD files "ODF" (from its extension table).
        "OFD" | "ODF" => ("OFD", FileFormat::Ofd),
        other => {
            return Err(PayError::param(
                "file_type",
                "body",
                format!("{other} is not PDF or OFD"),
            ))
        }
    };
    if !meta.digest_alogrithm.eq_ignore_ascii_case("SM3") {
        return Err(PayError::param(
            "digest_alogrithm",
            "body",
            format!("{} is not SM3", meta.digest_alogrithm),
        ));
    }
    let bytes = &upload.file.bytes;
    let digest = check_file(format, bytes)
        .and_then(|()| check_digest(&meta.digest, bytes))
        .map_err(|e| PayError::param(&e.field, "body", e.issue))?;
    let now = state.clock.now();
    let media = NewFapiaoMedia {
        fapiao_media_id: new_media_id(),
        owner_mchid: party.owner_mchid,
        file_type: file_type.to_owned(),
        digest,
        bytes: bytes.to_vec(),
        expires_at: now + FAPIAO_MEDIA_TTL_SECS,
        created_at: now,
    };
    state.store.put_fapiao_media(&media).await?;
    Ok(pay_json(
        StatusCode::OK,
        &json!({ "fapiao_media_id": media.fapiao_media_id }),
    ))
}
