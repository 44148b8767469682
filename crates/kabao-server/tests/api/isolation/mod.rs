//! Isolation: one tenant (platform, merchant, provider, app) or user cannot
//! read, insert into, change or redeliver another's resources by guessing
//! their ids, and the control API refuses every call without its token.
//! (Fapiao queries, files and media and taxi cards, trips and files have
//! more cross-tenant tests beside their flows: `fapiao_issue/flow.rs`,
//! `fapiao_self_issued/insert_rules.rs`, `taxi_trips/card_media.rs`,
//! `taxi_trips/orders.rs`; the console cookie's `HttpOnly; SameSite=Strict`
//! is checked in `console_steps.rs`.)

mod card_page;
mod control_api;
mod fapiao;
mod official_account;
