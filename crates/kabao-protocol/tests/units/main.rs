//! Example-based tests of parsers, code tables and key loading.

mod apiv3_codes;
mod auth_rejections;
mod keys;
mod notification_parse;
mod oa_codes;
mod oa_event;
mod times;
