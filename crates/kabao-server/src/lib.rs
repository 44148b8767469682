//! kabao: a self-hosted, wire-compatible implementation of WeChat's
//! electronic-invoice card-package system. `Application::build` is the one
//! entry point the binary and the tests share.

pub mod caller_cache;
pub mod cli;
pub mod clock;
pub mod domain;
pub mod files;
pub mod flows;
pub mod http;
pub mod keyring;
pub mod pki;
pub mod provision;
pub mod rate_limit;
pub mod replay_guard;
pub mod repoll;
pub mod server;
pub mod startup;
pub mod state;
pub mod store;
pub mod tls;
pub mod worker;

pub use startup::{Application, ServeConfig};
