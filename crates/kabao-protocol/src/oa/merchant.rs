//! Merchant (商户) and collecting-unit bodies: `getauthurl`,
//! `getbillauthurl`, `getauthdata`, `rejectinsert` and `setbizattr`.

use super::lenient;
use serde::{Deserialize, Serialize};

/// `POST /card/invoice/getauthurl` body (also `/nontax/getbillauthurl`,
/// which has no `type`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetAuthUrlRequest {
    /// The invoicing platform's (or fiscal bureau's) id from seturl.
    pub s_pappid: String,
    /// The merchant's order id, unique per merchant.
    pub order_id: String,
    /// Order amount in fen.
    #[serde(deserialize_with = "lenient::int")]
    pub money: i64,
    /// Unix seconds.
    #[serde(deserialize_with = "lenient::int")]
    pub timestamp: i64,
    /// `app`, `web`, `wxa` or `wap`.
    pub source: String,
    /// Where the page returns to (H5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    /// The `wx_card` api_ticket.
    pub ticket: String,
    /// 0 title known, 1 user fills in the title, 2 collect an issued invoice.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub auth_type: Option<i64>,
}

/// `getauthurl` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetAuthUrlResponse {
    /// 0.
    pub errcode: i64,
    /// "ok".
    pub errmsg: String,
    /// The authorisation page.
    pub auth_url: String,
    /// For `source=wxa`: the mini program that opens `auth_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appid: Option<String>,
    /// Seconds the link is valid (getbillauthurl only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_time: Option<i64>,
}

/// `POST /card/invoice/getauthdata` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetAuthDataRequest {
    /// The platform id the order was authorised with.
    pub s_pappid: String,
    /// The order.
    pub order_id: String,
}

/// `getauthdata` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GetAuthDataResponse {
    /// 0.
    pub errcode: i64,
    /// "ok".
    pub errmsg: String,
    /// "auth success", "never auth" or "reject insert".
    pub invoice_status: String,
    /// When the user authorised (Unix seconds), 0 before.
    pub auth_time: i64,
    /// The title the user gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_auth_info: Option<UserAuthInfo>,
}

/// The title data the user confirmed: a personal or a company title.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UserAuthInfo {
    /// Personal title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_field: Option<UserField>,
    /// Company title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biz_field: Option<BizField>,
}

/// A personal title.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UserField {
    /// The title (a person's name).
    #[serde(default)]
    pub title: String,
    /// Phone.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
    /// Email.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    /// The merchant's custom fields with the user's answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_field: Vec<CustomFieldValue>,
}

/// A company title.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BizField {
    /// Company name.
    #[serde(default)]
    pub title: String,
    /// Taxpayer id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tax_no: String,
    /// Address.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub addr: String,
    /// Phone.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
    /// Bank.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub bank_type: String,
    /// Bank account.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub bank_no: String,
    /// The merchant's custom fields with the user's answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_field: Vec<CustomFieldValue>,
}

/// One custom field answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CustomFieldValue {
    /// The field's label.
    pub key: String,
    /// The user's answer.
    #[serde(default)]
    pub value: String,
}

/// `POST /card/invoice/rejectinsert` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectInsertRequest {
    /// The platform id the order was authorised with.
    pub s_pappid: String,
    /// The order.
    pub order_id: String,
    /// Why, shown to the user.
    pub reason: String,
    /// A link shown with the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `setbizattr?action=set_auth_field` body: which title fields the
/// authorisation page asks for (flags 0/1; a shown field is required).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuthFieldConfig {
    /// Fields of a personal title.
    #[serde(default)]
    pub user_field: AuthUserFieldFlags,
    /// Fields of a company title.
    #[serde(default)]
    pub biz_field: AuthBizFieldFlags,
}

/// Which personal-title fields to ask for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuthUserFieldFlags {
    /// Ask for the title.
    #[serde(default, deserialize_with = "lenient::int")]
    pub show_title: i64,
    /// Ask for the phone.
    #[serde(default, deserialize_with = "lenient::int")]
    pub show_phone: i64,
    /// Ask for the email.
    #[serde(default, deserialize_with = "lenient::int")]
    pub show_email: i64,
    /// Extra fields by label.
    #[serde(default)]
    pub custom_field: Vec<CustomFieldKey>,
}

/// Which company-title fields to ask for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuthBizFieldFlags {
    /// Ask for the company name.
    #[serde(default, deserialize_with = "lenient::int")]
    pub show_title: i64,
    /// Ask for the taxpayer id.
    #[serde(default, deserialize_with = "lenient::int")]
    pub show_tax_no: i64,
    /// Ask for the address.
    #[serde(default, deserialize_with = "lenient::int")]
    pub show_addr: i64,
    /// Ask for the phone.
    #[serde(default, deserialize_with = "lenient::int")]
    pub show_phone: i64,
    /// Ask for the bank.
    #[serde(default, deserialize_with = "lenient::int")]
    pub show_bank_type: i64,
    /// Ask for the account.
    #[serde(default, deserialize_with = "lenient::int")]
    pub show_bank_no: i64,
    /// Extra fields by label.
    #[serde(default)]
    pub custom_field: Vec<CustomFieldKey>,
}

/// A custom field's label.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CustomFieldKey {
    /// The label.
    pub key: String,
    /// Whether the user must fill it (SKIT's `is_require`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_require: Option<i64>,
}

/// `setbizattr?action=set_pay_mch` payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayMchInfo {
    /// The WeChat Pay merchant id.
    #[serde(deserialize_with = "lenient::string")]
    pub mchid: String,
    /// The invoicing platform that issues after payment.
    pub s_pappid: String,
}

/// `setbizattr?action=set_contact` payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactInfo {
    /// Contact phone.
    #[serde(deserialize_with = "lenient::string")]
    pub phone: String,
    /// Seconds an authorisation link stays valid.
    #[serde(
        deserialize_with = "lenient::int",
        alias = "timeout",
        alias = "timeOut"
    )]
    pub time_out: i64,
}
