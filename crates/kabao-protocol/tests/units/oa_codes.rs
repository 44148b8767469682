//! Official Account error codes and bodies.

use std::collections::HashSet;

use kabao_protocol::oa::{AccessTokenResponse, OaErrcode, OaErrorBody};

#[test]
fn every_code_round_trips() {
    for &code in OaErrcode::all() {
        assert_eq!(OaErrcode::from_code(code.code()), Some(code), "{code:?}");
        assert!(!code.errmsg().is_empty());
    }
    let codes: HashSet<i64> = OaErrcode::all().iter().map(|c| c.code()).collect();
    assert_eq!(codes.len(), OaErrcode::all().len(), "codes are unique");
    assert_eq!(OaErrcode::from_code(12345), None);
}

#[test]
fn well_known_texts() {
    assert_eq!(OaErrcode::Ok.code(), 0);
    assert_eq!(OaErrcode::Ok.errmsg(), "ok");
    assert_eq!(OaErrcode::SystemError.code(), -1);
    assert_eq!(OaErrcode::InvalidParams.code(), 72031);
    assert_eq!(OaErrcode::InvalidParams.errmsg(), "invalid params");
    assert_eq!(OaErrcode::RequirePost.code(), 43002);
    assert_eq!(OaErrcode::RequireGet.code(), 43001);
    assert_eq!(
        OaErrcode::InvalidCredential.errmsg(),
        "invalid credential, access_token is invalid or not latest"
    );
    assert_eq!(
        OaErrcode::from_code(72063).map(OaErrcode::errmsg),
        Some("biz contact is empty, set contact first please")
    );
    assert_eq!(OaErrcode::InvalidCardStatus.code(), 40078);
    // §9 lists 34 codes from 72015 to 72063.
    let invoice = OaErrcode::all()
        .iter()
        .filter(|c| (72_000..73_000).contains(&c.code()))
        .count();
    assert_eq!(invoice, 34);
}

#[test]
fn error_body_serializes_errcode_first() {
    let body = OaErrorBody::new(OaErrcode::AccessTokenExpired);
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"errcode":42001,"errmsg":"access_token expired"}"#
    );
    let detailed = OaErrorBody::with_detail(OaErrcode::InvalidParams, "s_pappid is empty");
    assert_eq!(detailed.errmsg, "invalid params, s_pappid is empty");
    assert_eq!(detailed.code(), Some(OaErrcode::InvalidParams));
    assert_eq!(
        OaErrorBody::with_detail(OaErrcode::Ok, ""),
        OaErrorBody::new(OaErrcode::Ok)
    );
    assert!(OaErrorBody::new(OaErrcode::Ok).is_ok());
    let parsed: OaErrorBody =
        serde_json::from_str(r#"{"errmsg":"invalid appid","errcode":40013}"#).unwrap();
    assert_eq!(parsed, OaErrorBody::new(OaErrcode::InvalidAppid));
}

#[test]
fn access_token_response_shape() {
    let r = AccessTokenResponse {
        access_token: "35_abc".into(),
        expires_in: 7200,
    };
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        r#"{"access_token":"35_abc","expires_in":7200}"#
    );
}
