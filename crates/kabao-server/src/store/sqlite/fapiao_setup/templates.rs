//! fapiao_dev_configs (development-config) and fapiao_card_templates (card-template).

use crate::domain::fapiao::setup::{DevConfig, FapiaoCardTemplate};
use crate::store::StoreResult;
use sqlx::{Row, SqlitePool};

pub(super) async fn dev_config(pool: &SqlitePool, mchid: &str) -> StoreResult<Option<DevConfig>> {
    let row = sqlx::query(
        "SELECT callback_url, show_fapiao_cell, support_vat_fapiao FROM fapiao_dev_configs WHERE mchid = ?",
    )
    .bind(mchid)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(DevConfig {
        callback_url: row.try_get("callback_url")?,
        show_fapiao_cell: row.try_get::<i64, _>("show_fapiao_cell")? != 0,
        support_vat_fapiao: row.try_get::<i64, _>("support_vat_fapiao")? != 0,
    }))
}

pub(super) async fn put_dev_config(
    pool: &SqlitePool,
    mchid: &str,
    config: &DevConfig,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO fapiao_dev_configs (mchid, callback_url, show_fapiao_cell, support_vat_fapiao, updated_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (mchid) DO UPDATE SET callback_url = excluded.callback_url,
           show_fapiao_cell = excluded.show_fapiao_cell,
           support_vat_fapiao = excluded.support_vat_fapiao, updated_at = excluded.updated_at",
    )
    .bind(mchid)
    .bind(&config.callback_url)
    .bind(config.show_fapiao_cell as i64)
    .bind(config.support_vat_fapiao as i64)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) fn card_template(
    conn: &rusqlite::Connection,
    owner_mchid: &str,
) -> rusqlite::Result<Option<FapiaoCardTemplate>> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached(
        "SELECT card_appid, card_id, template_json, updated_at FROM fapiao_card_templates WHERE mchid = ?",
    )?
    .query_row([owner_mchid], |r| {
        let json: String = r.get(2)?;
        Ok(FapiaoCardTemplate {
            owner_mchid: owner_mchid.to_owned(),
            card_appid: r.get(0)?,
            card_id: r.get(1)?,
            card_template_information: serde_json::from_str(&json).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, e.into())
            })?,
            updated_at: r.get(3)?,
        })
    })
    .optional()
}

pub(super) async fn put_card_template(
    pool: &SqlitePool,
    owner_mchid: &str,
    card_appid: &str,
    template: &serde_json::Value,
    new_card_id: &str,
    now: i64,
) -> StoreResult<FapiaoCardTemplate> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let kept: Option<String> = sqlx::query_scalar(
        "SELECT card_id FROM fapiao_card_templates WHERE mchid = ? AND card_appid = ?",
    )
    .bind(owner_mchid)
    .bind(card_appid)
    .fetch_optional(&mut *tx)
    .await?;
    let card_id = kept.unwrap_or_else(|| new_card_id.to_owned());
    sqlx::query(
        "INSERT INTO fapiao_card_templates (mchid, card_appid, card_id, template_json, updated_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (mchid) DO UPDATE SET card_appid = excluded.card_appid,
           card_id = excluded.card_id, template_json = excluded.template_json,
           updated_at = excluded.updated_at",
    )
    .bind(owner_mchid)
    .bind(card_appid)
    .bind(&card_id)
    .bind(template.to_string())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(FapiaoCardTemplate {
        owner_mchid: owner_mchid.to_owned(),
        card_appid: card_appid.to_owned(),
        card_id,
        card_template_information: template.clone(),
        updated_at: now,
    })
}
