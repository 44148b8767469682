//! The taxi family through the SDK (T1–T11): a provider registers a
//! company, a taxi and a driver (name and ID encrypted), the driver signs
//! in, a passenger rides, the provider finds the trip, uploads the fapiao
//! and inserts the card in both published shapes and both answers.

use crate::common::{pdf, Kabao};
use kabao_client::fapiao::*;
use kabao_client::pay::{encode_path_segment, Query};
use kabao_client::taxi::*;
use kabao_client::WechatPay;
use kabao_protocol::apiv3::ErrorCode;
use kabao_server::domain::taxi::card_package::TaxiCardResponse;
use reqwest::Method;
use serde_json::json;

const PROVIDER: &str = "1900000402";
const REGION: i64 = 310100;
const APPID: &str = "wxb1170446a4c0a5a2";
const OPENID: &str = "oUypO5aQ1oOCaSiNZUpT5kxxJHuc";
const PLATE: &str = "沪A12345";
const LICENSE: &str = "6298416";

struct Fleet {
    k: Kabao,
    pay: WechatPay,
    company_mchid: String,
}

/// A provider's company, taxi and signed-in driver, each step through the SDK.
async fn fleet(k: Kabao) -> Fleet {
    let m = k
        .merchant(PROVIDER, json!({"kind": "service_provider"}))
        .await;
    let pay = k.pay(&m);
    let taxi = pay.taxi();
    let created = taxi
        .create_company(&CreateTaxiCompanyRequest {
            company_name: Some("上海强生出租汽车".into()),
            tax_id: "12345678901234567J".into(),
            address: "上海市静安区".into(),
            phone: Some("02162580000".into()),
            bank_name: None,
            bank_account: None,
            invoice_mode: "JIAO_WEI".into(),
            legal_person: "张三".into(),
            short_name: Some("强生".into()),
            region_id: REGION,
            enterprise_type: "ENTERPRISE".into(),
        })
        .await
        .unwrap();
    let company_mchid = created.mchid;
    let company = taxi.company(&company_mchid, REGION).await.unwrap();
    assert_eq!(
        (company.company_name.as_str(), company.invoice_mode.as_str()),
        ("上海强生出租汽车", "JIAO_WEI")
    );
    let echo = taxi
        .update_taxi(&UpdateTaxiRequest {
            plate_number: PLATE.into(),
            company_name: "上海强生出租汽车".into(),
            mchid: Some(company_mchid.clone()),
            main_license: "3101001234".into(),
            deputy_license: None,
            region_id: REGION,
            invoice_flag: Some("INVOICE".into()),
            taxi_state: Some("IN_OPERATION".into()),
        })
        .await
        .unwrap();
    assert_eq!(echo.plate_number, PLATE);
    let car = taxi.taxi(PLATE, REGION).await.unwrap();
    // By hand: the plate percent-encoded once, signed as sent.
    let target = Query::new()
        .push_opt("region_id", Some(REGION))
        .to_target(&format!(
            "/v3/taxi-invoice/taxies/{}",
            encode_path_segment(PLATE)
        ));
    assert!(target.contains("%E6%B2%AA"), "{target}");
    let raw = pay.request(Method::GET, &target, b"").await.unwrap();
    assert_eq!(raw.json::<RegisteredTaxi>().unwrap(), car);
    assert_eq!(
        (car.company_mchid.as_str(), car.support_invoice),
        (company_mchid.as_str(), true)
    );
    let driver = taxi
        .update_driver(&DriverRecord {
            driver_name: "王师傅".into(),
            id_card_number: "310101198001010011".into(),
            company_name: "上海强生出租汽车".into(),
            mchid: company_mchid.clone(),
            driver_license: LICENSE.into(),
            driver_category: "MAIN".into(),
            driver_status: "ON_DUTY".into(),
            driver_photo: Some(DriverPhoto {
                photo_type: Some("PHOTO_URL".into()),
                photo_digest: Some(PhotoDigest {
                    hash_type: "MD5".into(),
                    hash_value: "e10adc3949ba59abbe56e057f20f883e".into(),
                }),
                photo_url: Some("http://www.abc.com/driver.icon".into()),
                ..Default::default()
            }),
            region_id: REGION,
        })
        .await
        .unwrap();
    assert_eq!(
        (driver.driver_name.as_str(), driver.id_card_number.as_str()),
        ("王师傅", "310101198001010011"),
        "decrypted echo"
    );
    let read = taxi.driver(LICENSE, REGION).await.unwrap();
    assert_eq!(
        (read.driver_name.as_str(), read.company_mchid.as_str()),
        ("王师傅", company_mchid.as_str())
    );
    let now = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+8));
    let event_time = now
        .format(time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]+08:00"
        ))
        .unwrap();
    taxi.punch(&PunchRequest {
        plate_number: PLATE.into(),
        driver_license: LICENSE.into(),
        event_time,
        event_type: "SIGN_IN".into(),
        region_id: REGION,
    })
    .await
    .unwrap();
    Fleet {
        k,
        pay,
        company_mchid,
    }
}

/// A paid ride of [`OPENID`]; the admin answer (trip token, transaction id).
async fn ride(f: &Fleet) -> serde_json::Value {
    f.k.admin_ok(
        Method::POST,
        "/taxi/rides",
        Some(
            json!({"provider_mchid": PROVIDER, "region_id": REGION, "plate_number": PLATE,
                    "appid": APPID, "openid": OPENID, "amount": 5450}),
        ),
    )
    .await
}

fn card(f: &Fleet, media_id: &str, n: u32) -> TaxiFapiaoCard {
    TaxiFapiaoCard {
        fapiao_media_id: media_id.into(),
        fapiao_number: format!("{:08}", 12897794 + n),
        fapiao_code: "044001911211".into(),
        fapiao_time: "2020-07-01T12:00:00+08:00".into(),
        check_code: "69001808340631374774".into(),
        password: "006>299-375/326>2+7/*0-+<351059<80<4*/5>".into(),
        total_amount: 5450,
        tax_amount: 159,
        amount: 5291,
        buyer_information: BuyerInformation {
            taxpayer_id: Some("202003261233701778".into()),
            ..BuyerInformation::new(BuyerType::Corporation, "深圳市南山区测试企业")
        },
        seller_information: SellerInformation {
            name: "上海强生出租汽车".into(),
            taxpayer_id: "12345678901234567J".into(),
            address: format!("上海市静安区 {}", f.company_mchid),
            ..Default::default()
        },
        extra_information: ExtraInformation {
            drawer: "王五".into(),
            ..Default::default()
        },
        items: vec![FapiaoLine {
            tax_code: "3010101020203000000".into(),
            goods_name: "出租汽车客运服务".into(),
            specification: None,
            unit: Some("次".into()),
            quantity: 100_000_000,
            unit_price: 5_291_000_000,
            amount: 5291,
            tax_amount: 159,
            total_amount: 5450,
            tax_rate: 300,
            tax_prefer_mark: TaxPreferMark::NoFavorable,
            discount: false,
        }],
        remark: None,
    }
}

#[tokio::test]
async fn a_ride_is_found_and_its_fapiao_inserted_in_both_shapes() {
    let f = fleet(Kabao::start().await).await;
    let taxi = f.pay.taxi();
    let first = ride(&f).await;
    let second = ride(&f).await;
    let today = time::OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(+8))
        .date();
    let day = format!(
        "{:04}{:02}{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    let page = taxi
        .trip_orders(&TripOrdersQuery {
            openid: OPENID.into(),
            appid: APPID.into(),
            begin_date: day.clone(),
            end_date: day,
            region_id: REGION,
            limit: Some(1),
            offset: Some(0),
        })
        .await
        .unwrap();
    assert_eq!((page.total_count, page.data.len()), (2, 1));
    assert_eq!(page.data[0].plate_number, PLATE);
    assert!(page.links.next.is_some());
    let token = first["trip_order"]["token"].as_str().unwrap();
    let found = taxi
        .find_trip_order(&FindTripQuery {
            token: token.into(),
            openid: OPENID.into(),
            appid: APPID.into(),
            region_id: Some(REGION),
            auth_mode: Some("ORDER_AUTH".into()),
        })
        .await
        .unwrap();
    assert_eq!(
        (found.driver_license.as_str(), found.pay_amount),
        (LICENSE, Some(5450))
    );

    let media = taxi
        .upload_file(&f.company_mchid, REGION, "taxi.pdf", pdf("taxi 1"))
        .await
        .unwrap();
    let by_token = TaxiCardRequest {
        company_mchid: f.company_mchid.clone(),
        token: Some(token.into()),
        appid: Some(APPID.into()),
        openid: OPENID.into(),
        region_id: REGION,
        trade_number: None,
        driver_license: None,
        plate_number: None,
        fapiao_card_information: card(&f, &media.fapiao_media_id, 0),
    };
    assert_eq!(
        taxi.insert_card(&by_token).await.unwrap(),
        None,
        "204 as the official page says"
    );

    let media = taxi
        .upload_file(&f.company_mchid, REGION, "taxi.pdf", pdf("taxi 2"))
        .await
        .unwrap();
    let older = TaxiCardRequest {
        token: None,
        appid: None,
        trade_number: Some(second["transaction_id"].as_str().unwrap().into()),
        driver_license: Some(LICENSE.into()),
        plate_number: Some(PLATE.into()),
        fapiao_card_information: card(&f, &media.fapiao_media_id, 1),
        ..by_token.clone()
    };
    taxi.insert_card(&older).await.unwrap();
    let cards =
        f.k.admin_ok(Method::GET, &format!("/taxi/cards?openid={OPENID}"), None)
            .await;
    assert_eq!(cards["cards"].as_array().unwrap().len(), 2, "{cards}");

    // A trip that does not exist: typed, naming the field.
    let bad = TaxiCardRequest {
        token: Some("no-such-token".into()),
        ..by_token
    };
    let err = taxi.insert_card(&bad).await.unwrap_err();
    let e = err.as_pay().unwrap();
    assert_eq!(e.status / 100, 4, "{e}");
    assert_eq!(e.field(), Some("token"), "{e}");
}

#[tokio::test]
async fn the_yaml_answer_carries_the_card() {
    let k = Kabao::start_with(|s| s.taxi_card_response = TaxiCardResponse::Card).await;
    let f = fleet(k).await;
    let token = ride(&f).await["trip_order"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let taxi = f.pay.taxi();
    let media = taxi
        .upload_file(&f.company_mchid, REGION, "t.pdf", pdf("yaml"))
        .await
        .unwrap();
    let request = TaxiCardRequest {
        company_mchid: f.company_mchid.clone(),
        token: Some(token),
        appid: Some(APPID.into()),
        openid: OPENID.into(),
        region_id: REGION,
        trade_number: None,
        driver_license: None,
        plate_number: None,
        fapiao_card_information: card(&f, &media.fapiao_media_id, 0),
    };
    let card = taxi
        .insert_card(&request)
        .await
        .unwrap()
        .expect("200 with the card");
    assert_eq!(
        (card.card_appid.as_str(), card.card_openid.as_str()),
        (APPID, OPENID)
    );
    assert_eq!(card.card_code.len(), 12);
}

#[tokio::test]
async fn a_direct_merchant_is_refused_the_taxi_family() {
    let k = Kabao::start().await;
    let m = k.merchant("1900000403", json!({"kind": "direct"})).await;
    let err = k.pay(&m).taxi().taxi(PLATE, REGION).await.unwrap_err();
    let e = err.as_pay().unwrap();
    assert_eq!(
        (e.status, e.error_code()),
        (403, Some(ErrorCode::NoAuth)),
        "{e}"
    );
}
