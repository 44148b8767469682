//! P3 `platform/setpdf`: a multipart upload whose file part is named `pdf`
//! (no part content type or file name required, as wechatpy sends none).
//! Answers an `s_media_id` usable for three days.

use super::{invalid, ok_with};
use crate::domain::invoice::{ids, PdfMedia, PDF_MAX_BYTES, PDF_MEDIA_TTL_SECS};
use crate::http::oa::extract::OaCaller;
use crate::http::oa::OaError;
use crate::state::AppState;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::response::Response;
use kabao_protocol::oa::OaErrcode;
use serde_json::json;

/// Largest setpdf request: the PDF cap plus room for the multipart framing.
pub const BODY_LIMIT: usize = PDF_MAX_BYTES + 64 * 1024;

/// Stores the uploaded PDF for this platform.
pub async fn set_pdf(
    State(state): State<AppState>,
    caller: OaCaller,
    request: Request,
) -> Result<Response, OaError> {
    let (filename, bytes) = read_pdf_part(request, &state).await?;
    let now = state.clock.now();
    let media = PdfMedia {
        s_media_id: ids::media_id(),
        appid: caller.app.appid.to_string(),
        filename,
        content: bytes.to_vec(),
        uploaded_at: now,
        expires_at: now + PDF_MEDIA_TTL_SECS,
        bound_code: None,
    };
    state.store.put_pdf(&media).await?;
    Ok(ok_with(json!({ "s_media_id": media.s_media_id })))
}

/// Reads the `pdf` part of a setpdf request and checks it is a PDF within
/// the size limit: the file name (default `pdf`) and the bytes. Public so
/// the fuzz targets run the handler's own multipart reading.
pub async fn read_pdf_part<S: Send + Sync>(
    request: Request,
    state: &S,
) -> Result<(String, bytes::Bytes), OaError> {
    let mut multipart = Multipart::from_request(request, state).await.map_err(|e| {
        OaError::with_detail(
            OaErrcode::DataFormatError,
            format!("setpdf expects multipart/form-data with a file part named pdf ({e})"),
        )
    })?;
    let mut upload = None;
    loop {
        let field = multipart.next_field().await.map_err(too_large_or_bad)?;
        let Some(field) = field else { break };
        if field.name() != Some("pdf") {
            continue;
        }
        let filename = field.file_name().unwrap_or("pdf").to_owned();
        let bytes = field.bytes().await.map_err(too_large_or_bad)?;
        upload = Some((filename, bytes));
        break;
    }
    let Some((filename, bytes)) = upload else {
        return Err(invalid("the multipart body has no part named pdf"));
    };
    if bytes.len() > PDF_MAX_BYTES {
        return Err(pdf_error(format!(
            "pdf is {} bytes; the limit is {PDF_MAX_BYTES}",
            bytes.len()
        )));
    }
    if !bytes.starts_with(b"%PDF-") {
        return Err(pdf_error(
            "pdf is not a PDF file (it does not start with %PDF-)".into(),
        ));
    }
    Ok((filename, bytes))
}

fn pdf_error(detail: String) -> OaError {
    OaError::with_detail(OaErrcode::InvoicePdfError, detail)
}

fn too_large_or_bad(e: axum::extract::multipart::MultipartError) -> OaError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        pdf_error(format!("the upload exceeds {PDF_MAX_BYTES} bytes"))
    } else {
        OaError::with_detail(
            OaErrcode::DataFormatError,
            format!("malformed multipart body: {}", e.body_text()),
        )
    }
}
