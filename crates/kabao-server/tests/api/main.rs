//! End-to-end tests: the real server on 127.0.0.1:0, spoken to over HTTP.

mod admin;
mod demo;
mod event_push;
mod fapiao_callbacks;
mod fapiao_issue;
mod fapiao_onboarding;
mod fapiao_outcome;
mod fapiao_reverse;
mod fapiao_self_issued;
mod fapiao_setup;
mod fapiao_titles;
mod fapiao_world;
mod helpers;
mod logs;
mod oa_invoice_flow;
mod oa_invoice_rules;
mod oa_token;
mod oa_world;
mod pay_certificates;
mod pay_signature;
mod persistence;
mod provisioning;
mod receiver;
mod shutdown;
mod tls;
