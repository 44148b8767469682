//! Rows of the taxi tables (`taxi_companies`, `taxis`, `taxi_drivers`,
//! `taxi_rides`, `taxi_cards`) into domain values, with the SELECTs that
//! produce them, for both backends.

use super::Columns;
use crate::store::corrupt;
use crate::store::taxi_fleet::{Taxi, TaxiCompany, TaxiDriver};
use crate::store::taxi_trips::{Ride, TaxiCard};

/// Companies, read by [`company_from_row`].
pub(crate) const SELECT_COMPANY: &str = "SELECT company_mchid, provider_mchid, region_id,
        company_name, registered_json, created_at
     FROM taxi_companies";

/// Taxis with their company's name, read by [`taxi_from_row`].
pub(crate) const SELECT_TAXI: &str = "SELECT t.provider_mchid, t.region_id, t.plate_number,
        t.company_mchid, c.company_name, t.main_license, t.deputy_license, t.support_invoice,
        t.taxi_state
     FROM taxis t JOIN taxi_companies c ON c.company_mchid = t.company_mchid";

/// Drivers with their company's name, read by [`driver_from_row`].
pub(crate) const SELECT_DRIVER: &str = "SELECT d.provider_mchid, d.region_id, d.driver_license,
        d.company_mchid, c.company_name, d.driver_name, d.id_card_number, d.driver_category,
        d.driver_status, d.photo_json
     FROM taxi_drivers d JOIN taxi_companies c ON c.company_mchid = d.company_mchid";

/// The columns [`ride_from_row`] reads, for queries on `taxi_rides` alone.
pub(crate) const RIDE_COLUMNS: &str = "id, provider_mchid, company_mchid, region_id, plate_number,
    driver_license, appid, openid, transaction_id, pay_amount, pay_time, up_time, token, created_at";

/// A card joined with its ride (ride columns keep their names), read by
/// [`card_from_row`].
pub(crate) const CARD_SELECT: &str = "SELECT c.appid AS card_appid, c.openid AS card_openid,
    c.card_id, c.card_code, c.status, c.provider_mchid AS card_provider,
    c.company_mchid AS card_company, c.fapiao_media_id, c.fapiao_json, c.request_hash,
    c.created_at AS card_created_at, c.updated_at AS card_updated_at,
    r.id AS ride_id, r.provider_mchid, r.company_mchid, r.region_id, r.plate_number,
    r.driver_license, r.appid, r.openid, r.transaction_id, r.pay_amount, r.pay_time, r.up_time,
    r.token, r.created_at
  FROM taxi_cards c JOIN taxi_rides r ON r.id = c.ride_id";

/// A row of [`SELECT_COMPANY`].
pub(crate) fn company_from_row(row: &impl Columns) -> sqlx::Result<TaxiCompany> {
    let registered: String = row.col("registered_json")?;
    Ok(TaxiCompany {
        company_mchid: row.col("company_mchid")?,
        provider_mchid: row.col("provider_mchid")?,
        region_id: row.col("region_id")?,
        company_name: row.col("company_name")?,
        registration: serde_json::from_str(&registered)
            .map_err(|e| corrupt("registered_json", e))?,
        created_at: row.col("created_at")?,
    })
}

/// A row of [`SELECT_TAXI`].
pub(crate) fn taxi_from_row(row: &impl Columns) -> sqlx::Result<Taxi> {
    Ok(Taxi {
        provider_mchid: row.col("provider_mchid")?,
        region_id: row.col("region_id")?,
        plate_number: row.col("plate_number")?,
        company_mchid: row.col("company_mchid")?,
        company_name: row.col("company_name")?,
        main_license: row.col("main_license")?,
        deputy_license: row.col("deputy_license")?,
        support_invoice: row.col("support_invoice")?,
        taxi_state: row.col("taxi_state")?,
    })
}

/// A row of [`SELECT_DRIVER`].
pub(crate) fn driver_from_row(row: &impl Columns) -> sqlx::Result<TaxiDriver> {
    let photo: Option<String> = row.col("photo_json")?;
    Ok(TaxiDriver {
        provider_mchid: row.col("provider_mchid")?,
        region_id: row.col("region_id")?,
        driver_license: row.col("driver_license")?,
        company_mchid: row.col("company_mchid")?,
        company_name: row.col("company_name")?,
        driver_name: row.col("driver_name")?,
        id_card_number: row.col("id_card_number")?,
        driver_category: row.col("driver_category")?,
        driver_status: row.col("driver_status")?,
        driver_photo: photo
            .map(|p| serde_json::from_str(&p))
            .transpose()
            .map_err(|e| corrupt("photo_json", e))?,
    })
}

/// A ride from a row holding [`RIDE_COLUMNS`] (`id` may be aliased `ride_id`).
pub(crate) fn ride_from_row(row: &impl Columns) -> sqlx::Result<Ride> {
    Ok(Ride {
        ride_id: row.col("ride_id").or_else(|_| row.col("id"))?,
        provider_mchid: row.col("provider_mchid")?,
        company_mchid: row.col("company_mchid")?,
        region_id: row.col("region_id")?,
        plate_number: row.col("plate_number")?,
        driver_license: row.col("driver_license")?,
        appid: row.col("appid")?,
        openid: row.col("openid")?,
        transaction_id: row.col("transaction_id")?,
        pay_amount: row.col("pay_amount")?,
        pay_time: row.col("pay_time")?,
        up_time: row.col("up_time")?,
        token: row.col("token")?,
        created_at: row.col("created_at")?,
    })
}

/// A row of [`CARD_SELECT`].
pub(crate) fn card_from_row(row: &impl Columns) -> sqlx::Result<TaxiCard> {
    let fapiao: String = row.col("fapiao_json")?;
    Ok(TaxiCard {
        appid: row.col("card_appid")?,
        openid: row.col("card_openid")?,
        card_id: row.col("card_id")?,
        card_code: row.col("card_code")?,
        status: row.col("status")?,
        provider_mchid: row.col("card_provider")?,
        company_mchid: row.col("card_company")?,
        fapiao_media_id: row.col("fapiao_media_id")?,
        fapiao_card_information: serde_json::from_str(&fapiao)
            .map_err(|e| corrupt("fapiao_json", e))?,
        ride: ride_from_row(row)?,
        created_at: row.col("card_created_at")?,
        updated_at: row.col("card_updated_at")?,
    })
}
