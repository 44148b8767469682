//! Extractors of the Official Account family: the caller behind
//! `?access_token=` and a JSON body read the way the real service reads it
//! (any content type, `null` as absent, errors naming the field).

use super::error::OaError;
use crate::domain::tenant::App;
use crate::domain::token::{AccessToken, TokenProblem};
use crate::http::query;
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use kabao_protocol::oa::OaErrcode;
use serde::de::DeserializeOwned;

/// The app whose valid access token came with the request.
#[derive(Debug, Clone)]
pub struct OaCaller {
    /// The calling app.
    pub app: App,
    /// The token it presented.
    pub token: AccessToken,
}

impl FromRequestParts<AppState> for OaCaller {
    type Rejection = OaError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, OaError> {
        let presented = query::param(&parts.uri, "access_token").filter(|t| !t.is_empty());
        let Some(presented) = presented else {
            return Err(problem(TokenProblem::Missing));
        };
        if let Some((token, app)) = state.callers.get(&presented) {
            token.check(state.clock.now()).map_err(problem)?;
            return Ok(Self { app, token });
        }
        let token = state
            .store
            .token(&presented)
            .await?
            .ok_or_else(|| problem(TokenProblem::Invalid))?;
        token.check(state.clock.now()).map_err(problem)?;
        let app = state
            .store
            .app(&token.appid)
            .await?
            .ok_or_else(|| problem(TokenProblem::Invalid))?;
        state.callers.put(token.clone(), app.clone());
        Ok(Self { app, token })
    }
}

fn problem(p: TokenProblem) -> OaError {
    match p {
        TokenProblem::Missing => OaError::with_detail(
            OaErrcode::AccessTokenMissing,
            "add ?access_token= from /cgi-bin/token",
        ),
        TokenProblem::Invalid => OaError::with_detail(
            OaErrcode::InvalidCredential,
            "this access_token was not issued by kabao or was replaced",
        ),
        TokenProblem::Expired => OaError::new(OaErrcode::AccessTokenExpired),
    }
}

/// A JSON body of type `T`, parsed whatever the `Content-Type` says.
/// Empty → 44002; too large, not JSON or a field of the wrong type → 47001
/// naming the field.
#[derive(Debug, Clone)]
pub struct OaJson<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for OaJson<T> {
    type Rejection = OaError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, OaError> {
        let limit = state.settings.max_body_bytes;
        let bytes = axum::body::to_bytes(req.into_body(), limit)
            .await
            .map_err(|_| {
                OaError::with_detail(
                    OaErrcode::DataFormatError,
                    format!("request body exceeds {limit} bytes"),
                )
            })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(OaError::new(OaErrcode::EmptyPostData));
        }
        parse_json(&bytes).map(OaJson)
    }
}

/// Parses JSON, naming the field path on failure (47001).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, OaError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let detail = if path == "." || path.is_empty() {
            inner.to_string()
        } else {
            format!("field {path}: {inner}")
        };
        OaError::with_detail(OaErrcode::DataFormatError, detail)
    })
}

/// An invoice-family JSON body: like [`OaJson`], but a required field that
/// is missing or `null` is `72031 invalid params` naming it (what the real
/// service answers for invoice fields), and the raw bytes are kept (an
/// insert's exact replay is recognised by them).
#[derive(Debug, Clone)]
pub struct InvoiceJson<T> {
    /// The parsed body.
    pub value: T,
    /// The body as received.
    pub raw: bytes::Bytes,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for InvoiceJson<T> {
    type Rejection = OaError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, OaError> {
        let limit = state.settings.max_body_bytes;
        let raw = axum::body::to_bytes(req.into_body(), limit)
            .await
            .map_err(|_| {
                OaError::with_detail(
                    OaErrcode::DataFormatError,
                    format!("request body exceeds {limit} bytes"),
                )
            })?;
        if raw.iter().all(u8::is_ascii_whitespace) {
            return Err(OaError::new(OaErrcode::EmptyPostData));
        }
        let value = parse_invoice_json(&raw)?;
        Ok(Self { value, raw })
    }
}

/// Parses an invoice-family body: missing or `null` required fields → 72031,
/// anything else that does not fit → 47001, both naming the field.
pub fn parse_invoice_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, OaError> {
    parse_invoice_json_at(bytes, "")
}

/// [`parse_invoice_json`] for a nested object, naming fields under `prefix`.
pub fn parse_invoice_json_at<T: DeserializeOwned>(
    bytes: &[u8],
    prefix: &str,
) -> Result<T, OaError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        let path = [prefix, path.as_str()]
            .into_iter()
            .filter(|p| !p.is_empty() && *p != ".")
            .collect::<Vec<_>>()
            .join(".");
        let at = |field: &str| {
            [path.as_str(), field]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(".")
        };
        if let Some(rest) = message.strip_prefix("missing field `") {
            let field = rest.split('`').next().unwrap_or_default();
            return OaError::with_detail(
                OaErrcode::InvalidParams,
                format!("{} is missing", at(field)),
            );
        }
        if message.starts_with("invalid type: null") {
            return OaError::with_detail(
                OaErrcode::InvalidParams,
                format!("{} is missing", at("")),
            );
        }
        let detail = if path.is_empty() {
            message
        } else {
            format!("field {path}: {message}")
        };
        OaError::with_detail(OaErrcode::DataFormatError, detail)
    })
}
