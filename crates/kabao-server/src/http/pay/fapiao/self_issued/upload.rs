//! F19 `POST /v3/new-tax-control-fapiao/fapiao-applications/upload-fapiao-file`:
//! a self-issued fapiao file (PDF or OFD, at most 2 MB) whose SM3 digest the
//! signed `meta` declares; answers a `fapiao_media_id` usable for 3 days.

use super::digest::sm3_hex;
use crate::domain::fapiao::FAPIAO_MEDIA_TTL_SECS;
use crate::domain::FieldError;
use crate::http::pay::fapiao::{parse_body, resolve_party};
use crate::http::pay::{pay_json, PayError, SignedUpload};
use crate::state::AppState;
use crate::store::fapiao_cards::NewFapiaoMedia;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine;
use serde::Deserialize;
use serde_json::json;

/// Largest fapiao file WeChat accepts: 2 MB.
pub const MAX_FAPIAO_FILE_BYTES: usize = 2 * 1024 * 1024;

/// The `meta` part, with WeChat's published spelling `digest_alogrithm`.
#[derive(Debug, Deserialize)]
struct UploadMeta {
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
    let file_type = match meta.file_type.as_str() {
        "PDF" => "PDF",
        // wechatpayv3 names OFD files "ODF" (from its extension table).
        "OFD" | "ODF" => "OFD",
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
    check_file(file_type, bytes).map_err(|e| PayError::param(&e.field, "body", e.issue))?;
    let digest = sm3_hex(bytes);
    if !meta.digest.eq_ignore_ascii_case(&digest) {
        return Err(PayError::param(
            "digest",
            "body",
            format!(
                "{} is not the SM3 digest of the {}-byte file (lower-case hex of SM3 over the file bytes)",
                meta.digest,
                bytes.len()
            ),
        ));
    }
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

/// Size and format of the file part: a PDF starts with `%PDF-`, an OFD is
/// a ZIP container (`PK\x03\x04`).
fn check_file(file_type: &str, bytes: &[u8]) -> Result<(), FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::new("file", "the file part is empty"));
    }
    if bytes.len() > MAX_FAPIAO_FILE_BYTES {
        return Err(FieldError::new(
            "file",
            format!(
                "is {} bytes; a fapiao file may be at most {MAX_FAPIAO_FILE_BYTES} bytes (2 MB)",
                bytes.len()
            ),
        ));
    }
    let (magic, what): (&[u8], &str) = match file_type {
        "PDF" => (b"%PDF-", "a PDF file (it does not start with %PDF-)"),
        _ => (
            b"PK\x03\x04",
            "an OFD file (an OFD is a ZIP container starting with PK)",
        ),
    };
    if !bytes.starts_with(magic) {
        return Err(FieldError::new("file", format!("is not {what}")));
    }
    Ok(())
}

/// A new `fapiao_media_id`: 16 random bytes in base64, the shape of
/// WeChat's example `ASNFZ4mrze/+3LqYdlQyEA==`.
fn new_media_id() -> String {
    let bytes: [u8; 16] = rand::random();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
