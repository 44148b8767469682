//! Errors of this area that carry a code other than PARAM_ERROR but still
//! name the offending field in `detail.field` and in `message`.

use crate::domain::FieldError;
pub(super) use crate::http::pay::fapiao::field_error;
use crate::http::pay::PayError;

/// A rule violation found by the domain checks, as 400 PARAM_ERROR.
pub(super) fn param(e: FieldError) -> PayError {
    PayError::param(&e.field, "body", e.issue)
}
