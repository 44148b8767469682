//! kabao-client against a real kabao on 127.0.0.1:0, one module per family:
//! Official Account invoices and fiscal bills, the APIv3 core, fapiao (set-up,
//! issuing, self-issued), callbacks, and taxi invoices.

mod callbacks;
mod common;
mod fapiao_digital;
mod fapiao_issue;
mod fapiao_self_issued;
mod fapiao_setup;
mod fapiao_world;
mod oa_invoice;
mod oa_nontax;
mod oa_token;
mod pay_core;
mod receiver;
mod taxi;
