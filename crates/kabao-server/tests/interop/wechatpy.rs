//! wechatpy 1.8.18, unmodified but for its base URL, runs the whole Official
//! Account invoice flow against kabao: platform, merchant, the user's
//! authorisation, inserts, PDFs, red letter, reimbursement and a refusal.

use super::run_script;
use crate::helpers::*;
use serde_json::{json, Value};

const PLATFORM: &str = "wxa1b2c3d4e5f60001";
const MERCHANT: &str = "wxa1b2c3d4e5f60002";
const REIMBURSER: &str = "wxa1b2c3d4e5f60003";
const OPENID: &str = "oWechatpy0000000000000000001";

/// Provisions an app over the control API and returns `{appid, secret}`.
async fn provision_app(app: &TestApp, appid: &str, role: &str, name: &str) -> Value {
    let (status, body) = app
        .admin_post(
            "/apps",
            &json!({"appid": appid, "role": role, "name": name}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    json!({"appid": appid, "secret": body["secret"]})
}

#[tokio::test]
async fn wechatpy_runs_the_official_account_invoice_flow() {
    let app = spawn_app().await;
    let platform = provision_app(&app, PLATFORM, "invoicing_platform", "开票平台").await;
    let merchant = provision_app(&app, MERCHANT, "merchant", "灌哥咖啡").await;
    let reimburser = provision_app(&app, REIMBURSER, "merchant", "报销系统").await;
    let (status, body) = app
        .admin_post(
            "/users",
            &json!({"appid": MERCHANT, "openid": OPENID, "name": "张三"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    let args = json!({
        "base_url": app.base_url,
        "admin_token": ADMIN_TOKEN,
        "platform": platform,
        "merchant": merchant,
        "reimburser": reimburser,
        "openid": OPENID,
    });
    let r = run_script("wechatpy_invoice.py", args).await;

    // Platform: a stable s_pappid inside the real link, a template, PDFs.
    let s_pappid = r["s_pappid"].as_str().unwrap();
    assert!(!s_pappid.is_empty(), "{r}");
    assert_eq!(r["s_pappid_again"], s_pappid, "seturl is idempotent");
    assert!(r["invoice_url"]
        .as_str()
        .unwrap()
        .starts_with("https://mp.weixin.qq.com/bizmall/authinvoice?action=list&s_pappid="));
    let card_id = r["card_id"].as_str().unwrap();
    assert!(card_id.starts_with('p') && card_id.len() == 28, "{r}");
    for id in r["s_media_ids"].as_array().unwrap() {
        let id = id.as_str().unwrap();
        assert!(
            id.parse::<u64>().is_ok(),
            "s_media_id is a decimal string: {r}"
        );
    }

    // Merchant: contact, auth fields, ticket, three authorisation links.
    assert_eq!(r["set_contact"], 0);
    assert_eq!(r["auth_field"]["biz_field"]["show_tax_no"], 1, "{r}");
    assert_eq!(r["ticket_expires_in"], 7200);
    assert_eq!(r["never_auth_status"], "never auth");
    for url in r["auth_urls"].as_array().unwrap() {
        assert!(url.as_str().unwrap().contains("/_kabao/authorize/"), "{r}");
    }
    assert_eq!(r["vat_auth"]["invoice_status"], "auth success", "{r}");
    assert!(r["vat_auth"]["auth_time"].as_i64().unwrap() > 0);
    assert_eq!(
        r["vat_auth"]["biz_field"]["title"],
        "深圳市灌哥科技有限公司"
    );
    assert_eq!(r["vat_auth"]["biz_field"]["tax_no"], "91440300MA5EXAMPLE");
    assert_eq!(
        r["digital_auth"]["invoice_status"], "auth success",
        "the platform reads the order it was named in: {r}"
    );
    assert_eq!(r["digital_auth"]["user_field"]["title"], "张三");

    // Inserts: a VAT and a 数电 card, the VAT replay answering the same code.
    let vat = &r["vat_insert"];
    let digital = &r["digital_insert"];
    let vat_code = vat["code"].as_str().unwrap();
    let digital_code = digital["code"].as_str().unwrap();
    for insert in [vat, digital] {
        assert_eq!(insert["errcode"], 0, "{r}");
        assert_eq!(insert["openid"], OPENID);
        let code = insert["code"].as_str().unwrap();
        assert!(code.len() == 12 && code.bytes().all(|b| b.is_ascii_digit()));
    }
    assert_ne!(vat_code, digital_code);
    assert_eq!(r["vat_replay"]["errcode"], 0, "{r}");
    assert_eq!(
        r["vat_replay"]["code"], vat_code,
        "an exact replay is idempotent"
    );
    assert_eq!(r["vat_replay"]["openid"], OPENID);

    // getpdf's link serves the uploaded bytes.
    assert_eq!(r["get_pdf"]["errcode"], 0, "{r}");
    assert_eq!(r["get_pdf"]["pdf_url_expire_time"], 7200);
    assert_eq!(r["get_pdf"]["download_status"], 200);
    assert_eq!(r["get_pdf"]["same_bytes"], true, "{r}");

    // Red letter and reimbursement.
    assert_eq!(r["cancel"], 0, "{r}");
    assert_eq!(r["decrypt_code"], vat_code);
    let info = &r["reimburse_info"];
    assert_eq!(info["card_id"], card_id);
    assert_eq!(info["openid"], OPENID);
    assert_eq!(info["type"], "广东省增值税普通发票");
    assert_eq!(info["payee"], "深圳市灌哥咖啡有限公司");
    assert_eq!(info["detail"], "咖啡与简餐");
    assert_eq!(info["title"], "深圳市灌哥科技有限公司");
    assert_eq!(info["fee"], 11300);
    assert_eq!(info["billing_code"], "144031900111");
    assert_eq!(info["billing_no"], "00012345");
    assert_eq!(info["check_code"], "12345678901234567890");
    assert_eq!(info["info"].as_array().unwrap().len(), 2);
    assert_eq!(info["info"][0]["name"], "拿铁咖啡");
    assert_eq!(info["reimburse_status"], "INVOICE_REIMBURSE_INIT");
    assert_eq!(info["pdf_same_bytes"], true, "{r}");
    assert_eq!(
        r["closure_before_lock"], 72039,
        "invoice must be lock first"
    );
    assert_eq!(r["lock"], 0);
    assert_eq!(r["status_after_lock"], "INVOICE_REIMBURSE_LOCK");
    assert_eq!(r["closure"], 0, "{r}");
    assert_eq!(
        r["lock_cancelled"], 72060,
        "a red-lettered invoice cannot be reimbursed"
    );

    // The refused order.
    assert_eq!(r["reject"], 0);
    assert_eq!(r["rejected_status"], "reject insert");
    assert_eq!(r["insert_rejected"], 72035, "biz reject insert: {r}");

    // The user's card package, as kabao keeps it.
    let (status, cards) = app.admin_get(&format!("/users/{OPENID}/cards")).await;
    assert_eq!(status, 200);
    let cards = cards.as_array().unwrap();
    assert_eq!(cards.len(), 2, "no card for the refused order: {cards:?}");
    let card = |code: &str| {
        cards
            .iter()
            .find(|c| c["code"] == code)
            .unwrap_or_else(|| panic!("card {code} is in the package: {cards:?}"))
    };
    let vat_card = card(vat_code);
    assert_eq!(vat_card["reimburse_status"], "INVOICE_REIMBURSE_CLOSURE");
    assert_eq!(vat_card["card_status"], "NORMAL");
    assert_eq!(vat_card["card_id"], card_id);
    assert_eq!(vat_card["platform_appid"], PLATFORM);
    assert_eq!(vat_card["appid"], MERCHANT);
    assert_eq!(vat_card["order_id"], "wechatpy-vat-0001");
    assert_eq!(vat_card["billing_no"], "00012345");
    assert_eq!(vat_card["user_data"]["info"][1]["unit"], "份");
    let digital_card = card(digital_code);
    assert_eq!(digital_card["reimburse_status"], "INVOICE_REIMBURSE_CANCEL");
    assert_eq!(digital_card["billing_code"], "");
    assert_eq!(digital_card["billing_no"], "24442000000012345678");
    assert_eq!(digital_card["user_data"]["check_code"], "");

    let (status, order) = app
        .admin_get(&format!("/oa/orders/{MERCHANT}/wechatpy-rejected-0001"))
        .await;
    assert_eq!(status, 200, "{order}");
    assert_eq!(order["reject_reason"], "订单已退款");
}
