//! The APIv3 upload extractor: a multipart/form-data request with a `meta`
//! JSON part and a `file` part, where the signature covers the `meta` bytes
//! exactly as sent (not the multipart body). The SDKs differ on the wire:
//! wechatpayv3 sends `multipart/form-data` without a `boundary=` parameter,
//! wechatpay-go ends the meta disposition with a `;`, so the body is parsed
//! here rather than by a strict multipart reader.

use super::error::PayError;
use super::extract::authenticate;
use super::SignedRequest;
use crate::state::AppState;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use bytes::Bytes;

/// Largest upload body kabao reads: room for a file twice the 2 MB limit
/// and the framing, so an oversized file is reported with its size.
pub const UPLOAD_BODY_LIMIT: usize = 4 * 1024 * 1024 + 64 * 1024;

/// A verified APIv3 upload: the signer, with `request.body` holding the
/// `meta` JSON it signed, and the uploaded file.
pub struct SignedUpload {
    /// The signer; `body` is the `meta` part's bytes.
    pub request: SignedRequest,
    /// The `file` part.
    pub file: UploadedFile,
}

/// The `file` part of an upload.
pub struct UploadedFile {
    /// The `filename` of its Content-Disposition, when given.
    pub filename: Option<String>,
    /// Its Content-Type, when given (SDKs disagree, so it is informative only).
    pub content_type: Option<String>,
    /// The file bytes.
    pub bytes: Bytes,
}

impl FromRequest<AppState> for SignedUpload {
    type Rejection = PayError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PayError> {
        let (parts, body) = req.into_parts();
        let caller = authenticate(state, &parts).await?;
        let body = axum::body::to_bytes(body, UPLOAD_BODY_LIMIT)
            .await
            .map_err(|_| {
                PayError::param(
                    "file",
                    "body",
                    format!("the upload exceeds {UPLOAD_BODY_LIMIT} bytes"),
                )
            })?;
        let content_type = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let form = parse_multipart(content_type, &body)
            .map_err(|issue| PayError::param("body", "body", issue))?;
        let meta = form.iter().find(|p| p.name == "meta").ok_or_else(|| {
            PayError::param("meta", "body", "the multipart body has no meta part")
        })?;
        let file = form.iter().find(|p| p.name == "file").ok_or_else(|| {
            PayError::param("file", "body", "the multipart body has no file part")
        })?;
        let meta_bytes = body.slice(meta.data.clone());
        caller.verify(&parts, &meta_bytes)?;
        caller.refuse_replay(state)?;
        Ok(Self {
            request: SignedRequest {
                merchant: caller.merchant,
                auth: caller.auth,
                body: meta_bytes,
            },
            file: UploadedFile {
                filename: file.filename.clone(),
                content_type: file.content_type.clone(),
                bytes: body.slice(file.data.clone()),
            },
        })
    }
}

/// One part of a multipart body; `data` is its byte range in the body.
#[derive(Debug)]
pub struct FormPart {
    /// The `name` of its Content-Disposition.
    pub name: String,
    /// The `filename` of its Content-Disposition, when given.
    pub filename: Option<String>,
    /// Its Content-Type, when given.
    pub content_type: Option<String>,
    /// Where its bytes are in the body.
    pub data: std::ops::Range<usize>,
}

/// Splits a multipart/form-data body into its parts. The boundary comes from
/// the Content-Type header, or, when the header has none (wechatpayv3) or
/// names one the body does not use, from the body's first line. Public so
/// the fuzz targets reach it.
pub fn parse_multipart(content_type: Option<&str>, body: &[u8]) -> Result<Vec<FormPart>, String> {
    let declared = content_type.and_then(boundary_param);
    let boundary = match declared {
        Some(b) if find(body, format!("--{b}").as_bytes(), 0).is_some() => b,
        _ => first_line_boundary(body).ok_or(
            "is not multipart/form-data: no boundary in Content-Type and the body does not start with --<boundary>",
        )?,
    };
    let opening = format!("--{boundary}");
    let delimiter = format!("\r\n--{boundary}");
    let mut at =
        find(body, opening.as_bytes(), 0).ok_or("the multipart body has no parts")? + opening.len();
    let mut parts = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        if !body[at..].starts_with(b"\r\n") {
            return Err("a multipart boundary is not followed by CRLF".into());
        }
        let headers_start = at + 2;
        let headers_end = find(body, b"\r\n\r\n", headers_start)
            .ok_or("a multipart part has no blank line after its headers")?;
        let data_start = headers_end + 4;
        let data_end = find(body, delimiter.as_bytes(), data_start)
            .ok_or("the multipart body is not closed by its final boundary")?;
        let headers = String::from_utf8_lossy(&body[headers_start..headers_end]);
        parts.push(part_from_headers(&headers, data_start..data_end)?);
        at = data_end + delimiter.len();
    }
}

/// Reads a part's `Content-Disposition` and `Content-Type` headers.
fn part_from_headers(headers: &str, data: std::ops::Range<usize>) -> Result<FormPart, String> {
    let mut name = None;
    let mut filename = None;
    let mut content_type = None;
    for line in headers.split("\r\n") {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => {
                for param in value.split(';').map(str::trim) {
                    let Some((k, v)) = param.split_once('=') else {
                        continue;
                    };
                    let v = v.trim().trim_matches('"').to_owned();
                    match k.trim().to_ascii_lowercase().as_str() {
                        "name" => name = Some(v),
                        "filename" => filename = Some(v),
                        _ => {}
                    }
                }
            }
            "content-type" => content_type = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    let name = name.ok_or("a multipart part has no Content-Disposition name")?;
    Ok(FormPart {
        name,
        filename,
        content_type,
        data,
    })
}

/// The `boundary=` parameter of a Content-Type header, unquoted.
fn boundary_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.trim().split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
            .filter(|b| !b.is_empty())
    })
}

/// The boundary of a body whose first line is `--<boundary>`.
fn first_line_boundary(body: &[u8]) -> Option<String> {
    let rest = body.strip_prefix(b"--")?;
    let end = find(rest, b"\r\n", 0)?;
    let boundary = std::str::from_utf8(&rest[..end]).ok()?.trim_end();
    (!boundary.is_empty()).then(|| boundary.to_owned())
}

/// Where `needle` first occurs in `haystack` at or after `from`.
fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(boundary: &str) -> Vec<u8> {
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"meta\";\r\nContent-Type: application/json\r\n\r\n{{\"a\":1}}\r\n\
--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n\r\n\
--{boundary}--\r\n"
        )
        .into_bytes()
    }

    #[test]
    fn reads_parts_with_the_declared_boundary_and_without_one() {
        let bytes = body("XyZ123");
        for content_type in [
            Some("multipart/form-data; boundary=XyZ123"),
            Some("multipart/form-data"),
            Some("multipart/form-data; boundary=\"other\""),
            None,
        ] {
            let parts = parse_multipart(content_type, &bytes).unwrap();
            assert_eq!(parts.len(), 2);
            assert_eq!(parts[0].name, "meta");
            assert_eq!(&bytes[parts[0].data.clone()], b"{\"a\":1}");
            assert_eq!(parts[1].filename.as_deref(), Some("f.pdf"));
            assert_eq!(parts[1].content_type.as_deref(), Some("application/pdf"));
            assert_eq!(&bytes[parts[1].data.clone()], b"%PDF-1.4\r\n");
        }
    }

    #[test]
    fn refuses_bodies_that_are_not_multipart() {
        assert!(parse_multipart(Some("multipart/form-data"), b"{\"a\":1}").is_err());
        let mut unclosed = body("b");
        unclosed.truncate(60);
        assert!(parse_multipart(None, &unclosed).is_err());
    }
}
