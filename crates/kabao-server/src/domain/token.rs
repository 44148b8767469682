//! Access-token rules of `/cgi-bin/token` and `/cgi-bin/stable_token`.

use rand::distributions::Alphanumeric;
use rand::Rng;
use serde::{Deserialize, Serialize};

/// Lifetime of every access token, as WeChat issues them.
pub const TOKEN_TTL_SECS: i64 = 7200;
/// How long a token stays usable after a newer one is fetched (C1) or
/// before its expiry a stable token is renewed (C2).
pub const OVERLAP_SECS: i64 = 300;

/// The two token families; they never retire each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// From `GET /cgi-bin/token`: each fetch retires the previous one.
    Basic,
    /// From `POST /cgi-bin/stable_token`: the same token while it is valid.
    Stable,
}

impl TokenKind {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Basic => "basic",
            Self::Stable => "stable",
        }
    }

    /// Parses the stored spelling.
    pub fn from_stored(s: &str) -> Self {
        if s == "stable" {
            Self::Stable
        } else {
            Self::Basic
        }
    }
}

/// An issued access token as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// The token string callers send as `?access_token=`.
    pub token: String,
    /// The app it was issued to.
    pub appid: String,
    /// Which endpoint issued it.
    pub kind: TokenKind,
    /// Issue time (Unix seconds).
    pub issued_at: i64,
    /// When it stops working (Unix seconds); shortened when it is superseded.
    pub expires_at: i64,
}

/// Why a token presented on a business call is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// No `access_token` parameter: 41001.
    Missing,
    /// Not a token kabao issued (or retired long ago): 40001.
    Invalid,
    /// Issued by kabao but past its expiry: 42001.
    Expired,
}

impl AccessToken {
    /// A new token for `appid`, valid from `now` for [`TOKEN_TTL_SECS`].
    pub fn issue(appid: &str, kind: TokenKind, now: i64) -> Self {
        Self {
            token: generate_token(),
            appid: appid.to_owned(),
            kind,
            issued_at: now,
            expires_at: now + TOKEN_TTL_SECS,
        }
    }

    /// Seconds left at `now` (never negative).
    pub fn remaining(&self, now: i64) -> i64 {
        (self.expires_at - now).max(0)
    }

    /// Whether a newer token cut this one's life short.
    pub fn superseded(&self) -> bool {
        self.expires_at < self.issued_at + TOKEN_TTL_SECS
    }

    /// Whether the token may be used at `now`: past its natural end it is
    /// expired (42001); past the end a newer token gave it, it is no longer
    /// the latest (40001), as the real service says.
    pub fn check(&self, now: i64) -> Result<(), TokenProblem> {
        match (now >= self.expires_at, self.superseded()) {
            (false, _) => Ok(()),
            (true, true) => Err(TokenProblem::Invalid),
            (true, false) => Err(TokenProblem::Expired),
        }
    }
}

/// A token shaped like the real ones (`NN_` and ~150 URL-safe characters), so
/// clients that reserve space for 512 characters are exercised realistically.
pub fn generate_token() -> String {
    let mut rng = rand::thread_rng();
    let prefix: u8 = rng.gen_range(10..99);
    let body: String = (&mut rng)
        .sample_iter(&Alphanumeric)
        .take(150)
        .map(char::from)
        .collect();
    format!("{prefix}_{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_expires_after_7200_seconds() {
        let t = AccessToken::issue("wx1", TokenKind::Basic, 1000);
        assert_eq!(t.check(1000 + 7199), Ok(()));
        assert_eq!(t.check(1000 + 7200), Err(TokenProblem::Expired));
        assert_eq!(t.remaining(1000), 7200);
    }

    #[test]
    fn a_superseded_token_is_no_longer_the_latest() {
        let mut t = AccessToken::issue("wx1", TokenKind::Basic, 1000);
        t.expires_at = 1000 + 60 + OVERLAP_SECS;
        assert_eq!(t.check(1000 + 60 + OVERLAP_SECS - 1), Ok(()));
        assert_eq!(
            t.check(1000 + 60 + OVERLAP_SECS),
            Err(TokenProblem::Invalid)
        );
    }

    #[test]
    fn tokens_are_long_and_distinct() {
        let a = generate_token();
        assert!(a.len() > 150 && a.as_bytes()[2] == b'_');
        assert_ne!(a, generate_token());
    }
}

/// An `api_ticket` from `/cgi-bin/ticket/getticket` (type `wx_card` or
/// `jsapi`), valid for [`TOKEN_TTL_SECS`]; `wx_card` tickets sign
/// authorisation-URL requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTicket {
    /// The ticket string.
    pub ticket: String,
    /// The app it was issued to.
    pub appid: String,
    /// `wx_card` or `jsapi`.
    pub kind: String,
    /// Issue time (Unix seconds).
    pub issued_at: i64,
    /// Expiry (Unix seconds).
    pub expires_at: i64,
}
