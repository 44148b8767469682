//! fapiao_tax_codes: the shipped table (compiled in, plus scope '' rows)
//! merged with each owner's additions.

use crate::domain::fapiao::setup::{shipped_tax_codes, TaxCode};
use crate::store::shared::fapiao_rows::tax_code_from_row;
use crate::store::StoreResult;
use sqlx::SqlitePool;
use std::collections::BTreeMap;

/// The rows stored under `scope` ('' or an owner mchid), by tax code.
pub(super) async fn scope_codes(pool: &SqlitePool, scope: &str) -> StoreResult<Vec<TaxCode>> {
    let rows = sqlx::query(
        "SELECT tax_code, goods_name, goods_id, goods_category, tax_rate, tax_prefer_mark
         FROM fapiao_tax_codes WHERE scope = ? ORDER BY tax_code",
    )
    .bind(scope)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(tax_code_from_row)
        .collect::<Result<_, _>>()?)
}

pub(super) fn tax_code(
    conn: &rusqlite::Connection,
    owner_mchid: &str,
    tax_code: &str,
) -> rusqlite::Result<Option<TaxCode>> {
    use rusqlite::OptionalExtension;
    let stored = conn
        .prepare_cached(
            "SELECT tax_code, goods_name, goods_id, goods_category, tax_rate, tax_prefer_mark
             FROM fapiao_tax_codes WHERE scope IN (?, '') AND tax_code = ?
             ORDER BY scope DESC LIMIT 1",
        )?
        .query_row([owner_mchid, tax_code], |r| {
            Ok(TaxCode {
                tax_code: r.get(0)?,
                goods_name: r.get(1)?,
                goods_id: r.get(2)?,
                goods_category: r.get(3)?,
                tax_rate: r.get(4)?,
                tax_prefer_mark: r.get(5)?,
            })
        })
        .optional()?;
    Ok(stored.or_else(|| {
        shipped_tax_codes()
            .iter()
            .find(|c| c.tax_code == tax_code)
            .cloned()
    }))
}

pub(super) async fn tax_codes_page(
    pool: &SqlitePool,
    owner_mchid: &str,
    offset: i64,
    limit: i64,
) -> StoreResult<(i64, Vec<TaxCode>)> {
    let mut merged: BTreeMap<String, TaxCode> = shipped_tax_codes()
        .iter()
        .map(|c| (c.tax_code.clone(), c.clone()))
        .collect();
    for scope in ["", owner_mchid] {
        for code in scope_codes(pool, scope).await? {
            merged.insert(code.tax_code.clone(), code);
        }
    }
    let total = merged.len() as i64;
    let page = merged
        .into_values()
        .skip(offset.max(0) as usize)
        .take(limit.max(0) as usize)
        .collect();
    Ok((total, page))
}

pub(super) async fn add_tax_codes(
    pool: &SqlitePool,
    owner_mchid: &str,
    codes: &[TaxCode],
) -> StoreResult<()> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    for code in codes {
        sqlx::query(
            "INSERT INTO fapiao_tax_codes (scope, tax_code, goods_name, goods_id, goods_category, tax_rate, tax_prefer_mark)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (scope, tax_code) DO UPDATE SET goods_name = excluded.goods_name,
               goods_id = excluded.goods_id, goods_category = excluded.goods_category,
               tax_rate = excluded.tax_rate, tax_prefer_mark = excluded.tax_prefer_mark",
        )
        .bind(owner_mchid)
        .bind(&code.tax_code)
        .bind(&code.goods_name)
        .bind(code.goods_id)
        .bind(&code.goods_category)
        .bind(code.tax_rate)
        .bind(&code.tax_prefer_mark)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
