//! The derived request-signing vectors (POST, GET with query, upload meta).

use kabao_protocol::auth::AuthorizationHeader;
use kabao_protocol::message::request_message;

use crate::support::{derived, private_key, public_key, s, sha256_hex};

const MCHID: &str = "1234567890";
const SERIAL: &str = "BE6DCDA7A5931FA0";

fn check(name: &str, body: &str) -> AuthorizationHeader {
    let v = derived(name);
    let key = private_key(s(v, "private_key_file"));
    let timestamp: i64 = s(v, "timestamp").parse().unwrap();
    let header = AuthorizationHeader::sign(
        &key,
        MCHID,
        SERIAL,
        s(v, "method"),
        s(v, "canonical_url"),
        timestamp,
        s(v, "nonce_str"),
        body.as_bytes(),
    );
    assert_eq!(header.signature, s(v, "signature_b64"), "{name}");
    assert_eq!(header.timestamp, s(v, "timestamp"));
    header
        .verify(
            &public_key("go-sdk-mock-merchant-BE6DCDA7A5931FA0.public.pem"),
            s(v, "method"),
            s(v, "canonical_url"),
            body.as_bytes(),
        )
        .expect("verifies with the mock merchant public key");
    header
}

#[test]
fn post_fapiao_applications() {
    let v = derived("request_post_fapiao_applications");
    let message = request_message(
        s(v, "method"),
        s(v, "canonical_url"),
        s(v, "timestamp"),
        s(v, "nonce_str"),
        s(v, "body_utf8").as_bytes(),
    );
    assert_eq!(sha256_hex(&message), s(v, "signed_message_sha256_hex"));

    let header = check("request_post_fapiao_applications", s(v, "body_utf8"));
    assert_eq!(header.to_header_value(), s(v, "authorization_header"));
    assert_eq!(
        AuthorizationHeader::parse(s(v, "authorization_header")).unwrap(),
        header
    );
}

#[test]
fn get_with_query() {
    let v = derived("request_get_query");
    assert_eq!(s(v, "body_utf8"), "");
    check("request_get_query", "");
}

#[test]
fn upload_signs_the_meta_json() {
    let v = derived("request_upload_meta");
    let meta = s(v, "signed_body_is_meta");
    assert!(meta.contains(s(v, "sm3_of_file_hex")));
    check("request_upload_meta", meta);
}
