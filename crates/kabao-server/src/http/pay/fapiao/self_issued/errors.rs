//! Errors of this area that carry a code other than PARAM_ERROR but still
//! name the offending field in `detail.field` and in `message`.

use crate::domain::FieldError;
use crate::http::pay::PayError;
use kabao_protocol::apiv3::{ErrorCode, ErrorDetail};

/// `code` naming `field` (in the body) and what is wrong with it.
pub(super) fn field_error(code: ErrorCode, field: &str, issue: impl Into<String>) -> PayError {
    let issue = issue.into();
    PayError {
        code,
        message: format!("{field}: {issue}"),
        detail: Some(ErrorDetail {
            field: Some(field.to_owned()),
            value: None,
            issue: Some(issue),
            location: Some("body".to_owned()),
        }),
    }
}

/// A rule violation found by the domain checks, as 400 PARAM_ERROR.
pub(super) fn param(e: FieldError) -> PayError {
    PayError::param(&e.field, "body", e.issue)
}
