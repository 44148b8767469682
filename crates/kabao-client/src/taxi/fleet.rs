//! The fleet (T1–T7): registering taxi companies, taxis and drivers, and
//! the drivers' sign-in and sign-out.

use super::fleet_types::{
    CreateTaxiCompanyRequest, CreatedTaxiCompany, Driver, DriverRecord, PunchRequest,
    RegisteredTaxi, TaxiCompany, UpdateTaxiRequest,
};
use super::{Taxi, BASE};
use crate::error::ClientError;
use crate::pay::{encode_path_segment, Query};
use reqwest::Method;

/// The driver's sensitive fields, both ways.
const DRIVER_FIELDS: [&str; 2] = ["driver_name", "id_card_number"];

impl Taxi<'_> {
    /// `POST taxi-company/create-taxi-company` (T1): registers a taxi
    /// company as this provider's sub-merchant; its new mchid.
    pub async fn create_company(
        &self,
        request: &CreateTaxiCompanyRequest,
    ) -> Result<CreatedTaxiCompany, ClientError> {
        let target = format!("{BASE}/taxi-company/create-taxi-company");
        self.pay
            .call_json(Method::POST, &target, Some(request), &[], &[])
            .await
    }

    /// `GET taxi-companies/{company_mchid}?region_id=` (T2): a company as registered.
    pub async fn company(
        &self,
        company_mchid: &str,
        region_id: i64,
    ) -> Result<TaxiCompany, ClientError> {
        let target = Query::new()
            .push("region_id", region_id)
            .to_target(&format!(
                "{BASE}/taxi-companies/{}",
                encode_path_segment(company_mchid)
            ));
        self.pay.get_json(&target, &[]).await
    }

    /// `POST taxi/update-taxi` (T3): creates or updates a taxi by plate; the
    /// answer echoes what was stored.
    pub async fn update_taxi(
        &self,
        request: &UpdateTaxiRequest,
    ) -> Result<UpdateTaxiRequest, ClientError> {
        let target = format!("{BASE}/taxi/update-taxi");
        self.pay
            .call_json(Method::POST, &target, Some(request), &[], &[])
            .await
    }

    /// `GET taxies/{plate_number}?region_id=` (T4, WeChat's spelling): a taxi.
    pub async fn taxi(
        &self,
        plate_number: &str,
        region_id: i64,
    ) -> Result<RegisteredTaxi, ClientError> {
        let target = Query::new()
            .push("region_id", region_id)
            .to_target(&format!(
                "{BASE}/taxies/{}",
                encode_path_segment(plate_number)
            ));
        self.pay.get_json(&target, &[]).await
    }

    /// `POST driver/update-driver` (T5): creates or updates a driver, name
    /// and ID number encrypted on the way out and decrypted in the echo.
    pub async fn update_driver(&self, driver: &DriverRecord) -> Result<DriverRecord, ClientError> {
        let target = format!("{BASE}/driver/update-driver");
        self.pay
            .call_json(
                Method::POST,
                &target,
                Some(driver),
                &DRIVER_FIELDS,
                &DRIVER_FIELDS,
            )
            .await
    }

    /// `GET drivers/{driver_license}?region_id=` (T6): a driver, name decrypted.
    pub async fn driver(
        &self,
        driver_license: &str,
        region_id: i64,
    ) -> Result<Driver, ClientError> {
        let target = Query::new()
            .push("region_id", region_id)
            .to_target(&format!(
                "{BASE}/drivers/{}",
                encode_path_segment(driver_license)
            ));
        self.pay.get_json(&target, &["driver_name"]).await
    }

    /// `POST attendance/punch` (T7): a driver signs in (trips become trip
    /// orders, the payment voucher offers an invoice) or out; 204.
    pub async fn punch(&self, punch: &PunchRequest) -> Result<(), ClientError> {
        let target = format!("{BASE}/attendance/punch");
        self.pay
            .send_expecting_no_body(Method::POST, &target, Some(punch), &[])
            .await
            .map(drop)
    }
}
