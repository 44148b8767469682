//! Self-issued fapiao through the SDK (F19–F20): uploads signed over their
//! `meta` with the SM3 digest, then insert-cards with an encrypted buyer
//! phone, ending with the card INSERTED and FAPIAO.CARD_INSERTED.

use crate::common::pdf;
use crate::fapiao_world::*;
use kabao_client::fapiao::*;
use kabao_client::FapiaoEvent;

fn self_issued(media_id: &str, n: u32) -> SelfIssuedFapiao {
    SelfIssuedFapiao {
        fapiao_media_id: media_id.into(),
        fapiao_number: format!("{:08}", 12897794 + n),
        fapiao_code: "044001911211".into(),
        fapiao_time: "2020-07-01T12:00:00+08:00".into(),
        check_code: "69001808340631374774".into(),
        password: "006>299-375/326>2+7/*0-+<3510".into(),
        total_amount: 429_900,
        tax_amount: 49_458,
        amount: 380_442,
        seller_information: SellerInformation {
            name: "深圳市南山区测试公司".into(),
            taxpayer_id: "202003261233701778".into(),
            address: "深圳市南山区深南大道10000号".into(),
            ..Default::default()
        },
        extra_information: ExtraInformation {
            drawer: "王五".into(),
            ..Default::default()
        },
        items: vec![FapiaoLine {
            tax_code: TAX_CODE.into(),
            goods_name: "出租汽车客运服务".into(),
            specification: None,
            unit: None,
            quantity: 100_000_000,
            unit_price: 380_442_000_000,
            amount: 380_442,
            tax_amount: 49_458,
            total_amount: 429_900,
            tax_rate: 1300,
            tax_prefer_mark: TaxPreferMark::NoFavorable,
            discount: false,
        }],
        remark: Some("备注".into()),
    }
}

#[tokio::test]
async fn uploaded_fapiao_are_inserted_into_the_card_package() {
    let w = FapiaoWorld::start().await;
    w.card_template(&w.direct, None).await;
    let tx = w.paid_order(DIRECT, 859_800).await;
    let f = w.direct.fapiao();
    let first = f
        .upload_file(None, FapiaoFileType::Pdf, "a.pdf", pdf("self-issued a"))
        .await
        .unwrap();
    assert_eq!(first.fapiao_media_id.len(), 24, "{}", first.fapiao_media_id);
    let ofd = f
        .upload_file(
            None,
            FapiaoFileType::Ofd,
            "b.ofd",
            b"PK\x03\x04 an OFD container".to_vec(),
        )
        .await
        .unwrap();

    let mut buyer = BuyerInformation::new(BuyerType::Individual, "张三");
    buyer.phone = Some("13800138000".into());
    let request = InsertCardsRequest {
        sub_mchid: None,
        scene: Scene::WithWechatpay,
        buyer_information: buyer,
        fapiao_card_information: vec![
            self_issued(&first.fapiao_media_id, 0),
            self_issued(&ofd.fapiao_media_id, 1),
        ],
    };
    f.insert_cards(&tx, &request).await.unwrap();
    let done = w
        .reaches(
            &w.direct,
            &tx,
            None,
            FapiaoStatus::Issued,
            Some(CardStatus::Inserted),
        )
        .await;
    assert_eq!(done.total_count, 2);
    assert_eq!(
        done.fapiao_information[0]
            .buyer_information
            .phone
            .as_deref(),
        Some("13800138000")
    );
    let numbers: Vec<_> = done
        .fapiao_information
        .iter()
        .map(|f| f.blue_fapiao.clone().unwrap().fapiao_number)
        .collect();
    assert_eq!(numbers, ["12897794", "12897795"]);
    let events = w
        .receiver
        .wait_parsed("/direct", "FAPIAO.CARD_INSERTED", 2)
        .await;
    assert!(events
        .iter()
        .all(|e| matches!(&e.event, FapiaoEvent::CardInserted(c)
        if c.fapiao_apply_id == tx)));

    let sub_upload = w
        .provider
        .fapiao()
        .upload_file(Some(SUB), FapiaoFileType::Pdf, "c.pdf", pdf("sub"))
        .await
        .unwrap();
    assert_ne!(sub_upload.fapiao_media_id, first.fapiao_media_id);
}
