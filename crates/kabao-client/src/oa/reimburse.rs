//! The reimburser (报销方, R1–R4 and C4): reading the invoices a user chose,
//! locking, unlocking and closing them, and turning a chooser's
//! `encrypt_code` into the card code.

use super::OfficialAccount;
use crate::error::ClientError;
use kabao_protocol::oa::reimburse::{
    CardRef, DecryptCodeRequest, InvoiceBatchRequest, InvoiceInfoResponse,
    UpdateInvoiceStatusRequest, UpdateStatusBatchRequest,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct BatchAnswer {
    item_list: Vec<InvoiceInfoResponse>,
}

#[derive(Deserialize)]
struct CodeAnswer {
    code: String,
}

impl OfficialAccount {
    /// `POST /card/invoice/reimburse/getinvoiceinfo` (R1): one invoice's
    /// data and a fresh PDF link.
    pub async fn get_invoice_info(
        &self,
        card: &CardRef,
    ) -> Result<InvoiceInfoResponse, ClientError> {
        self.post_as("/card/invoice/reimburse/getinvoiceinfo", card)
            .await
    }

    /// `POST /card/invoice/reimburse/getinvoicebatch` (R2): several
    /// invoices at once, in the order asked.
    pub async fn get_invoice_batch(
        &self,
        request: &InvoiceBatchRequest,
    ) -> Result<Vec<InvoiceInfoResponse>, ClientError> {
        let answer: BatchAnswer = self
            .post_as("/card/invoice/reimburse/getinvoicebatch", request)
            .await?;
        Ok(answer.item_list)
    }

    /// `POST /card/invoice/reimburse/updateinvoicestatus` (R3): locks,
    /// unlocks or closes one invoice (`INVOICE_REIMBURSE_LOCK`, `_INIT`,
    /// `_CLOSURE`; closing needs the lock first).
    pub async fn update_invoice_status(
        &self,
        request: &UpdateInvoiceStatusRequest,
    ) -> Result<(), ClientError> {
        self.post("/card/invoice/reimburse/updateinvoicestatus", request)
            .await
            .map(drop)
    }

    /// `POST /card/invoice/reimburse/updatestatusbatch` (R4): the same move
    /// for several invoices of one user, all or nothing.
    pub async fn update_status_batch(
        &self,
        request: &UpdateStatusBatchRequest,
    ) -> Result<(), ClientError> {
        self.post("/card/invoice/reimburse/updatestatusbatch", request)
            .await
            .map(drop)
    }

    /// `POST /card/code/decrypt` (C4): the card code behind a chooser's
    /// `encrypt_code`.
    pub async fn decrypt_code(&self, encrypt_code: &str) -> Result<String, ClientError> {
        let request = DecryptCodeRequest {
            encrypt_code: encrypt_code.to_owned(),
        };
        let answer: CodeAnswer = self.post_as("/card/code/decrypt", &request).await?;
        Ok(answer.code)
    }
}
