//! Merchant set-up (F1–F7): capability checks, seller information, the tax
//! code table, the callback configuration and the card template.

use super::setup_types::{
    BaseInformation, CardTemplate, CardTemplateRequest, CheckStatus, DevelopmentConfig,
    DevelopmentConfigPatch, TaxCodePage,
};
use super::{Fapiao, BASE};
use crate::error::ClientError;
use crate::pay::{encode_path_segment, Query};
use reqwest::Method;

impl Fapiao<'_> {
    /// `GET merchant/{sub_mchid}/check-status` (F1): whether fapiao can be
    /// issued for `sub_mchid` (a direct merchant may ask about itself).
    pub async fn check_status(&self, sub_mchid: &str) -> Result<CheckStatus, ClientError> {
        let target = format!(
            "{BASE}/merchant/{}/check-status",
            encode_path_segment(sub_mchid)
        );
        self.pay.get_json(&target, &[]).await
    }

    /// `POST merchant/{sub_mchid}/check` (F2, the 2021 check): `Ok` (204)
    /// when fapiao can be issued for `sub_mchid`, 403 NO_AUTH otherwise.
    pub async fn check(&self, sub_mchid: &str) -> Result<(), ClientError> {
        let target = format!("{BASE}/merchant/{}/check", encode_path_segment(sub_mchid));
        self.pay
            .send_expecting_no_body::<()>(Method::POST, &target, None, &[])
            .await
            .map(drop)
    }

    /// `GET merchant/base-information` (F3): the seller and the drawer
    /// (service providers name the sub-merchant).
    pub async fn base_information(
        &self,
        sub_mchid: Option<&str>,
    ) -> Result<BaseInformation, ClientError> {
        let target = Query::new()
            .push_opt("sub_mchid", sub_mchid)
            .to_target(&format!("{BASE}/merchant/base-information"));
        self.pay.get_json(&target, &[]).await
    }

    /// `GET merchant/tax-codes` (F4): one page of the tax codes the merchant
    /// may issue with (`limit` at most 20).
    pub async fn tax_codes(
        &self,
        sub_mchid: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<TaxCodePage, ClientError> {
        let target = Query::new()
            .push_opt("sub_mchid", sub_mchid)
            .push("offset", offset)
            .push("limit", limit)
            .to_target(&format!("{BASE}/merchant/tax-codes"));
        self.pay.get_json(&target, &[]).await
    }

    /// `PATCH merchant/development-config` (F5): sets the callback URL and
    /// options; absent fields keep their value. The new configuration.
    pub async fn update_development_config(
        &self,
        patch: &DevelopmentConfigPatch,
    ) -> Result<DevelopmentConfig, ClientError> {
        let target = format!("{BASE}/merchant/development-config");
        self.pay
            .call_json(Method::PATCH, &target, Some(patch), &[], &[])
            .await
    }

    /// `GET merchant/development-config` (F6): the configuration.
    pub async fn development_config(&self) -> Result<DevelopmentConfig, ClientError> {
        let target = format!("{BASE}/merchant/development-config");
        self.pay.get_json(&target, &[]).await
    }

    /// `POST card-template` (F7): creates (or overwrites) the card template
    /// fapiao are inserted with; issuing needs one.
    pub async fn create_card_template(
        &self,
        request: &CardTemplateRequest,
    ) -> Result<CardTemplate, ClientError> {
        let target = format!("{BASE}/card-template");
        self.pay
            .call_json(Method::POST, &target, Some(request), &[], &[])
            .await
    }
}
