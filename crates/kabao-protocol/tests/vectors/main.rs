//! Known-answer tests for every entry of `shared/reference/test-vectors/vectors.json`.
//!
//! The folder is `$KABAO_TEST_VECTORS`, or else `shared/reference/test-vectors`
//! beside the repository checkout. `derived.sm3_abc` is not tested: this crate
//! has no SM3 implementation yet.

mod support;

mod aes_gcm;
mod certificates;
mod fapiao_callback;
mod oaep;
mod payscore_callback;
mod requests;
mod responses;
mod signing;
