//! Fiscal (non-tax) e-bills (财政电子票据, N1–N3): the finance bureau's bill
//! template and insert (the seed call), the collecting unit's authorisation
//! link. The bureau reuses seturl, setpdf and getpdf; the unit reuses
//! getticket and getauthdata.

use super::OfficialAccount;
use crate::error::ClientError;
use kabao_protocol::oa::insert::{
    BillCardExt, BillUserData, InsertBillRequest, InsertCardResponse,
};
use kabao_protocol::oa::merchant::{GetAuthUrlRequest, GetAuthUrlResponse};
use kabao_protocol::oa::platform::CardIdResponse;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// `POST /nontax/createbillcard` body, in the shape of the official example
/// (`invoice_info` wrapping `payee` and `base_info`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateBillCardRequest {
    /// The template.
    pub invoice_info: BillInvoiceInfo,
}

/// A fiscal bill template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillInvoiceInfo {
    /// The collecting unit shown as payee.
    pub payee: String,
    /// The card face.
    pub base_info: BillBaseInfo,
}

/// The card face of a fiscal bill template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillBaseInfo {
    /// Logo URL.
    pub logo_url: String,
    /// Short name shown on the card, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl OfficialAccount {
    /// `POST /nontax/createbillcard` (N1): the bureau's bill template; the
    /// answer carries its `card_id`.
    pub async fn create_bill_card(
        &self,
        request: &CreateBillCardRequest,
    ) -> Result<CardIdResponse, ClientError> {
        self.post_as("/nontax/createbillcard", request).await
    }

    /// `POST /nontax/getbillauthurl` (N2): the payer's authorisation link
    /// for a bill order (the collecting unit calls it; `type` is not sent).
    pub async fn get_bill_auth_url(
        &self,
        request: &GetAuthUrlRequest,
    ) -> Result<GetAuthUrlResponse, ClientError> {
        let mut request = request.clone();
        request.auth_type = None;
        self.post_as("/nontax/getbillauthurl", &request).await
    }

    /// `POST /nontax/insertbill` (N3, the seed): the bureau puts a bill into
    /// the card package of the payer who authorised the order.
    pub async fn insert_bill(
        &self,
        request: &InsertBillRequest,
    ) -> Result<InsertCardResponse, ClientError> {
        self.post_as("/nontax/insertbill", request).await
    }
}

/// An insertbill body with `bill` nested in `card_ext.user_card.invoice_user_data`,
/// as the seed's example sends it.
pub fn bill_request(
    order_id: &str,
    card_id: &str,
    appid: &str,
    bill: &BillUserData,
) -> InsertBillRequest {
    InsertBillRequest {
        order_id: order_id.to_owned(),
        card_id: card_id.to_owned(),
        appid: appid.to_owned(),
        card_ext: BillCardExt {
            nonce_str: None,
            user_card: json!({ "invoice_user_data": bill }),
        },
    }
}
