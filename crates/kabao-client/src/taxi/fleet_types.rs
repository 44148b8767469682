//! Bodies of the fleet endpoints (T1–T7): companies, taxis, drivers and
//! their punches. `region_id` is the 6-digit administrative-division code.

use serde::{Deserialize, Serialize};

/// create-taxi-company (T1) body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateTaxiCompanyRequest {
    /// Full name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// Taxpayer id.
    pub tax_id: String,
    /// Registered address.
    pub address: String,
    /// Phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_name: Option<String>,
    /// Bank account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_account: Option<String>,
    /// Invoicing mode (the example's `JIAO_WEI`; no published enum).
    pub invoice_mode: String,
    /// Legal representative.
    pub legal_person: String,
    /// Short name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// Region.
    pub region_id: i64,
    /// Enterprise type (the example's `ENTERPRISE`).
    pub enterprise_type: String,
}

/// create-taxi-company (T1) answer: the company's new sub-merchant id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedTaxiCompany {
    /// The company's mchid.
    pub mchid: String,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
}

/// taxi-companies/{company_mchid} (T2) answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxiCompany {
    /// The company's mchid.
    pub company_mchid: String,
    /// Enterprise type as registered.
    pub enterprise_type: String,
    /// Full name.
    pub company_name: String,
    /// Short name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// Taxpayer id.
    pub tax_id: String,
    /// Address.
    pub address: String,
    /// Phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_name: Option<String>,
    /// Bank account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_account: Option<String>,
    /// Legal representative.
    pub legal_person: String,
    /// Invoicing mode as registered.
    pub invoice_mode: String,
    /// Region.
    pub region_id: i64,
}

/// update-taxi (T3) body (its answer echoes the same fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateTaxiRequest {
    /// Plate number, e.g. `沪A12345`.
    pub plate_number: String,
    /// The company's name.
    pub company_name: String,
    /// The company's mchid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mchid: Option<String>,
    /// 主营运证号.
    pub main_license: String,
    /// 副营运证号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deputy_license: Option<String>,
    /// Region.
    pub region_id: i64,
    /// `INVOICE` to offer invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_flag: Option<String>,
    /// `IN_OPERATION` or `OUT_OPERATION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxi_state: Option<String>,
}

/// taxies/{plate_number} (T4) answer: a taxi as registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredTaxi {
    /// Plate number.
    pub plate_number: String,
    /// The company's name.
    pub company_name: String,
    /// The company's mchid.
    pub company_mchid: String,
    /// 主营运证号.
    pub main_license: String,
    /// 副营运证号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deputy_license: Option<String>,
    /// Region.
    pub region_id: i64,
    /// Whether passengers can get invoices.
    pub support_invoice: bool,
    /// `IN_OPERATION` or `OUT_OPERATION`.
    pub taxi_state: String,
}

/// update-driver (T5) body and answer; `driver_name` and `id_card_number`
/// are plaintext here (the SDK encrypts and decrypts them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriverRecord {
    /// Name (sensitive).
    pub driver_name: String,
    /// ID card number (sensitive).
    pub id_card_number: String,
    /// The company's name.
    pub company_name: String,
    /// The company's mchid.
    pub mchid: String,
    /// 营运资格证号.
    pub driver_license: String,
    /// e.g. `MAIN`.
    pub driver_category: String,
    /// e.g. `ON_DUTY`.
    pub driver_status: String,
    /// Photo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver_photo: Option<DriverPhoto>,
    /// Region.
    pub region_id: i64,
}

/// drivers/{driver_license} (T6) answer (`driver_name` decrypted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Driver {
    /// Name.
    pub driver_name: String,
    /// The company's name.
    pub company_name: String,
    /// The company's mchid.
    pub company_mchid: String,
    /// 营运资格证号.
    pub driver_license: String,
    /// e.g. `MAIN`.
    pub driver_category: String,
    /// Photo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver_photo: Option<DriverPhoto>,
    /// Region.
    pub region_id: i64,
    /// e.g. `ACTIVE`.
    pub driver_state: String,
}

/// A driver's photo.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DriverPhoto {
    /// e.g. `PHOTO_URL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_type: Option<String>,
    /// Its digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_digest: Option<PhotoDigest>,
    /// Where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
    /// A small base64 icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_icon: Option<String>,
    /// The photo itself (T6 answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_data: Option<String>,
}

/// A photo's digest.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PhotoDigest {
    /// e.g. `MD5`.
    pub hash_type: String,
    /// Hex digest.
    pub hash_value: String,
}

/// attendance/punch (T7) body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PunchRequest {
    /// The taxi.
    pub plate_number: String,
    /// The driver.
    pub driver_license: String,
    /// RFC 3339, milliseconds allowed: `2019-12-01T12:00:00.000+08:00`.
    pub event_time: String,
    /// `SIGN_IN` or `SIGN_OUT`.
    pub event_type: String,
    /// Region.
    pub region_id: i64,
}
