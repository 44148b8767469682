//! Why an `Authorization` header was rejected.

/// Why an `Authorization` header could not be parsed.
///
/// Each variant has its own English text naming the offending key, so the
/// server can put it straight into a 401 `SIGN_ERROR` message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthHeaderError {
    /// The header is empty or has no scheme token before the parameters.
    #[error(
        "Authorization header has no scheme; expected \"WECHATPAY2-SHA256-RSA2048 mchid=...\""
    )]
    MissingScheme,
    /// The scheme token is not `WECHATPAY2-SHA256-RSA2048`.
    #[error("Authorization scheme {0:?} is not supported; expected \"WECHATPAY2-SHA256-RSA2048\"")]
    WrongScheme(String),
    /// A parameter has no `=` or no key before it.
    #[error("Authorization parameter {0:?} is not of the form key=\"value\"")]
    MalformedParameter(String),
    /// A key other than the five known ones.
    #[error("Authorization parameter {0:?} is unknown")]
    UnknownKey(String),
    /// A key appears more than once.
    #[error("Authorization parameter {0} appears more than once")]
    DuplicateKey(String),
    /// A value does not start with a double quote.
    #[error("Authorization parameter {0} is not double-quoted")]
    UnquotedValue(String),
    /// A value's closing double quote is missing.
    #[error("Authorization parameter {0} has no closing double quote")]
    UnterminatedValue(String),
    /// Something other than a comma follows a quoted value.
    #[error("Authorization parameter {0} is followed by unexpected text; parameters are separated by commas")]
    MissingSeparator(String),
    /// A value is `""`.
    #[error("Authorization parameter {0} is empty")]
    EmptyValue(String),
    /// One of the five required keys is absent.
    #[error("Authorization parameter {0} is missing")]
    MissingKey(&'static str),
    /// The timestamp is not a decimal number of seconds.
    #[error("Authorization timestamp {0:?} is not a decimal number of seconds")]
    InvalidTimestamp(String),
}
