//! Event pushes waiting in the outbox for delivery to an Official Account's
//! server. Enqueued in the same transaction as the change they report.

use crate::domain::ids::Appid;
use kabao_protocol::oa::OaEvent;

/// An event to push to `appid`'s server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPush {
    /// The Official Account that receives it.
    pub appid: Appid,
    /// The user it is about (`FromUserName`).
    pub from_openid: String,
    /// What happened.
    pub event: OaEvent,
    /// When it happened (`CreateTime`, kabao's clock, Unix seconds).
    pub created_at: i64,
}
