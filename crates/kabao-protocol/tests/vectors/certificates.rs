//! The Go and Java `GET /v3/certificates` download vectors.

use kabao_protocol::apiv3::{parse_rfc3339, CertificateList, EncryptCertificate};
use kabao_protocol::certificate::parse_certificate_pem;

use crate::support::{file, private_key, public_key, s, shipped};

#[test]
fn go_download_decrypts_to_the_platform_certificate() {
    let v = shipped("certificates_download_go");
    let list: CertificateList =
        serde_json::from_str(&file(s(v, "response_body_file"))).expect("body parses");
    assert_eq!(list.data.len(), 1);
    let entry = &list.data[0];
    assert_eq!(entry.serial_no, s(v, "serial_no"));
    let ec = &entry.encrypt_certificate;
    let expected = &v["encrypt_certificate"];
    assert_eq!(ec.algorithm, s(expected, "algorithm"));
    assert_eq!(ec.nonce, s(expected, "nonce"));
    assert_eq!(ec.associated_data, s(expected, "associated_data"));

    let key = s(v, "apiv3_key_ascii").as_bytes();
    let pem = String::from_utf8(ec.open(key).expect("decrypts")).expect("UTF-8");
    // The decrypted PEM has no trailing newline; the file on disk ends with one.
    let on_disk = file("go-sdk-platform-cert-D7CE59D1F522D701.pem");
    assert_eq!(pem, on_disk.trim_end_matches('\n'));

    let info = parse_certificate_pem(&pem).expect("certificate parses");
    assert_eq!(info.serial_hex, "D7CE59D1F522D701");
    assert_eq!(info.serial_hex, entry.serial_no);
    assert_eq!(info.pem, pem);
    assert_eq!(Some(info.not_before), parse_rfc3339(&entry.effective_time));
    assert_eq!(Some(info.not_after), parse_rfc3339(&entry.expire_time));
}

#[test]
fn go_download_reencrypts_identically() {
    let v = shipped("certificates_download_go");
    let list: CertificateList = serde_json::from_str(&file(s(v, "response_body_file"))).unwrap();
    let ec = &list.data[0].encrypt_certificate;
    let pem = file("go-sdk-platform-cert-D7CE59D1F522D701.pem");
    let sealed = EncryptCertificate::seal(
        s(v, "apiv3_key_ascii").as_bytes(),
        &ec.nonce,
        pem.trim_end_matches('\n'),
    )
    .unwrap();
    assert_eq!(&sealed, ec);
}

#[test]
fn go_mock_merchant_key_pair_matches() {
    let v = &shipped("certificates_download_go")["mock_merchant"];
    assert_eq!(
        private_key(s(v, "private_key_file")).public_key(),
        public_key("go-sdk-mock-merchant-BE6DCDA7A5931FA0.public.pem")
    );
}

#[test]
fn java_download_decrypts_to_its_certificate() {
    let v = shipped("certificates_download_java");
    let ec: EncryptCertificate =
        serde_json::from_value(v["encrypt_certificate"].clone()).expect("shape");
    let pem = ec
        .open(s(v, "apiv3_key_ascii").as_bytes())
        .expect("decrypts");
    assert_eq!(pem.len(), 1475);
    let pem = String::from_utf8(pem).expect("UTF-8");
    let info = parse_certificate_pem(&pem).expect("certificate parses");
    assert_eq!(info.serial_hex, s(v, "serial_no"));
    assert_eq!(Some(info.not_before), parse_rfc3339(s(v, "effective_time")));
    assert_eq!(Some(info.not_after), parse_rfc3339(s(v, "expire_time")));
    assert_eq!(
        info.not_before,
        parse_rfc3339("2023-09-19T15:15:58Z").unwrap()
    );
}
