//! Fapiao merchant setup end to end: check-status/check, base-information,
//! tax-codes, development-config, card-template, and the control API's
//! paid orders and merchant settings.

mod capability;
mod config;
mod orders;
mod tables;
