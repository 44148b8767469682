//! Issuing through the SDK (F8–F18): the classic application with an
//! encrypted buyer, its query, callbacks, files and reversal; a title
//! filled in before issuing without a payment; the four 数电 endpoints.

use crate::fapiao_world::*;
use kabao_client::fapiao::*;
use kabao_client::pay::{sm3_hex, Query};
use kabao_client::FapiaoEvent;
use kabao_protocol::apiv3::ErrorCode;
use reqwest::Method;
use serde_json::json;

fn application(scene: Scene, apply_id: &str, fapiaos: Vec<ApplicationFapiao>) -> FapiaoApplication {
    FapiaoApplication {
        sub_mchid: None,
        scene,
        fapiao_apply_id: apply_id.into(),
        buyer_information: BuyerInformation::new(BuyerType::Individual, "张三"),
        fapiao_information: fapiaos,
    }
}

#[tokio::test]
async fn a_paid_order_is_issued_queried_downloaded_and_reversed() {
    let w = FapiaoWorld::start().await;
    w.card_template(&w.direct, None).await;
    let tx = w.paid_order(DIRECT, 429_900).await;
    let mut body = application(
        Scene::WithWechatpay,
        &tx,
        vec![fapiao("F-1", vec![line(429_900)])],
    );
    body.buyer_information.phone = Some("13800138000".into());
    body.buyer_information.email = Some("buyer@example.com".into());
    w.direct.fapiao().issue(&body).await.unwrap();

    let done = w
        .reaches(
            &w.direct,
            &tx,
            None,
            FapiaoStatus::Issued,
            Some(CardStatus::Inserted),
        )
        .await;
    assert_eq!(done.total_count, 1);
    let f = &done.fapiao_information[0];
    assert_eq!(
        (f.total_amount, f.amount, f.tax_amount),
        (429_900, 380_442, 49_458)
    );
    assert_eq!(f.items[0].unit_price, 380_442_000_000);
    assert_eq!(
        f.buyer_information.phone.as_deref(),
        Some("13800138000"),
        "decrypted"
    );
    assert_eq!(
        f.buyer_information.email.as_deref(),
        Some("buyer@example.com")
    );
    let blue = f.blue_fapiao.clone().unwrap();
    assert_eq!(blue.fapiao_number.len(), 8);
    let card = f.card_information.clone().unwrap();
    assert_eq!(
        (card.card_appid.as_str(), card.card_openid.as_str()),
        (CARD_APPID, PAYER)
    );

    let issued = w.receiver.wait_parsed("/direct", "FAPIAO.ISSUED", 1).await;
    match &issued[0].event {
        FapiaoEvent::Issued(change) => {
            assert_eq!(
                (change.mchid.as_str(), change.fapiao_apply_id.as_str()),
                (DIRECT, tx.as_str())
            );
            assert_eq!(change.sub_mchid, None);
            assert_eq!(
                change.fapiao_information[0].fapiao_status,
                FapiaoStatus::Issued
            );
        }
        other => panic!("expected FAPIAO.ISSUED, got {other:?}"),
    }
    let inserted = w
        .receiver
        .wait_parsed("/direct", "FAPIAO.CARD_INSERTED", 1)
        .await;
    assert!(matches!(&inserted[0].event, FapiaoEvent::CardInserted(c)
        if c.fapiao_information[0].card_status == Some(CardStatus::Inserted)));

    // The same apply id with another body: a typed error naming the field.
    let again = w
        .direct
        .fapiao()
        .issue(&application(
            Scene::WithWechatpay,
            &tx,
            vec![fapiao("F-2", vec![line(100)])],
        ))
        .await
        .unwrap_err();
    let e = again.as_pay().unwrap();
    assert_eq!(
        e.error_code(),
        Some(ErrorCode::ResourceAlreadyExists),
        "{e}"
    );
    assert_eq!(e.field(), Some("fapiao_apply_id"));

    let one = w
        .direct
        .fapiao()
        .application(&tx, None, Some("F-1"))
        .await
        .unwrap();
    assert_eq!(one.total_count, 1);
    let files = w
        .direct
        .fapiao()
        .files(&tx, None, Some("F-1"))
        .await
        .unwrap();
    let info = &files.fapiao_download_info_list[0];
    assert_eq!(
        (info.fapiao_id.as_str(), &info.status),
        ("F-1", &FapiaoStatus::Issued)
    );
    let pdf = w
        .direct
        .fapiao()
        .download_file(&info.download_url)
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "the sm3-digest matched a PDF");
    assert_eq!(info.status.as_str(), "ISSUED");
    // The same link once more, by hand: its header is the SM3 of the bytes.
    let again = reqwest::get(&info.download_url).await.unwrap();
    let announced = again.headers()["sm3-digest"].to_str().unwrap().to_owned();
    assert_eq!(announced, sm3_hex(&again.bytes().await.unwrap()));
    let tampered = info.download_url.replacen("token=", "token=x", 1);
    let refused = w
        .direct
        .fapiao()
        .download_file(&tampered)
        .await
        .unwrap_err();
    assert_eq!(refused.as_pay().unwrap().field(), Some("token"));

    w.direct
        .fapiao()
        .reverse(
            &tx,
            &ReverseRequest {
                sub_mchid: None,
                reverse_reason: ReverseReason::SalesReturn,
                fapiao_information: vec![ReverseTarget {
                    fapiao_id: "F-1".into(),
                    fapiao_code: Some(blue.fapiao_code.clone()),
                    fapiao_number: blue.fapiao_number.clone(),
                }],
            },
        )
        .await
        .unwrap();
    let reversed = w
        .reaches(
            &w.direct,
            &tx,
            None,
            FapiaoStatus::Reversed,
            Some(CardStatus::Discarded),
        )
        .await;
    let red = reversed.fapiao_information[0].red_fapiao.clone().unwrap();
    assert_ne!(red.fapiao_number, blue.fapiao_number);
    let events = w
        .receiver
        .wait_parsed("/direct", "FAPIAO.CARD_DISCARDED", 1)
        .await;
    assert!(matches!(events[0].event, FapiaoEvent::CardDiscarded(_)));
    let events = w
        .receiver
        .wait_parsed("/direct", "FAPIAO.REVERSED", 1)
        .await;
    assert!(matches!(events[0].event, FapiaoEvent::Reversed(_)));
}

const TITLE_APPID: &str = "wxc11e0c0000000001";
const TITLE_OPENID: &str = "oC11eTitleUser00000000000001";

#[tokio::test]
async fn a_title_filled_in_first_is_read_back_decrypted_and_issued_for_a_sub_merchant() {
    let w = FapiaoWorld::start().await;
    w.k.oa_app(TITLE_APPID, "merchant").await;
    w.k.user(TITLE_APPID, TITLE_OPENID, None).await;
    w.card_template(&w.provider, Some(SUB)).await;
    let f = w.provider.fapiao();
    let link = f
        .title_url(&TitleUrlRequest {
            sub_mchid: Some(SUB.into()),
            fapiao_apply_id: "NOPAY-0001".into(),
            source: TitleSource::Web,
            appid: TITLE_APPID.into(),
            openid: TITLE_OPENID.into(),
            total_amount: 11_300,
            seller_name: Some("测试 商户".into()),
            show_phone_cell: Some(true),
            must_input_phone: Some(true),
            show_email_cell: Some(true),
            must_input_email: Some(false),
        })
        .await
        .unwrap();
    let url = link.title_url.unwrap();
    let before = f
        .user_title(Some(SUB), Scene::WithoutWechatpay, "NOPAY-0001")
        .await;
    assert_eq!(
        before.unwrap_err().as_pay().unwrap().error_code(),
        Some(ErrorCode::ResourceNotExists)
    );
    let key = url.rsplit('/').next().unwrap();
    w.k.admin_ok(
        Method::POST,
        &format!("/fapiao/titles/{key}"),
        Some(json!({"type": "ORGANIZATION", "name": "深圳市南山区测试企业", "taxpayer_id": "202003261233701778",
                    "address": "深圳市南山区深南大道10000号", "telephone": "075512345678",
                    "bank_name": "测试银行", "bank_account": "62001234567890",
                    "phone": "13800138000", "email": "buyer@example.com", "fapiao_bill_type": "VAT_FAPIAO"})),
    )
    .await;
    let applied = w
        .receiver
        .wait_parsed("/provider", "FAPIAO.USER_APPLIED", 1)
        .await;
    match &applied[0].event {
        FapiaoEvent::UserApplied(u) => {
            assert_eq!(
                (u.mchid.as_str(), u.sub_mchid.as_deref()),
                (PROVIDER, Some(SUB))
            );
            assert_eq!(u.fapiao_apply_id, "NOPAY-0001");
            assert!(u.apply_time.ends_with("+08:00"));
        }
        other => panic!("expected FAPIAO.USER_APPLIED, got {other:?}"),
    }
    let title = f
        .user_title(Some(SUB), Scene::WithoutWechatpay, "NOPAY-0001")
        .await
        .unwrap();
    assert_eq!(title.title_type, BuyerType::Organization);
    assert_eq!(title.phone.as_deref(), Some("13800138000"), "decrypted");
    assert_eq!(title.email.as_deref(), Some("buyer@example.com"));
    assert_eq!(title.fapiao_bill_type, Some(FapiaoBillType::VatFapiao));
    // Read raw, the phone is ciphertext only this merchant's key opens.
    let target = Query::new()
        .push_opt("sub_mchid", Some(SUB))
        .push("scene", Scene::WithoutWechatpay)
        .push("fapiao_apply_id", "NOPAY-0001")
        .to_target("/v3/new-tax-control-fapiao/user-title");
    let raw: serde_json::Value = w
        .provider
        .request(Method::GET, &target, b"")
        .await
        .unwrap()
        .json()
        .unwrap();
    let cipher = raw["phone"].as_str().unwrap();
    assert_ne!(cipher, "13800138000");
    assert_eq!(w.provider.decrypt(cipher).unwrap(), "13800138000");
    assert!(
        w.direct.decrypt(cipher).is_err(),
        "another merchant's key cannot"
    );

    let mut body = application(
        Scene::WithoutWechatpay,
        "NOPAY-0001",
        vec![fapiao("A", vec![line(11_300)])],
    );
    body.sub_mchid = Some(SUB.into());
    body.buyer_information = BuyerInformation {
        taxpayer_id: title.taxpayer_id.clone(),
        address: title.address.clone(),
        telephone: title.telephone.clone(),
        bank_name: title.bank_name.clone(),
        bank_account: title.bank_account.clone(),
        ..BuyerInformation::new(BuyerType::Organization, title.name.clone())
    };
    f.issue(&body).await.unwrap();
    let done = w
        .reaches(
            &w.provider,
            "NOPAY-0001",
            Some(SUB),
            FapiaoStatus::Issued,
            Some(CardStatus::Inserted),
        )
        .await;
    let card = done.fapiao_information[0].card_information.clone().unwrap();
    assert_eq!(card.card_openid, TITLE_OPENID);
}
