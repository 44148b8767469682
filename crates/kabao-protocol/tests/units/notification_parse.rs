//! Callback envelope parsing: field errors and loose `associated_data`.

use kabao_protocol::notification::{EncryptedResource, Notification, NotificationError};
use kabao_protocol::CryptoError;
use serde_json::{json, Value};

fn sample() -> Value {
    json!({
        "id": "EV-1",
        "create_time": "2015-05-20T13:29:35+08:00",
        "resource_type": "encrypt-resource",
        "event_type": "FAPIAO.ISSUED",
        "resource": {
            "algorithm": "AEAD_AES_256_GCM",
            "ciphertext": "AAAA",
            "nonce": "61f9c719728a",
            "associated_data": ""
        }
    })
}

fn parse(v: &Value) -> Result<Notification, NotificationError> {
    Notification::parse(v.to_string().as_bytes())
}

#[test]
fn missing_fields_are_named() {
    for field in [
        "id",
        "create_time",
        "resource_type",
        "event_type",
        "resource",
    ] {
        let mut v = sample();
        v.as_object_mut().unwrap().remove(field);
        let e = parse(&v).unwrap_err();
        assert_eq!(e, NotificationError::MissingField(field));
        assert!(e.to_string().contains(field));
    }
    for field in ["algorithm", "ciphertext", "nonce"] {
        let mut v = sample();
        v["resource"].as_object_mut().unwrap().remove(field);
        let e = parse(&v).unwrap_err();
        assert!(e.to_string().contains(&format!("resource.{field}")), "{e}");
    }
}

#[test]
fn invalid_shapes_are_named() {
    let mut v = sample();
    v["id"] = json!(5);
    assert_eq!(
        parse(&v).unwrap_err(),
        NotificationError::InvalidField {
            field: "id",
            expected: "a string"
        }
    );
    let mut v = sample();
    v["resource"] = json!("x");
    assert_eq!(
        parse(&v).unwrap_err(),
        NotificationError::NotAnObject("resource")
    );
    assert_eq!(
        Notification::parse(b"[]").unwrap_err(),
        NotificationError::NotAnObject("notification body")
    );
    assert!(matches!(
        Notification::parse(b"{").unwrap_err(),
        NotificationError::InvalidJson(_)
    ));
}

#[test]
fn associated_data_may_be_missing_or_null_and_is_always_written() {
    for ad in [None, Some(Value::Null)] {
        let mut v = sample();
        let resource = v["resource"].as_object_mut().unwrap();
        match ad {
            None => {
                resource.remove("associated_data");
            }
            Some(null) => {
                resource.insert("associated_data".into(), null);
            }
        }
        let n = parse(&v).unwrap();
        assert_eq!(n.resource.associated_data, "");
        assert!(n.to_json().contains(r#""associated_data":"""#));
        // serde's Deserialize agrees with the hand-written parser.
        let via_serde: Notification = serde_json::from_value(v).unwrap();
        assert_eq!(via_serde, n);
    }
}

#[test]
fn optional_fields_are_omitted_when_absent() {
    let n = parse(&sample()).unwrap();
    assert_eq!(n.summary, None);
    assert_eq!(n.resource.original_type, None);
    let json = n.to_json();
    assert!(!json.contains("summary") && !json.contains("original_type"));
    assert_eq!(Notification::parse(json.as_bytes()).unwrap(), n);
}

#[test]
fn open_rejects_other_algorithms_and_wrong_keys() {
    let key = [7u8; 32];
    let mut r =
        EncryptedResource::seal(&key, "abcdefghijkl", "fapiao", Some("fapiao"), b"{}").unwrap();
    assert_eq!(r.open(&key).unwrap(), b"{}");
    assert_eq!(r.open(&[8u8; 32]), Err(CryptoError::AeadDecrypt));
    assert_eq!(
        r.open(&[7u8; 24]),
        Err(CryptoError::InvalidAeadKeyLength(24))
    );
    r.algorithm = "AEAD_SM4_GCM".into();
    assert_eq!(
        r.open(&key),
        Err(CryptoError::UnsupportedAlgorithm("AEAD_SM4_GCM".into()))
    );
    assert_eq!(
        EncryptedResource::seal(&key, "short", "", None, b"x"),
        Err(CryptoError::InvalidNonceLength(5))
    );
}
