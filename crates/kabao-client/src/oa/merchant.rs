//! The merchant (商户, M1–M6): the authorisation link for an order, what the
//! user authorised, refusing to invoice, and the `setbizattr` settings
//! (title fields, payment merchant binding, contact).

use super::types::{AuthFieldBody, ContactBody, PayMchBody};
use super::OfficialAccount;
use crate::error::ClientError;
use kabao_protocol::oa::merchant::{
    AuthFieldConfig, ContactInfo, GetAuthDataRequest, GetAuthDataResponse, GetAuthUrlRequest,
    GetAuthUrlResponse, PayMchInfo, RejectInsertRequest,
};
use serde_json::json;

const SETBIZATTR: &str = "/card/invoice/setbizattr?action=";

impl OfficialAccount {
    /// `POST /card/invoice/getauthurl` (M1): the page where the user
    /// authorises the invoice of an order. Needs the contact (M6) first, and
    /// for `type` 1 the title fields (M4).
    pub async fn get_auth_url(
        &self,
        request: &GetAuthUrlRequest,
    ) -> Result<GetAuthUrlResponse, ClientError> {
        self.post_as("/card/invoice/getauthurl", request).await
    }

    /// `POST /card/invoice/getauthdata` (M2): whether the user authorised
    /// the order (`invoice_status`) and the title they gave.
    pub async fn get_auth_data(
        &self,
        request: &GetAuthDataRequest,
    ) -> Result<GetAuthDataResponse, ClientError> {
        self.post_as("/card/invoice/getauthdata", request).await
    }

    /// `POST /card/invoice/rejectinsert` (M3): refuses to invoice an
    /// authorised order; the order can never be inserted afterwards.
    pub async fn reject_insert(&self, request: &RejectInsertRequest) -> Result<(), ClientError> {
        self.post("/card/invoice/rejectinsert", request)
            .await
            .map(drop)
    }

    /// `setbizattr?action=set_auth_field` (M4): the title fields the type-1
    /// authorisation page asks for.
    pub async fn set_auth_field(&self, fields: &AuthFieldConfig) -> Result<(), ClientError> {
        let path = format!("{SETBIZATTR}set_auth_field");
        let body = AuthFieldBody { auth_field: fields };
        self.post(&path, &body).await.map(drop)
    }

    /// `setbizattr?action=get_auth_field` (M4): the title fields as set.
    pub async fn get_auth_field(&self) -> Result<AuthFieldConfig, ClientError> {
        let path = format!("{SETBIZATTR}get_auth_field");
        let body: AuthFieldBody<AuthFieldConfig> = self.post_as(&path, &json!({})).await?;
        Ok(body.auth_field)
    }

    /// `setbizattr?action=set_pay_mch` (M5): binds the WeChat Pay mchid to
    /// the platform that issues after payment.
    pub async fn set_pay_mch(&self, info: &PayMchInfo) -> Result<(), ClientError> {
        let path = format!("{SETBIZATTR}set_pay_mch");
        self.post(&path, &PayMchBody { paymch_info: info })
            .await
            .map(drop)
    }

    /// `setbizattr?action=get_pay_mch` (M5): the binding as set.
    pub async fn get_pay_mch(&self) -> Result<PayMchInfo, ClientError> {
        let path = format!("{SETBIZATTR}get_pay_mch");
        let body: PayMchBody<PayMchInfo> = self.post_as(&path, &json!({})).await?;
        Ok(body.paymch_info)
    }

    /// `setbizattr?action=set_contact` (M6): the merchant's contact and how
    /// long authorisation links stay valid; getauthurl needs it (72063).
    pub async fn set_contact(&self, contact: &ContactInfo) -> Result<(), ClientError> {
        let path = format!("{SETBIZATTR}set_contact");
        self.post(&path, &ContactBody { contact }).await.map(drop)
    }

    /// `setbizattr?action=get_contact` (M6): the contact as set.
    pub async fn get_contact(&self) -> Result<ContactInfo, ClientError> {
        let path = format!("{SETBIZATTR}get_contact");
        let body: ContactBody<ContactInfo> = self.post_as(&path, &json!({})).await?;
        Ok(body.contact)
    }
}
