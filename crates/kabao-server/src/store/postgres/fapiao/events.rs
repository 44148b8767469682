//! The FAPIAO.ISSUED / REVERSED / CARD_INSERTED / CARD_DISCARDED callbacks
//! (fapiao-domain §5), put in the outbox inside the transaction of the
//! state change they report, one callback per fapiao that changed.

use crate::domain::fapiao::{CardStatus, FapiaoEvent, FapiaoStatus};
use crate::store::callback::NewCallback;
use crate::store::postgres::callback::enqueue_callback;
use serde_json::json;
use sqlx::PgConnection;

/// The application a callback reports on.
pub(super) struct EventSubject<'a> {
    /// The merchant that called (the callback's `mchid` and recipient).
    pub caller_mchid: &'a str,
    /// The merchant the fapiao are for.
    pub owner_mchid: &'a str,
    /// The application.
    pub fapiao_apply_id: &'a str,
}

/// Enqueues `event` for one fapiao in its new state.
pub(super) async fn enqueue_fapiao_event(
    conn: &mut PgConnection,
    subject: &EventSubject<'_>,
    event: FapiaoEvent,
    fapiao_id: &str,
    status: FapiaoStatus,
    card_status: Option<CardStatus>,
    now: i64,
) -> sqlx::Result<()> {
    let mut payload = json!({
        "mchid": subject.caller_mchid,
        "fapiao_apply_id": subject.fapiao_apply_id,
        "fapiao_information": [{
            "fapiao_id": fapiao_id,
            "fapiao_status": status.as_str(),
        }],
    });
    if let Some(card) = card_status {
        payload["fapiao_information"][0]["card_status"] = json!(card.as_str());
    }
    if subject.owner_mchid != subject.caller_mchid {
        payload["sub_mchid"] = json!(subject.owner_mchid);
    }
    enqueue_callback(
        conn,
        &NewCallback {
            caller_mchid: subject.caller_mchid.to_owned(),
            event_type: event.event_type().to_owned(),
            summary: event.summary().to_owned(),
            plaintext: payload.to_string(),
            created_at: now,
        },
    )
    .await
}
