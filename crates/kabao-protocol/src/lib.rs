//! Wire types and cryptography of WeChat's electronic-invoice card-package APIs.
//!
//! This crate is shared by the kabao server and its Rust SDK so that both sides
//! build and check exactly the same bytes. It performs no I/O: it only turns
//! values into wire bytes and back, and signs, verifies, encrypts and decrypts
//! with [`aws_lc_rs`].
//!
//! * [`auth`], [`message`], [`rsa`], [`aead`], [`certificate`],
//!   [`notification`] and [`apiv3`] cover WeChat Pay APIv3.
//! * [`oa`] covers the Official Account (`api.weixin.qq.com`) invoice APIs.

#![warn(missing_docs)]

pub mod aead;
pub mod apiv3;
pub mod auth;
pub mod certificate;
mod error;
pub mod message;
pub mod notification;
pub mod oa;
mod pem_util;
pub mod rsa;
mod serde_util;

pub use error::CryptoError;
