//! `GET /v3/certificates`: the platform certificates valid now, each
//! encrypted with the caller's APIv3 key (AAD `certificate`).

use super::error::{pay_json, PayError};
use super::extract::SignedRequest;
use crate::domain::tenant::PlatformMode;
use crate::http::query;
use crate::state::AppState;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::Response;
use kabao_protocol::aead;
use kabao_protocol::apiv3::{
    rfc3339_cst, CertificateList, EncryptCertificate, ErrorCode, PlatformCertificate,
};
use kabao_protocol::notification::ALGORITHM;

/// Lists the platform certificates for the signed caller.
pub async fn certificates(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    signed: SignedRequest,
) -> Result<Response, PayError> {
    let include_rsa = match query::param(&uri, "algorithm_type").as_deref() {
        None | Some("RSA") | Some("ALL") => true,
        Some("SM2") => false,
        Some(other) => {
            return Err(PayError::param(
                "algorithm_type",
                "query",
                format!("must be RSA, SM2 or ALL, not {other:?}"),
            ))
        }
    };
    let merchant = &signed.merchant.merchant;
    if merchant.platform_mode == PlatformMode::PublicKey {
        return Err(PayError::new(
            ErrorCode::NotFound,
            "this merchant verifies with the WeChat Pay public key and has no platform certificate",
        ));
    }
    let now = state.clock.now();
    let keys = state.keyring.platform_keys().await?;
    let mut data = Vec::new();
    for key in keys
        .iter()
        .filter(|k| include_rsa && k.certificate_valid_at(now))
    {
        let (Some(serial), Some(pem)) = (&key.record.serial_no, &key.record.certificate_pem) else {
            continue;
        };
        let nonce = aead::random_nonce();
        let ciphertext = aead::encrypt_b64(
            merchant.apiv3_key.as_bytes(),
            nonce.as_bytes(),
            b"certificate",
            pem.as_bytes(),
        )
        .map_err(PayError::system)?;
        data.push(PlatformCertificate {
            serial_no: serial.to_string(),
            effective_time: rfc3339_cst(key.record.not_before),
            expire_time: rfc3339_cst(key.record.not_after),
            encrypt_certificate: EncryptCertificate {
                algorithm: ALGORITHM.to_owned(),
                nonce,
                associated_data: "certificate".to_owned(),
                ciphertext,
            },
        });
    }
    if include_rsa && data.is_empty() {
        return Err(PayError::new(
            ErrorCode::NotFound,
            "no platform certificate is valid now",
        ));
    }
    Ok(pay_json(StatusCode::OK, &CertificateList { data }))
}
