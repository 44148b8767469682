//! The business errors of the issuing calls, each naming its field.

use crate::domain::FieldError;
pub(super) use crate::http::pay::fapiao::field_error;
use crate::http::pay::PayError;
use kabao_protocol::apiv3::ErrorCode;

/// 403 RULE_LIMIT naming `field`.
pub(super) fn rule_limit(field: &str, issue: impl Into<String>) -> PayError {
    field_error(ErrorCode::RuleLimit, field, issue)
}

/// 400 PARAM_ERROR for a rule failure, its path under `prefix` (may be empty).
pub(super) fn param(prefix: &str, e: FieldError) -> PayError {
    let field = if prefix.is_empty() {
        e.field
    } else {
        format!("{prefix}.{}", e.field)
    };
    PayError::param(&field, "body", e.issue)
}

/// The answer to an application the store refused.
pub(super) fn refused(
    refusal: crate::store::fapiao::ApplicationRefusal,
    fapiao_apply_id: &str,
    fapiao_id_field: &str,
) -> PayError {
    use crate::store::fapiao::ApplicationRefusal;
    match refusal {
        ApplicationRefusal::AlreadyExists { identical } => field_error(
            ErrorCode::ResourceAlreadyExists,
            "fapiao_apply_id",
            format!(
                "fapiao application {fapiao_apply_id} already exists{}; query its result with GET /v3/new-tax-control-fapiao/fapiao-applications/{fapiao_apply_id}",
                if identical { " (this exact request was already accepted)" } else { "" }
            ),
        ),
        ApplicationRefusal::FapiaoIdTaken(id) => field_error(
            ErrorCode::InvalidRequest,
            fapiao_id_field,
            format!("{id} was already used in application {fapiao_apply_id}; a retry after ISSUE_FAILED needs a new fapiao_id"),
        ),
        ApplicationRefusal::RetriesExhausted => field_error(
            ErrorCode::InvalidRequest,
            "fapiao_apply_id",
            format!("application {fapiao_apply_id} already failed 5 times (the first attempt and 4 retries); use a new fapiao_apply_id"),
        ),
    }
}
