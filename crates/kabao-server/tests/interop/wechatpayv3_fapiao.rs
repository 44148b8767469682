//! wechatpayv3 2.0.4, unmodified but for its base URL, drives the fapiao
//! family against kabao: development-config, card template, both issuing
//! scenes, query, files, reverse, and a self-issued upload with
//! insert-cards. Every answer's signature is verified by the SDK, and every
//! callback is verified and decrypted by the SDK's own callback helper.

use super::run_script;
use crate::helpers::*;
use serde_json::{json, Value};

const MCHID: &str = "1900000701";
const APPID: &str = "wxf00d0c0de0000701";
const OPENID: &str = "oFapiaoInterop00000000000001";

/// A small valid PDF for the self-issued upload.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

fn statuses_of(query: &Value) -> (String, String) {
    let fapiao = &query[1]["fapiao_information"][0];
    (
        fapiao["status"].as_str().unwrap_or_default().to_owned(),
        fapiao["card_information"]["card_status"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[tokio::test]
async fn wechatpayv3_runs_the_fapiao_flow_and_decrypts_every_callback() {
    let app = spawn_app().await;
    let m = app.merchant(MCHID, json!({"kind": "direct"})).await;
    let (status, body) = app
        .admin_post(
            "/apps",
            &json!({"appid": APPID, "role": "merchant", "name": "kabao 测试商户"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = app
        .admin_post(
            "/users",
            &json!({"appid": APPID, "openid": OPENID, "name": "张三"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let key_file = app.dir.path().join("apiclient_key.pem");
    std::fs::write(&key_file, m.key.to_pkcs8_pem()).unwrap();
    let pdf_path = app.dir.path().join("fapiao.pdf");
    std::fs::write(&pdf_path, PDF).unwrap();
    let (_, keys) = app.admin_get("/platform-keys").await;
    let platform = &keys[0];

    let result = run_script(
        "wechatpayv3_fapiao.py",
        json!({
            "base_url": app.base_url,
            "admin_token": ADMIN_TOKEN,
            "mchid": MCHID,
            "serial": m.serial,
            "key_file": key_file,
            "apiv3_key": m.apiv3_key,
            "public_key_pem": platform["public_key_pem"],
            "public_key_id": platform["public_key_id"],
            "appid": APPID,
            "openid": OPENID,
            "pdf_path": pdf_path,
        }),
    )
    .await;

    assert_eq!(result["set_config"][0], 200, "{result}");
    assert!(result["config"][1]["callback_url"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
    assert_eq!(result["card_template"][0], 200, "{result}");
    assert!(
        result["card_template"][1]["card_id"].is_string(),
        "{result}"
    );
    assert_eq!(result["base_info"][0], 200, "{result}");
    assert_eq!(result["tax_codes"][0], 200, "{result}");
    assert_eq!(result["tax_codes"][1]["limit"], 5, "{result}");

    assert_eq!(result["issue_with"][0], 202, "{result}");
    let issued = &result["issued_callback"];
    assert_eq!(issued["resource"]["mchid"], MCHID, "{issued}");
    assert_eq!(
        issued["resource"]["fapiao_information"][0]["fapiao_status"], "ISSUED",
        "{issued}"
    );
    assert_eq!(
        result["inserted_callback"]["resource"]["fapiao_information"][0]["card_status"],
        "INSERTED"
    );
    assert_eq!(
        statuses_of(&result["query_with"]),
        ("ISSUED".to_owned(), "INSERTED".to_owned()),
        "{result}"
    );
    let fapiao = &result["query_with"][1]["fapiao_information"][0];
    assert_eq!(fapiao["total_amount"], 429900);
    assert_eq!(
        fapiao["tax_amount"], 49458,
        "tax-first rounding of 429900 at 13%"
    );
    assert_eq!(fapiao["amount"], 380442);
    assert_eq!(fapiao["card_information"]["card_openid"], OPENID);
    assert_eq!(result["files"][0], 200, "{result}");
    assert!(result["files"][1]["fapiao_download_info_list"][0]["download_url"].is_string());

    assert_eq!(result["title_url"][0], 200, "{result}");
    assert_eq!(
        result["applied_callback"]["event_type"],
        "FAPIAO.USER_APPLIED"
    );
    assert_eq!(result["title"][0], 200, "{result}");
    assert_eq!(result["title"][1]["name"], "深圳市南山区测试企业");
    assert_eq!(
        result["title_phone"], "13900000000",
        "the SDK decrypts the phone"
    );
    assert_eq!(result["issue_without"][0], 202, "{result}");

    assert_eq!(result["reverse"][0], 202, "{result}");
    assert_eq!(
        result["reversed_callback"]["resource"]["fapiao_information"][0]["fapiao_status"],
        "REVERSED"
    );
    assert_eq!(
        result["discarded_callback"]["resource"]["fapiao_information"][0]["card_status"],
        "DISCARDED"
    );
    assert_eq!(
        statuses_of(&result["query_reversed"]),
        ("REVERSED".to_owned(), "DISCARDED".to_owned()),
        "{result}"
    );

    assert_eq!(result["upload"][0], 200, "{result}");
    assert_eq!(result["insert_cards"][0], 202, "{result}");
    assert_eq!(
        result["self_inserted_callback"]["resource"]["fapiao_information"][0]["card_status"],
        "INSERTED"
    );
    assert_eq!(statuses_of(&result["query_self"]).1, "INSERTED", "{result}");
}
