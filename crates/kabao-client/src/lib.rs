//! kabao-client: a Rust SDK for WeChat's invoice card-package APIs, usable
//! against the real hosts and against kabao alike (the base URL is the only
//! difference).
//!
//! This first version covers the ground every family stands on: Official
//! Account access tokens ([`OfficialAccount`]) and signed, verified WeChat Pay
//! APIv3 calls with platform-certificate download ([`WechatPay`]).

mod error;
mod oa;
mod pay;

pub use error::{ClientError, OaApiError, PayApiError};
pub use oa::OfficialAccount;
pub use pay::{PlatformCertificate, WechatPay};

/// Base URL of the Official Account API (`api.weixin.qq.com`).
pub const OA_BASE_URL: &str = "https://api.weixin.qq.com";
/// Base URL of the WeChat Pay API (`api.mch.weixin.qq.com`).
pub const PAY_BASE_URL: &str = "https://api.mch.weixin.qq.com";
