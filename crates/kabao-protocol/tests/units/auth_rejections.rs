//! Every way the `Authorization` parser rejects a header, each with its own reason.

use std::collections::HashSet;

use kabao_protocol::auth::{AuthHeaderError, AuthorizationHeader, SCHEME};

const GOOD: &str = r#"WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="593BEC0C",signature="c2ln+/=",timestamp="1554208460",serial_no="1DDE55AD""#;

fn err(header: &str) -> AuthHeaderError {
    AuthorizationHeader::parse(header).expect_err(header)
}

#[test]
fn accepts_the_reference_header_and_go_order() {
    let h = AuthorizationHeader::parse(GOOD).unwrap();
    assert_eq!(h.mchid, "1900000001");
    assert_eq!(h.signature, "c2ln+/=");
    assert_eq!(h.timestamp_secs(), 1_554_208_460);
    assert_eq!(h.to_header_value(), GOOD);
    let go = r#"WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="593BEC0C",timestamp="1554208460",serial_no="1DDE55AD",signature="c2ln+/=""#;
    assert_eq!(AuthorizationHeader::parse(go).unwrap(), h);
}

#[test]
fn each_rejection_has_a_distinct_reason() {
    let cases: Vec<(String, AuthHeaderError)> = vec![
        (String::new(), AuthHeaderError::MissingScheme),
        (
            r#"mchid="1",nonce_str="n""#.into(),
            AuthHeaderError::MissingScheme,
        ),
        (
            GOOD.replace(SCHEME, "WECHATPAY2-SHA256-RSA1024"),
            AuthHeaderError::WrongScheme("WECHATPAY2-SHA256-RSA1024".into()),
        ),
        (
            GOOD.replace(r#"mchid="1900000001","#, ""),
            AuthHeaderError::MissingKey("mchid"),
        ),
        (
            GOOD.replace(r#",serial_no="1DDE55AD""#, ""),
            AuthHeaderError::MissingKey("serial_no"),
        ),
        (
            format!(r#"{GOOD},mchid="2""#),
            AuthHeaderError::DuplicateKey("mchid".into()),
        ),
        (
            format!(r#"{GOOD},sub_mchid="2""#),
            AuthHeaderError::UnknownKey("sub_mchid".into()),
        ),
        (
            GOOD.replace(r#"mchid="1900000001""#, "mchid=1900000001"),
            AuthHeaderError::UnquotedValue("mchid".into()),
        ),
        (
            format!(r#"{SCHEME} mchid="1900000001"#),
            AuthHeaderError::UnterminatedValue("mchid".into()),
        ),
        (
            GOOD.replace(r#"mchid="1900000001","#, r#"mchid="1900000001" "#),
            AuthHeaderError::MissingSeparator("mchid".into()),
        ),
        (
            GOOD.replace(r#"nonce_str="593BEC0C""#, r#"nonce_str="""#),
            AuthHeaderError::EmptyValue("nonce_str".into()),
        ),
        (
            GOOD.replace("1554208460", "-1554208460"),
            AuthHeaderError::InvalidTimestamp("-1554208460".into()),
        ),
        (
            GOOD.replace("1554208460", "1554208460.5"),
            AuthHeaderError::InvalidTimestamp("1554208460.5".into()),
        ),
        (
            format!("{SCHEME} garbage"),
            AuthHeaderError::MalformedParameter("garbage".into()),
        ),
    ];
    let mut reasons = HashSet::new();
    for (header, expected) in &cases {
        assert_eq!(&err(header), expected, "{header}");
        reasons.insert(std::mem::discriminant(expected));
    }
    // Every variant is exercised, and their texts differ from one another.
    assert_eq!(reasons.len(), 11);
    let mut distinct: Vec<&AuthHeaderError> = Vec::new();
    for (_, e) in &cases {
        if !distinct.contains(&e) {
            distinct.push(e);
        }
    }
    let texts: HashSet<String> = distinct.iter().map(|e| e.to_string()).collect();
    assert_eq!(texts.len(), distinct.len());
}

#[test]
fn reasons_name_the_key() {
    assert!(AuthHeaderError::MissingKey("serial_no")
        .to_string()
        .contains("serial_no"));
    assert!(AuthHeaderError::EmptyValue("nonce_str".into())
        .to_string()
        .contains("nonce_str"));
    assert!(AuthHeaderError::UnquotedValue("mchid".into())
        .to_string()
        .contains("mchid"));
}

#[test]
fn timestamp_secs_of_a_hand_built_bad_header_is_zero() {
    let mut h = AuthorizationHeader::parse(GOOD).unwrap();
    h.timestamp = "soon".into();
    assert_eq!(h.timestamp_secs(), 0);
}
