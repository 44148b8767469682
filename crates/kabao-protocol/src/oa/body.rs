//! Common Official Account JSON bodies.

use serde::{Deserialize, Serialize};

use super::OaErrcode;

/// The OA error (and bare success) body `{"errcode":N,"errmsg":"…"}`, errcode first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OaErrorBody {
    /// The wire code; 0 means success.
    pub errcode: i64,
    /// The message, possibly with detail appended.
    pub errmsg: String,
}

impl OaErrorBody {
    /// The body for `code` with its standard `errmsg`.
    pub fn new(code: OaErrcode) -> Self {
        Self {
            errcode: code.code(),
            errmsg: code.errmsg().to_owned(),
        }
    }

    /// The body for `code` with `detail` appended as `"<errmsg>, <detail>"`.
    ///
    /// Real WeChat appends detail the same way before its `hint: […]` trace
    /// suffix (e.g. "invalid params, s_pappid is empty"). An empty detail
    /// gives the plain errmsg.
    pub fn with_detail(code: OaErrcode, detail: &str) -> Self {
        let errmsg = if detail.is_empty() {
            code.errmsg().to_owned()
        } else {
            format!("{}, {detail}", code.errmsg())
        };
        Self {
            errcode: code.code(),
            errmsg,
        }
    }

    /// The typed code, if this crate knows it.
    pub fn code(&self) -> Option<OaErrcode> {
        OaErrcode::from_code(self.errcode)
    }

    /// Whether this is the success body (errcode 0).
    pub fn is_ok(&self) -> bool {
        self.errcode == 0
    }
}

/// The token endpoint's success body `{"access_token","expires_in"}` (no errcode).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessTokenResponse {
    /// The access token.
    pub access_token: String,
    /// Lifetime in seconds (7200 for fresh tokens).
    pub expires_in: i64,
}
