//! A validation failure that names the offending field, so every wire error
//! can tell the integrator exactly what to fix.

use std::fmt;

/// One rejected field: its path as the caller wrote it and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Field path, e.g. `apiv3_key` or `certificates[0].serial_no`.
    pub field: String,
    /// What is wrong with it, in English.
    pub issue: String,
}

impl FieldError {
    /// Builds the error for `field` with the given `issue`.
    pub fn new(field: impl Into<String>, issue: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            issue: issue.into(),
        }
    }

    /// The same error under a parent path (`parent.field`).
    pub fn under(self, parent: &str) -> Self {
        Self {
            field: format!("{parent}.{}", self.field),
            issue: self.issue,
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.issue)
    }
}

impl std::error::Error for FieldError {}
