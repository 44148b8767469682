//! Fapiao set-up and onboarding through the SDK (F1–F7, F21–F22):
//! capability checks, seller information, tax codes, callback
//! configuration, card template, and a provider's invitation.

use crate::fapiao_world::*;
use kabao_client::fapiao::*;
use kabao_protocol::apiv3::{rfc3339_cst, ErrorCode};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_provider_checks_its_sub_merchant_and_is_refused_for_others() {
    let w = FapiaoWorld::start().await;
    let f = w.provider.fapiao();
    let status = f.check_status(SUB).await.unwrap();
    assert_eq!(status.sub_mchid, SUB);
    assert_eq!(status.third_mode.unwrap().status, "ENABLED");
    let digital = status.digital_tax_mode.unwrap();
    assert_eq!(digital.status, "ENABLED");
    assert_eq!(digital.ability_info.len(), 3);
    assert!(digital
        .ability_info
        .iter()
        .any(|a| a.ability_type == AbilityType::BaseAbility));
    f.check(SUB).await.unwrap();
    let err = f.check(DIRECT).await.unwrap_err();
    let e = err.as_pay().unwrap();
    assert_eq!((e.status, e.error_code()), (403, Some(ErrorCode::NoAuth)));
    assert!(e.message.contains(DIRECT), "{e}");
    assert!(f.check_status("1999999999").await.is_err());
}

#[tokio::test]
async fn seller_information_and_tax_codes_page_through_the_table() {
    let w = FapiaoWorld::start().await;
    let mine = w.direct.fapiao().base_information(None).await.unwrap();
    assert_eq!(mine.seller_information.name, DIRECT);
    assert_eq!(mine.seller_information.taxpayer_id.len(), 18);
    assert!(!mine.extra_information.drawer.is_empty());
    let sub = w
        .provider
        .fapiao()
        .base_information(Some(SUB))
        .await
        .unwrap();
    assert_eq!(sub.seller_information.name, SUB);
    let missing = w
        .provider
        .fapiao()
        .base_information(None)
        .await
        .unwrap_err();
    assert_eq!(missing.as_pay().unwrap().field(), Some("sub_mchid"));

    let first = w.direct.fapiao().tax_codes(None, 0, 20).await.unwrap();
    assert_eq!((first.offset, first.limit, first.data.len()), (0, 20, 20));
    assert!(first.links.next.is_some() && first.links.prev.is_none());
    let second = w
        .provider
        .fapiao()
        .tax_codes(Some(SUB), 20, 20)
        .await
        .unwrap();
    assert_eq!(second.total_count, first.total_count);
    let all: Vec<_> = first.data.iter().chain(&second.data).collect();
    let seed = all
        .iter()
        .find(|c| c.tax_code == TAX_CODE)
        .expect("the seed's code");
    assert_eq!(
        (seed.goods_name.as_str(), seed.tax_rate),
        ("出租汽车客运服务", 1300)
    );
    assert_eq!(seed.tax_prefer_mark, TaxPreferMark::NoFavorable);
}

#[tokio::test]
async fn the_callback_configuration_round_trips_and_a_template_is_made() {
    let w = FapiaoWorld::start().await;
    let f = w.direct.fapiao();
    let config = f.development_config().await.unwrap();
    assert_eq!(
        config.callback_url,
        format!("{}/direct", w.receiver.base_url)
    );
    assert!(!config.show_fapiao_cell);
    let changed = f
        .update_development_config(&DevelopmentConfigPatch {
            show_fapiao_cell: Some(true),
            support_vat_fapiao: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        changed.callback_url, config.callback_url,
        "absent fields stay"
    );
    assert!(changed.show_fapiao_cell && changed.support_vat_fapiao);
    assert_eq!(f.development_config().await.unwrap(), changed);
    let bad = f
        .update_development_config(&DevelopmentConfigPatch {
            callback_url: Some("https://merchant.example/notify?x=1".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    let e = bad.as_pay().unwrap();
    assert_eq!(
        (e.status, e.code.as_str(), e.field()),
        (400, "PARAM_ERROR", Some("callback_url"))
    );

    let template = w.card_template(&w.provider, Some(SUB)).await;
    assert_eq!(template.card_appid, CARD_APPID);
    assert!(template.card_id.starts_with('p'), "{}", template.card_id);
}

#[tokio::test]
async fn an_invitation_with_an_encrypted_operator_is_answered_and_listed() {
    let w = FapiaoWorld::start().await;
    let f = w.provider.fapiao();
    let invite = f
        .invite_url(&InviteUrlRequest {
            operation_type: "AUTH_BINDING".into(),
            fapiao_mode: FapiaoMode::TencentDigitalTax,
            fapiao_ability_type_list: vec![
                AbilityType::BaseAbility,
                AbilityType::RealEstateAbility,
            ],
            invite_channel: Some("miniprogram".into()),
            operate_user: Some("张三".into()),
            invite_code: "code_001".into(),
            sub_mchid: None,
        })
        .await
        .unwrap();
    assert!(invite.miniprogram_appid.starts_with("wx"));
    let key = invite.invite_url.rsplit('/').next().unwrap().to_owned();
    assert!(invite.miniprogram_path.contains(&key));
    let stored =
        w.k.admin_ok(Method::GET, &format!("/fapiao/invites/{key}"), None)
            .await;
    assert_eq!(
        stored["request"]["operate_user"], "张三",
        "decrypted by kabao"
    );
    assert_eq!(
        stored["request"]["fapiao_ability_type_list"],
        json!(["BASE_ABILITY", "REAL_ESTATE_ABILITY"])
    );
    w.k.admin_ok(
        Method::POST,
        &format!("/fapiao/invites/{key}/answer"),
        Some(json!({"sub_mchid": SUB, "ep_name": "示例（深圳）有限公司", "tax_id": "9144050071126766XG"})),
    )
    .await;

    let now = w.k.now().await;
    let query = |status: InviteStatus| InvitedMerchantsQuery {
        query_time_start: rfc3339_cst(now - 3600),
        query_time_end: rfc3339_cst(now + 3600),
        offset: 0,
        limit: 10,
        invite_code: Some("code_001".into()),
        mch_invite_status: status,
    };
    let page = f
        .invited_merchants(&query(InviteStatus::MchInviteSucc))
        .await
        .unwrap();
    assert_eq!(page.total_count, 1);
    let row = &page.mch_invite_result_list[0];
    assert_eq!(row.sub_mchid.as_deref(), Some(SUB));
    assert_eq!(row.mch_invite_status, InviteStatus::MchInviteSucc);
    assert_eq!(row.ep_name, "示例（深圳）有限公司");
    assert!(row.operate_time.ends_with("+08:00"));
    let failed = f
        .invited_merchants(&query(InviteStatus::MchInviteFailed))
        .await
        .unwrap();
    assert_eq!(failed.total_count, 0);
}
