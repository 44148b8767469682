//! Embedded, ordered schema migrations, applied at start inside one
//! transaction each and recorded in `kabao_migrations`. Both backends have
//! the same versions and names; only the SQL dialect differs.

/// One migration: its version and SQL.
pub struct Migration {
    /// Strictly increasing version number.
    pub version: i64,
    /// File name, for the record.
    pub name: &'static str,
    /// The statements.
    pub sql: &'static str,
}

/// SQLite migrations, compiled into the binary.
pub const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_tenants.sql",
        sql: include_str!("../../migrations/sqlite/0001_tenants.sql"),
    },
    Migration {
        version: 2,
        name: "0002_oa_invoices.sql",
        sql: include_str!("../../migrations/sqlite/0002_oa_invoices.sql"),
    },
    Migration {
        version: 3,
        name: "0003_event_pushes.sql",
        sql: include_str!("../../migrations/sqlite/0003_event_pushes.sql"),
    },
    Migration {
        version: 4,
        name: "0004_fapiao.sql",
        sql: include_str!("../../migrations/sqlite/0004_fapiao.sql"),
    },
    Migration {
        version: 5,
        name: "0005_taxi.sql",
        sql: include_str!("../../migrations/sqlite/0005_taxi.sql"),
    },
    Migration {
        version: 6,
        name: "0006_pdf_content.sql",
        sql: include_str!("../../migrations/sqlite/0006_pdf_content.sql"),
    },
    Migration {
        version: 7,
        name: "0007_callback_outbox_bound.sql",
        sql: include_str!("../../migrations/sqlite/0007_callback_outbox_bound.sql"),
    },
    Migration {
        version: 8,
        name: "0008_fapiao_lean.sql",
        sql: include_str!("../../migrations/sqlite/0008_fapiao_lean.sql"),
    },
    Migration {
        version: 9,
        name: "0009_fapiao_jobs_by_fapiao.sql",
        sql: include_str!("../../migrations/sqlite/0009_fapiao_jobs_by_fapiao.sql"),
    },
];

/// PostgreSQL migrations: the SQLite schema translated (BIGINT, BYTEA,
/// BOOLEAN flags, identity ids), compiled into the binary.
pub const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_tenants.sql",
        sql: include_str!("../../migrations/postgres/0001_tenants.sql"),
    },
    Migration {
        version: 2,
        name: "0002_oa_invoices.sql",
        sql: include_str!("../../migrations/postgres/0002_oa_invoices.sql"),
    },
    Migration {
        version: 3,
        name: "0003_event_pushes.sql",
        sql: include_str!("../../migrations/postgres/0003_event_pushes.sql"),
    },
    Migration {
        version: 4,
        name: "0004_fapiao.sql",
        sql: include_str!("../../migrations/postgres/0004_fapiao.sql"),
    },
    Migration {
        version: 5,
        name: "0005_taxi.sql",
        sql: include_str!("../../migrations/postgres/0005_taxi.sql"),
    },
    Migration {
        version: 6,
        name: "0006_pdf_content.sql",
        sql: include_str!("../../migrations/postgres/0006_pdf_content.sql"),
    },
    Migration {
        version: 7,
        name: "0007_callback_outbox_bound.sql",
        sql: include_str!("../../migrations/postgres/0007_callback_outbox_bound.sql"),
    },
    Migration {
        version: 8,
        name: "0008_fapiao_lean.sql",
        sql: include_str!("../../migrations/postgres/0008_fapiao_lean.sql"),
    },
    Migration {
        version: 9,
        name: "0009_fapiao_jobs_by_fapiao.sql",
        sql: include_str!("../../migrations/postgres/0009_fapiao_jobs_by_fapiao.sql"),
    },
];
