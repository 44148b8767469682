//! `/card/invoice/insert` on PostgreSQL: one transaction per insert, with
//! the checks of the SQLite card writer. The order row is locked first, so
//! two inserts of one order (or an insert and a `rejectinsert`) run one
//! after the other, and each PDF row is locked before it is judged, so two
//! cards cannot both take one upload.

use super::PostgresStore;
use crate::domain::invoice::card::{
    CardReceipt, InsertOutcome, InsertRefusal, NewCard, CARD_NORMAL,
};
use crate::domain::invoice::ids;
use crate::domain::invoice::reimburse::ReimburseStatus;
use crate::store::shared::card_checks::{
    card_pdfs, order_holder, pdf_problem, template_refusal, OrderFacts, PdfFacts,
};
use crate::store::{StoreError, StoreResult};
use sqlx::{PgConnection, Row};
use std::collections::HashMap;

/// How many fresh card codes an insert tries before giving up.
const CODE_TRIES: usize = 5;

impl PostgresStore {
    /// Inserts `card` after its checks, in one transaction.
    pub(super) async fn insert_card_tx(&self, card: NewCard) -> StoreResult<InsertOutcome> {
        let mut tx = self.pool.begin().await?;
        let outcome = insert_one(&mut tx, &card).await?;
        if let InsertOutcome::Inserted(_) = outcome {
            tx.commit().await?;
        }
        Ok(outcome)
    }
}

async fn insert_one(tx: &mut PgConnection, card: &NewCard) -> StoreResult<InsertOutcome> {
    let refused = |r| Ok(InsertOutcome::Refused(r));
    let template = sqlx::query_as("SELECT appid, kind FROM card_templates WHERE card_id = $1")
        .bind(&card.card_id)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(refusal) = template_refusal(card, template) {
        return refused(refusal);
    }

    let order = sqlx::query(
        "SELECT o.status, o.platform_appid, o.kind, o.openid, u.unionid
         FROM auth_orders o LEFT JOIN users u ON u.appid = o.appid AND u.openid = o.openid
         WHERE o.appid = $1 AND o.order_id = $2 FOR UPDATE OF o",
    )
    .bind(&card.appid)
    .bind(&card.order_id)
    .fetch_optional(&mut *tx)
    .await?;
    let unionid: Option<String> = match &order {
        Some(row) => row.try_get("unionid")?,
        None => None,
    };
    let facts = order
        .map(|row| {
            Ok::<_, sqlx::Error>(OrderFacts {
                status: row.try_get("status")?,
                platform_appid: row.try_get("platform_appid")?,
                kind: row.try_get("kind")?,
                openid: row.try_get("openid")?,
            })
        })
        .transpose()?;
    let openid = match order_holder(card, facts) {
        Ok(openid) => openid,
        Err(refusal) => return refused(refusal),
    };

    let existing: Option<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT code, request_hash, openid, unionid FROM invoice_cards WHERE appid = $1 AND order_id = $2",
    )
    .bind(&card.appid)
    .bind(&card.order_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((code, hash, openid, unionid)) = existing {
        if hash == card.request_hash {
            let receipt = CardReceipt {
                code,
                openid,
                unionid,
            };
            return Ok(InsertOutcome::Replayed(receipt));
        }
        return refused(InsertRefusal::AlreadyInserted);
    }

    let media = match card_pdfs(card) {
        Ok(media) => media,
        Err(refusal) => return refused(refusal),
    };
    let mut pdfs = lock_pdfs(tx, &media).await?;
    for (field, id) in &media {
        if let Some(why) = pdf_problem(field, id, pdfs.remove(*id), card) {
            return refused(InsertRefusal::Pdf(why));
        }
    }

    let mut code = card.code.clone();
    for _ in 0..CODE_TRIES {
        if insert_row(tx, card, &code, &openid, unionid.as_deref()).await? {
            for (_, id) in &media {
                sqlx::query("UPDATE pdf_media SET bound_code = $1 WHERE s_media_id = $2")
                    .bind(&code)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            let receipt = CardReceipt {
                code,
                openid,
                unionid,
            };
            return Ok(InsertOutcome::Inserted(receipt));
        }
        // Nothing was written: a unique key is taken. The billing pair is
        // the caller's mistake; a card code is kabao's bad luck.
        let billing_taken: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM invoice_cards
                 WHERE kind = $1 AND billing_code = $2 AND billing_no = $3)",
        )
        .bind(card.kind.as_str())
        .bind(&card.content.billing_code)
        .bind(&card.content.billing_no)
        .fetch_one(&mut *tx)
        .await?;
        if billing_taken {
            return refused(InsertRefusal::BillingRepeated);
        }
        let code_taken: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM invoice_cards WHERE code = $1)")
                .bind(&code)
                .fetch_one(&mut *tx)
                .await?;
        if !code_taken {
            // As on SQLite, where the failed INSERT is a database error.
            return Err(StoreError::Backend(format!(
                "encrypt_code {} is already on a card",
                card.encrypt_code
            )));
        }
        code = ids::card_code();
    }
    Err(StoreError::Backend(format!(
        "no free card code after {CODE_TRIES} tries"
    )))
}

/// Locks the uploads `media` names (in id order, so two inserts naming
/// the same two uploads cannot deadlock) and reads what the checks need.
async fn lock_pdfs(
    tx: &mut PgConnection,
    media: &[(&str, &str)],
) -> sqlx::Result<HashMap<String, PdfFacts>> {
    let ids: Vec<&str> = media.iter().map(|(_, id)| *id).collect();
    let rows = sqlx::query(
        "SELECT s_media_id, appid, expires_at, bound_code FROM pdf_media
         WHERE s_media_id = ANY($1) ORDER BY s_media_id FOR UPDATE",
    )
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await?;
    rows.iter()
        .map(|row| {
            let facts = PdfFacts {
                appid: row.try_get("appid")?,
                expires_at: row.try_get("expires_at")?,
                bound_code: row.try_get("bound_code")?,
            };
            Ok((row.try_get("s_media_id")?, facts))
        })
        .collect()
}

/// Writes the card row; false when a unique key (code, chooser code,
/// order or billing pair) is already taken and nothing was written.
async fn insert_row(
    tx: &mut PgConnection,
    card: &NewCard,
    code: &str,
    openid: &str,
    unionid: Option<&str>,
) -> StoreResult<bool> {
    let warnings = serde_json::to_string(&card.warnings).unwrap_or_else(|_| "[]".into());
    let inserted = sqlx::query(
        "INSERT INTO invoice_cards (code, kind, card_id, platform_appid, appid, order_id, openid, unionid,
           encrypt_code, billing_code, billing_no, fee, title, billing_time, user_data, s_pdf_media_id,
           s_trip_pdf_media_id, request_hash, warnings, reimburse_status, reimburse_appid, card_status,
           inserted_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
           $20, NULL, $21, $22, $22)
         ON CONFLICT DO NOTHING",
    )
    .bind(code)
    .bind(card.kind.as_str())
    .bind(&card.card_id)
    .bind(&card.platform_appid)
    .bind(&card.appid)
    .bind(&card.order_id)
    .bind(openid)
    .bind(unionid)
    .bind(&card.encrypt_code)
    .bind(&card.content.billing_code)
    .bind(&card.content.billing_no)
    .bind(card.content.fee)
    .bind(&card.content.title)
    .bind(card.content.billing_time)
    .bind(card.content.user_data.to_string())
    .bind(&card.content.s_pdf_media_id)
    .bind(&card.content.s_trip_pdf_media_id)
    .bind(&card.request_hash)
    .bind(warnings)
    .bind(ReimburseStatus::Init.as_str())
    .bind(CARD_NORMAL)
    .bind(card.now)
    .execute(&mut *tx)
    .await?;
    Ok(inserted.rows_affected() == 1)
}
