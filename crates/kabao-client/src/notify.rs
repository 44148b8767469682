//! Callbacks (WeChat Pay → merchant): [`WechatPay::parse_notification`]
//! checks the signature and the 5-minute window, decrypts the resource with
//! the APIv3 key and reads it as a typed fapiao event.
//!
//! Answer 200 or 204 once the event is handled; anything else (or no answer
//! within 5 s) makes WeChat Pay send it again, with the same `id`.

use crate::error::ClientError;
use crate::fapiao::{CardStatus, FapiaoStatus};
use crate::WechatPay;
use kabao_protocol::notification::{Notification, NotificationError, RESOURCE_TYPE};
use reqwest::header::HeaderMap;
use serde::{Deserialize, Serialize};

/// A verified, decrypted callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FapiaoNotification {
    /// Event id, the same across redeliveries: deduplicate on it.
    pub id: String,
    /// RFC 3339 time the event was created.
    pub create_time: String,
    /// `FAPIAO.ISSUED`, `FAPIAO.USER_APPLIED`, …
    pub event_type: String,
    /// Human-readable summary, when sent.
    pub summary: Option<String>,
    /// The decrypted resource.
    pub event: FapiaoEvent,
}

/// The decrypted resource of a fapiao callback, by `event_type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FapiaoEvent {
    /// `FAPIAO.USER_APPLIED`: the user filled in the title.
    UserApplied(UserApplied),
    /// `FAPIAO.ISSUED`: fapiao were issued (or, 数电, failed).
    Issued(FapiaoChange),
    /// `FAPIAO.REVERSED`: fapiao were reversed.
    Reversed(FapiaoChange),
    /// `FAPIAO.CARD_INSERTED`: cards reached the card package.
    CardInserted(FapiaoChange),
    /// `FAPIAO.CARD_DISCARDED`: cards left the card package.
    CardDiscarded(FapiaoChange),
    /// An event type this SDK does not know, with its decrypted resource.
    Other(serde_json::Value),
}

/// `FAPIAO.USER_APPLIED` resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserApplied {
    /// The merchant (the provider for partner calls).
    pub mchid: String,
    /// The sub-merchant, for partner calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_mchid: Option<String>,
    /// The application the title is for.
    pub fapiao_apply_id: String,
    /// RFC 3339 time the user submitted.
    pub apply_time: String,
}

/// The resource of the four status events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FapiaoChange {
    /// The merchant (the provider for partner calls).
    pub mchid: String,
    /// The sub-merchant, for partner calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_mchid: Option<String>,
    /// The application.
    pub fapiao_apply_id: String,
    /// The fapiao that changed.
    pub fapiao_information: Vec<FapiaoChangeEntry>,
}

/// One fapiao in a status event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FapiaoChangeEntry {
    /// The merchant's id of the fapiao.
    pub fapiao_id: String,
    /// Its status.
    pub fapiao_status: FapiaoStatus,
    /// Its card's status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_status: Option<CardStatus>,
}

fn read<T: serde::de::DeserializeOwned>(
    event_type: &str,
    value: serde_json::Value,
) -> Result<T, ClientError> {
    serde_json::from_value(value.clone())
        .map_err(|e| ClientError::unexpected(format!("{event_type} resource {value}: {e}")))
}

impl WechatPay {
    /// Verifies a callback (`Wechatpay-*` headers, the 5-minute window, the
    /// signature by the platform key the serial names), then decrypts its
    /// resource with the APIv3 key into a typed event. Pass the headers and
    /// the body bytes exactly as received.
    pub async fn parse_notification(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<FapiaoNotification, ClientError> {
        self.verify(headers, body).await?;
        let envelope = Notification::parse(body)?;
        if envelope.resource_type != RESOURCE_TYPE {
            return Err(NotificationError::InvalidField {
                field: "resource_type",
                expected: "\"encrypt-resource\"",
            }
            .into());
        }
        let plain = envelope.resource.open(self.apiv3_key())?;
        let value: serde_json::Value = serde_json::from_slice(&plain)
            .map_err(|e| ClientError::unexpected(format!("decrypted resource: {e}")))?;
        let kind = envelope.event_type.as_str();
        let event = match kind {
            "FAPIAO.USER_APPLIED" => FapiaoEvent::UserApplied(read(kind, value)?),
            "FAPIAO.ISSUED" => FapiaoEvent::Issued(read(kind, value)?),
            "FAPIAO.REVERSED" => FapiaoEvent::Reversed(read(kind, value)?),
            "FAPIAO.CARD_INSERTED" => FapiaoEvent::CardInserted(read(kind, value)?),
            "FAPIAO.CARD_DISCARDED" => FapiaoEvent::CardDiscarded(read(kind, value)?),
            _ => FapiaoEvent::Other(value),
        };
        Ok(FapiaoNotification {
            id: envelope.id,
            create_time: envelope.create_time,
            event_type: envelope.event_type,
            summary: envelope.summary,
            event,
        })
    }
}
