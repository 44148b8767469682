//! The four 数电 issue endpoints through the SDK (F11–F14): one fapiao per
//! call for real payments of a sub-merchant, the industry blocks' sensitive
//! fields encrypted by the SDK, and what kabao says when they are not.

use crate::fapiao_world::*;
use kabao_client::fapiao::*;
use kabao_protocol::apiv3::ErrorCode;
use reqwest::Method;

fn digital(apply_id: &str, tx: &str, item: DigitalItem) -> DigitalApplication {
    DigitalApplication {
        sub_mchid: SUB.into(),
        fapiao_apply_id: apply_id.into(),
        buyer_information: BuyerInformation::new(BuyerType::Individual, "张三"),
        fapiao_information: DigitalFapiao {
            fapiao_id: format!("{apply_id}-1"),
            total_amount: item.total_amount,
            need_list: Some(false),
            items: vec![item],
            export_business_policy_code: None,
            vat_refund_levy_code: None,
            billing_person_id: "BP-01".into(),
            billing_person: Some("张伟".into()),
            fapiao_bill_type: Some(FapiaoBillType::CommFapiao),
            transaction_information: vec![TransactionInformation {
                pay_channel: "WECHAT_PAY".into(),
                transaction_id: tx.into(),
                out_trade_no: None,
                amount: 11_300,
            }],
            remark: None,
        },
    }
}

fn digital_item() -> DigitalItem {
    DigitalItem {
        tax_code: TAX_CODE.into(),
        goods_name: "客运服务".into(),
        specification: None,
        unit: None,
        quantity: Some(100_000_000),
        total_amount: 11_300,
        tax_rate: 1300,
        discount: false,
        preferential_policy_code: None,
        passenger_information: None,
        refined_oil_information: None,
        real_estate_leasing_information: None,
    }
}

#[tokio::test]
async fn the_four_digital_endpoints_issue_with_their_industry_blocks_encrypted() {
    let w = FapiaoWorld::start().await;
    w.card_template(&w.provider, Some(SUB)).await;
    let f = w.provider.fapiao();
    let passenger = DigitalItem {
        passenger_information: Some(PassengerInformation {
            name: "张三".into(),
            certificate_type: "IDENTITY_CARD".into(),
            certificate_number: "310101198001010011".into(),
            departure_date: "2026-07-01T00:00:00+08:00".into(),
            departure_place: "北京市朝阳区".into(),
            destination: "上海市浦东新区".into(),
            transportation_type: "LONG_DISTANCE_BUS".into(),
            transportation_classes: None,
        }),
        ..digital_item()
    };
    let oil = DigitalItem {
        unit: Some("LETER".into()),
        refined_oil_information: Some(RefinedOilInformation {
            station: "中国石油(江北红旗河沟加油站)".into(),
            trade_time: "2025-07-01T00:00:00+08:00".into(),
            gun_number: "1号枪".into(),
        }),
        ..digital_item()
    };
    let lease = DigitalItem {
        real_estate_leasing_information: Some(RealEstateLeasingInformation {
            province: "重庆市".into(),
            city: Some("涪陵区".into()),
            address: "xx街道xx小区".into(),
            lease_period_start: "2025-01-01T10:00:00+08:00".into(),
            lease_period_end: "2025-07-01T10:00:00+08:00".into(),
            cross_city_flag: false,
            certificate_no: Some("渝(2025)涪陵区不动产权第000001号".into()),
            plate_no: vec![],
        }),
        ..digital_item()
    };
    let apps = [
        ("D-GENERAL", digital_item()),
        ("D-PASSENGER", passenger),
        ("D-OIL", oil),
        ("D-LEASE", lease),
    ];
    for (apply_id, item) in apps {
        let tx = w.paid_order(SUB, 11_300).await;
        let body = digital(apply_id, &tx, item);
        match apply_id {
            "D-GENERAL" => f.issue_general(&body).await,
            "D-PASSENGER" => f.issue_passenger_transport(&body).await,
            "D-OIL" => f.issue_refined_oil(&body).await,
            _ => f.issue_real_estate_leasing(&body).await,
        }
        .unwrap_or_else(|e| panic!("{apply_id}: {e}"));
        w.reaches(
            &w.provider,
            apply_id,
            Some(SUB),
            FapiaoStatus::Issued,
            Some(CardStatus::Inserted),
        )
        .await;
    }
    // The same body with the certificate number left in plaintext is
    // refused: kabao decrypts what the SDK encrypted.
    let tx = w.paid_order(SUB, 11_300).await;
    let plain = digital(
        "D-PLAIN",
        &tx,
        DigitalItem {
            passenger_information: Some(PassengerInformation {
                name: "李四".into(),
                certificate_type: "IDENTITY_CARD".into(),
                certificate_number: "310101198001010011".into(),
                departure_date: "2026-07-01T00:00:00+08:00".into(),
                departure_place: "北京".into(),
                destination: "上海".into(),
                transportation_type: "CAR".into(),
                transportation_classes: None,
            }),
            ..digital_item()
        },
    );
    let err = w
        .provider
        .request(
            Method::POST,
            "/v3/new-tax-control-fapiao/fapiao-applications/issue-passenger-transport",
            &serde_json::to_vec(&plain).unwrap(),
        )
        .await
        .unwrap_err();
    let e = err.as_pay().unwrap();
    assert_eq!(e.error_code(), Some(ErrorCode::ParamError));
    assert!(e.message.contains("certificate_number"), "{e}");
}
