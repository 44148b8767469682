//! Turns a checked insert-cards body into what the store keeps: each
//! fapiao's face in the shape issued fapiao use (so F15 reads both alike),
//! its blue-fapiao numbers, its card, and a hash that tells a replay from
//! a different request.

use super::body::InsertCardsBody;
use crate::domain::fapiao::card::{CardFapiao, CardItem};
use crate::domain::fapiao::face::{CardInformation, FaceItem, FapiaoFace};
use crate::domain::fapiao::numbers::FapiaoNumbers;
use crate::domain::fapiao::{FapiaoParty, Scene};
use crate::store::fapiao::IssuedFapiao;
use crate::store::fapiao_cards::{SelfIssuedApplication, SelfIssuedFapiao};
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The application to store for `body` (already checked, phone and email
/// decrypted), its cards going to `holder`.
pub(super) fn build_application(
    party: &FapiaoParty,
    fapiao_apply_id: &str,
    scene: Scene,
    body: &InsertCardsBody,
    holder: &CardInformation,
    now: i64,
) -> SelfIssuedApplication {
    let cards = plain_json(&body.fapiao_card_information);
    let fapiaos = body
        .fapiao_card_information
        .iter()
        .map(|card| fapiao(card, holder, now))
        .collect();
    SelfIssuedApplication {
        owner_mchid: party.owner_mchid.clone(),
        fapiao_apply_id: fapiao_apply_id.to_owned(),
        caller_mchid: party.caller_mchid.clone(),
        scene: scene.as_str().to_owned(),
        request_hash: request_hash(&json!({
            "scene": scene.as_str(),
            "buyer_information": plain_json(&body.buyer_information),
            "fapiao_card_information": cards,
        })),
        buyer: body.buyer_information.clone(),
        fapiaos,
        now,
    }
}

/// JSON of a plain struct (string keys only), which cannot fail.
fn plain_json(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// One fapiao; its id is its fapiao_code followed by its fapiao_number,
/// which identifies a fapiao nationwide and stays the same on a replay.
fn fapiao(card: &CardFapiao, holder: &CardInformation, now: i64) -> SelfIssuedFapiao {
    let face = FapiaoFace {
        seller_information: plain_json(&card.seller_information),
        extra_information: plain_json(&card.extra_information),
        items: card.items.iter().map(face_item).collect(),
        remark: card.remark.clone(),
        need_list: false,
        digital: None,
    };
    SelfIssuedFapiao {
        fapiao_id: format!("{}{}", card.fapiao_code, card.fapiao_number),
        fapiao_media_id: card.fapiao_media_id.clone(),
        total_amount: card.total_amount,
        tax_amount: card.tax_amount,
        amount: card.amount,
        face,
        blue: IssuedFapiao {
            numbers: FapiaoNumbers {
                fapiao_code: card.fapiao_code.clone(),
                fapiao_number: card.fapiao_number.clone(),
                check_code: card.check_code.clone(),
                password: card.password.clone(),
            },
            // The rules checked fapiao_time is RFC 3339.
            issued_at: OffsetDateTime::parse(&card.fapiao_time, &Rfc3339)
                .map_or(now, OffsetDateTime::unix_timestamp),
        },
        card: holder.clone(),
    }
}

/// A line as given: self-issued amounts are the merchant's, not computed.
fn face_item(item: &CardItem) -> FaceItem {
    FaceItem {
        tax_code: item.tax_code.clone(),
        goods_name: Some(item.goods_name.clone()),
        specification: item.specification.clone(),
        unit: item.unit.clone(),
        quantity: Some(item.quantity),
        unit_price: Some(item.unit_price),
        amount: item.amount,
        tax_amount: item.tax_amount,
        total_amount: item.total_amount,
        tax_rate: item.tax_rate,
        tax_prefer_mark: Some(item.tax_prefer_mark.clone()),
        discount: item.discount,
    }
}

/// SHA-256 (hex) of the canonical JSON of the decrypted request: equal for
/// a replay even though the encrypted phone and email differ on every call.
fn request_hash(request: &Value) -> String {
    let digest =
        aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, request.to_string().as_bytes());
    hex::encode(digest.as_ref())
}
