//! How the asynchronous steps of an application end, as set through the
//! control API per merchant (default) or per application: at once, after
//! some seconds of kabao's clock, only when released, or failing.

use serde::{Deserialize, Serialize};

/// The outcome of the issuing and reversal steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "mode", rename_all = "snake_case", try_from = "OutcomeWire")]
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

/// An outcome as JSON carries it: read as a flat object (not serde's
/// internally tagged enum, which buffers the body and so loses the path
/// of a mistyped `seconds` or `code`), then checked for the mode's keys.
#[derive(Debug, Deserialize)]
struct OutcomeWire {
    mode: OutcomeMode,
    #[serde(default)]
    seconds: Option<i64>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// The `mode` values.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum OutcomeMode {
    Immediate,
    AfterSeconds,
    Manual,
    Fail,
}

/// A key the mode needs is absent; displayed as serde's own "missing
/// field" so that error layers name the field the same way.
#[derive(Debug)]
pub struct MissingOutcomeField(&'static str);

impl std::fmt::Display for MissingOutcomeField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "missing field `{}`", self.0)
    }
}

impl TryFrom<OutcomeWire> for Outcome {
    type Error = MissingOutcomeField;

    fn try_from(wire: OutcomeWire) -> Result<Self, Self::Error> {
        Ok(match wire.mode {
            OutcomeMode::Immediate => Self::Immediate,
            OutcomeMode::Manual => Self::Manual,
            OutcomeMode::AfterSeconds => Self::AfterSeconds {
                seconds: wire.seconds.ok_or(MissingOutcomeField("seconds"))?,
            },
            OutcomeMode::Fail => Self::Fail {
                code: wire.code.ok_or(MissingOutcomeField("code"))?,
                message: wire.message.ok_or(MissingOutcomeField("message"))?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_reads_back_what_it_writes_and_a_missing_key_is_named() {
        for outcome in [
            Outcome::Immediate,
            Outcome::AfterSeconds { seconds: 5 },
            Outcome::Manual,
            Outcome::Fail {
                code: "ISSUE_FAILED".into(),
                message: "m".into(),
            },
        ] {
            let text = serde_json::to_string(&outcome).unwrap();
            assert_eq!(serde_json::from_str::<Outcome>(&text).unwrap(), outcome);
        }
        let e = serde_json::from_str::<Outcome>(r#"{"mode":"fail","code":"X"}"#).unwrap_err();
        assert!(e.to_string().starts_with("missing field `message`"), "{e}");
    }
}
