//! The invoicing platform (开票平台, P1–P6): its `s_pappid`, card templates,
//! PDF uploads, inserting invoices into users' card packages (the seed
//! call), and red-lettering.

use super::transport::{typed, OaBody};
use super::OfficialAccount;
use crate::error::ClientError;
use kabao_protocol::oa::insert::{InsertCardResponse, InsertInvoiceRequest};
use kabao_protocol::oa::platform::{
    CardIdResponse, CreateCardRequest, GetPdfRequest, GetPdfResponse, PlatformUpdateStatusRequest,
    SetPdfResponse, SetUrlResponse,
};
use reqwest::Method;
use serde_json::json;

impl OfficialAccount {
    /// `POST /card/invoice/seturl` (P1): the platform's authorisation link,
    /// whose `s_pappid` the platform hands to its merchants.
    pub async fn set_url(&self) -> Result<SetUrlResponse, ClientError> {
        self.post_as("/card/invoice/seturl", &json!({})).await
    }

    /// The `s_pappid` inside [`OfficialAccount::set_url`]'s `invoice_url`.
    pub async fn s_pappid(&self) -> Result<String, ClientError> {
        let answer = self.set_url().await?;
        answer
            .invoice_url
            .split_once("s_pappid=")
            .map(|(_, rest)| rest.split('&').next().unwrap_or(rest).to_owned())
            .ok_or_else(|| {
                ClientError::unexpected(format!("no s_pappid in {}", answer.invoice_url))
            })
    }

    /// `POST /card/invoice/platform/createcard` (P2): a card template; the
    /// answer carries its `card_id`.
    pub async fn create_card(
        &self,
        request: &CreateCardRequest,
    ) -> Result<CardIdResponse, ClientError> {
        self.post_as("/card/invoice/platform/createcard", request)
            .await
    }

    /// `POST /card/invoice/platform/setpdf` (P3): uploads a PDF as the
    /// multipart part `pdf`; the `s_media_id` is usable for three days.
    pub async fn set_pdf(
        &self,
        filename: &str,
        pdf: Vec<u8>,
    ) -> Result<SetPdfResponse, ClientError> {
        let path = "/card/invoice/platform/setpdf";
        let body = OaBody::Pdf {
            filename: filename.to_owned(),
            bytes: pdf,
        };
        let value = self.call(Method::POST, path, &[], &body).await?;
        typed(path, value)
    }

    /// `POST /card/invoice/platform/getpdf?action=get_url` (P4): a download
    /// link for an upload, valid `pdf_url_expire_time` seconds.
    pub async fn get_pdf(&self, s_media_id: &str) -> Result<GetPdfResponse, ClientError> {
        let request = GetPdfRequest {
            s_media_id: s_media_id.to_owned(),
            action: None,
        };
        self.post_as("/card/invoice/platform/getpdf?action=get_url", &request)
            .await
    }

    /// `POST /card/invoice/insert` (P5, the seed): puts an invoice into the
    /// card package of the user who authorised the order. Call it with the
    /// platform's token; `appid` in the body is the merchant's.
    pub async fn insert(
        &self,
        request: &InsertInvoiceRequest,
    ) -> Result<InsertCardResponse, ClientError> {
        self.post_as("/card/invoice/insert", request).await
    }

    /// `POST /card/invoice/platform/updatestatus` (P6): the platform sets a
    /// card's reimbursement status, e.g. `INVOICE_REIMBURSE_CANCEL` after
    /// red-lettering. `code` is the card code insert returned.
    pub async fn platform_update_status(
        &self,
        request: &PlatformUpdateStatusRequest,
    ) -> Result<(), ClientError> {
        self.post("/card/invoice/platform/updatestatus", request)
            .await
            .map(drop)
    }
}
