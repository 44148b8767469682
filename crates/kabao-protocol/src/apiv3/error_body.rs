//! The APIv3 JSON error body.

use serde::{Deserialize, Serialize};

use super::ErrorCode;

/// The APIv3 error body `{"code","message","detail"?}`.
///
/// Every SDK needs a JSON object with `code` on 4xx/5xx (Java parses it with
/// Gson and compares `code` to "NOT_FOUND").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error code, e.g. "PARAM_ERROR".
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
    /// Which field was wrong, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<ErrorDetail>,
}

/// Points at the offending field of a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// JSON pointer or parameter name, e.g. "/amount/currency".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The rejected value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    /// What is wrong with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// Where the field was: "body", "query", "path" or "header".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

impl ErrorBody {
    /// An error body without detail.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code: code.as_str().to_owned(),
            message: message.into(),
            detail: None,
        }
    }

    /// Adds a detail block.
    pub fn with_detail(mut self, detail: ErrorDetail) -> Self {
        self.detail = Some(detail);
        self
    }

    /// The typed code, if this crate knows it.
    pub fn error_code(&self) -> Option<ErrorCode> {
        ErrorCode::parse(&self.code)
    }
}

impl ErrorDetail {
    /// A detail naming a field, its location and the issue.
    pub fn field(
        field: impl Into<String>,
        location: impl Into<String>,
        issue: impl Into<String>,
    ) -> Self {
        Self {
            field: Some(field.into()),
            value: None,
            issue: Some(issue.into()),
            location: Some(location.into()),
        }
    }
}
