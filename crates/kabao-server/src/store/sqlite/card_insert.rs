//! One card insert inside the writer's batch transaction: the checks on
//! template, order, replay and PDFs, then the row under a code from the
//! writer's [`CodeMint`] (the handler's random code is not used here). A refused or replayed
//! insert writes nothing, which is what lets the writer apply a batch of
//! inserts without a savepoint each.

use super::code_mint::CodeMint;
use crate::domain::invoice::card::{
    CardReceipt, InsertOutcome, InsertRefusal, NewCard, CARD_NORMAL,
};
use crate::domain::invoice::reimburse::ReimburseStatus;
use crate::store::shared::card_checks::{self, OrderFacts, PdfFacts};
use rusqlite::{params, Connection, ErrorCode, OptionalExtension};

/// Checks and inserts `card`; an `Err` means the database failed (and the
/// insert may have written), a refusal means it wrote nothing. The
/// judgments are the shared ones ([`card_checks`]); this reads the rows.
pub(super) fn insert_one(
    tx: &Connection,
    mint: &mut CodeMint,
    card: &NewCard,
) -> rusqlite::Result<InsertOutcome> {
    let refused = |r| Ok(InsertOutcome::Refused(r));
    let template: Option<(String, String)> = tx
        .prepare_cached("SELECT appid, kind FROM card_templates WHERE card_id = ?1")?
        .query_row([&card.card_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some(refusal) = card_checks::template_refusal(card, template) {
        return refused(refusal);
    }

    let order: Option<(OrderFacts, Option<String>)> = tx
        .prepare_cached(
            "SELECT o.status, o.platform_appid, o.kind, o.openid, u.unionid
             FROM auth_orders o LEFT JOIN users u ON u.appid = o.appid AND u.openid = o.openid
             WHERE o.appid = ?1 AND o.order_id = ?2",
        )?
        .query_row([&card.appid, &card.order_id], |r| {
            let facts = OrderFacts {
                status: r.get(0)?,
                platform_appid: r.get(1)?,
                kind: r.get(2)?,
                openid: r.get(3)?,
            };
            Ok((facts, r.get(4)?))
        })
        .optional()?;
    let (order, unionid) = match order {
        Some((facts, unionid)) => (Some(facts), unionid),
        None => (None, None),
    };
    let openid = match card_checks::order_holder(card, order) {
        Ok(openid) => openid,
        Err(refusal) => return refused(refusal),
    };

    let existing: Option<(String, String, String, Option<String>)> = tx
        .prepare_cached(
            "SELECT code, request_hash, openid, unionid FROM invoice_cards WHERE appid = ?1 AND order_id = ?2",
        )?
        .query_row([&card.appid, &card.order_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    if let Some((code, hash, openid, unionid)) = existing {
        if hash == card.request_hash {
            return Ok(InsertOutcome::Replayed(CardReceipt {
                code,
                openid,
                unionid,
            }));
        }
        return refused(InsertRefusal::AlreadyInserted);
    }

    let media = match card_checks::card_pdfs(card) {
        Ok(media) => media,
        Err(refusal) => return refused(refusal),
    };
    for (field, id) in &media {
        let pdf = tx
            .prepare_cached(
                "SELECT appid, expires_at, bound_code FROM pdf_media WHERE s_media_id = ?1",
            )?
            .query_row([id], |r| {
                Ok(PdfFacts {
                    appid: r.get(0)?,
                    expires_at: r.get(1)?,
                    bound_code: r.get(2)?,
                })
            })
            .optional()?;
        if let Some(why) = card_checks::pdf_problem(field, id, pdf, card) {
            return refused(InsertRefusal::Pdf(why));
        }
    }

    let mut code = mint.next(tx)?;
    let user_data = card.content.user_data.to_string();
    let warnings = serde_json::to_string(&card.warnings).unwrap_or_else(|_| "[]".into());
    for _ in 0..5 {
        let inserted = tx
            .prepare_cached(
                "INSERT INTO invoice_cards (code, kind, card_id, platform_appid, appid, order_id, openid, unionid,
                   encrypt_code, billing_code, billing_no, fee, title, billing_time, user_data, s_pdf_media_id,
                   s_trip_pdf_media_id, request_hash, warnings, reimburse_status, reimburse_appid, card_status,
                   inserted_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, NULL, ?21, ?22, ?22)",
            )?
            .execute(params![
                code,
                card.kind.as_str(),
                card.card_id,
                card.platform_appid,
                card.appid,
                card.order_id,
                openid,
                unionid,
                card.encrypt_code,
                card.content.billing_code,
                card.content.billing_no,
                card.content.fee,
                card.content.title,
                card.content.billing_time,
                user_data,
                card.content.s_pdf_media_id,
                card.content.s_trip_pdf_media_id,
                card.request_hash,
                warnings,
                ReimburseStatus::Init.as_str(),
                CARD_NORMAL,
                card.now,
            ]);
        match inserted {
            Ok(_) => {
                for (_, id) in &media {
                    tx.prepare_cached(
                        "UPDATE pdf_media SET bound_code = ?1 WHERE s_media_id = ?2",
                    )?
                    .execute([&code, *id])?;
                }
                return Ok(InsertOutcome::Inserted(CardReceipt {
                    code,
                    openid,
                    unionid,
                }));
            }
            Err(rusqlite::Error::SqliteFailure(e, Some(msg)))
                if e.code == ErrorCode::ConstraintViolation =>
            {
                if msg.contains("invoice_cards.code") {
                    mint.forget();
                    code = mint.next(tx)?;
                    continue;
                }
                if msg.contains("billing_code") {
                    return refused(InsertRefusal::BillingRepeated);
                }
                return Err(rusqlite::Error::SqliteFailure(e, Some(msg)));
            }
            Err(e) => return Err(e),
        }
    }
    Err(rusqlite::Error::InvalidQuery)
}
