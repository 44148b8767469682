//! The rules of an insert-cards body that need nothing but the body
//! (fapiao-domain §4.1–4.3): how many fapiao, required texts, the buyer,
//! each line's amount = unit price × quantity and amount + tax = total,
//! discount lines, and the header totals equal to the sums of the lines.
//! Errors name the field path from the body's root.

use super::body::InsertCardsBody;
use crate::domain::fapiao::card::{CardFapiao, CardItem};
use crate::domain::fapiao::rules::check_lines;
use crate::domain::fapiao::MAX_FAPIAO_PER_APPLICATION;
use crate::domain::FieldError;
use std::collections::HashSet;

/// Checks everything about `body` that needs no stored state.
pub(crate) fn check_body(body: &InsertCardsBody) -> Result<(), FieldError> {
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
    card.check_time()?;
    for (j, item) in card.items.iter().enumerate() {
        check_item(item).map_err(|e| e.under(&format!("items[{j}]")))?;
    }
    check_lines(&card.line_facts(), card.total_amount)?;
    match card.header_differences().into_iter().next() {
        Some(difference) => Err(difference),
        None => Ok(()),
    }
}

/// One line; paths relative to it.
fn check_item(item: &CardItem) -> Result<(), FieldError> {
    if item.tax_code.trim().is_empty() {
        return Err(FieldError::new("tax_code", "must not be empty"));
    }
    if item.goods_name.trim().is_empty() {
        return Err(FieldError::new("goods_name", "must not be empty"));
    }
    item.check_amounts()
}
