//! The step every typed method shares: serialize the request, encrypt its
//! sensitive fields (and name the key in `Wechatpay-Serial`), send, verify,
//! then read the answer with its sensitive fields decrypted.

use super::transport::{Body, Outgoing, PayResponse};
use super::WechatPay;
use crate::error::ClientError;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

impl WechatPay {
    /// Sends `body` (if any) as JSON to `target` with the string fields at
    /// `encrypt` encrypted for the platform.
    pub(crate) async fn send_json<B: Serialize + ?Sized>(
        &self,
        method: Method,
        target: &str,
        body: Option<&B>,
        encrypt: &[&str],
    ) -> Result<PayResponse, ClientError> {
        let (body, serial) = match body {
            None => (Body::Empty, None),
            Some(b) => {
                let mut document = serde_json::to_value(b).map_err(ClientError::unexpected)?;
                let serial = self.encrypt_fields(&mut document, encrypt).await?;
                let bytes = serde_json::to_vec(&document).map_err(ClientError::unexpected)?;
                (Body::Json(bytes), serial)
            }
        };
        self.execute(&Outgoing {
            method,
            target: target.to_owned(),
            body,
            serial,
        })
        .await
    }

    /// Reads `response` as `T` after decrypting the fields at `decrypt`.
    pub(crate) fn read_json<T: DeserializeOwned>(
        &self,
        response: &PayResponse,
        decrypt: &[&str],
    ) -> Result<T, ClientError> {
        let mut document: Value = response.json()?;
        self.decrypt_fields(&mut document, decrypt)?;
        serde_json::from_value(document.clone()).map_err(|e| {
            ClientError::unexpected(format!("HTTP {} answered {document}: {e}", response.status))
        })
    }

    /// [`WechatPay::send_json`] then [`WechatPay::read_json`].
    pub(crate) async fn call_json<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        method: Method,
        target: &str,
        body: Option<&B>,
        encrypt: &[&str],
        decrypt: &[&str],
    ) -> Result<T, ClientError> {
        let response = self.send_json(method, target, body, encrypt).await?;
        self.read_json(&response, decrypt)
    }

    /// A GET answered with JSON `T`, fields at `decrypt` decrypted.
    pub(crate) async fn get_json<T: DeserializeOwned>(
        &self,
        target: &str,
        decrypt: &[&str],
    ) -> Result<T, ClientError> {
        self.call_json::<(), T>(Method::GET, target, None, &[], decrypt)
            .await
    }

    /// A GET naming `serial` in `Wechatpay-Serial` (its query carries a
    /// field encrypted for that key).
    pub(crate) async fn get_json_with_serial<T: DeserializeOwned>(
        &self,
        target: &str,
        serial: Option<String>,
    ) -> Result<T, ClientError> {
        let response = self
            .execute(&Outgoing {
                method: Method::GET,
                target: target.to_owned(),
                body: Body::Empty,
                serial,
            })
            .await?;
        self.read_json(&response, &[])
    }

    /// Sends and expects an answer without a body (202 or 204); the status.
    pub(crate) async fn send_expecting_no_body<B: Serialize + ?Sized>(
        &self,
        method: Method,
        target: &str,
        body: Option<&B>,
        encrypt: &[&str],
    ) -> Result<u16, ClientError> {
        let response = self.send_json(method, target, body, encrypt).await?;
        Ok(response.status)
    }
}
