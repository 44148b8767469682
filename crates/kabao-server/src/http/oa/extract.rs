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
        let bytes = read_body(req, state).await?;
        parse_json(&bytes).map(OaJson)
    }
}

/// The request body within the size limit (47001 beyond it), never blank
/// (44002).
async fn read_body(req: Request, state: &AppState) -> Result<bytes::Bytes, OaError> {
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
    Ok(bytes)
}

/// Parses JSON, naming the field path on failure (47001).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, OaError> {
    parse(bytes, "", OaErrcode::DataFormatError)
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
        let raw = read_body(req, state).await?;
        let value = parse_invoice_json(&raw)?;
        Ok(Self { value, raw })
    }
}

/// Parses an invoice-family body: missing or `null` required fields → 72031,
/// anything else that does not fit → 47001, both naming the field.
pub fn parse_invoice_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, OaError> {
    parse(bytes, "", OaErrcode::InvalidParams)
}

/// [`parse_invoice_json`] for a nested object, naming fields under `prefix`.
pub fn parse_invoice_json_at<T: DeserializeOwned>(
    bytes: &[u8],
    prefix: &str,
) -> Result<T, OaError> {
    parse(bytes, prefix, OaErrcode::InvalidParams)
}

/// Parses JSON naming the failing field under `prefix`: a missing or `null`
/// required field is answered with `missing`, anything else with 47001.
fn parse<T: DeserializeOwned>(
    bytes: &[u8],
    prefix: &str,
    missing: OaErrcode,
) -> Result<T, OaError> {
    crate::http::json_shape::check(bytes).map_err(|p| {
        let field = match (prefix, p.field()) {
            ("", field) => field.to_owned(),
            (prefix, "body") => prefix.to_owned(),
            (prefix, field) => format!("{prefix}.{field}"),
        };
        OaError::with_detail(
            OaErrcode::DataFormatError,
            format!("field {field}: {}", p.reason()),
        )
    })?;
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        let join = |parts: &[&str]| {
            parts
                .iter()
                .filter(|p| !p.is_empty() && **p != ".")
                .copied()
                .collect::<Vec<_>>()
                .join(".")
        };
        let path = join(&[prefix, &path]);
        if missing != OaErrcode::DataFormatError {
            if let Some(rest) = message.strip_prefix("missing field `") {
                let field = rest.split('`').next().unwrap_or_default();
                return OaError::with_detail(
                    missing,
                    format!("{} is missing", join(&[&path, field])),
                );
            }
            if message.starts_with("invalid type: null") {
                return OaError::with_detail(missing, format!("{path} is missing"));
            }
        }
        let detail = if path.is_empty() {
            message
        } else {
            format!("field {path}: {message}")
        };
        OaError::with_detail(OaErrcode::DataFormatError, detail)
    })?;
    Ok(value)
}
