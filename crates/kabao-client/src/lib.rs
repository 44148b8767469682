//! kabao-client: a Rust SDK for WeChat's electronic-invoice card-package
//! APIs, usable against the real hosts and against kabao alike (the base URL
//! is the only difference).
//!
//! | family | client | wire |
//! | --- | --- | --- |
//! | Official Account invoices (`/card/invoice/*`) | [`OfficialAccount`] | `?access_token=`, `{errcode, errmsg}` |
//! | Official Account fiscal bills (`/nontax/*`) | [`OfficialAccount`] | same |
//! | WeChat Pay fapiao (`/v3/new-tax-control-fapiao/*`) | [`WechatPay::fapiao`] | APIv3, signed both ways |
//! | WeChat Pay taxi invoices (`/v3/taxi-invoice/*`) | [`WechatPay::taxi`] | same |
//!
//! * [`OfficialAccount`] caches the access token, fetches a new one before it
//!   expires and retries a call once when the answer is 40001 or 42001.
//!   Errcodes come back as [`ClientError::Oa`] ([`OaApiError`]).
//! * [`WechatPay`] signs every request, verifies every 2xx answer with the
//!   platform certificates (downloaded from `/v3/certificates`, decrypted,
//!   cached, refreshed) or the platform public key, encrypts sensitive fields
//!   (the typed structs hold plaintext) and sends `Wechatpay-Serial`, uploads
//!   files with their SM3 digest. APIv3 errors come back as
//!   [`ClientError::Pay`] ([`PayApiError`] with `code`, `message`, `detail`).
//! * [`WechatPay::parse_notification`] verifies a callback (signature and
//!   the 5-minute window) and decrypts it into a [`FapiaoEvent`];
//!   `examples/callback_receiver.rs` serves it with axum.
//! * Only GETs are retried, and only on transport errors
//!   ([`oa::OfficialAccountBuilder::get_retries`],
//!   [`WechatPayBuilder::get_retries`]); timeouts and base URLs are set on
//!   the builders.
//!
//! # Official Account invoices
//!
//! The invoicing platform registers its template and inserts the invoice of
//! an order the user authorised through the merchant (the seed call,
//! `POST /card/invoice/insert`).
//!
//! ```no_run
//! use kabao_client::oa::{self, ContactInfo, CreateCardRequest, GetAuthUrlRequest, InvoiceBaseInfo, InvoiceInfo};
//! use kabao_client::OfficialAccount;
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let base = "http://127.0.0.1:8080"; // kabao; kabao_client::OA_BASE_URL for WeChat
//! let platform = OfficialAccount::new(base, "wxf1a7f0a000000001", "platform-secret")?;
//! let merchant = OfficialAccount::new(base, "wxf1a7f0a000000002", "merchant-secret")?;
//!
//! let s_pappid = platform.s_pappid().await?;
//! let card = platform
//!     .create_card(&CreateCardRequest {
//!         invoice_info: InvoiceInfo {
//!             base_info: InvoiceBaseInfo {
//!                 logo_url: "https://example.com/logo.png".into(),
//!                 title: "灌哥开票".into(),
//!                 ..Default::default()
//!             },
//!             payee: "灌哥科技有限公司".into(),
//!             invoice_type: "广东省增值税普通发票".into(),
//!             detail: None,
//!         },
//!     })
//!     .await?;
//!
//! merchant.set_contact(&ContactInfo { phone: "13800000000".into(), time_out: 7200 }).await?;
//! let ticket = merchant.get_ticket("wx_card").await?;
//! let link = merchant
//!     .get_auth_url(&GetAuthUrlRequest {
//!         s_pappid,
//!         order_id: "order-1".into(),
//!         money: 11300,
//!         timestamp: 1714036504,
//!         source: "web".into(),
//!         redirect_url: Some("https://example.com/done".into()),
//!         ticket: ticket.ticket,
//!         auth_type: Some(0),
//!     })
//!     .await?;
//! println!("the user authorises at {}", link.auth_url);
//!
//! let pdf = platform.set_pdf("invoice.pdf", std::fs::read("invoice.pdf")?).await?;
//! let mut data = oa::invoice_data(11300, "灌哥科技有限公司", 1714036504, "12345678", "044002300111", &pdf.s_media_id);
//! data.fee_without_tax = Some(10000);
//! data.tax = Some(1300);
//! data.check_code = Some("12345678901234567890".into());
//! let inserted = platform
//!     .insert(&oa::invoice_request("order-1", &card.card_id, merchant.appid(), data))
//!     .await?;
//! println!("card {} is in the package of {}", inserted.code, inserted.openid);
//! # Ok(()) }
//! ```
//!
//! # Official Account fiscal bills
//!
//! The collecting unit asks the payer to authorise; the finance bureau
//! inserts the bill (the seed call, `POST /nontax/insertbill`).
//!
//! ```no_run
//! use kabao_client::oa::{self, BillBaseInfo, BillInvoiceInfo, BillUserData, CreateBillCardRequest, GetAuthUrlRequest};
//! use kabao_client::OfficialAccount;
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let base = "http://127.0.0.1:8080";
//! let bureau = OfficialAccount::new(base, "wxf1a7f0a000000003", "bureau-secret")?;
//! let unit = OfficialAccount::new(base, "wxf1a7f0a000000004", "unit-secret")?;
//!
//! let s_pappid = bureau.s_pappid().await?;
//! let card = bureau
//!     .create_bill_card(&CreateBillCardRequest {
//!         invoice_info: BillInvoiceInfo {
//!             payee: "某市财政局".into(),
//!             base_info: BillBaseInfo { logo_url: "https://example.com/b.png".into(), title: None },
//!         },
//!     })
//!     .await?;
//! let ticket = unit.get_ticket("wx_card").await?;
//! let link = unit
//!     .get_bill_auth_url(&GetAuthUrlRequest {
//!         s_pappid,
//!         order_id: "bill-1".into(),
//!         money: 123,
//!         timestamp: 1511169724,
//!         source: "web".into(),
//!         redirect_url: None,
//!         ticket: ticket.ticket,
//!         auth_type: None,
//!     })
//!     .await?;
//! println!("the payer authorises at {}", link.auth_url);
//!
//! let pdf = bureau.set_pdf("bill.pdf", std::fs::read("bill.pdf")?).await?;
//! let bill = BillUserData {
//!     fee: 123,
//!     title: "灌哥发票".into(),
//!     billing_time: 1511169724,
//!     billing_no: "1511169724".into(),
//!     billing_code: "aabbccdd".into(),
//!     s_pdf_media_id: pdf.s_media_id,
//! };
//! let inserted = bureau.insert_bill(&oa::bill_request("bill-1", &card.card_id, unit.appid(), &bill)).await?;
//! println!("bill {} for {}", inserted.code, inserted.openid);
//! # Ok(()) }
//! ```
//!
//! # WeChat Pay fapiao
//!
//! A merchant issues the fapiao of a payment (the seed call,
//! `POST /v3/new-tax-control-fapiao/fapiao-applications`); the buyer's phone
//! is encrypted by the SDK. The outcome arrives by callback and by query.
//!
//! ```no_run
//! use kabao_client::fapiao::*;
//! use kabao_client::{ClientError, WechatPay};
//! # async fn run(transaction_id: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let pay = WechatPay::builder("1900000109", "5157F09EFDC096DE15EBE81A47057A72", std::fs::read_to_string("apiclient_key.pem")?, "APIv3 key of 32 bytes...........")
//!     .base_url("http://127.0.0.1:8080") // kabao; the default is kabao_client::PAY_BASE_URL
//!     .timeout(std::time::Duration::from_secs(10))
//!     .build()?;
//! let fapiao = pay.fapiao();
//! fapiao
//!     .create_card_template(&CardTemplateRequest {
//!         sub_mchid: None,
//!         card_appid: "wxb1170446a4c0a5a2".into(),
//!         card_template_information: CardTemplateInformation { logo_url: "https://example.com/logo.png".into(), ..Default::default() },
//!     })
//!     .await?;
//!
//! let mut buyer = BuyerInformation::new(BuyerType::Individual, "张三");
//! buyer.phone = Some("13800138000".into()); // plaintext: encrypted on the way out
//! let line = IssueItem {
//!     tax_code: "3010101020203000000".into(),
//!     goods_category: None,
//!     goods_name: Some("出租汽车客运服务".into()),
//!     goods_id: None,
//!     specification: None,
//!     unit: None,
//!     quantity: 100_000_000,
//!     total_amount: 429_900,
//!     tax_rate: Some(1300),
//!     tax_prefer_mark: Some(TaxPreferMark::NoFavorable),
//!     discount: false,
//! };
//! let application = FapiaoApplication {
//!     sub_mchid: None,
//!     scene: Scene::WithWechatpay,
//!     fapiao_apply_id: transaction_id.into(),
//!     buyer_information: buyer,
//!     fapiao_information: vec![ApplicationFapiao {
//!         fapiao_id: "F-1".into(),
//!         total_amount: 429_900,
//!         need_list: false,
//!         remark: None,
//!         items: vec![line],
//!     }],
//! };
//! match fapiao.issue(&application).await {
//!     Ok(()) => println!("accepted (202)"),
//!     Err(ClientError::Pay(e)) => println!("{} {}: field {:?}", e.status, e.code, e.field()),
//!     Err(e) => return Err(e.into()),
//! }
//! let status = fapiao.application(transaction_id, None, None).await?;
//! for f in status.fapiao_information {
//!     println!("{} is {} (card {:?})", f.fapiao_id, f.status, f.card_information.map(|c| c.card_status));
//! }
//! # Ok(()) }
//! ```
//!
//! # WeChat Pay taxi invoices
//!
//! A service provider uploads the fapiao PDF of a trip and inserts it into
//! the passenger's card package (the seed call, `POST /v3/taxi-invoice/cards`).
//!
//! ```no_run
//! use kabao_client::fapiao::{BuyerInformation, BuyerType, ExtraInformation, SellerInformation};
//! use kabao_client::taxi::{TaxiCardRequest, TaxiFapiaoCard};
//! use kabao_client::WechatPay;
//! # async fn run(pay: WechatPay, token: String) -> Result<(), Box<dyn std::error::Error>> {
//! let taxi = pay.taxi();
//! let media = taxi.upload_file("1900000109", 310100, "fapiao.pdf", std::fs::read("fapiao.pdf")?).await?;
//! let card = TaxiFapiaoCard {
//!     fapiao_media_id: media.fapiao_media_id,
//!     fapiao_number: "12897794".into(),
//!     fapiao_code: "044001911211".into(),
//!     fapiao_time: "2020-07-01T12:00:00+08:00".into(),
//!     check_code: "69001808340631374774".into(),
//!     password: "006>299-375/326>2+7/*0-+<351059<80<4*/5>".into(),
//!     total_amount: 5450,
//!     tax_amount: 159,
//!     amount: 5291,
//!     buyer_information: BuyerInformation::new(BuyerType::Individual, "张三"),
//!     seller_information: SellerInformation {
//!         name: "上海强生出租汽车".into(),
//!         taxpayer_id: "12345678901234567J".into(),
//!         address: "上海市静安区".into(),
//!         ..Default::default()
//!     },
//!     extra_information: ExtraInformation { drawer: "王五".into(), ..Default::default() },
//!     items: vec![],
//!     remark: None,
//! };
//! let answer = taxi
//!     .insert_card(&TaxiCardRequest {
//!         company_mchid: "1900000109".into(),
//!         token: Some(token),
//!         appid: Some("wxb1170446a4c0a5a2".into()),
//!         openid: "oUypO5aQ1oOCaSiNZUpT5kxxJHuc".into(),
//!         region_id: 310100,
//!         trade_number: None,
//!         driver_license: None,
//!         plate_number: None,
//!         fapiao_card_information: card,
//!     })
//!     .await?;
//! println!("inserted; card answered: {answer:?}"); // None for 204
//! # Ok(()) }
//! ```
//!
//! # Callbacks
//!
//! ```no_run
//! use kabao_client::{FapiaoEvent, WechatPay};
//! # async fn run(pay: WechatPay, headers: reqwest::header::HeaderMap, body: bytes::Bytes) -> Result<(), kabao_client::ClientError> {
//! let notification = pay.parse_notification(&headers, &body).await?; // then answer 204
//! if let FapiaoEvent::Issued(change) = notification.event {
//!     println!("{} issued: {:?}", change.fapiao_apply_id, change.fapiao_information);
//! }
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod error;
pub mod fapiao;
mod notify;
pub mod oa;
pub mod pay;
pub mod taxi;
mod wire_enum;

pub use error::{ClientError, OaApiError, PayApiError, SignatureError};
pub use notify::{FapiaoChange, FapiaoChangeEntry, FapiaoEvent, FapiaoNotification, UserApplied};
pub use oa::OfficialAccount;
pub use pay::{PlatformCertificate, WechatPay, WechatPayBuilder};

/// Base URL of the Official Account API (`api.weixin.qq.com`).
pub const OA_BASE_URL: &str = "https://api.weixin.qq.com";
/// Base URL of the WeChat Pay API (`api.mch.weixin.qq.com`).
pub const PAY_BASE_URL: &str = "https://api.mch.weixin.qq.com";

/// The README's examples, compiled with the doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
