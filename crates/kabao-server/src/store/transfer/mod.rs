//! `kabao export` / `kabao import`: the whole store as one file, so a team
//! can move from the embedded SQLite default to a shared PostgreSQL (or
//! back) without losing anything. The file is JSON lines: a header naming
//! the schema version and the tables, then one line per row
//! (`{"table": …, "row": {column: value}}`), tables in an order where every
//! row comes after the rows it refers to. Values are JSON numbers, strings,
//! booleans and null; bytes are `{"base64": …}`. Import converts each value
//! to the target column's type (SQLite keeps flags as integers, PostgreSQL
//! as booleans) and only fills an empty store of the same schema version.

mod postgres;
mod sqlite;

use anyhow::{bail, Context};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};

/// The first line of an export file.
#[derive(Debug, Serialize, Deserialize)]
pub struct ExportHeader {
    /// Format version of the file.
    pub kabao_export: u32,
    /// The last migration applied to the exported store.
    pub schema_version: i64,
    /// "sqlite" or "postgres".
    pub backend: String,
    /// Tables in file order.
    pub tables: Vec<String>,
}

/// What an export or import moved.
#[derive(Debug, Default)]
pub struct TransferSummary {
    /// Rows per table.
    pub rows: BTreeMap<String, u64>,
}

impl TransferSummary {
    /// Rows in all tables.
    pub fn total(&self) -> u64 {
        self.rows.values().sum()
    }
}

/// One stored value, whatever the backend.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
    Bool(bool),
}

/// What a target column holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ColumnKind {
    Int,
    Real,
    Text,
    Bytes,
    Bool,
}

/// One row of one table, in column order.
pub(crate) type Row = Vec<(String, Cell)>;

const FORMAT_VERSION: u32 = 1;

/// Columns a backend keeps only to list rows in insertion order where the
/// other uses SQLite's implicit rowid (`invoice_cards.seq` on PostgreSQL):
/// rows are exported in that order without the column, and the target
/// numbers them again as they are imported.
const ORDER_ONLY: &[(&str, &str)] = &[("invoice_cards", "seq")];

/// The insertion-order column of `table`, if it has one.
pub(crate) fn order_column(table: &str) -> Option<&'static str> {
    ORDER_ONLY
        .iter()
        .find(|(t, _)| *t == table)
        .map(|(_, column)| *column)
}

/// Tables never copied: each store keeps its own migration record.
pub(crate) fn is_internal(table: &str) -> bool {
    table == "kabao_migrations" || table.starts_with("sqlite_")
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Writes every row of the store at `database_url` (migrated first) to `out`.
pub async fn export(database_url: &str, out: &mut dyn Write) -> anyhow::Result<TransferSummary> {
    // Opening applies pending migrations, so the file has the current schema.
    drop(super::open(database_url).await?);
    if is_postgres(database_url) {
        postgres::export(database_url, out).await
    } else {
        sqlite::export(database_url, out)
    }
}

/// Loads an export file into the empty store at `database_url` (created
/// and migrated if needed), all in one transaction.
pub async fn import(
    database_url: &str,
    input: &mut dyn BufRead,
) -> anyhow::Result<TransferSummary> {
    drop(super::open(database_url).await?);
    if is_postgres(database_url) {
        postgres::import(database_url, input).await
    } else {
        sqlite::import(database_url, input)
    }
}

/// Orders tables so that each comes after the tables it refers to
/// (`refers` maps a table to the tables its foreign keys name).
pub(crate) fn dependency_order(
    tables: &[String],
    refers: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<String> {
    let mut placed: Vec<String> = Vec::with_capacity(tables.len());
    let mut left: Vec<&String> = tables.iter().collect();
    while !left.is_empty() {
        let before = left.len();
        left.retain(|table| {
            let ready = refers.get(*table).is_none_or(|targets| {
                targets
                    .iter()
                    .all(|t| t == *table || placed.contains(t) || !tables.contains(t))
            });
            if ready {
                placed.push((*table).clone());
            }
            !ready
        });
        if left.len() == before {
            // A cycle: keep the rest in their given order.
            placed.extend(left.drain(..).cloned());
        }
    }
    placed
}

/// Writes the header line.
pub(crate) fn write_header(out: &mut dyn Write, header: &ExportHeader) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, header)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Writes one row line.
pub(crate) fn write_row(out: &mut dyn Write, table: &str, row: &Row) -> anyhow::Result<()> {
    let mut cells = Map::new();
    for (column, cell) in row {
        if order_column(table) != Some(column.as_str()) {
            cells.insert(column.clone(), cell_to_json(cell));
        }
    }
    let line = serde_json::json!({ "table": table, "row": cells });
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")?;
    Ok(())
}

fn cell_to_json(cell: &Cell) -> Value {
    match cell {
        Cell::Null => Value::Null,
        Cell::Int(i) => Value::from(*i),
        Cell::Real(f) => Value::from(*f),
        Cell::Text(s) => Value::from(s.as_str()),
        Cell::Bytes(b) => {
            serde_json::json!({ "base64": base64::engine::general_purpose::STANDARD.encode(b) })
        }
        Cell::Bool(b) => Value::from(*b),
    }
}

/// Reads the header line and checks it against the target's schema version.
pub(crate) fn read_header(
    input: &mut dyn BufRead,
    target_version: i64,
) -> anyhow::Result<ExportHeader> {
    let mut line = String::new();
    input.read_line(&mut line)?;
    let header: ExportHeader = serde_json::from_str(&line)
        .context("the file does not start with a kabao export header")?;
    if header.kabao_export != FORMAT_VERSION {
        bail!(
            "export format {} is not supported (this kabao reads {FORMAT_VERSION})",
            header.kabao_export
        );
    }
    if header.schema_version != target_version {
        bail!(
            "the export has schema version {} but the target store has {target_version}; export and import with the same kabao version",
            header.schema_version
        );
    }
    Ok(header)
}

/// The row lines that follow the header, one at a time.
pub(crate) fn rows(
    input: &mut dyn BufRead,
) -> impl Iterator<Item = anyhow::Result<(String, Map<String, Value>)>> + '_ {
    let mut number = 1;
    std::iter::from_fn(move || {
        let mut line = String::new();
        loop {
            line.clear();
            number += 1;
            match input.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) if line.trim().is_empty() => continue,
                Ok(_) => break,
                Err(e) => return Some(Err(e.into())),
            }
        }
        #[derive(Deserialize)]
        struct Line {
            table: String,
            row: Map<String, Value>,
        }
        Some(
            serde_json::from_str::<Line>(&line)
                .map(|l| (l.table, l.row))
                .with_context(|| format!("line {number} is not a row of the export")),
        )
    })
}

/// Column types of every table of the target store.
pub(crate) type TargetColumns = BTreeMap<String, BTreeMap<String, ColumnKind>>;

/// A row line as (quoted column, column kind, value) for the target table;
/// a table or column this schema does not have is an error.
pub(crate) fn target_row(
    targets: &TargetColumns,
    table: &str,
    row: &Map<String, Value>,
) -> anyhow::Result<Vec<(String, ColumnKind, Cell)>> {
    let Some(columns) = targets.get(table) else {
        bail!("table {table} of the export does not exist in this kabao's schema");
    };
    row.iter()
        .map(|(column, value)| {
            let Some(kind) = columns.get(column) else {
                bail!(
                    "column {table}.{column} of the export does not exist in this kabao's schema"
                );
            };
            Ok((
                format!("\"{column}\""),
                *kind,
                cell_for(table, column, *kind, value)?,
            ))
        })
        .collect()
}

/// A JSON value from the file as a value for a column of `kind`.
pub(crate) fn cell_for(
    table: &str,
    column: &str,
    kind: ColumnKind,
    value: &Value,
) -> anyhow::Result<Cell> {
    let wrong = || anyhow::anyhow!("{table}.{column}: {value} does not fit a {kind:?} column");
    Ok(match (kind, value) {
        (_, Value::Null) => Cell::Null,
        (ColumnKind::Int, Value::Number(n)) => Cell::Int(n.as_i64().ok_or_else(wrong)?),
        (ColumnKind::Int, Value::Bool(b)) => Cell::Int(i64::from(*b)),
        (ColumnKind::Real, Value::Number(n)) => Cell::Real(n.as_f64().ok_or_else(wrong)?),
        (ColumnKind::Bool, Value::Bool(b)) => Cell::Bool(*b),
        (ColumnKind::Bool, Value::Number(n)) => Cell::Bool(n.as_i64().ok_or_else(wrong)? != 0),
        (ColumnKind::Text, Value::String(s)) => Cell::Text(s.clone()),
        (ColumnKind::Bytes, Value::Object(o)) => {
            let encoded = o.get("base64").and_then(Value::as_str).ok_or_else(wrong)?;
            Cell::Bytes(
                base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .map_err(|_| wrong())?,
            )
        }
        (ColumnKind::Bytes, Value::String(s)) => Cell::Bytes(s.as_bytes().to_vec()),
        _ => return Err(wrong()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_come_after_the_tables_they_refer_to() {
        let tables: Vec<String> = ["cards", "orders", "apps"].map(String::from).to_vec();
        let refers = BTreeMap::from([
            (
                "cards".to_owned(),
                BTreeSet::from(["orders".to_owned(), "cards".to_owned()]),
            ),
            ("orders".to_owned(), BTreeSet::from(["apps".to_owned()])),
        ]);
        assert_eq!(
            dependency_order(&tables, &refers),
            ["apps", "orders", "cards"]
        );
    }

    #[test]
    fn values_convert_to_the_target_column() {
        let flag = cell_for("t", "c", ColumnKind::Bool, &Value::from(1)).unwrap();
        assert_eq!(flag, Cell::Bool(true));
        let back = cell_for("t", "c", ColumnKind::Int, &Value::from(false)).unwrap();
        assert_eq!(back, Cell::Int(0));
        let bytes = cell_to_json(&Cell::Bytes(vec![0, 255]));
        assert_eq!(
            cell_for("t", "c", ColumnKind::Bytes, &bytes).unwrap(),
            Cell::Bytes(vec![0, 255])
        );
        let err = cell_for("t", "c", ColumnKind::Int, &Value::from("x")).unwrap_err();
        assert!(err.to_string().contains("t.c"), "{err}");
    }
}
