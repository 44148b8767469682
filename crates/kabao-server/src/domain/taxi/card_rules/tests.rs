use super::*;
use crate::domain::fapiao::card::PRICE_SCALE;
use proptest::prelude::*;
use serde_json::{json, Value};

/// The official page's example body.
fn seed() -> Value {
    json!({
        "company_mchid": "1900000109",
        "token": "ESvqG19gjw0qiiy1eeRA4VusLrOmIYQOMJ8rXX2V-ztUUuQvu_YBEZg9FAht0Y15r71mft9rcaMIjn7y6x0KSg",
        "appid": "wxb1170446a4c0a5a2",
        "openid": "oUypO5aQ1oOCaSiNZUpT5kxxJHuc",
        "region_id": 310100,
        "fapiao_card_information": {
            "fapiao_media_id": "ASNFZ4mrze/+3LqYdlQyEA==",
            "fapiao_number": "12897794",
            "fapiao_code": "044001911211",
            "fapiao_time": "2020-07-01T12:00:00+08:00",
            "check_code": "69001808340631374774",
            "password": "006>299-375/326>2+7/*0-+<351059<80<4*/5>+<11631+*3030/5*37+/-243159658+013>3409*044>4-/1+/9->*>69501*6++1997--21",
            "total_amount": 382895, "tax_amount": 44050, "amount": 338845,
            "buyer_information": {"type": "CORPORATION", "name": "深圳市南山区测试企业",
                "taxpayer_id": "202003261233701778", "address": "深圳市南山区深南大道10000号",
                "telephone": "075512345678", "bank_name": "测试银行", "bank_account": "62001234567890"},
            "seller_information": {"name": "深圳市南山区测试公司", "taxpayer_id": "202003261233701778",
                "address": "深圳市南山区深南大道10000号", "telephone": "075512345678",
                "bank_name": "测试银行", "bank_account": "62001234567890"},
            "extra_information": {"payee": "张三", "reviewer": "李四", "drawer": "王五"},
            "items": [{"tax_code": "3010101020203000000", "goods_name": "出租汽车客运服务",
                "specification": "A4", "unit": "次", "quantity": 100000000,
                "unit_price": 380442000000i64, "amount": 380442, "tax_amount": 49458,
                "total_amount": 429900, "tax_rate": 1300, "tax_prefer_mark": "NO_FAVORABLE",
                "discount": false}],
            "remark": "备注"
        }
    })
}

fn body(value: Value) -> TaxiCardBody {
    serde_json::from_value(value).unwrap()
}

fn field_of(value: Value, strict: bool) -> String {
    check_card_body(&body(value), strict).unwrap_err().field
}

#[test]
fn the_official_example_passes_with_warnings_and_fails_strict() {
    let example = body(seed());
    let (trip, warnings) = check_card_body(&example, false).unwrap();
    assert_eq!(
        trip,
        TripReference::Token(example.token.as_deref().unwrap())
    );
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(warnings[0].starts_with("fapiao_card_information.total_amount"));
    assert_eq!(
        field_of(seed(), true),
        "fapiao_card_information.total_amount"
    );
}

#[test]
fn a_body_whose_header_is_the_sum_of_its_lines_passes_strict() {
    let mut v = seed();
    let card = &mut v["fapiao_card_information"];
    card["total_amount"] = json!(429900);
    card["amount"] = json!(380442);
    card["tax_amount"] = json!(49458);
    assert_eq!(
        check_card_body(&body(v), true).unwrap().1,
        Vec::<String>::new()
    );
    let mut no_items = seed();
    no_items["fapiao_card_information"]
        .as_object_mut()
        .unwrap()
        .remove("items");
    assert!(check_card_body(&body(no_items), true).unwrap().1.is_empty());
}

#[test]
fn the_shape_decides_what_is_required() {
    let mut v = seed();
    v.as_object_mut().unwrap().remove("appid");
    assert_eq!(field_of(v, false), "appid");
    let mut v = seed();
    v.as_object_mut().unwrap().remove("token");
    assert_eq!(field_of(v.clone(), false), "token");
    v["trade_number"] = json!("4200000000202401010000000001");
    v["plate_number"] = json!("沪A12345");
    assert_eq!(field_of(v.clone(), false), "driver_license");
    v["driver_license"] = json!("6298416");
    let older = body(v);
    assert_eq!(
        check_card_body(&older, false).unwrap().0,
        TripReference::TradeNumber("4200000000202401010000000001")
    );
}

#[test]
fn lengths_are_counted_in_characters() {
    let mut v = seed();
    v["fapiao_card_information"]["buyer_information"]["name"] = json!("测".repeat(80));
    assert!(check_card_body(&body(v.clone()), false).is_ok());
    v["fapiao_card_information"]["buyer_information"]["name"] = json!("测".repeat(81));
    assert_eq!(
        field_of(v, false),
        "fapiao_card_information.buyer_information.name"
    );
    for (path, value, field) in [
        ("fapiao_number", json!("123456789"), "fapiao_number"),
        ("fapiao_code", json!("0".repeat(13)), "fapiao_code"),
        ("check_code", json!("1".repeat(21)), "check_code"),
        ("remark", json!("备".repeat(201)), "remark"),
        ("fapiao_time", json!("2020-07-01 12:00:00"), "fapiao_time"),
        ("fapiao_media_id", json!(""), "fapiao_media_id"),
    ] {
        let mut v = seed();
        v["fapiao_card_information"][path] = value;
        assert_eq!(
            field_of(v, false),
            format!("fapiao_card_information.{field}")
        );
    }
    let mut v = seed();
    v["token"] = json!("t".repeat(1025));
    assert_eq!(field_of(v, false), "token");
    let mut v = seed();
    v["company_mchid"] = json!("1".repeat(33));
    assert_eq!(field_of(v, false), "company_mchid");
}

#[test]
fn the_buyer_type_and_its_taxpayer_id() {
    let mut v = seed();
    v["fapiao_card_information"]["buyer_information"]["type"] = json!("PERSON");
    assert_eq!(
        field_of(v, false),
        "fapiao_card_information.buyer_information.type"
    );
    let mut v = seed();
    let buyer = &mut v["fapiao_card_information"]["buyer_information"];
    buyer["type"] = json!("ORGANIZATION");
    buyer.as_object_mut().unwrap().remove("taxpayer_id");
    assert_eq!(
        field_of(v.clone(), false),
        "fapiao_card_information.buyer_information.taxpayer_id"
    );
    v["fapiao_card_information"]["buyer_information"]["type"] = json!("INDIVIDUAL");
    assert!(check_card_body(&body(v), false).is_ok());
}

#[test]
fn lines_name_the_item_that_breaks_a_rule() {
    let cases = [
        ("tax_prefer_mark", json!("FREE"), "tax_prefer_mark"),
        ("total_amount", json!(429901), "total_amount"),
        ("quantity", json!(0), "quantity"),
        ("tax_rate", json!(10001), "tax_rate"),
        ("goods_name", json!(""), "goods_name"),
        ("unit", json!("个".repeat(15)), "unit"),
    ];
    for (key, value, field) in cases {
        let mut v = seed();
        v["fapiao_card_information"]["items"][0][key] = value;
        assert_eq!(
            field_of(v, false),
            format!("fapiao_card_information.items[0].{field}")
        );
    }
    let mut v = seed();
    v["fapiao_card_information"]["items"][0]["unit_price"] = json!(390000000000i64);
    assert_eq!(
        field_of(v, false),
        "fapiao_card_information.items[0].amount"
    );
}

#[test]
fn a_discount_line_follows_the_line_it_discounts() {
    let mut v = seed();
    let line = v["fapiao_card_information"]["items"][0].clone();
    let mut discount = line.clone();
    discount["discount"] = json!(true);
    discount["amount"] = json!(-8850);
    discount["tax_amount"] = json!(-1150);
    discount["total_amount"] = json!(-10000);
    let card = &mut v["fapiao_card_information"];
    card["items"] = json!([line.clone(), discount.clone()]);
    card["total_amount"] = json!(419900);
    card["amount"] = json!(371592);
    card["tax_amount"] = json!(48308);
    assert!(check_card_body(&body(v.clone()), true).is_ok());
    v["fapiao_card_information"]["items"] = json!([discount, line]);
    assert_eq!(
        field_of(v, true),
        "fapiao_card_information.items[0].discount"
    );
}

/// A consistent one-line fapiao: amount from price × quantity, tax at `rate`.
fn consistent(unit_price: i64, quantity: i64, rate: i64) -> Value {
    let amount = (i128::from(unit_price) * i128::from(quantity) / PRICE_SCALE) as i64;
    let tax = (amount * rate + 5000) / 10000;
    let mut v = seed();
    let card = &mut v["fapiao_card_information"];
    card["items"][0]["unit_price"] = json!(unit_price);
    card["items"][0]["quantity"] = json!(quantity);
    card["items"][0]["tax_rate"] = json!(rate);
    card["items"][0]["amount"] = json!(amount);
    card["items"][0]["tax_amount"] = json!(tax);
    card["items"][0]["total_amount"] = json!(amount + tax);
    card["amount"] = json!(amount);
    card["tax_amount"] = json!(tax);
    card["total_amount"] = json!(amount + tax);
    v
}

proptest! {
    #[test]
    fn consistent_lines_pass_strict(price_fen in 1i64..10_000_000, units in 1i64..100, rate in 0i64..=10_000) {
        let v = consistent(price_fen * 1_000_000, units * 100_000_000, rate);
        prop_assert_eq!(check_card_body(&body(v), true).unwrap().1, Vec::<String>::new());
    }

    #[test]
    fn a_line_total_off_by_any_amount_is_refused(price_fen in 1i64..10_000_000, delta in prop_oneof![-1_000_000i64..0, 1i64..1_000_000]) {
        let mut v = consistent(price_fen * 1_000_000, 100_000_000, 1300);
        let total = v["fapiao_card_information"]["items"][0]["total_amount"].as_i64().unwrap();
        v["fapiao_card_information"]["items"][0]["total_amount"] = json!(total + delta);
        prop_assert_eq!(field_of(v, false), "fapiao_card_information.items[0].total_amount");
    }

    #[test]
    fn a_header_off_the_lines_warns_by_default_and_fails_strict(price_fen in 1i64..10_000_000, delta in 1i64..1_000_000) {
        let mut v = consistent(price_fen * 1_000_000, 100_000_000, 600);
        let card = &mut v["fapiao_card_information"];
        let amount = card["amount"].as_i64().unwrap();
        let total = card["total_amount"].as_i64().unwrap();
        card["amount"] = json!(amount + delta);
        card["total_amount"] = json!(total + delta);
        let (_, warnings) = check_card_body(&body(v.clone()), false).unwrap();
        prop_assert_eq!(warnings.len(), 2);
        prop_assert_eq!(field_of(v, true), "fapiao_card_information.total_amount");
    }

    #[test]
    fn an_amount_more_than_a_fen_from_price_times_quantity_is_refused(price_fen in 1i64..10_000_000, off in 2i64..1000) {
        let mut v = consistent(price_fen * 1_000_000, 100_000_000, 0);
        let line = &mut v["fapiao_card_information"]["items"][0];
        let amount = line["amount"].as_i64().unwrap();
        line["amount"] = json!(amount + off);
        line["total_amount"] = json!(amount + off);
        prop_assert_eq!(field_of(v, false), "fapiao_card_information.items[0].amount");
    }
}
