//! The F15 shape of one stored fapiao, shared by the query endpoint and the
//! control API's read.

use crate::domain::fapiao::request::BuyerInformation;
use crate::store::fapiao::{IssuedFapiao, StoredFapiao};
use kabao_protocol::apiv3::rfc3339_cst;
use serde_json::{json, Value};

/// `fapiao_information[]` of F15 for one fapiao, with `buyer` as given
/// (the query encrypts its phone and email first).
pub fn fapiao_view(fapiao: &StoredFapiao, buyer: &BuyerInformation) -> Value {
    let mut view = json!({
        "fapiao_id": fapiao.fapiao_id,
        "status": fapiao.status.as_str(),
        "total_amount": fapiao.total_amount,
        "tax_amount": fapiao.tax_amount,
        "amount": fapiao.amount,
        "seller_information": fapiao.face.seller_information,
        "buyer_information": buyer,
        "extra_information": fapiao.face.extra_information,
        "items": fapiao.face.items,
    });
    if let Some(blue) = &fapiao.blue {
        view["blue_fapiao"] = issued_view(blue);
    }
    if let Some(red) = &fapiao.red {
        view["red_fapiao"] = issued_view(red);
    }
    if let (Some(card), Some(status)) = (&fapiao.card, fapiao.card_status) {
        let mut card_view = json!({
            "card_appid": card.card_appid,
            "card_openid": card.card_openid,
            "card_status": status.as_str(),
        });
        if let Some(id) = &card.card_id {
            card_view["card_id"] = json!(id);
        }
        if let Some(code) = &card.card_code {
            card_view["card_code"] = json!(code);
        }
        view["card_information"] = card_view;
    }
    if let Some(remark) = &fapiao.face.remark {
        view["remark"] = json!(remark);
    }
    if let Some(code) = &fapiao.error_code {
        view["fapiao_error_code"] = json!(code);
        view["fapiao_error_message"] = json!(fapiao.error_message.clone().unwrap_or_default());
    }
    view
}

fn issued_view(issued: &IssuedFapiao) -> Value {
    json!({
        "fapiao_code": issued.numbers.fapiao_code,
        "fapiao_number": issued.numbers.fapiao_number,
        "check_code": issued.numbers.check_code,
        "password": issued.numbers.password,
        "fapiao_time": rfc3339_cst(issued.issued_at),
    })
}
