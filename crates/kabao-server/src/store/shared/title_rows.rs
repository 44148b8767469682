//! Rows of `fapiao_user_titles` into title applications, and the
//! FAPIAO.USER_APPLIED callback a submitted title enqueues, for both
//! backends.

use super::Columns;
use crate::domain::fapiao::FapiaoEvent;
use crate::store::callback::NewCallback;
use crate::store::corrupt;
use crate::store::fapiao_titles::TitleApplication;
use serde::Serialize;

/// The columns of a title application, with the paid order (if any) whose
/// transaction id is the application id; a `WHERE` follows.
pub(crate) const SELECT_TITLES: &str = "SELECT t.owner_mchid, t.fapiao_apply_id, t.caller_mchid,
        t.link_key, t.request_json, t.link_expires_at, t.title_json, t.applied_at,
        o.out_trade_no AS order_out_trade_no, o.amount AS order_amount
     FROM fapiao_user_titles t
     LEFT JOIN pay_orders o ON o.transaction_id = t.fapiao_apply_id AND o.mchid = t.owner_mchid";

/// The decrypted FAPIAO.USER_APPLIED resource, in the documented field order.
#[derive(Serialize)]
struct UserAppliedPayload<'a> {
    mchid: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_mchid: Option<&'a str>,
    fapiao_apply_id: &'a str,
    apply_time: String,
}

/// A row of [`SELECT_TITLES`].
pub(crate) fn application_from_row(row: &impl Columns) -> sqlx::Result<TitleApplication> {
    let request: String = row.col("request_json")?;
    let title: Option<String> = row.col("title_json")?;
    let out_trade_no: Option<String> = row.col("order_out_trade_no")?;
    let amount: Option<i64> = row.col("order_amount")?;
    Ok(TitleApplication {
        owner_mchid: row.col("owner_mchid")?,
        fapiao_apply_id: row.col("fapiao_apply_id")?,
        caller_mchid: row.col("caller_mchid")?,
        link_key: row.col("link_key")?,
        request: serde_json::from_str(&request).map_err(|e| corrupt("request_json", e))?,
        link_expires_at: row.col("link_expires_at")?,
        title: title
            .map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|e| corrupt("title_json", e))?,
        applied_at: row.col("applied_at")?,
        paid_order: out_trade_no.zip(amount),
    })
}

/// JSON text of `value`, as a column is written.
pub(crate) fn to_json(value: &impl Serialize) -> sqlx::Result<String> {
    serde_json::to_string(value).map_err(|e| sqlx::Error::Encode(e.into()))
}

/// The FAPIAO.USER_APPLIED callback for `application`, whose title was
/// submitted at `now`.
pub(crate) fn user_applied(application: &TitleApplication, now: i64) -> sqlx::Result<NewCallback> {
    let event = FapiaoEvent::UserApplied;
    let payload = UserAppliedPayload {
        mchid: &application.caller_mchid,
        sub_mchid: application.sub_mchid(),
        fapiao_apply_id: &application.fapiao_apply_id,
        apply_time: kabao_protocol::apiv3::rfc3339_cst(now),
    };
    Ok(NewCallback {
        caller_mchid: application.caller_mchid.clone(),
        event_type: event.event_type().to_owned(),
        summary: event.summary().to_owned(),
        plaintext: to_json(&payload)?,
        created_at: now,
    })
}
