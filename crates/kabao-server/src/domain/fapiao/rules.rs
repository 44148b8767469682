//! Structural rules of an issuing request (fapiao-domain §4.3): how many
//! fapiao, unique ids, line totals and discount lines, and the fapiao total
//! equal to the sum of its lines. Errors name the field path relative to
//! the fapiao (`items[1].total_amount`) or to the body.

use super::tax::MAX_TAX_RATE;
use super::{MAX_FAPIAO_APPLY_ID_LEN, MAX_FAPIAO_PER_APPLICATION};
use crate::domain::FieldError;
use std::collections::HashSet;

/// What the rules need to know about one line of a fapiao.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFacts {
    /// 税收分类编码.
    pub tax_code: String,
    /// Rate in ten-thousandths.
    pub tax_rate: i64,
    /// Tax-included total in fen (negative on a discount line).
    pub total_amount: i64,
    /// Whether this is a discount (折扣) line.
    pub discount: bool,
}

/// `fapiao_apply_id` is 1 to 32 characters of letters, digits, `_` and `-`.
pub fn check_apply_id(id: &str) -> Result<(), FieldError> {
    if id.is_empty() || id.chars().count() > MAX_FAPIAO_APPLY_ID_LEN {
        return Err(FieldError::new(
            "fapiao_apply_id",
            format!("must be 1 to {MAX_FAPIAO_APPLY_ID_LEN} characters"),
        ));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(FieldError::new(
            "fapiao_apply_id",
            "may hold only letters, digits, '_' and '-'",
        ));
    }
    Ok(())
}

/// One application holds 1 to 5 fapiao, each with its own `fapiao_id`.
pub fn check_fapiao_ids<'a>(ids: impl ExactSizeIterator<Item = &'a str>) -> Result<(), FieldError> {
    let count = ids.len();
    if count == 0 || count > MAX_FAPIAO_PER_APPLICATION {
        return Err(FieldError::new(
            "fapiao_information",
            format!("holds {count} fapiao; an application holds 1 to {MAX_FAPIAO_PER_APPLICATION}"),
        ));
    }
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        if id.is_empty() || id.chars().count() > 32 {
            return Err(FieldError::new(
                format!("fapiao_information[{i}].fapiao_id"),
                "must be 1 to 32 characters",
            ));
        }
        if !seen.insert(id) {
            return Err(FieldError::new(
                format!("fapiao_information[{i}].fapiao_id"),
                format!(
                    "{id} appears twice in the application; each fapiao needs its own fapiao_id"
                ),
            ));
        }
    }
    Ok(())
}

/// Checks the lines of one fapiao and that `declared_total` is their sum.
/// Paths are relative to the fapiao (`items[2].discount`, `total_amount`).
pub fn check_lines(lines: &[LineFacts], declared_total: i64) -> Result<(), FieldError> {
    if lines.is_empty() {
        return Err(FieldError::new("items", "a fapiao needs at least one line"));
    }
    for (i, line) in lines.iter().enumerate() {
        if !(0..=MAX_TAX_RATE).contains(&line.tax_rate) {
            return Err(FieldError::new(
                format!("items[{i}].tax_rate"),
                format!("{} is outside 0..=10000 (ten-thousandths)", line.tax_rate),
            ));
        }
        if line.discount {
            check_discount_line(lines, i)?;
        } else if line.total_amount <= 0 {
            return Err(FieldError::new(
                format!("items[{i}].total_amount"),
                "must be positive on a line that is not a discount",
            ));
        }
    }
    let sum: i64 = lines.iter().map(|l| l.total_amount).sum();
    if sum != declared_total {
        return Err(FieldError::new(
            "total_amount",
            format!("is {declared_total} but the lines' total_amount add up to {sum}"),
        ));
    }
    Ok(())
}

/// A discount line directly follows the line it discounts, is negative, is
/// not larger than that line, and has its tax_code and tax_rate.
fn check_discount_line(lines: &[LineFacts], i: usize) -> Result<(), FieldError> {
    let line = &lines[i];
    let field = |name: &str| format!("items[{i}].{name}");
    let Some(discounted) = i.checked_sub(1).map(|p| &lines[p]).filter(|p| !p.discount) else {
        return Err(FieldError::new(
            field("discount"),
            "a discount line must directly follow the (non-discount) line it discounts",
        ));
    };
    if line.total_amount >= 0 {
        return Err(FieldError::new(
            field("total_amount"),
            "must be negative on a discount line",
        ));
    }
    if line.total_amount.unsigned_abs() > discounted.total_amount.unsigned_abs() {
        return Err(FieldError::new(
            field("total_amount"),
            format!(
                "discounts {} but the line it discounts totals only {}",
                -line.total_amount, discounted.total_amount
            ),
        ));
    }
    if line.tax_code != discounted.tax_code {
        return Err(FieldError::new(
            field("tax_code"),
            format!(
                "must equal the discounted line's tax_code {}",
                discounted.tax_code
            ),
        ));
    }
    if line.tax_rate != discounted.tax_rate {
        return Err(FieldError::new(
            field("tax_rate"),
            format!(
                "must equal the discounted line's tax_rate {}",
                discounted.tax_rate
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(total: i64, discount: bool) -> LineFacts {
        LineFacts {
            tax_code: "3010101020203000000".into(),
            tax_rate: 1300,
            total_amount: total,
            discount,
        }
    }

    #[test]
    fn a_discount_line_follows_a_larger_line_with_the_same_code_and_rate() {
        assert!(check_lines(&[line(1000, false), line(-200, true)], 800).is_ok());
        let first = check_lines(&[line(-200, true)], -200).unwrap_err();
        assert_eq!(first.field, "items[0].discount");
        let positive = check_lines(&[line(1000, false), line(200, true)], 1200).unwrap_err();
        assert_eq!(positive.field, "items[1].total_amount");
        let larger = check_lines(&[line(1000, false), line(-2000, true)], -1000).unwrap_err();
        assert_eq!(larger.field, "items[1].total_amount");
        let mut other_code = line(-100, true);
        other_code.tax_code = "1010101010000000000".into();
        let code = check_lines(&[line(1000, false), other_code], 900).unwrap_err();
        assert_eq!(code.field, "items[1].tax_code");
        let mut other_rate = line(-100, true);
        other_rate.tax_rate = 600;
        let rate = check_lines(&[line(1000, false), other_rate], 900).unwrap_err();
        assert_eq!(rate.field, "items[1].tax_rate");
    }

    #[test]
    fn the_fapiao_total_is_the_sum_of_its_lines() {
        let e = check_lines(&[line(1000, false), line(500, false)], 1400).unwrap_err();
        assert_eq!(e.field, "total_amount");
    }

    #[test]
    fn at_most_five_fapiao_with_distinct_ids() {
        let six = ["1", "2", "3", "4", "5", "6"];
        assert_eq!(
            check_fapiao_ids(six.into_iter()).unwrap_err().field,
            "fapiao_information"
        );
        let twice = ["a", "b", "a"];
        assert_eq!(
            check_fapiao_ids(twice.into_iter()).unwrap_err().field,
            "fapiao_information[2].fapiao_id"
        );
        assert!(check_fapiao_ids(["a", "b"].into_iter()).is_ok());
    }

    #[test]
    fn the_apply_id_is_at_most_32_characters() {
        assert!(check_apply_id(&"1".repeat(32)).is_ok());
        assert!(check_apply_id(&"1".repeat(33)).is_err());
        assert!(check_apply_id("").is_err());
    }
}
