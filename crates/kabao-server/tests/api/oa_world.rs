//! A provisioned Official Account invoice world for the flow tests: an
//! invoicing platform, a merchant with two users, a fiscal bureau and a
//! collecting unit, each with a token, plus helpers for every step.

use crate::helpers::*;
use serde_json::{json, Value};

pub const PLATFORM: &str = "wxf1a7f0a000000001";
pub const MERCHANT: &str = "wxf1a7f0a000000002";
pub const BUREAU: &str = "wxf1a7f0a000000003";
pub const UNIT: &str = "wxf1a7f0a000000004";

/// A small but valid PDF.
pub fn pdf_bytes(label: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj \
         3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n% {label}\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    .into_bytes()
}

pub struct World {
    pub app: TestApp,
    pub platform_token: String,
    pub merchant_token: String,
    pub bureau_token: String,
    pub unit_token: String,
    pub s_pappid: String,
    pub bureau_s_pappid: String,
    pub card_id: String,
    pub bill_card_id: String,
    pub alice: String,
    pub bob: String,
    pub payer: String,
}

impl World {
    pub async fn new() -> Self {
        Self::on(spawn_app().await).await
    }

    /// Stops kabao and starts it again on the same store, keeping every id.
    pub async fn restart(self) -> Self {
        let dir = self.app.stop().await;
        let cfg = config(dir.path());
        Self {
            app: spawn_with(dir, cfg).await,
            ..self
        }
    }

    pub async fn on(app: TestApp) -> Self {
        let mut tokens = Vec::new();
        for (appid, role) in [
            (PLATFORM, "invoicing_platform"),
            (MERCHANT, "merchant"),
            (BUREAU, "fiscal_bureau"),
            (UNIT, "merchant"),
        ] {
            let secret = app.app(appid, role).await;
            tokens.push(app.token(appid, &secret).await);
        }
        let user = |appid: &str, openid: &str, unionid: Option<&str>| json!({"appid": appid, "openid": openid, "unionid": unionid, "name": openid});
        for spec in [
            user(MERCHANT, "oAlice000000000000000000000", Some("uAlice")),
            user(MERCHANT, "oBob00000000000000000000000", None),
            user(UNIT, "oPayer0000000000000000000000", None),
        ] {
            let (status, body) = app.admin_post("/users", &spec).await;
            assert_eq!(status, 201, "{body}");
        }
        let [platform_token, merchant_token, bureau_token, unit_token] = tokens.try_into().unwrap();
        let mut world = Self {
            app,
            platform_token,
            merchant_token,
            bureau_token,
            unit_token,
            s_pappid: String::new(),
            bureau_s_pappid: String::new(),
            card_id: String::new(),
            bill_card_id: String::new(),
            alice: "oAlice000000000000000000000".into(),
            bob: "oBob00000000000000000000000".into(),
            payer: "oPayer0000000000000000000000".into(),
        };
        world.s_pappid = oa_s_pappid(&world.app, &world.platform_token).await;
        world.bureau_s_pappid = oa_s_pappid(&world.app, &world.bureau_token).await;
        let created = world
            .call(
                "/card/invoice/platform/createcard",
                &world.platform_token,
                &json!({"invoice_info": {"base_info": {"logo_url": "https://example.com/logo.png", "title": "灌哥开票"},
                        "payee": "灌哥科技有限公司", "type": "广东省增值税普通发票", "detail": "测试"}}),
            )
            .await;
        world.card_id = created["card_id"].as_str().unwrap().to_owned();
        let bill = world
            .call(
                "/nontax/createbillcard",
                &world.bureau_token,
                &json!({"invoice_info": {"payee": "某市财政局", "base_info": {"logo_url": "https://example.com/b.png"}}}),
            )
            .await;
        world.bill_card_id = bill["card_id"].as_str().unwrap().to_owned();
        let contact = json!({"contact": {"phone": "13800000000", "time_out": 7200}});
        let set = world
            .call(
                "/card/invoice/setbizattr?action=set_contact",
                &world.merchant_token,
                &contact,
            )
            .await;
        assert_eq!(set["errcode"], 0, "{set}");
        world
    }

    /// POSTs JSON to an Official Account path with `token`.
    pub async fn call(&self, path: &str, token: &str, body: &Value) -> Value {
        self.raw(path, token, body.to_string()).await
    }

    /// POSTs a raw body (no content type, as wechatpy does).
    pub async fn raw(&self, path: &str, token: &str, body: String) -> Value {
        oa_post(&self.app, path, token, body).await
    }

    pub async fn upload_pdf(&self, token: &str, bytes: Vec<u8>) -> Value {
        let form = reqwest::multipart::Form::new().part(
            "pdf",
            reqwest::multipart::Part::bytes(bytes).file_name("invoice.pdf"),
        );
        let r = self
            .app
            .http
            .post(self.app.url(&format!(
                "/card/invoice/platform/setpdf?access_token={token}"
            )))
            .multipart(form)
            .send()
            .await
            .unwrap();
        r.json().await.unwrap()
    }

    pub async fn pdf(&self, label: &str) -> String {
        let body = self
            .upload_pdf(&self.platform_token, pdf_bytes(label))
            .await;
        body["s_media_id"]
            .as_str()
            .unwrap_or_else(|| panic!("{body}"))
            .to_owned()
    }

    pub async fn ticket(&self, token: &str) -> String {
        oa_ticket(&self.app, token).await
    }

    /// getauthurl for `order_id` (type 0 unless given).
    pub async fn open_order(&self, order_id: &str, auth_type: i64) -> Value {
        let ticket = self.ticket(&self.merchant_token).await;
        self.call(
            "/card/invoice/getauthurl",
            &self.merchant_token,
            &json!({"s_pappid": self.s_pappid, "order_id": order_id, "money": 11300, "timestamp": now(),
                    "source": "web", "redirect_url": "https://example.com/done", "ticket": ticket, "type": auth_type}),
        )
        .await
    }

    /// The user's authorisation through the control API.
    pub async fn authorize(
        &self,
        appid: &str,
        order_id: &str,
        openid: &str,
        title: Value,
    ) -> (u16, Value) {
        let mut body = json!({"appid": appid, "order_id": order_id, "openid": openid});
        if let (Some(b), Some(t)) = (body.as_object_mut(), title.as_object()) {
            b.extend(t.clone());
        }
        self.app.admin_post("/oa/authorizations", &body).await
    }

    /// An authorised order, ready to insert.
    pub async fn authorised_order(&self, order_id: &str, openid: &str) {
        let opened = self.open_order(order_id, 0).await;
        assert_eq!(opened["errcode"], 0, "{opened}");
        let (status, body) = self.authorize(MERCHANT, order_id, openid, json!({})).await;
        assert_eq!(status, 200, "{body}");
    }

    /// The seed's insert body for `order_id` with `user_data`.
    pub fn insert_body(&self, order_id: &str, user_data: Value) -> Value {
        json!({"order_id": order_id, "card_id": self.card_id, "appid": MERCHANT,
               "card_ext": {"nonce_str": format!("n-{order_id}"), "user_card": {"invoice_user_data": user_data}}})
    }

    pub async fn insert(&self, order_id: &str, user_data: Value) -> Value {
        let body = self.insert_body(order_id, user_data);
        self.call("/card/invoice/insert", &self.platform_token, &body)
            .await
    }

    /// updateinvoicestatus of the card behind `encrypt_code`, called with `token`.
    pub async fn reimburse(&self, token: &str, encrypt_code: &str, status: &str) -> Value {
        let body = json!({"card_id": self.card_id, "encrypt_code": encrypt_code, "reimburse_status": status});
        self.call("/card/invoice/reimburse/updateinvoicestatus", token, &body)
            .await
    }

    pub async fn cards_of(&self, openid: &str) -> Vec<Value> {
        let (status, body) = self.app.admin_get(&format!("/users/{openid}/cards")).await;
        assert_eq!(status, 200, "{body}");
        body.as_array().unwrap().clone()
    }
}

/// POSTs a raw body to an Official Account path with `token` (no content
/// type, as wechatpy does); OA answers are HTTP 200.
pub async fn oa_post(app: &TestApp, path: &str, token: &str, body: String) -> Value {
    let sep = if path.contains('?') { '&' } else { '?' };
    let r = app
        .http
        .post(app.url(&format!("{path}{sep}access_token={token}")))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "OA answers are HTTP 200");
    r.json().await.unwrap()
}

/// The `s_pappid` seturl hands the platform whose token is `token`.
pub async fn oa_s_pappid(app: &TestApp, token: &str) -> String {
    let body = oa_post(app, "/card/invoice/seturl", token, "{}".into()).await;
    let url = body["invoice_url"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"));
    url.split("s_pappid=").nth(1).unwrap().to_owned()
}

/// A `wx_card` ticket for `token`.
pub async fn oa_ticket(app: &TestApp, token: &str) -> String {
    let t = app
        .get_json(&format!(
            "/cgi-bin/ticket/getticket?type=wx_card&access_token={token}"
        ))
        .await;
    t["ticket"].as_str().unwrap().to_owned()
}

/// An ordinary VAT e-invoice: 10-digit code, 8-digit number, check code.
pub fn vat_invoice(pdf: &str, billing_no: &str) -> Value {
    json!({
        "fee": 11300, "title": "灌哥科技有限公司", "billing_time": 1714036504,
        "billing_no": billing_no, "billing_code": "044002300111",
        "fee_without_tax": 10000, "tax": 1300, "s_pdf_media_id": pdf,
        "check_code": "12345678901234567890",
        "info": [{"name": "牙膏", "num": 2, "unit": "支", "price": 3000},
                 {"name": "牙刷", "num": 4, "unit": "支", "price": 1000}],
        "buyer_number": "91440300MA5EXAMPLE", "seller_number": "91440101MA5SELLER",
        "remarks": "备注", "cashier": "张三", "maker": "李四"
    })
}

/// A 数电 (fully digital) invoice: 20-digit number, no code, no check code.
pub fn digital_invoice(pdf: &str, billing_no: &str) -> Value {
    json!({
        "fee": 2468, "title": "王小明", "billing_time": 1714036600,
        "billing_no": billing_no, "billing_code": "", "check_code": "",
        "fee_without_tax": 2184, "tax": 284, "s_pdf_media_id": pdf,
        "info": [{"name": "咖啡", "num": "1.5", "unit": "杯", "price": 1456}]
    })
}
