//! The rules of an insert-cards body that need nothing but the body
//! (fapiao-domain §4.1–4.3): how many fapiao, required texts, the buyer,
//! each line's amount = unit price × quantity and amount + tax = total,
//! discount lines, and the header totals equal to the sums of the lines.
//! Errors name the field path from the body's root.

use super::body::{CardFapiao, CardItem, InsertCardsBody};
use crate::domain::fapiao::rules::{check_lines, LineFacts};
use crate::domain::fapiao::setup::TAX_PREFER_MARKS;
use crate::domain::fapiao::MAX_FAPIAO_PER_APPLICATION;
use crate::domain::FieldError;
use std::collections::HashSet;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// 10^14: `amount (fen) = unit_price (1e-6 fen) × quantity (1e-8) / 10^14`.
const PRICE_SCALE: i128 = 100_000_000_000_000;

/// The rounding a merchant's own system may differ by, in fen.
const ROUNDING_FEN: i128 = 1;

/// Checks everything about `body` that needs no stored state.
pub(super) fn check_body(body: &InsertCardsBody) -> Result<(), FieldError> {
    check_buyer(body)?;
    let cards = &body.fapiao_card_information;
    if cards.is_empty() || cards.len() > MAX_FAPIAO_PER_APPLICATION {
        return Err(FieldError::new(
            "fapiao_card_information",
            format!(
                "holds {} fapiao; one call inserts 1 to {MAX_FAPIAO_PER_APPLICATION}",
                cards.len()
            ),
        ));
    }
    let mut media = HashSet::new();
    let mut numbers = HashSet::new();
    for (i, card) in cards.iter().enumerate() {
        let under = format!("fapiao_card_information[{i}]");
        check_fapiao(card).map_err(|e| e.under(&under))?;
        if !media.insert(card.fapiao_media_id.as_str()) {
            return Err(FieldError::new(
                format!("{under}.fapiao_media_id"),
                "names a file another entry of this call already uses",
            ));
        }
        if !numbers.insert((card.fapiao_code.as_str(), card.fapiao_number.as_str())) {
            return Err(FieldError::new(
                format!("{under}.fapiao_number"),
                "repeats the fapiao_code and fapiao_number of another entry",
            ));
        }
    }
    Ok(())
}

/// `buyer_information.type` and `name`.
fn check_buyer(body: &InsertCardsBody) -> Result<(), FieldError> {
    let buyer = &body.buyer_information;
    if !matches!(buyer.buyer_type.as_str(), "INDIVIDUAL" | "ORGANIZATION") {
        return Err(FieldError::new(
            "buyer_information.type",
            format!("{} is not INDIVIDUAL or ORGANIZATION", buyer.buyer_type),
        ));
    }
    if buyer.name.trim().is_empty() {
        return Err(FieldError::new(
            "buyer_information.name",
            "must not be empty",
        ));
    }
    Ok(())
}

/// One fapiao; paths relative to it.
fn check_fapiao(card: &CardFapiao) -> Result<(), FieldError> {
    for (field, value) in [
        ("fapiao_media_id", &card.fapiao_media_id),
        ("fapiao_number", &card.fapiao_number),
        ("fapiao_code", &card.fapiao_code),
        ("check_code", &card.check_code),
        ("password", &card.password),
        ("seller_information.name", &card.seller_information.name),
        (
            "seller_information.taxpayer_id",
            &card.seller_information.taxpayer_id,
        ),
        (
            "seller_information.address",
            &card.seller_information.address,
        ),
        ("extra_information.drawer", &card.extra_information.drawer),
    ] {
        if value.trim().is_empty() {
            return Err(FieldError::new(field, "must not be empty"));
        }
    }
    if OffsetDateTime::parse(&card.fapiao_time, &Rfc3339).is_err() {
        return Err(FieldError::new(
            "fapiao_time",
            format!(
                "{} is not an RFC 3339 time such as 2020-07-01T12:00:00+08:00",
                card.fapiao_time
            ),
        ));
    }
    for (j, item) in card.items.iter().enumerate() {
        check_item(item).map_err(|e| e.under(&format!("items[{j}]")))?;
    }
    let lines: Vec<LineFacts> = card
        .items
        .iter()
        .map(|i| LineFacts {
            tax_code: i.tax_code.clone(),
            tax_rate: i.tax_rate,
            total_amount: i.total_amount,
            discount: i.discount,
        })
        .collect();
    check_lines(&lines, card.total_amount)?;
    let amount: i64 = card.items.iter().map(|i| i.amount).sum();
    if amount != card.amount {
        return Err(FieldError::new(
            "amount",
            format!(
                "is {} but the lines' amount add up to {amount}",
                card.amount
            ),
        ));
    }
    let tax: i64 = card.items.iter().map(|i| i.tax_amount).sum();
    if tax != card.tax_amount {
        return Err(FieldError::new(
            "tax_amount",
            format!(
                "is {} but the lines' tax_amount add up to {tax}",
                card.tax_amount
            ),
        ));
    }
    Ok(())
}

/// One line; paths relative to it.
fn check_item(item: &CardItem) -> Result<(), FieldError> {
    if item.tax_code.trim().is_empty() {
        return Err(FieldError::new("tax_code", "must not be empty"));
    }
    if item.goods_name.trim().is_empty() {
        return Err(FieldError::new("goods_name", "must not be empty"));
    }
    if !TAX_PREFER_MARKS.contains(&item.tax_prefer_mark.as_str()) {
        return Err(FieldError::new(
            "tax_prefer_mark",
            format!(
                "{} is not one of {}",
                item.tax_prefer_mark,
                TAX_PREFER_MARKS.join(", ")
            ),
        ));
    }
    if item.amount + item.tax_amount != item.total_amount {
        return Err(FieldError::new(
            "total_amount",
            format!(
                "is {} but amount {} + tax_amount {} = {}",
                item.total_amount,
                item.amount,
                item.tax_amount,
                item.amount + item.tax_amount
            ),
        ));
    }
    if item.discount {
        return Ok(());
    }
    if item.quantity <= 0 {
        return Err(FieldError::new(
            "quantity",
            "must be positive (1e-8 units: 100000000 = 1)",
        ));
    }
    if item.unit_price < 0 {
        return Err(FieldError::new(
            "unit_price",
            "must not be negative (1e-6 fen)",
        ));
    }
    let expected = i128::from(item.unit_price) * i128::from(item.quantity);
    let given = i128::from(item.amount) * PRICE_SCALE;
    if (expected - given).abs() > ROUNDING_FEN * PRICE_SCALE {
        return Err(FieldError::new(
            "amount",
            format!(
                "is {} fen but unit_price {} × quantity {} / 10^14 = {:.2} fen (±1 fen allowed)",
                item.amount,
                item.unit_price,
                item.quantity,
                expected as f64 / PRICE_SCALE as f64
            ),
        ));
    }
    Ok(())
}
