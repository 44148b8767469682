//! The synthesized rows are unique where the schema says so and refer to
//! each other the way kabao's own rows do.

use super::*;
use std::collections::{BTreeSet, HashMap};

/// A `kabao export` of a store with one platform, one merchant, one user
/// and two inserted cards (the tables the synthesizer touches).
const SMALL_EXPORT: &str = include_str!("testdata/small_export.jsonl");

/// The rows of an export file: (table, row).
type Rows = Vec<(String, Map<String, Value>)>;

fn synthesized(plan: Plan) -> (Written, Rows) {
    let template = Template::parse(SMALL_EXPORT).unwrap();
    let mut out = Vec::new();
    let written = write(&template, &plan, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    let header: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(header["kabao_export"], 1);
    let rows = lines
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["table"].as_str().unwrap().to_owned(),
                v["row"].as_object().unwrap().clone(),
            )
        })
        .collect();
    (written, rows)
}

fn column<'a>(rows: &'a [(String, Map<String, Value>)], table: &str, name: &str) -> Vec<&'a Value> {
    rows.iter()
        .filter(|(t, _)| t == table)
        .map(|(_, r)| &r[name])
        .collect()
}

fn assert_unique(values: &[&Value], what: &str) {
    let set: BTreeSet<String> = values.iter().map(|v| v.to_string()).collect();
    assert_eq!(set.len(), values.len(), "{what} repeats");
}

const PLAN: Plan = Plan {
    cards: 500,
    users: 7,
    pending: 40,
    base_micros: 1_795_500_000_000_000,
};

#[test]
fn every_key_the_schema_makes_unique_is_unique() {
    let (written, rows) = synthesized(PLAN);
    assert_eq!(written["invoice_cards"], 2 + 500);
    assert_eq!(written["auth_orders"], 2 + 540);
    assert_eq!(written["pdf_media"], 2 + 540);
    assert_eq!(written["pdf_media_content"], 2 + 540);
    assert_eq!(written["users"], 1 + 7);
    assert_eq!(written["event_pushes"], 2 + 540);
    for (table, key) in [
        ("invoice_cards", "code"),
        ("invoice_cards", "encrypt_code"),
        ("invoice_cards", "order_id"),
        ("invoice_cards", "billing_no"),
        ("auth_orders", "order_id"),
        ("auth_orders", "auth_key"),
        ("pdf_media", "s_media_id"),
        ("pdf_media_content", "s_media_id"),
        ("users", "openid"),
        ("event_pushes", "id"),
    ] {
        assert_unique(&column(&rows, table, key), &format!("{table}.{key}"));
    }
}

#[test]
fn synthesized_cards_have_the_real_shapes_and_refer_to_their_rows() {
    let (_, rows) = synthesized(PLAN);
    let orders: HashMap<&str, &Map<String, Value>> = rows
        .iter()
        .filter(|(t, _)| t == "auth_orders")
        .map(|(_, r)| (r["order_id"].as_str().unwrap(), r))
        .collect();
    let media: HashMap<&str, &Map<String, Value>> = rows
        .iter()
        .filter(|(t, _)| t == "pdf_media")
        .map(|(_, r)| (r["s_media_id"].as_str().unwrap(), r))
        .collect();
    let users: BTreeSet<&str> = column(&rows, "users", "openid")
        .into_iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let cards: Vec<&Map<String, Value>> = rows
        .iter()
        .filter(|(t, _)| t == "invoice_cards")
        .map(|(_, r)| r)
        .collect();
    for card in &cards {
        let code = card["code"].as_str().unwrap();
        assert!(code.len() == 12 && !code.starts_with('0'), "{code}");
        let encrypt = card["encrypt_code"].as_str().unwrap();
        assert_eq!(encrypt.len(), 44);
        let raw = base64::engine::general_purpose::STANDARD
            .decode(encrypt)
            .unwrap();
        assert_eq!(raw.len(), 32);
        assert_eq!(card["billing_no"].as_str().unwrap().len(), 20);
        assert_eq!(card["request_hash"].as_str().unwrap().len(), 64);
        let openid = card["openid"].as_str().unwrap();
        assert_eq!(openid.len(), 28);
        assert!(users.contains(openid), "{openid} is no user");
        let order = orders[card["order_id"].as_str().unwrap()];
        assert_eq!(order["openid"], card["openid"]);
        assert_eq!(order["status"], "authorized");
        let pdf = card["s_pdf_media_id"].as_str().unwrap();
        assert_eq!(pdf.len(), 16);
        assert_eq!(media[pdf]["bound_code"], card["code"]);
        let user_data: Value = serde_json::from_str(card["user_data"].as_str().unwrap()).unwrap();
        assert_eq!(user_data["billing_no"], card["billing_no"]);
        assert_eq!(user_data["s_pdf_media_id"], card["s_pdf_media_id"]);
    }
    // Cards go to every user in turn.
    let owners: BTreeSet<&str> = cards[2..]
        .iter()
        .map(|c| c["openid"].as_str().unwrap())
        .collect();
    assert_eq!(owners.len(), 7);
}

#[test]
fn pending_orders_are_authorised_with_an_unused_pdf_and_no_card() {
    let (_, rows) = synthesized(PLAN);
    let carded: BTreeSet<&str> = column(&rows, "invoice_cards", "order_id")
        .into_iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for j in 0..PLAN.pending {
        let id = pending_order_id(j);
        assert!(!carded.contains(id.as_str()));
        let order = rows
            .iter()
            .find(|(t, r)| t == "auth_orders" && r["order_id"] == id.as_str())
            .unwrap();
        assert_eq!(order.1["status"], "authorized");
        assert_eq!(order.1["openid"], pending_owner(&PLAN, j).as_str());
        let pdf = rows
            .iter()
            .find(|(t, r)| t == "pdf_media" && r["s_media_id"] == pending_media_id(j).as_str())
            .unwrap();
        assert!(pdf.1["bound_code"].is_null());
    }
}

#[test]
fn rows_come_in_the_header_table_order() {
    let (_, rows) = synthesized(PLAN);
    let template = Template::parse(SMALL_EXPORT).unwrap();
    let position = |t: &str| template.tables.iter().position(|x| x == t).unwrap();
    assert!(rows
        .windows(2)
        .all(|w| position(&w[0].0) <= position(&w[1].0)));
}

#[test]
fn encrypt_codes_ascend_with_the_card_number() {
    let codes: Vec<String> = (0..1000)
        .map(|i| encrypt_code(PLAN.base_micros, i))
        .collect();
    let raws: Vec<Vec<u8>> = codes
        .iter()
        .map(|c| base64::engine::general_purpose::STANDARD.decode(c).unwrap())
        .collect();
    assert!(raws.windows(2).all(|w| w[0] < w[1]));
}
