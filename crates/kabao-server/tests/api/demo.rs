//! First start on an empty store makes a demo world a newcomer can call at once.

use crate::helpers::*;
use kabao_protocol::rsa::PrivateKey;

fn field<'a>(guide: &'a str, after: &str, key: &str) -> &'a str {
    let section = &guide[guide
        .find(after)
        .unwrap_or_else(|| panic!("no {after:?} in guide"))..];
    let line = section
        .lines()
        .find(|l| l.trim_start().starts_with(key))
        .unwrap();
    line.trim_start()[key.len()..].trim()
}

#[tokio::test]
async fn the_demo_world_works_with_the_printed_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.demo = true;
    cfg.program = env!("CARGO_BIN_EXE_kabao").into();
    let app = spawn_with(dir, cfg).await;
    let guide = app.demo_guide.clone().expect("first start prints a guide");
    let calls: Vec<&str> = guide
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("curl "))
        .collect();
    assert_eq!(
        calls.len(),
        7,
        "one call per app and merchant, the user list and the taxi card example: {guide}"
    );
    for call in calls {
        let out = tokio::process::Command::new("bash")
            .args(["-c", call])
            .output()
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("access_token")
                || text.contains("\"data\"")
                || text.contains("openid")
                || text == "HTTP 204\n",
            "the printed call works as pasted: {call}\n{text}"
        );
    }
    for family in [
        "invoicing_platform",
        "fiscal_bureau",
        "merchant (fapiao)",
        "taxi service provider",
        "taxi demo fleet",
        "/v3/taxi-invoice/cards",
        "/v3/certificates",
        "/cgi-bin/token",
    ] {
        assert!(guide.contains(family), "guide mentions {family}");
    }
    let appid = field(&guide, "invoicing_platform", "appid");
    let secret = field(&guide, "invoicing_platform", "secret");
    assert!(app.token(appid, secret).await.len() > 100);
    let bureau = field(&guide, "fiscal_bureau", "appid");
    assert!(
        app.token(bureau, field(&guide, "fiscal_bureau", "secret"))
            .await
            .len()
            > 100
    );

    for (title, mchid) in [
        ("merchant (fapiao)", "1900000001"),
        ("taxi service provider", "1900000100"),
    ] {
        assert_eq!(field(&guide, title, "mchid"), mchid);
        let key_file = field(&guide, title, "key file");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(key_file).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let m = TestMerchant {
            mchid: mchid.into(),
            serial: field(&guide, title, "serial_no").into(),
            key: PrivateKey::from_pem(&std::fs::read_to_string(key_file).unwrap()).unwrap(),
            apiv3_key: field(&guide, title, "apiv3_key").into(),
        };
        assert_eq!(
            app.signed(&m, "GET", "/v3/certificates", "", now())
                .await
                .status(),
            200,
            "{title}"
        );
    }
    let (_, users) = app.admin_get("/users").await;
    assert_eq!(
        users.as_array().unwrap().len(),
        10,
        "three people under three apps, and the taxi passenger"
    );
    assert!(app.dir.path().join("demo/credentials.txt").exists());

    let dir = app.stop().await;
    let mut cfg = config(dir.path());
    cfg.demo = true;
    let again = spawn_with(dir, cfg).await;
    assert!(again.demo_guide.is_none(), "the demo world is made once");
    assert!(again.token(appid, secret).await.len() > 100);
}

/// WeChat's official example of `POST /v3/taxi-invoice/cards`, as published.
const TAXI_CARD_EXAMPLE: &str = r#"{
"company_mchid" : "1900000109",
"token" : "ESvqG19gjw0qiiy1eeRA4VusLrOmIYQOMJ8rXX2V-ztUUuQvu_YBEZg9FAht0Y15r71mft9rcaMIjn7y6x0KSg",
"appid" : "wxb1170446a4c0a5a2",
"openid" : "oUypO5aQ1oOCaSiNZUpT5kxxJHuc",
"region_id" : 310100,
"fapiao_card_information" : {
"fapiao_media_id" : "ASNFZ4mrze/+3LqYdlQyEA==",
"fapiao_number" : "12897794",
"fapiao_code" : "044001911211",
"fapiao_time" : "2020-07-01T12:00:00+08:00",
"check_code" : "69001808340631374774",
"password" : "006>299-375/326>2+7/*0-+<351059<80<4*/5>+<11631+*3030/5*37+/-243159658+013>3409*044>4-/1+/9->*>69501*6++1997--21",
"total_amount" : 382895,
"tax_amount" : 44050,
"amount" : 338845,
"buyer_information" : {
"type" : "CORPORATION",
"name" : "深圳市南山区测试企业",
"taxpayer_id" : "202003261233701778",
"address" : "深圳市南山区深南大道10000号",
"telephone" : "075512345678",
"bank_name" : "测试银行",
"bank_account" : "62001234567890"
},
"seller_information" : {
"name" : "深圳市南山区测试公司",
"taxpayer_id" : "202003261233701778",
"address" : "深圳市南山区深南大道10000号",
"telephone" : "075512345678",
"bank_name" : "测试银行",
"bank_account" : "62001234567890"
},
"extra_information" : {
"payee" : "张三",
"reviewer" : "李四",
"drawer" : "王五"
},
"items" : [
{
"tax_code" : "3010101020203000000",
"goods_name" : "出租汽车客运服务",
"specification" : "A4",
"unit" : "次",
"quantity" : 100000000,
"unit_price" : 380442000000,
"amount" : 380442,
"tax_amount" : 49458,
"total_amount" : 429900,
"tax_rate" : 1300,
"tax_prefer_mark" : "NO_FAVORABLE",
"discount" : false
}
],
"remark" : "备注"
}
}"#;

/// kabao's clock, to sign with after it was moved.
async fn kabao_now(app: &TestApp) -> i64 {
    let (status, clock) = app.admin_get("/clock").await;
    assert_eq!(status, 200, "{clock}");
    clock["now"].as_i64().unwrap()
}

#[tokio::test]
async fn the_official_taxi_card_example_inserts_a_card_on_the_demo_world() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.demo = true;
    let app = spawn_with(dir, cfg).await;
    let guide = app.demo_guide.clone().unwrap();
    let title = "taxi service provider";
    let provider = TestMerchant {
        mchid: "1900000100".into(),
        serial: field(&guide, title, "serial_no").into(),
        key: PrivateKey::from_pem(
            &std::fs::read_to_string(
                app.dir
                    .path()
                    .join("demo/merchant-1900000100/apiclient_key.pem"),
            )
            .unwrap(),
        )
        .unwrap(),
        apiv3_key: field(&guide, title, "apiv3_key").into(),
    };
    // The example's file outlives its 3 days: each start renews it.
    app.advance_clock(3 * 24 * 3600 + 60).await;
    let dir = app.stop().await;
    let mut cfg = config(dir.path());
    cfg.demo = true;
    let app = spawn_with(dir, cfg).await;

    let path = "/v3/taxi-invoice/cards";
    for _ in 0..2 {
        let response = app
            .signed(
                &provider,
                "POST",
                path,
                TAXI_CARD_EXAMPLE,
                kabao_now(&app).await,
            )
            .await;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap();
        verify_response(&headers, &bytes, &platform_public_keys(&app).await);
        assert_eq!(
            (status, bytes.is_empty()),
            (204, true),
            "{}",
            String::from_utf8_lossy(&bytes)
        );
    }
    let (status, cards) = app
        .admin_get("/taxi/cards?openid=oUypO5aQ1oOCaSiNZUpT5kxxJHuc")
        .await;
    assert_eq!(status, 200, "{cards}");
    assert_eq!(
        cards["total_count"], 1,
        "the replay made no second card: {cards}"
    );
    let card = &cards["cards"][0];
    assert_eq!(card["status"], "INSERTED");
    assert_eq!(card["card_appid"], "wxb1170446a4c0a5a2");
    assert_eq!(card["company_mchid"], "1900000109");
    assert_eq!(card["provider_mchid"], "1900000100");
    assert_eq!(card["fapiao_media_id"], "ASNFZ4mrze/+3LqYdlQyEA==");
    assert_eq!(card["trip"]["plate_number"], "沪A12345");
    assert_eq!(
        card["trip"]["trip_order"]["token"],
        "ESvqG19gjw0qiiy1eeRA4VusLrOmIYQOMJ8rXX2V-ztUUuQvu_YBEZg9FAht0Y15r71mft9rcaMIjn7y6x0KSg"
    );
    assert_eq!(
        card["warnings"].as_array().unwrap().len(),
        3,
        "the example's header totals are not its line's: {card}"
    );
}
