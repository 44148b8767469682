//! Export from and import into the PostgreSQL store (one REPEATABLE READ
//! transaction for the export, one transaction for the import, after which
//! every identity column continues after the highest imported id).

use super::{
    dependency_order, is_internal, order_column, read_header, rows, target_row, write_header,
    write_row, Cell, ColumnKind, ExportHeader, Row, TargetColumns, TransferSummary,
};
use anyhow::{bail, Context};
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::{Column, Connection, Row as _, TypeInfo};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};

async fn schema_version(conn: &mut PgConnection) -> anyhow::Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0)::BIGINT FROM kabao_migrations")
            .fetch_one(conn)
            .await?,
    )
}

/// Kabao's tables in the current schema, each after the tables it refers to.
async fn tables(conn: &mut PgConnection) -> anyhow::Result<Vec<String>> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::TEXT FROM pg_class c
         WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
         ORDER BY c.oid",
    )
    .fetch_all(&mut *conn)
    .await?;
    let names: Vec<String> = names.into_iter().filter(|t| !is_internal(t)).collect();
    let links: Vec<(String, String)> = sqlx::query_as(
        "SELECT src.relname::TEXT, dst.relname::TEXT FROM pg_constraint k
         JOIN pg_class src ON src.oid = k.conrelid JOIN pg_class dst ON dst.oid = k.confrelid
         WHERE k.contype = 'f' AND src.relnamespace = current_schema()::regnamespace",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut refers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (src, dst) in links {
        refers.entry(src).or_default().insert(dst);
    }
    Ok(dependency_order(&names, &refers))
}

async fn columns(
    conn: &mut PgConnection,
    table: &str,
) -> anyhow::Result<BTreeMap<String, ColumnKind>> {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::TEXT, data_type::TEXT FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1",
    )
    .bind(table)
    .fetch_all(conn)
    .await?;
    Ok(columns
        .into_iter()
        .map(|(name, data_type)| {
            let kind = match data_type.as_str() {
                "bigint" | "integer" | "smallint" => ColumnKind::Int,
                "boolean" => ColumnKind::Bool,
                "bytea" => ColumnKind::Bytes,
                "double precision" | "real" | "numeric" => ColumnKind::Real,
                _ => ColumnKind::Text,
            };
            (name, kind)
        })
        .collect())
}

fn cell(row: &PgRow, i: usize) -> anyhow::Result<Cell> {
    let type_name = row.column(i).type_info().name().to_owned();
    let cell = match type_name.as_str() {
        "INT8" => row.try_get::<Option<i64>, _>(i)?.map(Cell::Int),
        "INT4" => row
            .try_get::<Option<i32>, _>(i)?
            .map(|v| Cell::Int(v.into())),
        "INT2" => row
            .try_get::<Option<i16>, _>(i)?
            .map(|v| Cell::Int(v.into())),
        "BOOL" => row.try_get::<Option<bool>, _>(i)?.map(Cell::Bool),
        "BYTEA" => row.try_get::<Option<Vec<u8>>, _>(i)?.map(Cell::Bytes),
        "FLOAT8" => row.try_get::<Option<f64>, _>(i)?.map(Cell::Real),
        "FLOAT4" => row
            .try_get::<Option<f32>, _>(i)?
            .map(|v| Cell::Real(v.into())),
        "TEXT" | "VARCHAR" | "BPCHAR" | "NAME" => {
            row.try_get::<Option<String>, _>(i)?.map(Cell::Text)
        }
        other => bail!(
            "column {} has type {other}, which kabao export does not know",
            row.column(i).name()
        ),
    };
    Ok(cell.unwrap_or(Cell::Null))
}

pub(super) async fn export(url: &str, out: &mut dyn Write) -> anyhow::Result<TransferSummary> {
    let mut conn = PgConnection::connect(url).await?;
    let mut tx = conn.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    let tables = tables(&mut tx).await?;
    write_header(
        out,
        &ExportHeader {
            kabao_export: super::FORMAT_VERSION,
            schema_version: schema_version(&mut tx).await?,
            backend: "postgres".into(),
            tables: tables.clone(),
        },
    )?;
    let mut summary = TransferSummary::default();
    for table in &tables {
        let order = order_column(table)
            .map(|column| format!(" ORDER BY \"{column}\""))
            .unwrap_or_default();
        let rows = sqlx::query(&format!("SELECT * FROM \"{table}\"{order}"))
            .fetch_all(&mut *tx)
            .await?;
        for row in &rows {
            let cells: Row = (0..row.len())
                .map(|i| Ok((row.column(i).name().to_owned(), cell(row, i)?)))
                .collect::<anyhow::Result<_>>()?;
            write_row(out, table, &cells)?;
        }
        summary.rows.insert(table.clone(), rows.len() as u64);
    }
    tx.commit().await?;
    out.flush()?;
    Ok(summary)
}

pub(super) async fn import(url: &str, input: &mut dyn BufRead) -> anyhow::Result<TransferSummary> {
    let mut conn = PgConnection::connect(url).await?;
    let mut tx = conn.begin().await?;
    let version = schema_version(&mut tx).await?;
    read_header(input, version)?;
    let tables = tables(&mut tx).await?;
    let mut kinds = TargetColumns::new();
    for table in &tables {
        let any: bool = sqlx::query_scalar(&format!("SELECT EXISTS (SELECT 1 FROM \"{table}\")"))
            .fetch_one(&mut *tx)
            .await?;
        if any {
            bail!("the target store is not empty (table {table} has rows); import only into a new store");
        }
        kinds.insert(table.clone(), columns(&mut tx, table).await?);
    }
    let mut summary = TransferSummary::default();
    for line in rows(input) {
        let (table, row) = line?;
        let cells = target_row(&kinds, &table, &row)?;
        let names: Vec<String> = cells.iter().map(|(name, _, _)| name.clone()).collect();
        let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "INSERT INTO \"{table}\" ({}) OVERRIDING SYSTEM VALUE VALUES ({})",
            names.join(", "),
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for (_, kind, cell) in cells {
            query = match (cell, kind) {
                (Cell::Null, ColumnKind::Int) => query.bind(None::<i64>),
                (Cell::Null, ColumnKind::Bool) => query.bind(None::<bool>),
                (Cell::Null, ColumnKind::Bytes) => query.bind(None::<Vec<u8>>),
                (Cell::Null, ColumnKind::Real) => query.bind(None::<f64>),
                (Cell::Null, ColumnKind::Text) => query.bind(None::<String>),
                (Cell::Int(i), _) => query.bind(i),
                (Cell::Bool(b), _) => query.bind(b),
                (Cell::Real(f), _) => query.bind(f),
                (Cell::Text(s), _) => query.bind(s),
                (Cell::Bytes(b), _) => query.bind(b),
            };
        }
        query
            .execute(&mut *tx)
            .await
            .with_context(|| format!("inserting a row into {table}"))?;
        *summary.rows.entry(table).or_default() += 1;
    }
    restart_identities(&mut tx).await?;
    tx.commit().await?;
    Ok(summary)
}

/// Moves every identity sequence past the highest imported value.
async fn restart_identities(conn: &mut PgConnection) -> anyhow::Result<()> {
    let identities: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::TEXT, column_name::TEXT FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (table, column) in identities {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'),
                    COALESCE(MAX(\"{column}\"), 0) + 1, false) FROM \"{table}\""
        ))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
