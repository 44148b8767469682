//! fapiao_tax_codes: the shipped table (compiled in, plus scope '' rows)
//! merged with each owner's additions.

use crate::domain::fapiao::setup::{shipped_tax_codes, TaxCode};
use crate::store::shared::fapiao_rows::tax_code_from_row as from_row;
use crate::store::StoreResult;
use sqlx::PgPool;
use std::collections::BTreeMap;

/// The rows stored under `scope` ('' or an owner mchid), by tax code.
pub(super) async fn scope_codes(pool: &PgPool, scope: &str) -> StoreResult<Vec<TaxCode>> {
    let rows = sqlx::query(
        "SELECT tax_code, goods_name, goods_id, goods_category, tax_rate, tax_prefer_mark
         FROM fapiao_tax_codes WHERE scope = $1 ORDER BY tax_code",
    )
    .bind(scope)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

pub(super) async fn tax_code(
    pool: &PgPool,
    owner_mchid: &str,
    tax_code: &str,
) -> StoreResult<Option<TaxCode>> {
    let row = sqlx::query(
        "SELECT tax_code, goods_name, goods_id, goods_category, tax_rate, tax_prefer_mark
         FROM fapiao_tax_codes WHERE scope IN ($1, '') AND tax_code = $2
         ORDER BY scope DESC LIMIT 1",
    )
    .bind(owner_mchid)
    .bind(tax_code)
    .fetch_optional(pool)
    .await?;
    if let Some(row) = row {
        return Ok(Some(from_row(&row)?));
    }
    Ok(shipped_tax_codes()
        .iter()
        .find(|c| c.tax_code == tax_code)
        .cloned())
}

pub(super) async fn tax_codes_page(
    pool: &PgPool,
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
    pool: &PgPool,
    owner_mchid: &str,
    codes: &[TaxCode],
) -> StoreResult<()> {
    let mut tx = pool.begin().await?;
    for code in codes {
        sqlx::query(
            "INSERT INTO fapiao_tax_codes (scope, tax_code, goods_name, goods_id, goods_category, tax_rate, tax_prefer_mark)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
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
