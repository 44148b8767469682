//! fapiao_merchants: capability, provider authorisation and seller information.

use super::super::corrupt;
use crate::domain::fapiao::setup::{FapiaoMerchantSetup, SellerInfo};
use crate::store::fapiao_setup::FapiaoMerchantUpdate;
use crate::store::StoreResult;
use sqlx::{SqliteConnection, SqlitePool};

pub(super) fn provider_authorized(
    conn: &rusqlite::Connection,
    mchid: &str,
) -> rusqlite::Result<bool> {
    use rusqlite::OptionalExtension;
    let authorized: Option<i64> = conn
        .prepare_cached("SELECT provider_authorized FROM fapiao_merchants WHERE mchid = ?")?
        .query_row([mchid], |r| r.get(0))
        .optional()?;
    Ok(authorized.is_none_or(|a| a != 0))
}

/// A merchant's name and its stored fapiao setup columns.
const SELECT_SETUP: &str =
    "SELECT m.name, f.provider_authorized, f.digital_tax_status, f.seller_json, f.extra_json
     FROM merchants m LEFT JOIN fapiao_merchants f ON f.mchid = m.mchid
     WHERE m.mchid = ?";

/// The columns of [`SELECT_SETUP`], as read.
type SetupRow = (
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn setup_from(mchid: &str, row: SetupRow) -> StoreResult<FapiaoMerchantSetup> {
    let (name, authorized, status, seller_json, extra_json) = row;
    Ok(FapiaoMerchantSetup {
        mchid: mchid.to_owned(),
        provider_authorized: authorized.is_none_or(|a| a != 0),
        digital_tax_status: status.unwrap_or_else(|| "ENABLED".to_owned()),
        seller: seller_from(mchid, &name, seller_json, extra_json)?,
    })
}

/// A merchant's setup on a reader; None when not provisioned.
pub(super) fn read_setup(
    conn: &rusqlite::Connection,
    mchid: &str,
) -> rusqlite::Result<Option<SetupRow>> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached(SELECT_SETUP)?
        .query_row([mchid], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()
}

/// A merchant's setup from a row [`read_setup`] returned.
pub(super) fn setup_of(
    mchid: &str,
    row: Option<SetupRow>,
) -> StoreResult<Option<FapiaoMerchantSetup>> {
    row.map(|row| setup_from(mchid, row)).transpose()
}

/// Reads a merchant's setup inside `conn`; None when not provisioned.
async fn read(
    conn: &mut SqliteConnection,
    mchid: &str,
) -> StoreResult<Option<FapiaoMerchantSetup>> {
    let row: Option<SetupRow> = sqlx::query_as(SELECT_SETUP)
        .bind(mchid)
        .fetch_optional(conn)
        .await?;
    setup_of(mchid, row)
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

pub(super) async fn update_fapiao_merchant(
    pool: &SqlitePool,
    mchid: &str,
    update: &FapiaoMerchantUpdate,
    now: i64,
) -> StoreResult<Option<FapiaoMerchantSetup>> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
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
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (mchid) DO UPDATE SET provider_authorized = excluded.provider_authorized,
           digital_tax_status = excluded.digital_tax_status, seller_json = excluded.seller_json,
           extra_json = excluded.extra_json, updated_at = excluded.updated_at",
    )
    .bind(mchid)
    .bind(current.provider_authorized as i64)
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
    conn: &mut SqliteConnection,
    mchid: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO fapiao_merchants (mchid, provider_authorized, updated_at) VALUES (?, 1, ?)
         ON CONFLICT (mchid) DO UPDATE SET provider_authorized = 1, updated_at = excluded.updated_at",
    )
    .bind(mchid)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
