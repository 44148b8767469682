//! The two seed endpoints that put a card into a user's card package and
//! the world each needs: `POST /card/invoice/insert` (an invoicing platform
//! inserts an invoice for a merchant's user, who authorised the order through
//! `getauthurl`) and `POST /nontax/insertbill` (a fiscal bureau inserts a
//! fiscal bill for a collecting unit's payer, who authorised the order
//! through `getbillauthurl`). [`crate::oa_setup`] builds either world and
//! prepares either kind of insert with the same steps.

use crate::oa_setup::FEE;
use bytes::Bytes;
use serde::Serialize;
use serde_json::{json, Value};

/// The invoicing platform that uploads PDFs and inserts invoices.
pub const PLATFORM_APPID: &str = "wxbenchplatform01";
/// The merchant whose users authorise invoice orders.
pub const MERCHANT_APPID: &str = "wxbenchmerchant01";
/// The fiscal bureau that uploads PDFs and inserts fiscal bills.
pub const BUREAU_APPID: &str = "wxbenchbureau0001";
/// The collecting unit whose payers authorise bill orders.
pub const UNIT_APPID: &str = "wxbenchunit000001";
/// `billing_code` of every bench fiscal bill (8 characters, as the seed's example).
pub const BILL_CODE: &str = "BENCH001";

/// Which seed endpoint a world inserts cards through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CardFlow {
    /// `/card/invoice/insert`: VAT invoices (数电, empty `billing_code`).
    Invoice,
    /// `/nontax/insertbill`: fiscal bills (8-character code, 10-digit number).
    FiscalBill,
}

impl CardFlow {
    /// Method and path as the report names it.
    pub fn label(self) -> &'static str {
        match self {
            CardFlow::Invoice => "POST /card/invoice/insert",
            CardFlow::FiscalBill => "POST /nontax/insertbill",
        }
    }

    /// The insert path (without its access token).
    pub fn insert_path(self) -> &'static str {
        match self {
            CardFlow::Invoice => "/card/invoice/insert",
            CardFlow::FiscalBill => "/nontax/insertbill",
        }
    }

    /// The app that inserts, and its role.
    pub fn issuer(self) -> (&'static str, &'static str) {
        match self {
            CardFlow::Invoice => (PLATFORM_APPID, "invoicing_platform"),
            CardFlow::FiscalBill => (BUREAU_APPID, "fiscal_bureau"),
        }
    }

    /// The app whose users authorise orders (the cards' `appid`), and its role.
    pub fn holder(self) -> (&'static str, &'static str) {
        match self {
            CardFlow::Invoice => (MERCHANT_APPID, "merchant"),
            CardFlow::FiscalBill => (UNIT_APPID, "merchant"),
        }
    }

    /// The template-creating call: path (without token) and body.
    pub fn create_card(self) -> (&'static str, Value) {
        match self {
            CardFlow::Invoice => (
                "/card/invoice/platform/createcard",
                json!({"invoice_info": {
                    "base_info": {"logo_url": "http://x/logo.png", "title": "测试"},
                    "payee": "测试", "type": "增值税电子普通发票"}}),
            ),
            CardFlow::FiscalBill => (
                "/nontax/createbillcard",
                json!({"invoice_info": {"payee": "某市财政局",
                    "base_info": {"logo_url": "http://x/logo.png", "title": "财政票据"}}}),
            ),
        }
    }

    /// The authorisation-link call: path (without token) and body.
    pub fn auth_url(
        self,
        s_pappid: &str,
        order_id: &str,
        ticket: &str,
        now: i64,
    ) -> (&'static str, Value) {
        let mut body = json!({"s_pappid": s_pappid, "order_id": order_id, "money": 100,
                              "timestamp": now, "source": "web", "redirect_url": "http://x",
                              "ticket": ticket});
        match self {
            CardFlow::Invoice => {
                body["type"] = json!(0);
                ("/card/invoice/getauthurl", body)
            }
            CardFlow::FiscalBill => ("/nontax/getbillauthurl", body),
        }
    }

    /// The insert body of card `number`: unique billing numbers, so that no
    /// two inserts collide on (kind, billing_code, billing_no) and no rule warns.
    pub fn body(self, order_id: &str, card_id: &str, s_media_id: &str, number: u64) -> Bytes {
        match self {
            CardFlow::Invoice => {
                crate::oa_setup::insert_body(order_id, card_id, s_media_id, number)
            }
            CardFlow::FiscalBill => bill_body(order_id, card_id, s_media_id, number),
        }
    }
}

/// A fiscal bill: [`BILL_CODE`] and a 10-digit `billing_no` unique to
/// `number` (below 10¹⁰).
pub fn bill_body(order_id: &str, card_id: &str, s_media_id: &str, number: u64) -> Bytes {
    let billing_no = format!("{:010}", number % 10_000_000_000);
    let body = json!({
        "order_id": order_id,
        "card_id": card_id,
        "appid": UNIT_APPID,
        "card_ext": {
            "nonce_str": format!("kb{number:016x}"),
            "user_card": {"invoice_user_data": {
                "fee": FEE, "title": "kabao-bench 缴款人", "billing_time": 1_700_000_000,
                "billing_no": billing_no, "billing_code": BILL_CODE,
                "s_pdf_media_id": s_media_id
            }}
        }
    });
    Bytes::from(body.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bill_bodies_are_distinct_and_have_the_seed_shapes() {
        let a = bill_body("o1", "card", "m1", 0);
        let b = bill_body("o2", "card", "m2", 1);
        assert_ne!(a, b);
        let v: Value = serde_json::from_slice(&b).unwrap();
        let data = &v["card_ext"]["user_card"]["invoice_user_data"];
        assert_eq!(data["billing_no"], "0000000001");
        assert_eq!(data["billing_code"].as_str().unwrap().len(), 8);
        assert_eq!(v["appid"], UNIT_APPID);
    }

    #[test]
    fn only_the_invoice_authorisation_link_names_a_type() {
        let (path, body) = CardFlow::Invoice.auth_url("s", "o", "t", 1);
        assert_eq!(
            (path, &body["type"]),
            ("/card/invoice/getauthurl", &json!(0))
        );
        let (path, body) = CardFlow::FiscalBill.auth_url("s", "o", "t", 1);
        assert_eq!(path, "/nontax/getbillauthurl");
        assert!(body.get("type").is_none());
    }
}
