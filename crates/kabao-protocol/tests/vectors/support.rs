//! Loading the shared test vectors.

use std::path::PathBuf;
use std::sync::OnceLock;

use kabao_protocol::rsa::{PrivateKey, PublicKey};
use serde_json::Value;

/// The test-vector folder.
pub fn dir() -> PathBuf {
    std::env::var_os("KABAO_TEST_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/reference/test-vectors"
            ))
        })
}

/// A file of the vector folder as text.
pub fn file(name: &str) -> String {
    let path = dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// `vectors.json`, parsed once.
pub fn vectors() -> &'static Value {
    static VECTORS: OnceLock<Value> = OnceLock::new();
    VECTORS
        .get_or_init(|| serde_json::from_str(&file("vectors.json")).expect("vectors.json is JSON"))
}

/// `vectors.json` → `sdk_shipped.<name>`.
pub fn shipped(name: &str) -> &'static Value {
    entry("sdk_shipped", name)
}

/// `vectors.json` → `derived.<name>`.
pub fn derived(name: &str) -> &'static Value {
    entry("derived", name)
}

fn entry(section: &str, name: &str) -> &'static Value {
    let v = &vectors()[section][name];
    assert!(v.is_object(), "vectors.json has no {section}.{name}");
    v
}

/// A string field of a vector entry.
pub fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("vector field {key} is not a string"))
}

/// Loads a private key file of the vector folder.
pub fn private_key(name: &str) -> PrivateKey {
    PrivateKey::from_pem(&file(name)).expect("vector private key loads")
}

/// Loads a public key or certificate file of the vector folder.
pub fn public_key(name: &str) -> PublicKey {
    PublicKey::from_pem(&file(name)).expect("vector public key loads")
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes))
}
