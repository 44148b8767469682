//! The rules of a T11 body that need nothing but the body: which shape it
//! is and what that shape requires, the published maximum lengths (in
//! characters), the buyer, and the line math (amounts in fen, quantity in
//! 1e-8, unit_price in 1e-6 fen, tax_rate in 1/10000; amount + tax_amount
//! = total_amount; discount lines after the line they discount). The
//! header totals must equal the sums of the lines: the official example
//! breaks that, so default mode accepts it with a warning and strict mode
//! refuses it. Errors name the field path from the body's root.

use super::card::TaxiCardBody;
use crate::domain::fapiao::card::{CardFapiao, CardItem};
use crate::domain::fapiao::rules::check_lines;
use crate::domain::FieldError;

/// Where the fapiao's fields sit in the body.
const CARD: &str = "fapiao_card_information";

/// Which way a T11 body names the trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TripReference<'a> {
    /// The official page's shape: the trip order's token.
    Token(&'a str),
    /// The YAML's older shape: the payment's transaction_id.
    TradeNumber(&'a str),
}

/// Checks everything about `body` that needs no stored state; answers how
/// it names the trip and the warnings default mode lets through (strict
/// mode refuses them instead).
pub fn check_card_body(
    body: &TaxiCardBody,
    strict: bool,
) -> Result<(TripReference<'_>, Vec<String>), FieldError> {
    let trip = check_shape(body)?;
    max_chars("company_mchid", &body.company_mchid, 32, true)?;
    max_chars("openid", &body.openid, 128, true)?;
    if let Some(appid) = &body.appid {
        max_chars("appid", appid, 128, true)?;
    }
    let warnings = check_card(&body.fapiao_card_information, strict).map_err(|e| e.under(CARD))?;
    Ok((trip, warnings))
}

/// The official shape (token, then appid required) or the older one
/// (trade_number, driver_license and plate_number required).
fn check_shape(body: &TaxiCardBody) -> Result<TripReference<'_>, FieldError> {
    for (field, value, max) in [
        ("trade_number", &body.trade_number, 64),
        ("driver_license", &body.driver_license, 32),
        ("plate_number", &body.plate_number, 32),
    ] {
        if let Some(value) = value {
            max_chars(field, value, max, true)?;
        }
    }
    if let Some(token) = &body.token {
        max_chars("token", token, 1024, true)?;
        if body.appid.is_none() {
            return Err(FieldError::new(
                "appid",
                "is required: the AppID the user applied for the fapiao under",
            ));
        }
        return Ok(TripReference::Token(token));
    }
    let Some(trade_number) = &body.trade_number else {
        return Err(FieldError::new(
            "token",
            "is required: the trip order's token (user-taxi-orders, find-by-token); the older shape sends trade_number, driver_license and plate_number instead",
        ));
    };
    for (field, value) in [
        ("driver_license", &body.driver_license),
        ("plate_number", &body.plate_number),
    ] {
        if value.is_none() {
            return Err(FieldError::new(
                field,
                "is required with trade_number (or send the trip order's token)",
            ));
        }
    }
    Ok(TripReference::TradeNumber(trade_number))
}

/// `fapiao_card_information`; paths relative to it.
fn check_card(card: &CardFapiao, strict: bool) -> Result<Vec<String>, FieldError> {
    for (field, value, max) in [
        ("fapiao_media_id", &card.fapiao_media_id, 128),
        ("fapiao_number", &card.fapiao_number, 8),
        ("fapiao_code", &card.fapiao_code, 12),
        ("fapiao_time", &card.fapiao_time, 32),
        ("check_code", &card.check_code, 20),
        ("password", &card.password, 1024),
    ] {
        max_chars(field, value, max, true)?;
    }
    card.check_time()?;
    if let Some(remark) = &card.remark {
        max_chars("remark", remark, 200, false)?;
    }
    check_parties(card)?;
    for (field, value) in [
        ("total_amount", card.total_amount),
        ("tax_amount", card.tax_amount),
        ("amount", card.amount),
    ] {
        if value < 0 {
            return Err(FieldError::new(field, "must not be negative (fen)"));
        }
    }
    card.check_header_total()?;
    if card.items.is_empty() {
        return Ok(Vec::new());
    }
    for (i, item) in card.items.iter().enumerate() {
        check_item(item).map_err(|e| e.under(&format!("items[{i}]")))?;
    }
    let lines = card.line_facts();
    // Discount lines and rates here; the header sums below, as warnings.
    check_lines(&lines, lines.iter().map(|l| l.total_amount).sum())?;
    let differences = card.header_differences();
    match differences.first() {
        Some(first) if strict => Err(first.clone()),
        _ => Ok(as_warnings(differences)),
    }
}

/// The warnings default mode reports for an accepted card: its header
/// totals that differ from the sums of its lines.
pub fn header_warnings(card: &CardFapiao) -> Vec<String> {
    if card.items.is_empty() {
        return Vec::new();
    }
    as_warnings(card.header_differences())
}

/// Header differences as warnings, their paths from the body's root.
fn as_warnings(differences: Vec<FieldError>) -> Vec<String> {
    differences
        .into_iter()
        .map(|e| format!("{CARD}.{}: {}", e.field, e.issue))
        .collect()
}

/// Buyer, seller and extra information.
fn check_parties(card: &CardFapiao) -> Result<(), FieldError> {
    let Some(buyer) = &card.buyer_information else {
        return Err(FieldError::new(
            "buyer_information",
            "is required: the title the fapiao was issued to",
        ));
    };
    if !matches!(
        buyer.buyer_type.as_str(),
        "INDIVIDUAL" | "ORGANIZATION" | "CORPORATION"
    ) {
        return Err(FieldError::new(
            "buyer_information.type",
            format!(
                "{} is not INDIVIDUAL or ORGANIZATION (CORPORATION is read as ORGANIZATION)",
                buyer.buyer_type
            ),
        ));
    }
    max_chars("buyer_information.name", &buyer.name, 80, true)?;
    let organization = buyer.buyer_type != "INDIVIDUAL";
    match &buyer.taxpayer_id {
        Some(id) => max_chars("buyer_information.taxpayer_id", id, 20, organization)?,
        None if organization => {
            return Err(FieldError::new(
                "buyer_information.taxpayer_id",
                "is required when the buyer is an ORGANIZATION",
            ))
        }
        None => {}
    }
    optional_party_fields(
        "buyer_information",
        &buyer.address,
        &buyer.telephone,
        &buyer.bank_name,
        &buyer.bank_account,
    )?;
    let seller = &card.seller_information;
    max_chars("seller_information.name", &seller.name, 80, true)?;
    max_chars(
        "seller_information.taxpayer_id",
        &seller.taxpayer_id,
        20,
        true,
    )?;
    max_chars("seller_information.address", &seller.address, 80, true)?;
    optional_party_fields(
        "seller_information",
        &None,
        &seller.telephone,
        &seller.bank_name,
        &seller.bank_account,
    )?;
    let extra = &card.extra_information;
    max_chars("extra_information.drawer", &extra.drawer, 20, true)?;
    for (field, value) in [
        ("extra_information.payee", &extra.payee),
        ("extra_information.reviewer", &extra.reviewer),
    ] {
        if let Some(value) = value {
            max_chars(field, value, 16, false)?;
        }
    }
    Ok(())
}

/// Address (≤ 80), telephone (≤ 20), bank name (≤ 70), bank account (≤ 30).
fn optional_party_fields(
    party: &str,
    address: &Option<String>,
    telephone: &Option<String>,
    bank_name: &Option<String>,
    bank_account: &Option<String>,
) -> Result<(), FieldError> {
    for (field, value, max) in [
        ("address", address, 80),
        ("telephone", telephone, 20),
        ("bank_name", bank_name, 70),
        ("bank_account", bank_account, 30),
    ] {
        if let Some(value) = value {
            max_chars(field, value, max, false).map_err(|e| e.under(party))?;
        }
    }
    Ok(())
}

/// One line; paths relative to it.
fn check_item(item: &CardItem) -> Result<(), FieldError> {
    max_chars("tax_code", &item.tax_code, 32, true)?;
    max_chars("goods_name", &item.goods_name, 128, true)?;
    if let Some(specification) = &item.specification {
        max_chars("specification", specification, 40, false)?;
    }
    if let Some(unit) = &item.unit {
        max_chars("unit", unit, 14, false)?;
    }
    item.check_amounts()
}

/// `value` has at most `max` characters (and, when `required`, at least
/// one that is not a space).
fn max_chars(field: &str, value: &str, max: usize, required: bool) -> Result<(), FieldError> {
    if required && value.trim().is_empty() {
        return Err(FieldError::new(field, "is required and must not be empty"));
    }
    let count = value.chars().count();
    if count > max {
        return Err(FieldError::new(
            field,
            format!("has {count} characters; at most {max} are allowed"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
