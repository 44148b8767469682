//! Sensitive fields (phone, email, ID numbers, names): encrypted with
//! RSA-OAEP for the platform key on the way out (the request then names
//! that key in `Wechatpay-Serial`), decrypted with the merchant key on the
//! way in. The typed structs hold plaintext; these helpers rewrite the
//! named fields of the JSON document just before sending or after reading.

use super::WechatPay;
use crate::error::ClientError;
use serde_json::Value;

/// A field encrypted for the platform, with the serial to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptedField {
    /// base64 RSA-OAEP-SHA1 ciphertext.
    pub ciphertext: String,
    /// The certificate serial or public key id to send as `Wechatpay-Serial`.
    pub serial: String,
}

impl WechatPay {
    /// Encrypts `plaintext` for the platform: with the public key in
    /// public-key mode, else with the newest valid platform certificate.
    pub async fn encrypt(&self, plaintext: &str) -> Result<EncryptedField, ClientError> {
        let (serial, key) = match &self.public_key {
            Some((id, key)) => (id.clone(), key.clone()),
            None => {
                let cert = self.newest_certificate().await?;
                (cert.serial_no, cert.public_key)
            }
        };
        Ok(EncryptedField {
            ciphertext: key.encrypt_oaep_sha1_b64(plaintext.as_bytes())?,
            serial,
        })
    }

    /// Decrypts a field WeChat Pay encrypted for this merchant's API key.
    pub fn decrypt(&self, ciphertext: &str) -> Result<String, ClientError> {
        let plain = self.key.decrypt_oaep_sha1_b64(ciphertext)?;
        String::from_utf8(plain).map_err(ClientError::unexpected)
    }

    /// Encrypts the string fields at `paths` (dotted; `*` is every element
    /// of an array, or the value itself when it is an object) in place;
    /// the serial used, when any field was present.
    pub(crate) async fn encrypt_fields(
        &self,
        document: &mut Value,
        paths: &[&str],
    ) -> Result<Option<String>, ClientError> {
        let mut slots = Vec::new();
        for path in paths {
            collect(document, &path.split('.').collect::<Vec<_>>(), &mut slots);
        }
        if slots.is_empty() {
            return Ok(None);
        }
        let mut serial = None;
        for pointer in slots {
            if let Some(Value::String(plain)) = document.pointer_mut(&pointer) {
                let field = self.encrypt(plain).await?;
                *plain = field.ciphertext;
                serial = Some(field.serial);
            }
        }
        Ok(serial)
    }

    /// Decrypts the string fields at `paths` in place.
    pub(crate) fn decrypt_fields(
        &self,
        document: &mut Value,
        paths: &[&str],
    ) -> Result<(), ClientError> {
        let mut slots = Vec::new();
        for path in paths {
            collect(document, &path.split('.').collect::<Vec<_>>(), &mut slots);
        }
        for pointer in slots {
            if let Some(Value::String(cipher)) = document.pointer_mut(&pointer) {
                *cipher = self.decrypt(cipher)?;
            }
        }
        Ok(())
    }
}

/// JSON pointers of the non-empty strings at `path` under `value`.
fn collect(value: &Value, path: &[&str], out: &mut Vec<String>) {
    fn walk(value: &Value, path: &[&str], at: String, out: &mut Vec<String>) {
        let Some((first, rest)) = path.split_first() else {
            if value.as_str().is_some_and(|s| !s.is_empty()) {
                out.push(at);
            }
            return;
        };
        match (*first, value) {
            ("*", Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, rest, format!("{at}/{i}"), out);
                }
            }
            ("*", Value::Object(_)) => walk(value, rest, at, out),
            (key, Value::Object(map)) => {
                if let Some(child) = map.get(key) {
                    walk(child, rest, format!("{at}/{key}"), out);
                }
            }
            _ => {}
        }
    }
    walk(value, path, String::new(), out);
}

#[cfg(test)]
mod tests {
    use super::collect;
    use serde_json::json;

    #[test]
    fn paths_reach_fields_in_arrays_and_in_single_objects() {
        let list = json!({"f": [{"items": [{"p": {"n": "a"}}, {"p": {}}]}, {"items": [{"p": {"n": "b"}}]}]});
        let mut out = Vec::new();
        collect(&list, &["f", "*", "items", "*", "p", "n"], &mut out);
        assert_eq!(out, ["/f/0/items/0/p/n", "/f/1/items/0/p/n"]);
        let single = json!({"f": {"items": [{"p": {"n": "a"}}]}, "x": ""});
        let mut out = Vec::new();
        collect(&single, &["f", "*", "items", "*", "p", "n"], &mut out);
        collect(&single, &["x"], &mut out);
        assert_eq!(out, ["/f/items/0/p/n"], "empty strings stay as they are");
    }
}
