//! fapiao_merchants: capability, provider authorisation and seller information.

use crate::domain::fapiao::setup::{FapiaoMerchantSetup, SellerInfo};
use crate::store::corrupt;
use crate::store::fapiao_setup::FapiaoMerchantUpdate;
use crate::store::StoreResult;
use sqlx::{PgConnection, PgPool, Row};

pub(super) async fn provider_authorized(pool: &PgPool, mchid: &str) -> StoreResult<bool> {
    let authorized: Option<bool> =
        sqlx::query_scalar("SELECT provider_authorized FROM fapiao_merchants WHERE mchid = $1")
            .bind(mchid)
            .fetch_optional(pool)
            .await?;
    Ok(authorized.unwrap_or(true))
}

/// Reads a merchant's setup inside `conn`; None when not provisioned.
async fn read(conn: &mut PgConnection, mchid: &str) -> StoreResult<Option<FapiaoMerchantSetup>> {
    let row = sqlx::query(
        "SELECT m.name, f.provider_authorized, f.digital_tax_status, f.seller_json, f.extra_json
         FROM merchants m LEFT JOIN fapiao_merchants f ON f.mchid = m.mchid
         WHERE m.mchid = $1",
    )
    .bind(mchid)
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let name: String = row.try_get("name")?;
    let authorized: Option<bool> = row.try_get("provider_authorized")?;
    let status: Option<String> = row.try_get("digital_tax_status")?;
    let seller_json: Option<String> = row.try_get("seller_json")?;
    let extra_json: Option<String> = row.try_get("extra_json")?;
    Ok(Some(FapiaoMerchantSetup {
        mchid: mchid.to_owned(),
        provider_authorized: authorized.unwrap_or(true),
        digital_tax_status: status.unwrap_or_else(|| "ENABLED".to_owned()),
        seller: seller_from(mchid, &name, seller_json, extra_json)?,
    }))
}

/// The stored seller blocks, or the derived ones where nothing is stored.
fn seller_from(
    mchid: &str,
    name: &str,
    seller_json: Option<String>,
    extra_json: Option<String>,
) -> StoreResult<SellerInfo> {
    let mut info = SellerInfo::derived(mchid, name);
    if let Some(json) = seller_json {
        info.seller_information =
            serde_json::from_str(&json).map_err(|e| corrupt("seller_json", e))?;
    }
    if let Some(json) = extra_json {
        info.extra_information =
            serde_json::from_str(&json).map_err(|e| corrupt("extra_json", e))?;
    }
    Ok(info)
}

pub(super) async fn fapiao_merchant(
    pool: &PgPool,
    mchid: &str,
) -> StoreResult<Option<FapiaoMerchantSetup>> {
    let mut conn = pool.acquire().await?;
    read(&mut conn, mchid).await
}

pub(super) async fn update_fapiao_merchant(
    pool: &PgPool,
    mchid: &str,
    update: &FapiaoMerchantUpdate,
    now: i64,
) -> StoreResult<Option<FapiaoMerchantSetup>> {
    let mut tx = pool.begin().await?;
    crate::store::postgres::lock_name(&mut tx, &format!("fapiao_merchants/{mchid}")).await?;
    let Some(mut current) = read(&mut tx, mchid).await? else {
        return Ok(None);
    };
    if let Some(authorized) = update.provider_authorized {
        current.provider_authorized = authorized;
    }
    if let Some(status) = &update.digital_tax_status {
        current.digital_tax_status = status.clone();
    }
    if let Some(seller) = &update.seller {
        current.seller = seller.clone();
    }
    let seller_json = serde_json::to_string(&current.seller.seller_information)
        .map_err(|e| corrupt("seller_json", e))?;
    let extra_json = serde_json::to_string(&current.seller.extra_information)
        .map_err(|e| corrupt("extra_json", e))?;
    sqlx::query(
        "INSERT INTO fapiao_merchants (mchid, provider_authorized, digital_tax_status, seller_json, extra_json, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (mchid) DO UPDATE SET provider_authorized = excluded.provider_authorized,
           digital_tax_status = excluded.digital_tax_status, seller_json = excluded.seller_json,
           extra_json = excluded.extra_json, updated_at = excluded.updated_at",
    )
    .bind(mchid)
    .bind(current.provider_authorized)
    .bind(&current.digital_tax_status)
    .bind(seller_json)
    .bind(extra_json)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(current))
}

/// Marks a sub-merchant as having accepted its provider, inside `conn`.
pub(super) async fn authorize_provider(
    conn: &mut PgConnection,
    mchid: &str,
    now: i64,
) -> StoreResult<()> {
    // The same lock as update_fapiao_merchant, whose read-then-write would
    // otherwise put back the flag this sets.
    crate::store::postgres::lock_name(&mut *conn, &format!("fapiao_merchants/{mchid}")).await?;
    sqlx::query(
        "INSERT INTO fapiao_merchants (mchid, provider_authorized, updated_at) VALUES ($1, TRUE, $2)
         ON CONFLICT (mchid) DO UPDATE SET provider_authorized = TRUE, updated_at = excluded.updated_at",
    )
    .bind(mchid)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) async fn seller_information(
    pool: &PgPool,
    owner_mchid: &str,
) -> StoreResult<SellerInfo> {
    match fapiao_merchant(pool, owner_mchid).await? {
        Some(setup) => Ok(setup.seller),
        None => Ok(SellerInfo::derived(owner_mchid, owner_mchid)),
    }
}
