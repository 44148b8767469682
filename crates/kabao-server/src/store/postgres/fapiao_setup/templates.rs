//! fapiao_dev_configs (development-config) and fapiao_card_templates (card-template).

use crate::domain::fapiao::setup::{DevConfig, FapiaoCardTemplate};
use crate::store::corrupt;
use crate::store::StoreResult;
use sqlx::{PgPool, Row};

pub(super) async fn dev_config(pool: &PgPool, mchid: &str) -> StoreResult<Option<DevConfig>> {
    let row = sqlx::query(
        "SELECT callback_url, show_fapiao_cell, support_vat_fapiao FROM fapiao_dev_configs WHERE mchid = $1",
    )
    .bind(mchid)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(DevConfig {
        callback_url: row.try_get("callback_url")?,
        show_fapiao_cell: row.try_get::<bool, _>("show_fapiao_cell")?,
        support_vat_fapiao: row.try_get::<bool, _>("support_vat_fapiao")?,
    }))
}

pub(super) async fn put_dev_config(
    pool: &PgPool,
    mchid: &str,
    config: &DevConfig,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO fapiao_dev_configs (mchid, callback_url, show_fapiao_cell, support_vat_fapiao, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (mchid) DO UPDATE SET callback_url = excluded.callback_url,
           show_fapiao_cell = excluded.show_fapiao_cell,
           support_vat_fapiao = excluded.support_vat_fapiao, updated_at = excluded.updated_at",
    )
    .bind(mchid)
    .bind(&config.callback_url)
    .bind(config.show_fapiao_cell)
    .bind(config.support_vat_fapiao)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn card_template(
    pool: &PgPool,
    owner_mchid: &str,
) -> StoreResult<Option<FapiaoCardTemplate>> {
    let row = sqlx::query(
        "SELECT card_appid, card_id, template_json, updated_at FROM fapiao_card_templates WHERE mchid = $1",
    )
    .bind(owner_mchid)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let json: String = row.try_get("template_json")?;
    Ok(Some(FapiaoCardTemplate {
        owner_mchid: owner_mchid.to_owned(),
        card_appid: row.try_get("card_appid")?,
        card_id: row.try_get("card_id")?,
        card_template_information: serde_json::from_str(&json)
            .map_err(|e| corrupt("template_json", e))?,
        updated_at: row.try_get("updated_at")?,
    }))
}

pub(super) async fn put_card_template(
    pool: &PgPool,
    owner_mchid: &str,
    card_appid: &str,
    template: &serde_json::Value,
    new_card_id: &str,
    now: i64,
) -> StoreResult<FapiaoCardTemplate> {
    let mut tx = pool.begin().await?;
    crate::store::postgres::lock_name(&mut tx, &format!("fapiao_card_templates/{owner_mchid}"))
        .await?;
    let kept: Option<String> = sqlx::query_scalar(
        "SELECT card_id FROM fapiao_card_templates WHERE mchid = $1 AND card_appid = $2",
    )
    .bind(owner_mchid)
    .bind(card_appid)
    .fetch_optional(&mut *tx)
    .await?;
    let card_id = kept.unwrap_or_else(|| new_card_id.to_owned());
    sqlx::query(
        "INSERT INTO fapiao_card_templates (mchid, card_appid, card_id, template_json, updated_at)
         VALUES ($1, $2, $3, $4, $5)
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
