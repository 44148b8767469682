//! The Official Account client (`api.weixin.qq.com`): an access-token cache
//! that refreshes before expiry and retries once on 40001/42001, and every
//! endpoint of the invoice and fiscal-bill flows as typed async methods.
//!
//! The endpoints live in one file per role: the invoicing platform (开票平台),
//! the merchant (商户), the reimburser (报销方) and the fiscal bureau and
//! collecting unit (财政电子票据). Their request and response types are
//! kabao-protocol's, re-exported here.

mod build;
mod merchant;
mod nontax;
mod platform;
mod reimburse;
mod transport;
mod types;

pub use build::{invoice_data, invoice_request};
pub use nontax::{bill_request, BillBaseInfo, BillInvoiceInfo, CreateBillCardRequest};
pub use types::{StableTokenRequest, TicketResponse};

// The wire types the server shares, so callers need no kabao-protocol dependency.
pub use kabao_protocol::oa::insert::*;
pub use kabao_protocol::oa::merchant::*;
pub use kabao_protocol::oa::platform::*;
pub use kabao_protocol::oa::reimburse::*;
pub use kabao_protocol::oa::{AccessTokenResponse, OaErrcode};

use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How long before the announced expiry a token is refetched.
const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// An Official Account app (`appid` + `secret`) calling one base URL: the
/// real [`crate::OA_BASE_URL`] or a kabao.
pub struct OfficialAccount {
    base_url: String,
    appid: String,
    secret: String,
    stable_token: bool,
    refresh_margin: Duration,
    get_retries: u32,
    http: reqwest::Client,
    token: Mutex<Option<(String, Instant)>>,
}

/// Settings of an [`OfficialAccount`] before it is built (no `Debug`: it
/// holds the AppSecret).
#[derive(Clone)]
pub struct OfficialAccountBuilder {
    base_url: String,
    appid: String,
    secret: String,
    timeout: Duration,
    connect_timeout: Duration,
    stable_token: bool,
    refresh_margin: Duration,
    get_retries: u32,
}

impl OfficialAccountBuilder {
    /// Where the API is (default [`crate::OA_BASE_URL`]); a trailing `/` is ignored.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Whole-request timeout (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Connection timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Fetch tokens from `POST /cgi-bin/stable_token` instead of
    /// `GET /cgi-bin/token`, so that other holders of the secret do not
    /// invalidate this client's token.
    pub fn stable_token(mut self, stable: bool) -> Self {
        self.stable_token = stable;
        self
    }

    /// Refetch this long before the token's announced expiry (default 300 s;
    /// a margin as long as the lifetime refetches before every call).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// How many times a GET (`/cgi-bin/token`, `getticket`) is retried after
    /// a transport error (default 2). POSTs are never retried on transport
    /// errors: an insert may have happened.
    pub fn get_retries(mut self, retries: u32) -> Self {
        self.get_retries = retries;
        self
    }

    /// The client; fails only when the HTTP stack cannot start (TLS roots).
    pub fn build(self) -> Result<OfficialAccount, crate::ClientError> {
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .build()?;
        Ok(OfficialAccount {
            base_url: self.base_url,
            appid: self.appid,
            secret: self.secret,
            stable_token: self.stable_token,
            refresh_margin: self.refresh_margin,
            get_retries: self.get_retries,
            http,
            token: Mutex::new(None),
        })
    }
}

impl OfficialAccount {
    /// Settings for `appid`/`secret`, to adjust before [`OfficialAccountBuilder::build`].
    pub fn builder(appid: impl Into<String>, secret: impl Into<String>) -> OfficialAccountBuilder {
        OfficialAccountBuilder {
            base_url: crate::OA_BASE_URL.to_owned(),
            appid: appid.into(),
            secret: secret.into(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            stable_token: false,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            get_retries: 2,
        }
    }

    /// A client for `appid` against `base_url` with default settings.
    pub fn new(
        base_url: impl Into<String>,
        appid: impl Into<String>,
        secret: impl Into<String>,
    ) -> Result<Self, crate::ClientError> {
        Self::builder(appid, secret).base_url(base_url).build()
    }

    /// The app this client acts for.
    pub fn appid(&self) -> &str {
        &self.appid
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}
