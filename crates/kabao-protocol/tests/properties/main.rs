//! Property tests of the crate's round trips and byte-exact builders.
//!
//! RSA operations are slow in debug builds, so RSA properties run 32 cases
//! with one key generated once.

mod aead;
mod auth_header;
mod messages;
mod oa_event;
mod rsa;
