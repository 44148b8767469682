//! Official Account invoices and fiscal bills in the card package: shown
//! from the stored card and its template, the PDF opened through a link
//! minted as getpdf mints one, and discarded as the control API does
//! (`user_del_card` to the inserting platform).

use super::view::{card_path, CardView, Family, ItemView, Tone};
use super::Refusal;
use crate::domain::invoice::card::{InvoiceCard, CARD_DISCARDED};
use crate::domain::invoice::{CardKind, CardTemplate};
use crate::flows::{card_package, pdf_link};
use crate::http::web::html::{beijing_time, yuan};
use crate::state::AppState;
use crate::store::StoreResult;
use serde_json::Value;
use std::collections::HashMap;

/// The user's invoice and fiscal-bill cards under `appid`.
pub async fn cards(
    state: &AppState,
    appid: &str,
    openid: &str,
    package: &str,
) -> StoreResult<Vec<CardView>> {
    let cards = state.store.cards_of_user(openid).await?;
    let mut templates: HashMap<String, Option<CardTemplate>> = HashMap::new();
    let mut views = Vec::new();
    for card in cards.iter().filter(|c| c.appid == appid) {
        if !templates.contains_key(&card.card_id) {
            let template = state.store.card_template(&card.card_id).await?;
            templates.insert(card.card_id.clone(), template);
        }
        let template = templates.get(&card.card_id).and_then(Option::as_ref);
        views.push(view(card, template, package));
    }
    Ok(views)
}

fn view(card: &InvoiceCard, template: Option<&CardTemplate>, package: &str) -> CardView {
    let content = &card.content;
    let data = &content.user_data;
    let mut view = CardView::new(Family::Oa, &card.code);
    view.kind_label = match card.kind {
        CardKind::Invoice => "电子发票 · Invoice".into(),
        CardKind::FiscalBill => "财政电子票据 · Fiscal bill".into(),
    };
    view.issuer = template
        .map(|t| t.payee.clone())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| card.platform_appid.clone());
    view.title = content.title.clone();
    view.amount = yuan(content.fee);
    view.date = beijing_time(content.billing_time);
    view.sort_key = card.inserted_at;
    view.fact("代码 · Code", &content.billing_code);
    view.fact("号码 · Number", &content.billing_no);
    view.fact(
        "校验码 · Check code",
        data["check_code"].as_str().unwrap_or(""),
    );
    if let (Some(without), Some(tax)) = (data["fee_without_tax"].as_i64(), data["tax"].as_i64()) {
        view.notes
            .push(format!("不含税 ¥{} · 税额 ¥{}", yuan(without), yuan(tax)));
    }
    view.items = items(data);
    view.pdf_url = Some(card_path(package, Family::Oa, &card.code, "pdf"));
    if card.card_status == CARD_DISCARDED {
        view.set_status("已删除 · Discarded", Tone::Gone);
        return view;
    }
    view.discard_url = Some(card_path(package, Family::Oa, &card.code, "discard"));
    match card.reimburse_status.as_str() {
        "INVOICE_REIMBURSE_INIT" => view.set_status("已入卡包 · Inserted", Tone::Ok),
        "INVOICE_REIMBURSE_LOCK" => view.set_status("报销中 · Reimbursing", Tone::Busy),
        "INVOICE_REIMBURSE_CLOSURE" => view.set_status("已报销 · Reimbursed", Tone::Gone),
        _ => view.set_status("已入卡包 · Inserted", Tone::Ok),
    }
    view
}

/// `invoice_user_data.info`: name, num (number or text), unit, price (fen).
fn items(data: &Value) -> Vec<ItemView> {
    let Some(lines) = data["info"].as_array() else {
        return Vec::new();
    };
    lines
        .iter()
        .map(|line| {
            let num = match &line["num"] {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => String::new(),
            };
            let price = line["price"].as_i64();
            let amount = match (price, num.parse::<f64>()) {
                (Some(p), Ok(n)) => yuan((p as f64 * n).round() as i64),
                _ => String::new(),
            };
            ItemView {
                name: line["name"].as_str().unwrap_or("").to_owned(),
                quantity: format!("{num} {}", line["unit"].as_str().unwrap_or(""))
                    .trim()
                    .to_owned(),
                price: price.map(yuan).unwrap_or_default(),
                amount,
            }
        })
        .collect()
}

/// The user's card with `code`, or why there is none.
async fn find(
    state: &AppState,
    appid: &str,
    openid: &str,
    code: &str,
) -> Result<InvoiceCard, Refusal> {
    match state.store.card(code).await? {
        Some(card) if card.appid == appid && card.openid == openid => Ok(card),
        _ => Err(Refusal::UnknownCard),
    }
}

/// A fresh link to the card's PDF (valid 7200 s, as getpdf's).
pub async fn pdf_link(
    state: &AppState,
    appid: &str,
    openid: &str,
    code: &str,
) -> Result<String, Refusal> {
    let card = find(state, appid, openid, code).await?;
    Ok(pdf_link::mint(state, "", &card.content.s_pdf_media_id).await?)
}

/// The user deletes the card (a second delete changes nothing).
pub async fn discard(
    state: &AppState,
    appid: &str,
    openid: &str,
    code: &str,
) -> Result<(), Refusal> {
    let card = find(state, appid, openid, code).await?;
    card_package::discard(state, &card).await?;
    Ok(())
}
