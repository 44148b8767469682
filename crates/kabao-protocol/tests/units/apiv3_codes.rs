//! APIv3 error codes, statuses and the error body.

use kabao_protocol::apiv3::{ErrorBody, ErrorCode, ErrorDetail};

#[test]
fn http_statuses() {
    use ErrorCode::*;
    let expected = [
        (ParamError, "PARAM_ERROR", 400),
        (InvalidRequest, "INVALID_REQUEST", 400),
        (SignError, "SIGN_ERROR", 401),
        (NoAuth, "NO_AUTH", 403),
        (RuleLimit, "RULE_LIMIT", 403),
        (ResourceNotExists, "RESOURCE_NOT_EXISTS", 404),
        (NotFound, "NOT_FOUND", 404),
        (ResourceAlreadyExists, "RESOURCE_ALREADY_EXISTS", 400),
        (FrequencyLimited, "FREQUENCY_LIMITED", 429),
        (SystemError, "SYSTEM_ERROR", 500),
    ];
    assert_eq!(expected.len(), ErrorCode::ALL.len());
    for (code, text, status) in expected {
        assert_eq!(code.as_str(), text);
        assert_eq!(code.http_status(), status, "{text}");
        assert_eq!(ErrorCode::parse(text), Some(code));
    }
    assert_eq!(ErrorCode::parse("param_error"), None);
    assert_eq!(ErrorCode::parse("FAIL"), None);
}

#[test]
fn error_body_json() {
    let body = ErrorBody::new(ErrorCode::ParamError, "bad currency").with_detail(ErrorDetail {
        field: Some("/amount/currency".into()),
        value: Some(serde_json::json!("XYZ")),
        issue: Some("unknown currency".into()),
        location: Some("body".into()),
    });
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"code":"PARAM_ERROR","message":"bad currency","detail":{"field":"/amount/currency","value":"XYZ","issue":"unknown currency","location":"body"}}"#
    );
    let plain = ErrorBody::new(ErrorCode::NotFound, "no certificate");
    assert_eq!(
        serde_json::to_string(&plain).unwrap(),
        r#"{"code":"NOT_FOUND","message":"no certificate"}"#
    );
    let parsed: ErrorBody = serde_json::from_str(r#"{"code":"SIGN_ERROR","message":"x"}"#).unwrap();
    assert_eq!(parsed.error_code(), Some(ErrorCode::SignError));
}
