//! Taxi fapiao in the card package: shown from the accepted
//! fapiao_card_information and its trip, the PDF the provider uploaded
//! (T10) served inline, and discarded as the control API does (DISCARDED).

use super::view::{card_path, decimal, CardView, Family, ItemView, Tone};
use super::Refusal;
use crate::domain::fapiao::card::CardFapiao;
use crate::domain::taxi::card_package::CARD_INSERTED;
use crate::http::web::html::{beijing_time, yuan};
use crate::state::AppState;
use crate::store::taxi_trips::TaxiCard;
use crate::store::StoreResult;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The user's taxi fapiao cards under `appid`.
pub async fn cards(
    state: &AppState,
    appid: &str,
    openid: &str,
    package: &str,
) -> StoreResult<Vec<CardView>> {
    let cards = state.store.taxi_cards(Some(openid), Some(appid)).await?;
    Ok(cards.iter().map(|c| view(c, package)).collect())
}

fn view(card: &TaxiCard, package: &str) -> CardView {
    let mut view = CardView::new(Family::Taxi, &card.card_code);
    view.kind_label = "出租车电子发票 · Taxi fapiao".into();
    view.sort_key = card.created_at;
    let ride = &card.ride;
    view.notes.push(format!(
        "行程 · Ride {} · {} → {}",
        ride.plate_number,
        beijing_time(ride.up_time),
        beijing_time(ride.pay_time)
    ));
    match serde_json::from_value::<CardFapiao>(card.fapiao_card_information.clone()) {
        Ok(fapiao) => describe(&mut view, &fapiao),
        Err(_) => {
            view.issuer = card.company_mchid.clone();
            view.amount = yuan(ride.pay_amount);
            view.date = beijing_time(ride.pay_time);
        }
    }
    view.pdf_url = Some(card_path(package, Family::Taxi, &card.card_code, "pdf"));
    if card.status == CARD_INSERTED {
        view.discard_url = Some(card_path(package, Family::Taxi, &card.card_code, "discard"));
    } else {
        view.set_status("已删除 · Discarded", Tone::Gone);
    }
    view
}

fn describe(view: &mut CardView, fapiao: &CardFapiao) {
    view.issuer = fapiao.seller_information.name.clone();
    view.title = fapiao
        .buyer_information
        .as_ref()
        .map(|b| b.name.clone())
        .unwrap_or_default();
    view.amount = yuan(fapiao.total_amount);
    view.date = OffsetDateTime::parse(&fapiao.fapiao_time, &Rfc3339)
        .map(|t| beijing_time(t.unix_timestamp()))
        .unwrap_or_else(|_| fapiao.fapiao_time.clone());
    view.fact("发票代码 · Code", &fapiao.fapiao_code);
    view.fact("发票号码 · Number", &fapiao.fapiao_number);
    view.fact("校验码 · Check code", &fapiao.check_code);
    view.items = fapiao
        .items
        .iter()
        .map(|item| ItemView {
            name: item.goods_name.clone(),
            quantity: format!(
                "{} {}",
                decimal(item.quantity, 8),
                item.unit.as_deref().unwrap_or("")
            )
            .trim()
            .to_owned(),
            price: decimal(item.unit_price, 8),
            amount: yuan(item.total_amount),
        })
        .collect();
}

/// The user's taxi card with `code`.
async fn find(
    state: &AppState,
    appid: &str,
    openid: &str,
    code: &str,
) -> Result<TaxiCard, Refusal> {
    let cards = state.store.taxi_cards(Some(openid), Some(appid)).await?;
    cards
        .into_iter()
        .find(|c| c.card_code == code)
        .ok_or(Refusal::UnknownCard)
}

/// The file the provider uploaded for the card.
pub async fn pdf(
    state: &AppState,
    appid: &str,
    openid: &str,
    code: &str,
) -> Result<(String, Vec<u8>), Refusal> {
    let card = find(state, appid, openid, code).await?;
    let bytes = state
        .store
        .taxi_media_file(&card.fapiao_media_id)
        .await?
        .ok_or(Refusal::NoFile)?;
    Ok((format!("{}.pdf", card.card_code), bytes))
}

/// The user discards the card (status DISCARDED; again changes nothing).
pub async fn discard(
    state: &AppState,
    appid: &str,
    openid: &str,
    code: &str,
) -> Result<(), Refusal> {
    let card = find(state, appid, openid, code).await?;
    state
        .store
        .discard_taxi_card(&card.card_code, state.clock.now())
        .await?;
    Ok(())
}
