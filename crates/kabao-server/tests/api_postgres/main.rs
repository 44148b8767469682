//! The end-to-end suite of `tests/api` again, on the PostgreSQL store: the
//! same modules, each test server on a fresh PostgreSQL database (see
//! `tests/api/test_db.rs` for where it is made and how to skip).

#[path = "../api/main.rs"]
mod api;

use api::*;
