//! [`FapiaoTitleStore`] in SQLite (`fapiao_user_titles`).

use super::callback::enqueue_callback;
use super::{corrupt, SqliteStore};
use crate::domain::fapiao::FapiaoEvent;
use crate::store::callback::NewCallback;
use crate::store::fapiao_titles::{
    FapiaoTitleStore, NewTitleLink, TitleApplication, TitleSubmission, UserTitle,
};
use crate::store::StoreResult;
use async_trait::async_trait;
use serde::Serialize;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

/// The columns of a title application, with the paid order (if any) whose
/// transaction id is the application id.
const SELECT_TITLES: &str = "SELECT t.owner_mchid, t.fapiao_apply_id, t.caller_mchid, t.link_key,
        t.request_json, t.link_expires_at, t.title_json, t.applied_at,
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

fn application_from_row(row: &SqliteRow) -> Result<TitleApplication, sqlx::Error> {
    let request: String = row.try_get("request_json")?;
    let title: Option<String> = row.try_get("title_json")?;
    let out_trade_no: Option<String> = row.try_get("order_out_trade_no")?;
    let amount: Option<i64> = row.try_get("order_amount")?;
    Ok(TitleApplication {
        owner_mchid: row.try_get("owner_mchid")?,
        fapiao_apply_id: row.try_get("fapiao_apply_id")?,
        caller_mchid: row.try_get("caller_mchid")?,
        link_key: row.try_get("link_key")?,
        request: serde_json::from_str(&request).map_err(|e| corrupt("request_json", e))?,
        link_expires_at: row.try_get("link_expires_at")?,
        title: title
            .map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|e| corrupt("title_json", e))?,
        applied_at: row.try_get("applied_at")?,
        paid_order: out_trade_no.zip(amount),
    })
}

fn to_json(value: &impl Serialize) -> Result<String, sqlx::Error> {
    serde_json::to_string(value).map_err(|e| sqlx::Error::Encode(e.into()))
}

#[async_trait]
impl FapiaoTitleStore for SqliteStore {
    async fn put_title_link(&self, link: &NewTitleLink) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO fapiao_user_titles (owner_mchid, fapiao_apply_id, caller_mchid, link_key,
                 request_json, link_expires_at, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (owner_mchid, fapiao_apply_id) DO UPDATE SET
                 caller_mchid = excluded.caller_mchid, link_key = excluded.link_key,
                 request_json = excluded.request_json, link_expires_at = excluded.link_expires_at",
        )
        .bind(&link.owner_mchid)
        .bind(&link.fapiao_apply_id)
        .bind(&link.caller_mchid)
        .bind(&link.link_key)
        .bind(to_json(&link.request)?)
        .bind(link.link_expires_at)
        .bind(link.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn title_by_link(&self, link_key: &str) -> StoreResult<Option<TitleApplication>> {
        let row = sqlx::query(&format!("{SELECT_TITLES} WHERE t.link_key = ?"))
            .bind(link_key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(application_from_row).transpose()?)
    }

    async fn title_application(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: &str,
    ) -> StoreResult<Option<TitleApplication>> {
        let row = sqlx::query(&format!(
            "{SELECT_TITLES} WHERE t.owner_mchid = ? AND t.fapiao_apply_id = ?"
        ))
        .bind(owner_mchid)
        .bind(fapiao_apply_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(application_from_row).transpose()?)
    }

    async fn titles_of_caller(
        &self,
        caller_mchid: &str,
        fapiao_apply_id: &str,
    ) -> StoreResult<Vec<TitleApplication>> {
        let rows = sqlx::query(&format!(
            "{SELECT_TITLES} WHERE t.caller_mchid = ? AND t.fapiao_apply_id = ? ORDER BY t.owner_mchid"
        ))
        .bind(caller_mchid)
        .bind(fapiao_apply_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(application_from_row)
            .collect::<Result<_, _>>()?)
    }

    async fn user_title(
        &self,
        owner_mchid: &str,
        fapiao_apply_id: &str,
    ) -> StoreResult<Option<UserTitle>> {
        let title: Option<Option<String>> = sqlx::query_scalar(
            "SELECT title_json FROM fapiao_user_titles WHERE owner_mchid = ? AND fapiao_apply_id = ?",
        )
        .bind(owner_mchid)
        .bind(fapiao_apply_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(title
            .flatten()
            .map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|e| corrupt("title_json", e))?)
    }

    async fn submit_title(
        &self,
        link_key: &str,
        title: &UserTitle,
        now: i64,
    ) -> StoreResult<TitleSubmission> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let row = sqlx::query(&format!("{SELECT_TITLES} WHERE t.link_key = ?"))
            .bind(link_key)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(mut application) = row.as_ref().map(application_from_row).transpose()? else {
            return Ok(TitleSubmission::UnknownLink);
        };
        if now >= application.link_expires_at {
            return Ok(TitleSubmission::Expired);
        }
        sqlx::query(
            "UPDATE fapiao_user_titles SET title_json = ?, applied_at = ?
             WHERE owner_mchid = ? AND fapiao_apply_id = ?",
        )
        .bind(to_json(title)?)
        .bind(now)
        .bind(&application.owner_mchid)
        .bind(&application.fapiao_apply_id)
        .execute(&mut *tx)
        .await?;
        application.title = Some(title.clone());
        application.applied_at = Some(now);
        let event = FapiaoEvent::UserApplied;
        let payload = UserAppliedPayload {
            mchid: &application.caller_mchid,
            sub_mchid: application.sub_mchid(),
            fapiao_apply_id: &application.fapiao_apply_id,
            apply_time: kabao_protocol::apiv3::rfc3339_cst(now),
        };
        enqueue_callback(
            &mut tx,
            &NewCallback {
                caller_mchid: application.caller_mchid.clone(),
                event_type: event.event_type().to_owned(),
                summary: event.summary().to_owned(),
                plaintext: to_json(&payload)?,
                created_at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(TitleSubmission::Applied(Box::new(application)))
    }
}
