//! APIv3 error codes and their HTTP statuses.

/// An APIv3 error `code` with the HTTP status the real service pairs it with.
///
/// Gives the server one place that maps a failure to status and code, and
/// lets the SDK turn a received code back into a typed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// 400: a parameter is missing, malformed or could not be decrypted.
    ParamError,
    /// 400: the request breaks APIv3 rules or the business state forbids it.
    InvalidRequest,
    /// 401: signature, serial, timestamp or `Authorization` problem.
    SignError,
    /// 403: no permission (product not enabled, company not under this provider).
    NoAuth,
    /// 403: a business rule was violated.
    RuleLimit,
    /// 404: the object does not exist.
    ResourceNotExists,
    /// 404: the object does not exist (taxi family, platform certificates).
    NotFound,
    /// 400: duplicate business id (status unconfirmed; 409 is possible).
    ResourceAlreadyExists,
    /// 429: rate limited.
    FrequencyLimited,
    /// 500: retry later.
    SystemError,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 10] = [
        Self::ParamError,
        Self::InvalidRequest,
        Self::SignError,
        Self::NoAuth,
        Self::RuleLimit,
        Self::ResourceNotExists,
        Self::NotFound,
        Self::ResourceAlreadyExists,
        Self::FrequencyLimited,
        Self::SystemError,
    ];

    /// The wire `code` string, e.g. "PARAM_ERROR".
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ParamError => "PARAM_ERROR",
            Self::InvalidRequest => "INVALID_REQUEST",
            Self::SignError => "SIGN_ERROR",
            Self::NoAuth => "NO_AUTH",
            Self::RuleLimit => "RULE_LIMIT",
            Self::ResourceNotExists => "RESOURCE_NOT_EXISTS",
            Self::NotFound => "NOT_FOUND",
            Self::ResourceAlreadyExists => "RESOURCE_ALREADY_EXISTS",
            Self::FrequencyLimited => "FREQUENCY_LIMITED",
            Self::SystemError => "SYSTEM_ERROR",
        }
    }

    /// The HTTP status sent with this code.
    pub fn http_status(self) -> u16 {
        match self {
            Self::ParamError | Self::InvalidRequest | Self::ResourceAlreadyExists => 400,
            Self::SignError => 401,
            Self::NoAuth | Self::RuleLimit => 403,
            Self::ResourceNotExists | Self::NotFound => 404,
            Self::FrequencyLimited => 429,
            Self::SystemError => 500,
        }
    }

    /// Reads a wire `code` string (exact, upper case); `None` for codes this crate does not know.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
