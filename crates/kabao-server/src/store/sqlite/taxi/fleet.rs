//! [`TaxiFleetStore`] in SQLite: `taxi_companies`, `taxis`, `taxi_drivers`,
//! `taxi_punches`.

use super::attendance;
use crate::store::shared::taxi_rows::{
    company_from_row, driver_from_row, taxi_from_row, SELECT_COMPANY, SELECT_DRIVER, SELECT_TAXI,
};
use crate::store::sqlite::SqliteStore;
use crate::store::taxi_fleet::{
    NewTaxiCompany, Taxi, TaxiCompany, TaxiDriver, TaxiFleetStore, TaxiPunch,
};
use crate::store::{StoreError, StoreResult};
use async_trait::async_trait;
use rand::Rng;

/// How many fresh mchids are tried before giving up (each is 1 in 10^9).
const MCHID_ATTEMPTS: usize = 16;

/// A candidate company mchid: ten digits, starting with 1 as real ones do.
fn candidate_mchid() -> String {
    format!("1{:09}", rand::thread_rng().gen_range(0..1_000_000_000u32))
}

fn to_json(value: &impl serde::Serialize) -> Result<String, sqlx::Error> {
    serde_json::to_string(value).map_err(|e| sqlx::Error::Encode(e.into()))
}

fn vanished(what: &str) -> StoreError {
    StoreError::Backend(format!("the {what} just written could not be read back"))
}

#[async_trait]
impl TaxiFleetStore for SqliteStore {
    async fn create_taxi_company(&self, company: &NewTaxiCompany) -> StoreResult<TaxiCompany> {
        let registered = to_json(&company.registration)?;
        let fixed = company.company_mchid.as_deref();
        let attempts = if fixed.is_some() { 1 } else { MCHID_ATTEMPTS };
        for _ in 0..attempts {
            let mchid = fixed.map_or_else(candidate_mchid, str::to_owned);
            // One statement, so the check and the insert cannot interleave
            // with another writer; a clash with a company is a unique violation.
            let inserted = sqlx::query(
                "INSERT INTO taxi_companies (company_mchid, provider_mchid, region_id, company_name,
                     registered_json, created_at, updated_at)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?6
                 WHERE NOT EXISTS (SELECT 1 FROM merchants WHERE mchid = ?1)",
            )
            .bind(&mchid)
            .bind(&company.provider_mchid)
            .bind(company.region_id)
            .bind(&company.registration.company_name)
            .bind(&registered)
            .bind(company.now)
            .execute(&self.pool)
            .await;
            match inserted.map_err(StoreError::from) {
                Ok(done) if done.rows_affected() == 1 => {
                    return self
                        .company(&mchid)
                        .await?
                        .ok_or_else(|| vanished("company"));
                }
                Ok(_) | Err(StoreError::Conflict(_)) => continue,
                Err(e) => return Err(e),
            }
        }
        match fixed {
            Some(mchid) => Err(StoreError::Conflict(format!(
                "mchid {mchid} is already a merchant's or a taxi company's"
            ))),
            None => Err(StoreError::Backend(
                "no free company mchid found; try again".into(),
            )),
        }
    }

    async fn company(&self, company_mchid: &str) -> StoreResult<Option<TaxiCompany>> {
        self.point_row(
            &format!("{SELECT_COMPANY} WHERE company_mchid = ?"),
            [company_mchid],
            |row| company_from_row(row),
        )
    }

    async fn put_taxi(&self, taxi: &Taxi, now: i64) -> StoreResult<Taxi> {
        sqlx::query(
            "INSERT INTO taxis (provider_mchid, region_id, plate_number, company_mchid,
                 main_license, deputy_license, support_invoice, taxi_state, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (provider_mchid, region_id, plate_number) DO UPDATE SET
                 company_mchid = excluded.company_mchid, main_license = excluded.main_license,
                 deputy_license = excluded.deputy_license,
                 support_invoice = excluded.support_invoice, taxi_state = excluded.taxi_state,
                 updated_at = excluded.updated_at",
        )
        .bind(&taxi.provider_mchid)
        .bind(taxi.region_id)
        .bind(&taxi.plate_number)
        .bind(&taxi.company_mchid)
        .bind(&taxi.main_license)
        .bind(&taxi.deputy_license)
        .bind(i64::from(taxi.support_invoice))
        .bind(&taxi.taxi_state)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        self.taxi(&taxi.provider_mchid, taxi.region_id, &taxi.plate_number)
            .await?
            .ok_or_else(|| vanished("taxi"))
    }

    async fn taxi(
        &self,
        provider_mchid: &str,
        region_id: i64,
        plate_number: &str,
    ) -> StoreResult<Option<Taxi>> {
        self.point_row(
            &format!(
                "{SELECT_TAXI} WHERE t.provider_mchid = ? AND t.region_id = ? AND t.plate_number = ?"
            ),
            rusqlite::params![provider_mchid, region_id, plate_number],
            |row| taxi_from_row(row),
        )
    }

    async fn taxi_company(
        &self,
        provider_mchid: &str,
        region_id: i64,
        plate_number: &str,
    ) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT company_mchid FROM taxis
             WHERE provider_mchid = ? AND region_id = ? AND plate_number = ?",
        )
        .bind(provider_mchid)
        .bind(region_id)
        .bind(plate_number)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn put_driver(&self, driver: &TaxiDriver, now: i64) -> StoreResult<TaxiDriver> {
        let photo = driver.driver_photo.as_ref().map(to_json).transpose()?;
        sqlx::query(
            "INSERT INTO taxi_drivers (provider_mchid, region_id, driver_license, company_mchid,
                 driver_name, id_card_number, driver_category, driver_status, photo_json,
                 created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (provider_mchid, region_id, driver_license) DO UPDATE SET
                 company_mchid = excluded.company_mchid, driver_name = excluded.driver_name,
                 id_card_number = excluded.id_card_number,
                 driver_category = excluded.driver_category,
                 driver_status = excluded.driver_status, photo_json = excluded.photo_json,
                 updated_at = excluded.updated_at",
        )
        .bind(&driver.provider_mchid)
        .bind(driver.region_id)
        .bind(&driver.driver_license)
        .bind(&driver.company_mchid)
        .bind(&driver.driver_name)
        .bind(&driver.id_card_number)
        .bind(&driver.driver_category)
        .bind(&driver.driver_status)
        .bind(photo)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        self.driver(
            &driver.provider_mchid,
            driver.region_id,
            &driver.driver_license,
        )
        .await?
        .ok_or_else(|| vanished("driver"))
    }

    async fn driver(
        &self,
        provider_mchid: &str,
        region_id: i64,
        driver_license: &str,
    ) -> StoreResult<Option<TaxiDriver>> {
        self.point_row(
            &format!(
                "{SELECT_DRIVER} WHERE d.provider_mchid = ? AND d.region_id = ? AND d.driver_license = ?"
            ),
            rusqlite::params![provider_mchid, region_id, driver_license],
            |row| driver_from_row(row),
        )
    }

    async fn add_punch(&self, punch: &TaxiPunch) -> StoreResult<()> {
        attendance::add_punch(&self.pool, punch).await
    }

    async fn signed_in_driver(
        &self,
        provider_mchid: &str,
        region_id: i64,
        plate_number: &str,
        at_ms: i64,
    ) -> StoreResult<Option<String>> {
        attendance::signed_in_driver(&self.pool, provider_mchid, region_id, plate_number, at_ms)
            .await
    }
}
