//! Export from and import into the SQLite store, on a rusqlite connection
//! (one read transaction for the export, one write transaction for the import).

use super::{
    dependency_order, is_internal, order_column, read_header, rows, target_row, write_header,
    write_row, Cell, ColumnKind, ExportHeader, Row, TargetColumns, TransferSummary,
};
use anyhow::{bail, Context};
use rusqlite::types::{Value, ValueRef};
use rusqlite::Connection;
use sqlx::sqlite::SqliteConnectOptions;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};
use std::str::FromStr;

fn connect(url: &str) -> anyhow::Result<Connection> {
    let url = if url.starts_with("sqlite:") {
        url.to_owned()
    } else {
        format!("sqlite://{url}")
    };
    let path = SqliteConnectOptions::from_str(&url)?
        .get_filename()
        .to_owned();
    let conn = Connection::open(&path).with_context(|| format!("opening {}", path.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(conn)
}

fn schema_version(conn: &Connection) -> anyhow::Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM kabao_migrations",
        [],
        |r| r.get(0),
    )?)
}

/// Kabao's tables, each after the tables it refers to.
fn tables(conn: &Connection) -> anyhow::Result<Vec<String>> {
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let names: Vec<String> = names.into_iter().filter(|t| !is_internal(t)).collect();
    let mut refers = BTreeMap::new();
    for table in &names {
        let targets: BTreeSet<String> = conn
            .prepare(&format!("PRAGMA foreign_key_list(\"{table}\")"))?
            .query_map([], |r| r.get::<_, String>(2))?
            .collect::<Result<_, _>>()?;
        refers.insert(table.clone(), targets);
    }
    Ok(dependency_order(&names, &refers))
}

fn columns(conn: &Connection, table: &str) -> anyhow::Result<Vec<(String, ColumnKind)>> {
    let columns = conn
        .prepare(&format!("PRAGMA table_info(\"{table}\")"))?
        .query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(columns
        .into_iter()
        .map(|(name, declared)| {
            let declared = declared.to_ascii_uppercase();
            let kind = if declared.contains("INT") || declared.contains("BOOL") {
                ColumnKind::Int
            } else if declared.contains("BLOB") {
                ColumnKind::Bytes
            } else if declared.contains("REAL")
                || declared.contains("FLOA")
                || declared.contains("DOUB")
            {
                ColumnKind::Real
            } else {
                ColumnKind::Text
            };
            (name, kind)
        })
        .collect())
}

fn cell(value: ValueRef<'_>) -> Cell {
    match value {
        ValueRef::Null => Cell::Null,
        ValueRef::Integer(i) => Cell::Int(i),
        ValueRef::Real(f) => Cell::Real(f),
        ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Cell::Bytes(b.to_vec()),
    }
}

pub(super) fn export(url: &str, out: &mut dyn Write) -> anyhow::Result<TransferSummary> {
    let mut conn = connect(url)?;
    let tx = conn.transaction()?;
    let tables = tables(&tx)?;
    write_header(
        out,
        &ExportHeader {
            kabao_export: super::FORMAT_VERSION,
            schema_version: schema_version(&tx)?,
            backend: "sqlite".into(),
            tables: tables.clone(),
        },
    )?;
    let mut summary = TransferSummary::default();
    for table in &tables {
        let order = if order_column(table).is_some() {
            " ORDER BY rowid"
        } else {
            ""
        };
        let mut statement = tx.prepare(&format!("SELECT * FROM \"{table}\"{order}"))?;
        let names: Vec<String> = statement
            .column_names()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let mut rows = statement.query([])?;
        let mut count = 0;
        while let Some(row) = rows.next()? {
            let cells: Row = names
                .iter()
                .enumerate()
                .map(|(i, name)| Ok((name.clone(), cell(row.get_ref(i)?))))
                .collect::<rusqlite::Result<_>>()?;
            write_row(out, table, &cells)?;
            count += 1;
        }
        summary.rows.insert(table.clone(), count);
    }
    out.flush()?;
    Ok(summary)
}

pub(super) fn import(url: &str, input: &mut dyn BufRead) -> anyhow::Result<TransferSummary> {
    let mut conn = connect(url)?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    read_header(input, schema_version(&tx)?)?;
    let tables = tables(&tx)?;
    for table in &tables {
        let any: bool = tx.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM \"{table}\")"),
            [],
            |r| r.get(0),
        )?;
        if any {
            bail!("the target store is not empty (table {table} has rows); import only into a new store");
        }
    }
    let mut kinds = TargetColumns::new();
    for table in &tables {
        kinds.insert(table.clone(), columns(&tx, table)?.into_iter().collect());
    }
    let mut summary = TransferSummary::default();
    for line in rows(input) {
        let (table, row) = line?;
        let cells = target_row(&kinds, &table, &row)?;
        let names: Vec<String> = cells.iter().map(|(name, _, _)| name.clone()).collect();
        let values: Vec<Value> = cells
            .into_iter()
            .map(|(_, _, cell)| match cell {
                Cell::Null => Value::Null,
                Cell::Int(i) => Value::Integer(i),
                Cell::Bool(b) => Value::Integer(i64::from(b)),
                Cell::Real(f) => Value::Real(f),
                Cell::Text(s) => Value::Text(s),
                Cell::Bytes(b) => Value::Blob(b),
            })
            .collect();
        let placeholders = vec!["?"; names.len()].join(", ");
        tx.prepare_cached(&format!(
            "INSERT INTO \"{table}\" ({}) VALUES ({placeholders})",
            names.join(", ")
        ))?
        .execute(rusqlite::params_from_iter(values))
        .with_context(|| format!("inserting a row into {table}"))?;
        *summary.rows.entry(table).or_default() += 1;
    }
    tx.commit()?;
    Ok(summary)
}
