//! One card insert inside the writer's batch transaction: the checks on
//! template, order, replay and PDFs, then the row. A refused or replayed
//! insert writes nothing, which is what lets the writer apply a batch of
//! inserts without a savepoint each.

use crate::domain::invoice::card::{
    CardReceipt, InsertOutcome, InsertRefusal, NewCard, CARD_NORMAL,
};
use crate::domain::invoice::ids;
use crate::domain::invoice::reimburse::ReimburseStatus;
use rusqlite::{params, Connection, ErrorCode, OptionalExtension};

/// status, platform_appid, kind, openid, unionid of an order.
type OrderRow = (String, String, String, Option<String>, Option<String>);

/// Checks and inserts `card`; an `Err` means the database failed (and the
/// insert may have written), a refusal means it wrote nothing.
pub(super) fn insert_one(tx: &Connection, card: &NewCard) -> rusqlite::Result<InsertOutcome> {
    let refused = |r| Ok(InsertOutcome::Refused(r));
    let template: Option<(String, String)> = tx
        .prepare_cached("SELECT appid, kind FROM card_templates WHERE card_id = ?1")?
        .query_row([&card.card_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match template {
        Some((owner, kind)) if owner == card.platform_appid && kind == card.kind.as_str() => {}
        _ => return refused(InsertRefusal::UnknownTemplate),
    }

    let order: Option<OrderRow> = tx
        .prepare_cached(
            "SELECT o.status, o.platform_appid, o.kind, o.openid, u.unionid
             FROM auth_orders o LEFT JOIN users u ON u.appid = o.appid AND u.openid = o.openid
             WHERE o.appid = ?1 AND o.order_id = ?2",
        )?
        .query_row([&card.appid, &card.order_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let Some((status, platform, kind, openid, unionid)) = order else {
        return refused(InsertRefusal::OrderNeverAuth(format!(
            "appid {} never asked to authorise order_id {} (getauthurl)",
            card.appid, card.order_id
        )));
    };
    if status == "rejected" {
        return refused(InsertRefusal::Rejected);
    }
    if platform != card.platform_appid {
        return refused(InsertRefusal::OrderNeverAuth(
            "the order was authorised with another platform's s_pappid; insert with that platform's access_token".into(),
        ));
    }
    if kind != card.kind.as_str() {
        return refused(InsertRefusal::OrderNeverAuth(format!(
            "the order was authorised for a {kind}, not a {}",
            card.kind.as_str()
        )));
    }
    let (Some(openid), "authorized") = (openid, status.as_str()) else {
        return refused(InsertRefusal::OrderNeverAuth(
            "the user has not authorised this order yet".into(),
        ));
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

    let mut media = vec![("s_pdf_media_id", card.content.s_pdf_media_id.as_str())];
    if let Some(trip) = &card.content.s_trip_pdf_media_id {
        if trip == &card.content.s_pdf_media_id {
            return refused(InsertRefusal::Pdf(
                "s_trip_pdf_media_id must be a different upload from s_pdf_media_id".into(),
            ));
        }
        media.push(("s_trip_pdf_media_id", trip));
    }
    for (field, id) in &media {
        if let Some(why) = pdf_problem(tx, field, id, card)? {
            return refused(InsertRefusal::Pdf(why));
        }
    }

    let mut code = card.code.clone();
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
                    code = ids::card_code();
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

fn pdf_problem(
    tx: &Connection,
    field: &str,
    id: &str,
    card: &NewCard,
) -> rusqlite::Result<Option<String>> {
    let row: Option<(String, i64, Option<String>)> = tx
        .prepare_cached(
            "SELECT appid, expires_at, bound_code FROM pdf_media WHERE s_media_id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(match row {
        None => Some(format!(
            "{field} {id} was never uploaded with platform/setpdf"
        )),
        Some((owner, _, _)) if owner != card.platform_appid => {
            Some(format!("{field} {id} was uploaded by another app"))
        }
        Some((_, _, Some(bound))) => {
            Some(format!("{field} {id} is already attached to card {bound}"))
        }
        Some((_, expires_at, None)) if expires_at <= card.now => Some(format!(
            "{field} {id} expired: a PDF must be attached within 3 days of setpdf"
        )),
        _ => None,
    })
}
