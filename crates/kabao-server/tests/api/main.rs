//! End-to-end tests: the real server on 127.0.0.1:0, spoken to over HTTP.

mod admin;
mod demo;
mod helpers;
mod logs;
mod oa_token;
mod pay_certificates;
mod pay_signature;
mod persistence;
mod provisioning;
mod shutdown;
mod tls;
