//! WeChat Pay fapiao in the card package: shown from the application and
//! its fapiao, the PDF the same face fapiao-file serves (inline here), and
//! a discard that takes the card through DISCARD_ACCEPTED to DISCARDED
//! with FAPIAO.CARD_DISCARDED, as the control API's discard does.

use super::view::{card_path, decimal, CardView, Family, ItemView, Tone};
use super::Refusal;
use crate::domain::fapiao::{CardStatus, FapiaoStatus};
use crate::flows::fapiao_card;
use crate::http::web::fapiao_file::fapiao_pdf;
use crate::http::web::html::{beijing_time, yuan};
use crate::state::AppState;
use crate::store::fapiao::{FapiaoCard, StoredApplication, StoredFapiao};
use crate::store::StoreResult;
use std::collections::HashMap;

/// The user's fapiao cards under `appid`; the issuer is the seller on the
/// face, else the merchant's name, else its mchid.
pub async fn cards(
    state: &AppState,
    appid: &str,
    openid: &str,
    package: &str,
) -> StoreResult<Vec<CardView>> {
    let mut views = Vec::new();
    let mut names: HashMap<String, String> = HashMap::new();
    for card in state.store.fapiao_cards_of(openid).await? {
        if card.card.card_appid != appid {
            continue;
        }
        let Some((application, index)) = application_of(state, &card).await? else {
            continue;
        };
        let mut view = view(&card, &application, &application.fapiaos[index], package);
        if view.issuer.is_empty() {
            if !names.contains_key(&card.owner_mchid) {
                let merchant = state.store.merchant(&card.owner_mchid).await?;
                let name = merchant.map(|m| m.name).unwrap_or_default();
                names.insert(card.owner_mchid.clone(), name);
            }
            view.issuer = names
                .get(&card.owner_mchid)
                .filter(|n| !n.is_empty())
                .cloned()
                .unwrap_or_else(|| card.owner_mchid.clone());
        }
        views.push(view);
    }
    Ok(views)
}

/// The card's application and the index of its fapiao there.
async fn application_of(
    state: &AppState,
    card: &FapiaoCard,
) -> StoreResult<Option<(StoredApplication, usize)>> {
    let application = state
        .store
        .application(&card.owner_mchid, &card.fapiao_apply_id)
        .await?;
    Ok(application.and_then(|a| {
        let index = a
            .fapiaos
            .iter()
            .position(|f| f.fapiao_id == card.fapiao_id)?;
        Some((a, index))
    }))
}

fn view(
    card: &FapiaoCard,
    application: &StoredApplication,
    fapiao: &StoredFapiao,
    package: &str,
) -> CardView {
    let code = card.card.card_code.as_deref();
    let mut view = CardView::new(Family::Fapiao, code.unwrap_or(&card.fapiao_id));
    let special = fapiao
        .face
        .digital
        .as_ref()
        .and_then(|d| d["fapiao_bill_type"].as_str())
        == Some("VAT_FAPIAO");
    view.kind_label = if special {
        "电子发票（专票）· Special VAT fapiao".into()
    } else {
        "电子发票 · Fapiao".into()
    };
    view.issuer = fapiao.face.seller_information["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    view.title = application.buyer.name.clone();
    view.amount = yuan(fapiao.total_amount);
    let issued_at = fapiao.blue.as_ref().map(|b| b.issued_at);
    view.date = beijing_time(issued_at.unwrap_or(application.created_at));
    view.sort_key = issued_at.unwrap_or(application.created_at);
    if let Some(blue) = &fapiao.blue {
        view.fact("发票代码 · Code", &blue.numbers.fapiao_code);
        view.fact("发票号码 · Number", &blue.numbers.fapiao_number);
        view.fact("校验码 · Check code", &blue.numbers.check_code);
    }
    view.notes.push(format!(
        "不含税 ¥{} · 税额 ¥{}",
        yuan(fapiao.amount),
        yuan(fapiao.tax_amount)
    ));
    if fapiao.status == FapiaoStatus::Reversed {
        view.notes.push("已冲红 · Reversed by the merchant".into());
    }
    view.items = fapiao
        .face
        .items
        .iter()
        .map(|item| ItemView {
            name: item.goods_name.clone().unwrap_or_default(),
            quantity: format!(
                "{} {}",
                item.quantity.map(|q| decimal(q, 8)).unwrap_or_default(),
                item.unit.as_deref().unwrap_or("")
            )
            .trim()
            .to_owned(),
            price: item.unit_price.map(|p| decimal(p, 8)).unwrap_or_default(),
            amount: yuan(item.total_amount),
        })
        .collect();
    let issued = matches!(fapiao.status, FapiaoStatus::Issued | FapiaoStatus::Reversed);
    if let (Some(code), true) = (code, issued) {
        view.pdf_url = Some(card_path(package, Family::Fapiao, code, "pdf"));
    }
    match fapiao.card_status {
        Some(CardStatus::Inserted) => {
            view.set_status("已入卡包 · Inserted", Tone::Ok);
            if let Some(code) = code {
                view.discard_url = Some(card_path(package, Family::Fapiao, code, "discard"));
            }
        }
        Some(CardStatus::InsertAccepted) | None => {
            view.set_status("入卡包中 · Inserting", Tone::Busy)
        }
        Some(CardStatus::DiscardAccepted) => view.set_status("删除中 · Discarding", Tone::Busy),
        Some(CardStatus::Discarded) => view.set_status("已删除 · Discarded", Tone::Gone),
    }
    view
}

/// The user's fapiao card with `code`: its application and fapiao index.
async fn find(
    state: &AppState,
    appid: &str,
    openid: &str,
    code: &str,
) -> Result<(StoredApplication, usize), Refusal> {
    let cards = state.store.fapiao_cards_of(openid).await?;
    let card = cards
        .iter()
        .find(|c| c.card.card_appid == appid && c.card.card_code.as_deref() == Some(code))
        .ok_or(Refusal::UnknownCard)?;
    application_of(state, card)
        .await?
        .ok_or(Refusal::UnknownCard)
}

/// The PDF of the card's fapiao (issued or reversed).
pub async fn pdf(
    state: &AppState,
    appid: &str,
    openid: &str,
    code: &str,
) -> Result<(String, Vec<u8>), Refusal> {
    let (application, index) = find(state, appid, openid, code).await?;
    let fapiao = &application.fapiaos[index];
    if !matches!(fapiao.status, FapiaoStatus::Issued | FapiaoStatus::Reversed) {
        return Err(Refusal::NoFile);
    }
    Ok((
        format!("{}.pdf", fapiao.fapiao_id),
        fapiao_pdf(&application, fapiao),
    ))
}

/// The user deletes the card (a second delete changes nothing).
pub async fn discard(
    state: &AppState,
    appid: &str,
    openid: &str,
    code: &str,
) -> Result<(), Refusal> {
    let (application, index) = find(state, appid, openid, code).await?;
    let fapiao = &application.fapiaos[index];
    fapiao_card::discard(
        state,
        &application.owner_mchid,
        &application.fapiao_apply_id,
        &fapiao.fapiao_id,
    )
    .await?;
    Ok(())
}
