//! Why a callback body could not be parsed.

/// Why a callback body is not a valid notification envelope.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotificationError {
    /// The body is not JSON at all.
    #[error("notification body is not valid JSON: {0}")]
    InvalidJson(String),
    /// The body (or `resource`) is JSON but not an object.
    #[error("{0} must be a JSON object")]
    NotAnObject(&'static str),
    /// A required field is absent or null.
    #[error("notification field {0} is missing")]
    MissingField(&'static str),
    /// A field has the wrong JSON type.
    #[error("notification field {field} must be {expected}")]
    InvalidField {
        /// Dotted path of the field, e.g. `resource.ciphertext`.
        field: &'static str,
        /// What the field must be, e.g. "a string".
        expected: &'static str,
    },
}
