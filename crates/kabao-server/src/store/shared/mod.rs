//! What both backends share below the `Store` trait: reading a row's
//! columns by name whichever database it came from ([`Columns`]), the
//! row → domain conversions written once on top of it, and the query-free
//! judgments (an insert's checks, planning) both make.

pub(crate) mod card_checks;
mod columns;
pub(crate) mod fapiao_plan;
pub(crate) mod fapiao_rows;
pub(crate) mod fapiao_step;
pub(crate) mod invoice_rows;
pub(crate) mod outbox_rows;
pub(crate) mod taxi_rows;
pub(crate) mod title_rows;

pub(crate) use columns::{into_rusqlite, Columns};
