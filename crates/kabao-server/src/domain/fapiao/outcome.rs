//! How the asynchronous steps of an application end, as set through the
//! control API per merchant (default) or per application: at once, after
//! some seconds of kabao's clock, only when released, or failing.

use serde::{Deserialize, Serialize};

/// The outcome of the issuing and reversal steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Outcome {
    /// The step runs as soon as it is scheduled (the default).
    #[default]
    Immediate,
    /// The step runs `seconds` after it is scheduled, on kabao's clock.
    AfterSeconds {
        /// Delay in seconds (0 ..= 30 days).
        seconds: i64,
    },
    /// The step waits until the control API releases the application.
    Manual,
    /// The step fails at once with this error (数电 fapiao: ISSUE_FAILED or
    /// REVERSE_FAILED); classic fapiao have no failed state and succeed.
    Fail {
        /// `fapiao_error_code`.
        code: String,
        /// `fapiao_error_message`.
        message: String,
    },
}

/// The longest `after_seconds` delay (30 days).
pub const MAX_OUTCOME_DELAY_SECS: i64 = 30 * 24 * 3600;

impl Outcome {
    /// Checks the values; the error names the field.
    pub fn validate(&self) -> Result<(), crate::domain::FieldError> {
        match self {
            Self::AfterSeconds { seconds } if !(0..=MAX_OUTCOME_DELAY_SECS).contains(seconds) => {
                Err(crate::domain::FieldError::new(
                    "seconds",
                    format!("must be 0 to {MAX_OUTCOME_DELAY_SECS}"),
                ))
            }
            Self::Fail { code, .. } if code.trim().is_empty() => {
                Err(crate::domain::FieldError::new("code", "must not be empty"))
            }
            _ => Ok(()),
        }
    }

    /// When a step scheduled at `now` becomes due (`None`: held), and the
    /// error it fails with.
    pub fn plan(&self, now: i64) -> (Option<i64>, Option<(&str, &str)>) {
        match self {
            Self::Immediate => (Some(now), None),
            Self::AfterSeconds { seconds } => (Some(now + seconds), None),
            Self::Manual => (None, None),
            Self::Fail { code, message } => (Some(now), Some((code, message))),
        }
    }
}
