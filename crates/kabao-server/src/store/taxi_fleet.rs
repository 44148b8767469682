//! Taxi companies, taxis, drivers and attendance punches of the taxi
//! invoice family (T1–T7); every record belongs to the service provider
//! that registered it.

use crate::store::StoreResult;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// The fields of a T1 create-taxi-company call, kept as given so T2 can
/// echo them (invoice_mode and enterprise_type have no published enum).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyRegistration {
    /// 公司名称.
    pub company_name: String,
    /// 税号.
    pub tax_id: String,
    /// 公司地址.
    pub address: String,
    /// 公司电话.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// 开户行.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_name: Option<String>,
    /// 银行账号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_account: Option<String>,
    /// 开票渠道 (e.g. JIAO_WEI).
    pub invoice_mode: String,
    /// 企业法人姓名.
    pub legal_person: String,
    /// 公司简称.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// 企业类型 (e.g. ENTERPRISE).
    pub enterprise_type: String,
}

/// A taxi company as stored: who registered it, where, and what it gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxiCompany {
    /// The mchid kabao assigned (T1's answer).
    pub company_mchid: String,
    /// The service provider that registered it; only it sees the company.
    pub provider_mchid: String,
    /// The 6-digit administrative-division code it was registered in.
    pub region_id: i64,
    /// The company's name (also inside `registration`).
    pub company_name: String,
    /// Every field of the create call.
    pub registration: CompanyRegistration,
    /// Unix seconds.
    pub created_at: i64,
}

/// A company to register; the store assigns its mchid unless one is given.
#[derive(Debug, Clone)]
pub struct NewTaxiCompany {
    /// The mchid to register it under: `None` (T1) assigns a fresh one; the
    /// demo fleet fixes the official example's.
    pub company_mchid: Option<String>,
    /// The registering service provider.
    pub provider_mchid: String,
    /// Its region.
    pub region_id: i64,
    /// The fields as given.
    pub registration: CompanyRegistration,
    /// Unix seconds.
    pub now: i64,
}

/// A taxi (by plate) of one of a provider's companies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxi {
    /// The registering service provider.
    pub provider_mchid: String,
    /// Its region.
    pub region_id: i64,
    /// 车牌号, e.g. 沪A12345.
    pub plate_number: String,
    /// The company it belongs to.
    pub company_mchid: String,
    /// The company's name (read from the company; ignored when writing).
    pub company_name: String,
    /// 主班司机资格证号.
    pub main_license: String,
    /// 副班司机资格证号.
    pub deputy_license: Option<String>,
    /// From invoice_flag: INVOICE means the taxi issues fapiao.
    pub support_invoice: bool,
    /// IN_OPERATION or OUT_OPERATION.
    pub taxi_state: String,
}

/// A driver (by 营运资格证号) of one of a provider's companies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxiDriver {
    /// The registering service provider.
    pub provider_mchid: String,
    /// Its region.
    pub region_id: i64,
    /// 营运资格证号.
    pub driver_license: String,
    /// The company the driver drives for.
    pub company_mchid: String,
    /// The company's name (read from the company; ignored when writing).
    pub company_name: String,
    /// The driver's name, decrypted.
    pub driver_name: String,
    /// The driver's ID card number, decrypted.
    pub id_card_number: String,
    /// 司机类别 (e.g. MAIN).
    pub driver_category: String,
    /// 岗位状态 as given (e.g. ON_DUTY).
    pub driver_status: String,
    /// driver_photo as given (JSON), if any.
    pub driver_photo: Option<serde_json::Value>,
}

/// One attendance punch (T7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxiPunch {
    /// The punching service provider.
    pub provider_mchid: String,
    /// The region.
    pub region_id: i64,
    /// The taxi.
    pub plate_number: String,
    /// The driver.
    pub driver_license: String,
    /// SIGN_IN or SIGN_OUT.
    pub event_type: String,
    /// When it happened, Unix milliseconds.
    pub event_time_ms: i64,
    /// When kabao received it, Unix seconds.
    pub recorded_at: i64,
}

/// The taxi fleet of each service provider; a supertrait of `Store`.
#[async_trait]
pub trait TaxiFleetStore: Send + Sync {
    /// Registers a company under a fresh 10-digit mchid that is neither a
    /// merchant's nor another company's (or under `company_mchid` when
    /// given, a conflict when that is taken), and returns it.
    async fn create_taxi_company(&self, company: &NewTaxiCompany) -> StoreResult<TaxiCompany>;

    /// A company by its mchid, whichever provider registered it (callers
    /// check `provider_mchid` and `region_id`).
    async fn company(&self, company_mchid: &str) -> StoreResult<Option<TaxiCompany>>;

    /// Creates or replaces a taxi by (provider, region, plate); returns it
    /// as stored, with its company's name.
    async fn put_taxi(&self, taxi: &Taxi, now: i64) -> StoreResult<Taxi>;

    /// A provider's taxi in a region, by plate.
    async fn taxi(
        &self,
        provider_mchid: &str,
        region_id: i64,
        plate_number: &str,
    ) -> StoreResult<Option<Taxi>>;

    /// The company_mchid of a provider's taxi in a region, by plate.
    async fn taxi_company(
        &self,
        provider_mchid: &str,
        region_id: i64,
        plate_number: &str,
    ) -> StoreResult<Option<String>>;

    /// Creates or replaces a driver by (provider, region, licence); returns
    /// it as stored, with its company's name.
    async fn put_driver(&self, driver: &TaxiDriver, now: i64) -> StoreResult<TaxiDriver>;

    /// A provider's driver in a region, by 营运资格证号.
    async fn driver(
        &self,
        provider_mchid: &str,
        region_id: i64,
        driver_license: &str,
    ) -> StoreResult<Option<TaxiDriver>>;

    /// Records one punch (every punch is kept).
    async fn add_punch(&self, punch: &TaxiPunch) -> StoreResult<()>;

    /// The driver_license signed in on a taxi at `at_ms` (Unix ms): the
    /// latest SIGN_IN on that plate at or before `at_ms`, unless that driver
    /// signed out, or signed in on another plate, after it and up to `at_ms`.
    async fn signed_in_driver(
        &self,
        provider_mchid: &str,
        region_id: i64,
        plate_number: &str,
        at_ms: i64,
    ) -> StoreResult<Option<String>>;
}
