//! The field rules of insert and insertbill. A hard error is always
//! refused; a consistency rule the seeds' own examples break is a warning
//! in default mode and refused in strict mode (DESIGN: "the seeds' example
//! requests succeed as published").

use kabao_protocol::oa::insert::{BillUserData, InvoiceUserData};
use kabao_protocol::oa::OaErrcode;

/// A refused field: the wire code and the detail naming the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The errcode.
    pub code: OaErrcode,
    /// Which field and why.
    pub detail: String,
}

fn refuse(code: OaErrcode, detail: impl Into<String>) -> Refusal {
    Refusal {
        code,
        detail: detail.into(),
    }
}

/// Collects warnings, or refuses them in strict mode.
struct Judge {
    strict: bool,
    warnings: Vec<String>,
}

impl Judge {
    /// Checks the hard rules every card shares, then judges the rest
    /// under `strict`.
    fn start(
        strict: bool,
        fee: i64,
        title: &str,
        billing_time: i64,
        pdf: &str,
    ) -> Result<Self, Refusal> {
        if title.trim().is_empty() {
            return Err(refuse(
                OaErrcode::InvalidInvoiceTitle,
                format!("{PREFIX}.title is empty"),
            ));
        }
        if fee < 0 {
            return Err(refuse(
                OaErrcode::InvalidParams,
                format!("{PREFIX}.fee must be a non-negative amount in fen, got {fee}"),
            ));
        }
        if !(1_000_000_000..10_000_000_000).contains(&billing_time) {
            return Err(refuse(
                OaErrcode::InvalidParams,
                format!(
                    "{PREFIX}.billing_time must be a 10-digit Unix time in seconds, got {billing_time}"
                ),
            ));
        }
        if pdf.trim().is_empty() {
            return Err(refuse(
                OaErrcode::InvalidParams,
                format!("{PREFIX}.s_pdf_media_id is empty"),
            ));
        }
        Ok(Self {
            strict,
            warnings: Vec::new(),
        })
    }

    fn soft(&mut self, code: OaErrcode, detail: String) -> Result<(), Refusal> {
        if self.strict {
            Err(refuse(code, detail))
        } else {
            self.warnings.push(detail);
            Ok(())
        }
    }
}

const PREFIX: &str = "card_ext.user_card.invoice_user_data";

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Checks an invoice's content; returns the warnings accepted.
pub fn check_invoice(data: &InvoiceUserData, strict: bool) -> Result<Vec<String>, Refusal> {
    let mut judge = Judge::start(
        strict,
        data.fee,
        &data.title,
        data.billing_time,
        &data.s_pdf_media_id,
    )?;
    if data.billing_no.trim().is_empty() {
        return Err(refuse(
            OaErrcode::InvalidParams,
            format!("{PREFIX}.billing_no is empty"),
        ));
    }
    if data.billing_code.is_empty() {
        // 数电 (fully digital): 20-digit number, no code, no check code.
        if !(data.billing_no.len() == 20 && digits(&data.billing_no)) {
            return Err(refuse(
                OaErrcode::BillingCodeOrNoSizeError,
                format!("{PREFIX}.billing_no of a fully digital invoice (empty billing_code) must be 20 digits, got \"{}\"", data.billing_no),
            ));
        }
    } else {
        let code_ok = digits(&data.billing_code) && matches!(data.billing_code.len(), 10 | 12);
        if !code_ok {
            judge.soft(
                OaErrcode::BillingCodeOrNoSizeError,
                format!(
                    "{PREFIX}.billing_code should be 10 or 12 digits, got \"{}\"",
                    data.billing_code
                ),
            )?;
        }
        if !(digits(&data.billing_no) && data.billing_no.len() == 8) {
            judge.soft(
                OaErrcode::BillingCodeOrNoSizeError,
                format!(
                    "{PREFIX}.billing_no should be 8 digits, got \"{}\"",
                    data.billing_no
                ),
            )?;
        }
        if data
            .check_code
            .as_deref()
            .is_none_or(|c| c.trim().is_empty())
        {
            judge.soft(
                OaErrcode::CheckCodeEmpty,
                format!(
                    "{PREFIX}.check_code is empty (required unless the invoice is fully digital)"
                ),
            )?;
        }
    }
    for (name, value) in [("fee_without_tax", data.fee_without_tax), ("tax", data.tax)] {
        if value.is_some_and(|v| v < 0) {
            return Err(refuse(
                OaErrcode::InvalidParams,
                format!("{PREFIX}.{name} must be a non-negative amount in fen"),
            ));
        }
    }
    if let (Some(without), Some(tax)) = (data.fee_without_tax, data.tax) {
        if without.checked_add(tax) != Some(data.fee) {
            judge.soft(
                OaErrcode::InvalidParams,
                format!(
                    "{PREFIX}.fee {} is not fee_without_tax {without} + tax {tax}",
                    data.fee
                ),
            )?;
        }
    }
    for (i, item) in data.info.iter().enumerate() {
        if item.name.trim().is_empty() {
            return Err(refuse(
                OaErrcode::InvalidParams,
                format!("{PREFIX}.info[{i}].name is empty"),
            ));
        }
        if item.price < 0 {
            return Err(refuse(
                OaErrcode::InvalidParams,
                format!("{PREFIX}.info[{i}].price must be a non-negative amount in fen"),
            ));
        }
        if item.num.as_f64().is_none_or(|n| n <= 0.0) {
            return Err(refuse(
                OaErrcode::InvalidParams,
                format!("{PREFIX}.info[{i}].num must be a positive quantity"),
            ));
        }
    }
    Ok(judge.warnings)
}

/// Checks a fiscal bill's content; returns the warnings accepted.
pub fn check_bill(data: &BillUserData, strict: bool) -> Result<Vec<String>, Refusal> {
    let mut judge = Judge::start(
        strict,
        data.fee,
        &data.title,
        data.billing_time,
        &data.s_pdf_media_id,
    )?;
    for (name, value) in [
        ("billing_no", &data.billing_no),
        ("billing_code", &data.billing_code),
    ] {
        if value.trim().is_empty() {
            return Err(refuse(
                OaErrcode::InvalidParams,
                format!("{PREFIX}.{name} is empty"),
            ));
        }
    }
    if !(digits(&data.billing_no) && data.billing_no.len() == 10) {
        judge.soft(
            OaErrcode::BillingCodeOrNoSizeError,
            format!(
                "{PREFIX}.billing_no of a fiscal bill should be 10 digits, got \"{}\"",
                data.billing_no
            ),
        )?;
    }
    if data.billing_code.len() != 8 {
        judge.soft(
            OaErrcode::BillingCodeOrNoSizeError,
            format!(
                "{PREFIX}.billing_code of a fiscal bill should be 8 characters, got \"{}\"",
                data.billing_code
            ),
        )?;
    }
    Ok(judge.warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed_example() -> InvoiceUserData {
        serde_json::from_value(serde_json::json!({
            "info": [{"price": 10000, "num": 3, "name": "牙膏", "unit": "个"}],
            "billing_no": "4545145712", "billing_code": "4541212454512",
            "billing_time": "1468306058", "tax": 123, "s_pdf_media_id": "s_pdf_media_id_abc123",
            "fee": 123, "title": "灌哥发票", "fee_without_tax": 2345,
            "buyer_number": "123456789012345678"
        }))
        .unwrap()
    }

    #[test]
    fn the_seed_example_passes_with_warnings_and_fails_strict() {
        let warnings = check_invoice(&seed_example(), false).unwrap();
        assert!(warnings.iter().any(|w| w.contains("fee 123 is not")));
        let strict = check_invoice(&seed_example(), true).unwrap_err();
        assert_eq!(strict.code, OaErrcode::BillingCodeOrNoSizeError);
    }

    #[test]
    fn a_fully_digital_invoice_needs_twenty_digits() {
        let mut data = seed_example();
        data.billing_code = String::new();
        data.billing_no = "24442000000012345678".into();
        data.fee = 2468;
        assert!(check_invoice(&data, true).is_ok());
        data.billing_no = "2444200000001234567".into();
        let err = check_invoice(&data, false).unwrap_err();
        assert_eq!(err.code, OaErrcode::BillingCodeOrNoSizeError);
        assert!(err.detail.contains("billing_no"));
    }

    #[test]
    fn hard_rules_name_the_field() {
        let mut data = seed_example();
        data.billing_time = 146830605;
        assert!(check_invoice(&data, false)
            .unwrap_err()
            .detail
            .contains("billing_time"));
        let mut data = seed_example();
        data.info[0].name = " ".into();
        assert!(check_invoice(&data, false)
            .unwrap_err()
            .detail
            .contains("info[0].name"));
        let mut data = seed_example();
        data.title = String::new();
        assert_eq!(
            check_invoice(&data, false).unwrap_err().code,
            OaErrcode::InvalidInvoiceTitle
        );
    }
}
