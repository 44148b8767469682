//! File uploads (fapiao `upload-fapiao-file`, taxi `cards/upload-file`): a
//! `meta` JSON part carrying the file's SM3 digest and a `file` part; the
//! request signature covers the `meta` text exactly as sent.

use super::transport::{Body, Outgoing, PayResponse};
use super::WechatPay;
use crate::error::ClientError;
use reqwest::Method;
use serde::Serialize;
use sm3::{Digest, Sm3};

/// The SM3 digest of `bytes` in lower-case hex, as the upload `meta` wants it.
pub fn sm3_hex(bytes: &[u8]) -> String {
    hex::encode(Sm3::digest(bytes))
}

impl WechatPay {
    /// POSTs `file` with `meta` to `path` as multipart, signed over `meta`,
    /// and verifies the answer.
    pub(crate) async fn upload<M: Serialize>(
        &self,
        path: &str,
        meta: &M,
        file_name: &str,
        mime: &'static str,
        file: Vec<u8>,
    ) -> Result<PayResponse, ClientError> {
        let meta = serde_json::to_string(meta).map_err(ClientError::unexpected)?;
        self.execute(&Outgoing {
            method: Method::POST,
            target: path.to_owned(),
            body: Body::Upload {
                meta,
                file_name: file_name.to_owned(),
                mime,
                file,
            },
            serial: None,
        })
        .await
    }
}
