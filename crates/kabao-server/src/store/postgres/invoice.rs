//! The invoice flows in PostgreSQL: each method is one transaction; card
//! inserts are in [`super::invoice_card_insert`], shared lookups in
//! [`super::invoice_support`].

use super::invoice_support::{commit_with, lock_order, CARD_COLUMNS};
use super::PostgresStore;
use crate::domain::invoice::card::{InsertOutcome, InvoiceCard, NewCard, CARD_DISCARDED};
use crate::domain::invoice::order::AuthOrder;
use crate::domain::invoice::{CardTemplate, PdfMedia};
use crate::store::invoice::{InvoiceStore, OrderConflict, StatusChange};
use crate::store::push::NewPush;
use crate::store::shared::invoice_rows::{card_from_row, media_from_row, template_from_row};
use crate::store::{corrupt, StoreError, StoreResult};
use async_trait::async_trait;
use kabao_protocol::oa::merchant::UserAuthInfo;
use sqlx::Row;

#[async_trait]
impl InvoiceStore for PostgresStore {
    async fn register_platform(
        &self,
        appid: &str,
        candidate: &str,
        now: i64,
    ) -> StoreResult<String> {
        sqlx::query(
            "INSERT INTO invoice_platforms (appid, s_pappid, created_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(appid)
        .bind(candidate)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(
            sqlx::query_scalar("SELECT s_pappid FROM invoice_platforms WHERE appid = $1")
                .bind(appid)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn platform_appid(&self, s_pappid: &str) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT appid FROM invoice_platforms WHERE s_pappid = $1")
                .bind(s_pappid)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn put_card_template(&self, t: &CardTemplate) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO card_templates (card_id, appid, kind, payee, type, title, info_json, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&t.card_id)
        .bind(&t.appid)
        .bind(t.kind.as_str())
        .bind(&t.payee)
        .bind(&t.invoice_type)
        .bind(&t.title)
        .bind(t.info.to_string())
        .bind(t.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn card_template(&self, card_id: &str) -> StoreResult<Option<CardTemplate>> {
        let sql = "SELECT * FROM card_templates WHERE card_id = $1";
        self.invoice_row(sql, &[card_id], template_from_row).await
    }

    async fn put_pdf(&self, m: &PdfMedia) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO pdf_media (s_media_id, appid, filename, uploaded_at, expires_at, bound_code)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&m.s_media_id)
        .bind(&m.appid)
        .bind(&m.filename)
        .bind(m.uploaded_at)
        .bind(m.expires_at)
        .bind(&m.bound_code)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO pdf_media_content (s_media_id, content) VALUES ($1, $2)")
            .bind(&m.s_media_id)
            .bind(&m.content)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn pdf(&self, s_media_id: &str) -> StoreResult<Option<PdfMedia>> {
        let sql = "SELECT m.*, c.content FROM pdf_media m
             JOIN pdf_media_content c ON c.s_media_id = m.s_media_id WHERE m.s_media_id = $1";
        self.invoice_row(sql, &[s_media_id], media_from_row).await
    }

    async fn put_pdf_link(&self, key: &str, s_media_id: &str, expires_at: i64) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO pdf_links (media_key, s_media_id, expires_at) VALUES ($1, $2, $3)",
        )
        .bind(key)
        .bind(s_media_id)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn pdf_by_link(&self, key: &str) -> StoreResult<Option<(PdfMedia, i64)>> {
        let row = sqlx::query(
            "SELECT m.*, c.content, l.expires_at AS link_expires_at FROM pdf_links l
             JOIN pdf_media m ON m.s_media_id = l.s_media_id
             JOIN pdf_media_content c ON c.s_media_id = l.s_media_id WHERE l.media_key = $1",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some((
            media_from_row(&row)?,
            row.try_get("link_expires_at")?,
        )))
    }

    async fn put_biz_attr(
        &self,
        appid: &str,
        attr: &str,
        value: &serde_json::Value,
        now: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO biz_attrs (appid, attr, value_json, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (appid, attr) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at",
        )
        .bind(appid)
        .bind(attr)
        .bind(value.to_string())
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn biz_attr(&self, appid: &str, attr: &str) -> StoreResult<Option<serde_json::Value>> {
        let text: Option<String> =
            sqlx::query_scalar("SELECT value_json FROM biz_attrs WHERE appid = $1 AND attr = $2")
                .bind(appid)
                .bind(attr)
                .fetch_optional(&self.pool)
                .await?;
        Ok(text
            .map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|e| corrupt("value_json", e))?)
    }

    async fn open_order(&self, o: &AuthOrder) -> StoreResult<AuthOrder> {
        sqlx::query(
            "INSERT INTO auth_orders (appid, order_id, kind, s_pappid, platform_appid, money, timestamp, source,
               auth_type, redirect_url, auth_key, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', $12)
             ON CONFLICT (appid, order_id) DO UPDATE SET kind = excluded.kind, s_pappid = excluded.s_pappid,
               platform_appid = excluded.platform_appid, money = excluded.money, timestamp = excluded.timestamp,
               source = excluded.source, auth_type = excluded.auth_type, redirect_url = excluded.redirect_url
             WHERE auth_orders.status = 'pending'",
        )
        .bind(&o.appid)
        .bind(&o.order_id)
        .bind(o.kind.as_str())
        .bind(&o.s_pappid)
        .bind(&o.platform_appid)
        .bind(o.money)
        .bind(o.timestamp)
        .bind(&o.source)
        .bind(o.auth_type)
        .bind(&o.redirect_url)
        .bind(&o.auth_key)
        .bind(o.created_at)
        .execute(&self.pool)
        .await?;
        self.order(&o.appid, &o.order_id)
            .await?
            .ok_or_else(|| StoreError::Backend("order vanished after upsert".into()))
    }

    async fn order(&self, appid: &str, order_id: &str) -> StoreResult<Option<AuthOrder>> {
        self.order_where("appid = $1 AND order_id = $2", &[appid, order_id])
            .await
    }

    async fn order_for_platform(
        &self,
        platform_appid: &str,
        order_id: &str,
    ) -> StoreResult<Option<AuthOrder>> {
        self.order_where(
            "platform_appid = $1 AND order_id = $2 ORDER BY created_at DESC, appid LIMIT 1",
            &[platform_appid, order_id],
        )
        .await
    }

    async fn order_by_key(&self, auth_key: &str) -> StoreResult<Option<AuthOrder>> {
        self.order_where("auth_key = $1", &[auth_key]).await
    }

    async fn authorize_order(
        &self,
        appid: &str,
        order_id: &str,
        openid: &str,
        info: &UserAuthInfo,
        now: i64,
        push: &NewPush,
    ) -> StoreResult<Result<AuthOrder, OrderConflict>> {
        let mut tx = self.pool.begin().await?;
        let info = serde_json::to_string(info).map_err(|e| StoreError::Backend(e.to_string()))?;
        // The row lock makes a second authorisation wait and then find the
        // order no longer pending.
        let done = sqlx::query(
            "UPDATE auth_orders SET status = 'authorized', openid = $1, auth_time = $2, user_auth_info = $3
             WHERE appid = $4 AND order_id = $5 AND status = 'pending'",
        )
        .bind(openid)
        .bind(now)
        .bind(info)
        .bind(appid)
        .bind(order_id)
        .execute(&mut *tx)
        .await?;
        let moved = done.rows_affected() == 1;
        let push = std::slice::from_ref(push);
        self.finish_order_move(tx, moved, push, appid, order_id, |status| match status {
            None => OrderConflict::NotFound,
            Some("rejected") => OrderConflict::Rejected,
            _ => OrderConflict::AlreadyAuthorized,
        })
        .await
    }

    async fn reject_order(
        &self,
        appid: &str,
        order_id: &str,
        reason: &str,
        url: Option<&str>,
        now: i64,
    ) -> StoreResult<Result<AuthOrder, OrderConflict>> {
        let mut tx = self.pool.begin().await?;
        // An insert holds the order's lock until it commits: after the lock,
        // the card it made is seen, and the refusal comes too late.
        if lock_order(&mut tx, appid, order_id).await?.is_none() {
            return Ok(Err(OrderConflict::NotFound));
        }
        let done = sqlx::query(
            "UPDATE auth_orders SET status = 'rejected', reject_reason = $1, reject_url = $2,
               auth_time = COALESCE(auth_time, $3) WHERE appid = $4 AND order_id = $5
               AND NOT EXISTS (SELECT 1 FROM invoice_cards c WHERE c.appid = $4 AND c.order_id = $5)",
        )
        .bind(reason)
        .bind(url)
        .bind(now)
        .bind(appid)
        .bind(order_id)
        .execute(&mut *tx)
        .await?;
        let moved = done.rows_affected() == 1;
        self.finish_order_move(tx, moved, &[], appid, order_id, |status| {
            if status.is_some() {
                OrderConflict::Inserted
            } else {
                OrderConflict::NotFound
            }
        })
        .await
    }

    async fn insert_card(&self, card: NewCard) -> StoreResult<InsertOutcome> {
        self.insert_card_tx(card).await
    }

    async fn card(&self, code: &str) -> StoreResult<Option<InvoiceCard>> {
        self.card_where("code = $1", code).await
    }

    async fn card_by_encrypt_code(&self, encrypt_code: &str) -> StoreResult<Option<InvoiceCard>> {
        self.card_where("encrypt_code = $1", encrypt_code).await
    }

    async fn cards_of_user(&self, openid: &str) -> StoreResult<Vec<InvoiceCard>> {
        // `seq` numbers cards in insertion order, as SQLite's rowid does.
        let rows = sqlx::query(&format!(
            "{CARD_COLUMNS} WHERE openid = $1 ORDER BY inserted_at DESC, seq DESC"
        ))
        .bind(openid)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(card_from_row).collect::<Result<_, _>>()?)
    }

    async fn set_reimburse_status(
        &self,
        changes: &[StatusChange],
        pushes: &[NewPush],
        now: i64,
    ) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        for c in changes {
            let done = sqlx::query(
                "UPDATE invoice_cards SET reimburse_status = $1, reimburse_appid = $2, updated_at = $3
                 WHERE code = $4 AND reimburse_status = $5",
            )
            .bind(&c.new_status)
            .bind(&c.new_holder)
            .bind(now)
            .bind(&c.code)
            .bind(&c.expected_status)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Ok(false);
            }
        }
        commit_with(tx, pushes).await?;
        Ok(true)
    }

    async fn discard_card(&self, code: &str, now: i64, pushes: &[NewPush]) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE invoice_cards SET card_status = $1, updated_at = $2 WHERE code = $3 AND card_status <> $1",
        )
        .bind(CARD_DISCARDED)
        .bind(now)
        .bind(code)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        commit_with(tx, pushes).await?;
        Ok(true)
    }
}
