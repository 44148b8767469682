//! base-information (F3) and tax-codes (F4), with the control API's seller
//! settings and tax-code additions.

use crate::fapiao_steps::{assert_error, merchant_settings};
use crate::fapiao_world::{FapiaoWorld, DIRECT, SUB};
use serde_json::{json, Value};

const BASE_INFO: &str = "/v3/new-tax-control-fapiao/merchant/base-information";
const TAX_CODES: &str = "/v3/new-tax-control-fapiao/merchant/tax-codes";

/// base-information of `sub` as the provider asks it.
async fn provider_base_info(w: &FapiaoWorld, sub: &str) -> (u16, Value) {
    let path = format!("{BASE_INFO}?sub_mchid={sub}");
    w.call(&w.provider, "GET", &path, None).await
}

#[tokio::test]
async fn base_information_defaults_to_the_provisioned_name_and_follows_the_control_api() {
    let w = FapiaoWorld::start().await;
    let (status, body) = w.call(&w.direct, "GET", BASE_INFO, None).await;
    assert_eq!(status, 200, "{body}");
    // Provisioned without a name, the merchant is named after its mchid.
    assert_eq!(body["seller_information"]["name"], DIRECT);
    let taxpayer_id = body["seller_information"]["taxpayer_id"].as_str().unwrap();
    assert_eq!(taxpayer_id.len(), 18);
    assert!(body["seller_information"]["address"].is_string());
    assert!(body["extra_information"]["drawer"].is_string());

    let seller = json!({"name": "深圳市南山区测试公司", "taxpayer_id": "202003261233701778",
        "address": "深圳市南山区深南大道10000号", "bank_name": "测试银行", "bank_account": "62001234567890"});
    let extra = json!({"payee": "张三", "reviewer": "李四", "drawer": "王五"});
    let (status, body) = merchant_settings(
        &w,
        SUB,
        &json!({"seller_information": seller, "extra_information": extra}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = provider_base_info(&w, SUB).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["seller_information"], seller);
    assert_eq!(body["extra_information"], extra);
    // The direct merchant's seller is untouched.
    let (_, body) = w.call(&w.direct, "GET", BASE_INFO, None).await;
    assert_eq!(body["seller_information"]["name"], DIRECT);

    let (status, body) =
        merchant_settings(&w, SUB, &json!({"extra_information": {"drawer": " "}})).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("extra_information.drawer"))
    );
    let (_, body) = w.app.admin_get(&format!("/fapiao/merchants/{SUB}")).await;
    assert_eq!(body["extra_information"]["drawer"], "王五");
}

#[tokio::test]
async fn a_provider_must_name_one_of_its_accepted_sub_merchants() {
    let w = FapiaoWorld::start().await;
    let answer = w.call(&w.provider, "GET", BASE_INFO, None).await;
    assert_error(&answer, 400, "PARAM_ERROR", Some("sub_mchid"));
    let answer = provider_base_info(&w, DIRECT).await;
    assert_error(&answer, 403, "NO_AUTH", None);
    let answer = w
        .call(
            &w.provider,
            "GET",
            &format!("{TAX_CODES}?sub_mchid=1999999999&offset=0&limit=5"),
            None,
        )
        .await;
    assert_error(&answer, 403, "NO_AUTH", None);
    merchant_settings(&w, SUB, &json!({"provider_authorized": false})).await;
    let answer = provider_base_info(&w, SUB).await;
    assert_error(&answer, 403, "NO_AUTH", None);
}

async fn page(w: &FapiaoWorld, query: &str) -> (u16, Value) {
    w.call(&w.direct, "GET", &format!("{TAX_CODES}?{query}"), None)
        .await
}

#[tokio::test]
async fn tax_codes_page_through_the_shipped_table_with_links() {
    let w = FapiaoWorld::start().await;
    let (status, first) = page(&w, "offset=0&limit=20").await;
    assert_eq!(status, 200, "{first}");
    let total = first["total_count"].as_i64().unwrap();
    assert!(total >= 30, "{total}");
    assert_eq!(first["offset"], 0);
    assert_eq!(first["limit"], 20);
    assert_eq!(first["data"].as_array().unwrap().len(), 20);
    assert_eq!(
        first["links"]["self"],
        format!("{TAX_CODES}?offset=0&limit=20")
    );
    assert_eq!(
        first["links"]["next"],
        format!("{TAX_CODES}?offset=20&limit=20")
    );
    assert!(first["links"].get("prev").is_none());

    let mut all: Vec<Value> = Vec::new();
    let mut offset = 0;
    while offset < total {
        let (_, body) = page(&w, &format!("offset={offset}&limit=20")).await;
        all.extend(body["data"].as_array().unwrap().iter().cloned());
        offset += 20;
    }
    assert_eq!(all.len() as i64, total);
    let seed = all
        .iter()
        .find(|c| c["tax_code"] == "3010101020203000000")
        .expect("the seed's tax code is shipped");
    assert_eq!(seed["goods_name"], "出租汽车客运服务");
    assert_eq!(seed["goods_category"], "运输服务");
    assert!(seed["goods_id"].is_number());
    for rate in [1300, 900, 600, 300, 0] {
        assert!(
            all.iter().any(|c| c["tax_rate"] == rate),
            "no code at {rate}"
        );
    }
    let last_offset = (total - 1) / 20 * 20;
    let (_, last) = page(&w, &format!("offset={last_offset}&limit=20")).await;
    assert!(last["links"].get("next").is_none(), "{last}");
    assert_eq!(
        last["links"]["prev"],
        format!("{TAX_CODES}?offset={}&limit=20", last_offset - 20)
    );
    let (_, beyond) = page(&w, &format!("offset={}&limit=5", total + 10)).await;
    assert_eq!(beyond["data"], json!([]));
}

#[tokio::test]
async fn tax_codes_refuse_paging_out_of_bounds_naming_the_parameter() {
    let w = FapiaoWorld::start().await;
    for (query, field) in [
        ("offset=0&limit=0", "limit"),
        ("offset=0&limit=21", "limit"),
        ("offset=0", "limit"),
        ("limit=5", "offset"),
        ("offset=-1&limit=5", "offset"),
        ("offset=x&limit=5", "offset"),
        ("offset=0&limit=1.5", "limit"),
    ] {
        let answer = page(&w, query).await;
        assert_error(&answer, 400, "PARAM_ERROR", Some(field));
    }
    let (status, body) = page(&w, "offset=0&limit=1").await;
    assert_eq!((status, body["data"].as_array().unwrap().len()), (200, 1));
}

#[tokio::test]
async fn tax_code_additions_are_seen_only_by_their_merchant() {
    let w = FapiaoWorld::start().await;
    let (_, before) = page(&w, "offset=0&limit=1").await;
    let shipped = before["total_count"].as_i64().unwrap();
    let added = json!({"tax_code": "3040201990000000000", "goods_name": "SaaS 订阅", "goods_category": "信息技术服务",
        "goods_id": 9001, "tax_rate": 600, "tax_prefer_mark": "NO_FAVORABLE"});
    let (status, body) = w
        .app
        .admin_post(
            &format!("/fapiao/merchants/{SUB}/tax-codes"),
            &json!({"tax_codes": [added]}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["tax_codes"], json!([added]));

    let path = format!("{TAX_CODES}?sub_mchid={SUB}&offset=0&limit=20");
    let (_, first) = w.call(&w.provider, "GET", &path, None).await;
    assert_eq!(first["total_count"], shipped + 1);
    assert_eq!(
        first["links"]["next"],
        format!("{TAX_CODES}?sub_mchid={SUB}&offset=20&limit=20")
    );
    let mut found = false;
    let mut offset = 0;
    while offset <= shipped {
        let path = format!("{TAX_CODES}?sub_mchid={SUB}&offset={offset}&limit=20");
        let (_, body) = w.call(&w.provider, "GET", &path, None).await;
        found |= body["data"].as_array().unwrap().contains(&added);
        offset += 20;
    }
    assert!(found, "the addition is in the sub-merchant's table");
    let (_, direct) = page(&w, "offset=0&limit=1").await;
    assert_eq!(direct["total_count"], shipped);

    let mut bad = added.clone();
    bad["tax_rate"] = json!(600);
    bad["tax_prefer_mark"] = json!("VAT_EXEMPT");
    let (status, body) = w
        .app
        .admin_post(
            &format!("/fapiao/merchants/{SUB}/tax-codes"),
            &json!({"tax_codes": [added, bad]}),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("tax_codes[1].tax_rate")),
        "{body}"
    );
    let (status, body) = w
        .app
        .admin_post(
            &format!("/fapiao/merchants/{SUB}/tax-codes"),
            &json!({"tax_codes": [{"tax_code": "12"}]}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    let (_, listed) = w
        .app
        .admin_get(&format!("/fapiao/merchants/{SUB}/tax-codes"))
        .await;
    assert_eq!(listed["tax_codes"].as_array().unwrap().len(), 1);
    let (status, _) = w
        .app
        .admin_post(
            "/fapiao/merchants/1999999999/tax-codes",
            &json!({"tax_codes": [added]}),
        )
        .await;
    assert_eq!(status, 404);
}
