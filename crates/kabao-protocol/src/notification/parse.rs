//! Field-by-field validation of a callback body, so errors can name the field.

use serde_json::{Map, Value};

use super::{EncryptedResource, Notification, NotificationError};

/// Parses and validates a notification body.
pub(super) fn parse(body: &[u8]) -> Result<Notification, NotificationError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| NotificationError::InvalidJson(e.to_string()))?;
    let Value::Object(top) = value else {
        return Err(NotificationError::NotAnObject("notification body"));
    };
    let id = required(&top, "id", "id")?;
    let create_time = required(&top, "create_time", "create_time")?;
    let resource_type = required(&top, "resource_type", "resource_type")?;
    let event_type = required(&top, "event_type", "event_type")?;
    let summary = optional(&top, "summary", "summary")?;
    let resource = match top.get("resource") {
        None | Some(Value::Null) => return Err(NotificationError::MissingField("resource")),
        Some(Value::Object(resource)) => resource,
        Some(_) => return Err(NotificationError::NotAnObject("resource")),
    };
    Ok(Notification {
        id,
        create_time,
        resource_type,
        event_type,
        summary,
        resource: EncryptedResource {
            original_type: optional(resource, "original_type", "resource.original_type")?,
            algorithm: required(resource, "algorithm", "resource.algorithm")?,
            ciphertext: required(resource, "ciphertext", "resource.ciphertext")?,
            nonce: required(resource, "nonce", "resource.nonce")?,
            associated_data: optional(resource, "associated_data", "resource.associated_data")?
                .unwrap_or_default(),
        },
    })
}

fn required(
    object: &Map<String, Value>,
    key: &str,
    path: &'static str,
) -> Result<String, NotificationError> {
    optional(object, key, path)?.ok_or(NotificationError::MissingField(path))
}

fn optional(
    object: &Map<String, Value>,
    key: &str,
    path: &'static str,
) -> Result<Option<String>, NotificationError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(NotificationError::InvalidField {
            field: path,
            expected: "a string",
        }),
    }
}
