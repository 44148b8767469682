//! Turning the lines of a request into a checked fapiao face: tax codes
//! looked up, amount and tax computed (§4.2), line and total rules (§4.3).

use super::checks::tax_code;
use super::errors::param;
use crate::domain::fapiao::face::{unit_price, FaceItem, FapiaoFace};
use crate::domain::fapiao::rules::{check_lines, LineFacts};
use crate::domain::fapiao::setup::TAX_PREFER_MARKS;
use crate::domain::fapiao::tax::split_line_total;
use crate::domain::fapiao::FapiaoParty;
use crate::domain::FieldError;
use crate::http::pay::PayError;
use crate::state::AppState;

/// One requested line, before tax is computed.
#[derive(Debug, Clone)]
pub(super) struct LineRequest {
    /// 税收分类编码.
    pub tax_code: String,
    /// 商品名称 (the tax-code table's when not given).
    pub goods_name: Option<String>,
    /// 规格型号.
    pub specification: Option<String>,
    /// 单位.
    pub unit: Option<String>,
    /// Quantity in 1e-8 units.
    pub quantity: Option<i64>,
    /// Tax-included total in fen.
    pub total_amount: i64,
    /// Rate (the tax-code table's when not given).
    pub tax_rate: Option<i64>,
    /// Preference mark (the tax-code table's when not given).
    pub tax_prefer_mark: Option<String>,
    /// A discount line.
    pub discount: bool,
}

/// The face of one fapiao at `path` (`fapiao_information[0]` or
/// `fapiao_information`), or the error naming the offending field.
pub(super) async fn build_face(
    state: &AppState,
    party: &FapiaoParty,
    path: &str,
    lines: &[LineRequest],
    declared_total: i64,
    seller: &(serde_json::Value, serde_json::Value),
) -> Result<FapiaoFace, PayError> {
    let mut items = Vec::with_capacity(lines.len());
    let mut facts = Vec::with_capacity(lines.len());
    for (j, line) in lines.iter().enumerate() {
        let at = |name: &str| format!("{path}.items[{j}].{name}");
        let entry = tax_code(state, party, &at("tax_code"), &line.tax_code).await?;
        let tax_rate = line.tax_rate.unwrap_or(entry.tax_rate);
        let mark = line
            .tax_prefer_mark
            .clone()
            .unwrap_or_else(|| entry.tax_prefer_mark.clone());
        if !TAX_PREFER_MARKS.contains(&mark.as_str()) {
            return Err(PayError::param(
                &at("tax_prefer_mark"),
                "body",
                format!("{mark} is not one of {}", TAX_PREFER_MARKS.join(", ")),
            ));
        }
        if line.quantity.is_some_and(|q| q < 0) {
            return Err(PayError::param(
                &at("quantity"),
                "body",
                "must not be negative",
            ));
        }
        facts.push(LineFacts {
            tax_code: line.tax_code.clone(),
            tax_rate,
            total_amount: line.total_amount,
            discount: line.discount,
        });
        let split = split_line_total(line.total_amount, tax_rate, mark != "NO_FAVORABLE");
        items.push(FaceItem {
            tax_code: line.tax_code.clone(),
            goods_name: line.goods_name.clone().or(Some(entry.goods_name)),
            specification: line.specification.clone(),
            unit: line.unit.clone(),
            quantity: line.quantity,
            unit_price: unit_price(split.amount, line.quantity),
            amount: split.amount,
            tax_amount: split.tax_amount,
            total_amount: line.total_amount,
            tax_rate,
            tax_prefer_mark: Some(mark),
            discount: line.discount,
        });
    }
    check_lines(&facts, declared_total).map_err(|e: FieldError| param(path, e))?;
    Ok(FapiaoFace {
        seller_information: seller.0.clone(),
        extra_information: seller.1.clone(),
        items,
        remark: None,
        need_list: false,
        digital: None,
    })
}
