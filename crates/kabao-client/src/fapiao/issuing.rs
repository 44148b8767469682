//! Issuing and what follows (F10–F18): the classic and 数电 applications
//! (answered 202; the outcome comes by callback and by query), the query,
//! the reversal, and the fapiao files.

use super::issue_types::{DigitalApplication, FapiaoApplication};
use super::query_types::{ApplicationStatus, FapiaoFiles, ReverseRequest};
use super::{Fapiao, BASE};
use crate::error::ClientError;
use crate::pay::{encode_path_segment, sm3_hex, Query};
use reqwest::Method;

/// The buyer's sensitive fields in every issuing body.
const BUYER_FIELDS: [&str; 2] = ["buyer_information.phone", "buyer_information.email"];
/// The sensitive fields of the 数电 bodies: the buyer's and the industry blocks'.
const DIGITAL_FIELDS: [&str; 4] = [
    "buyer_information.phone",
    "buyer_information.email",
    "fapiao_information.items.*.passenger_information.certificate_number",
    "fapiao_information.items.*.real_estate_leasing_information.certificate_no",
];
/// The buyer's sensitive fields in the query answer.
const QUERY_FIELDS: [&str; 2] = [
    "fapiao_information.*.buyer_information.phone",
    "fapiao_information.*.buyer_information.email",
];

fn applications() -> String {
    format!("{BASE}/fapiao-applications")
}

fn application_path(fapiao_apply_id: &str) -> String {
    format!(
        "{}/{}",
        applications(),
        encode_path_segment(fapiao_apply_id)
    )
}

impl Fapiao<'_> {
    /// `POST fapiao-applications` (F10): asks for the fapiao of an
    /// application; `Ok` means accepted (202). FAPIAO.ISSUED and
    /// FAPIAO.CARD_INSERTED follow; [`Fapiao::application`] shows progress.
    pub async fn issue(&self, application: &FapiaoApplication) -> Result<(), ClientError> {
        self.pay
            .send_expecting_no_body(
                Method::POST,
                &applications(),
                Some(application),
                &BUYER_FIELDS,
            )
            .await
            .map(drop)
    }

    async fn issue_digital(
        &self,
        endpoint: &str,
        application: &DigitalApplication,
    ) -> Result<(), ClientError> {
        let target = format!("{}/{endpoint}", applications());
        self.pay
            .send_expecting_no_body(Method::POST, &target, Some(application), &DIGITAL_FIELDS)
            .await
            .map(drop)
    }

    /// `POST fapiao-applications/issue-general` (F11): a 数电 general fapiao.
    pub async fn issue_general(&self, application: &DigitalApplication) -> Result<(), ClientError> {
        self.issue_digital("issue-general", application).await
    }

    /// `POST fapiao-applications/issue-passenger-transport` (F12): a 数电
    /// passenger-transport fapiao (lines carry `passenger_information`).
    pub async fn issue_passenger_transport(
        &self,
        application: &DigitalApplication,
    ) -> Result<(), ClientError> {
        self.issue_digital("issue-passenger-transport", application)
            .await
    }

    /// `POST fapiao-applications/issue-refined-oil` (F13): a 数电 refined-oil
    /// fapiao (lines carry `refined_oil_information`).
    pub async fn issue_refined_oil(
        &self,
        application: &DigitalApplication,
    ) -> Result<(), ClientError> {
        self.issue_digital("issue-refined-oil", application).await
    }

    /// `POST fapiao-applications/real-estate-leasing` (F14): a 数电
    /// real-estate-leasing fapiao (lines carry `real_estate_leasing_information`).
    pub async fn issue_real_estate_leasing(
        &self,
        application: &DigitalApplication,
    ) -> Result<(), ClientError> {
        self.issue_digital("real-estate-leasing", application).await
    }

    /// `GET fapiao-applications/{fapiao_apply_id}` (F15): every fapiao of the
    /// application (or only `fapiao_id`), buyer phone and email decrypted.
    pub async fn application(
        &self,
        fapiao_apply_id: &str,
        sub_mchid: Option<&str>,
        fapiao_id: Option<&str>,
    ) -> Result<ApplicationStatus, ClientError> {
        let target = Query::new()
            .push_opt("sub_mchid", sub_mchid)
            .push_opt("fapiao_id", fapiao_id)
            .to_target(&application_path(fapiao_apply_id));
        self.pay.get_json(&target, &QUERY_FIELDS).await
    }

    /// `POST fapiao-applications/{fapiao_apply_id}/reverse` (F16): reverses
    /// (冲红) issued fapiao; `Ok` means accepted (202), FAPIAO.REVERSED and
    /// FAPIAO.CARD_DISCARDED follow.
    pub async fn reverse(
        &self,
        fapiao_apply_id: &str,
        request: &ReverseRequest,
    ) -> Result<(), ClientError> {
        let target = format!("{}/reverse", application_path(fapiao_apply_id));
        self.pay
            .send_expecting_no_body(Method::POST, &target, Some(request), &[])
            .await
            .map(drop)
    }

    /// `GET fapiao-applications/{fapiao_apply_id}/fapiao-files` (F17):
    /// download links of the fapiao WeChat Pay issued (valid 30 s).
    pub async fn files(
        &self,
        fapiao_apply_id: &str,
        sub_mchid: Option<&str>,
        fapiao_id: Option<&str>,
    ) -> Result<FapiaoFiles, ClientError> {
        let target = Query::new()
            .push_opt("sub_mchid", sub_mchid)
            .push_opt("fapiao_id", fapiao_id)
            .to_target(&format!(
                "{}/fapiao-files",
                application_path(fapiao_apply_id)
            ));
        self.pay.get_json(&target, &[]).await
    }

    /// Downloads a fapiao file from a [`Fapiao::files`] link (F18). The
    /// download is neither signed nor verified (as WeChat documents); its
    /// `sm3-digest` header is checked against the bytes instead.
    pub async fn download_file(&self, download_url: &str) -> Result<Vec<u8>, ClientError> {
        let (headers, bytes) = self.pay.fetch_unsigned(download_url).await?;
        if let Some(announced) = headers.get("sm3-digest").and_then(|v| v.to_str().ok()) {
            let actual = sm3_hex(&bytes);
            if !announced.eq_ignore_ascii_case(&actual) {
                return Err(ClientError::Digest {
                    announced: announced.to_owned(),
                    actual,
                });
            }
        }
        Ok(bytes.to_vec())
    }
}
