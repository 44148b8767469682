//! A card in the package: reimbursement moves under the lock rules, the
//! platform's cancel, and the user deleting a card, with their pushes.

use crate::oa_world::*;
use serde_json::json;

#[tokio::test]
async fn reimbursement_moves_follow_the_lock_rules_and_the_platform_can_cancel() {
    let world = World::new().await;
    let mut codes = Vec::new();
    for (order, no) in [("r-1", "10000001"), ("r-2", "10000002")] {
        world.authorised_order(order, &world.alice).await;
        let pdf = world.pdf(order).await;
        let inserted = world.insert(order, vat_invoice(&pdf, no)).await;
        codes.push(inserted["code"].as_str().unwrap().to_owned());
    }
    let cards = world.cards_of(&world.alice).await;
    let encrypt = |code: &str| {
        cards.iter().find(|c| c["code"] == code).unwrap()["encrypt_code"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (first, second) = (encrypt(&codes[0]), encrypt(&codes[1]));
    let decrypted = world
        .call(
            "/card/code/decrypt",
            &world.merchant_token,
            &json!({"encrypt_code": first}),
        )
        .await;
    assert_eq!(decrypted["code"], codes[0].as_str());
    let info = world
        .call(
            "/card/invoice/reimburse/getinvoiceinfo",
            &world.merchant_token,
            &json!({"card_id": world.card_id, "encrypt_code": first}),
        )
        .await;
    assert_eq!(info["payee"], "灌哥科技有限公司", "{info}");
    assert_eq!(info["user_info"]["billing_no"], "10000001");
    assert_eq!(
        info["user_info"]["reimburse_status"],
        "INVOICE_REIMBURSE_INIT"
    );
    let pdf = world
        .app
        .http
        .get(info["user_info"]["pdf_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);

    let merchant_token = &world.merchant_token;
    let closed_early = world
        .reimburse(merchant_token, &first, "INVOICE_REIMBURSE_CLOSURE")
        .await;
    assert_eq!(closed_early["errcode"], 72039, "{closed_early}");
    let locked = world
        .reimburse(merchant_token, &first, "INVOICE_REIMBURSE_LOCK")
        .await;
    assert_eq!(locked["errcode"], 0, "{locked}");
    let other = world
        .reimburse(&world.platform_token, &first, "INVOICE_REIMBURSE_INIT")
        .await;
    assert_eq!(
        other["errcode"], 72023,
        "only the locker may unlock: {other}"
    );
    let closed = world
        .reimburse(merchant_token, &first, "INVOICE_REIMBURSE_CLOSURE")
        .await;
    assert_eq!(closed["errcode"], 0, "{closed}");

    let batch = world
        .call(
            "/card/invoice/reimburse/updatestatusbatch",
            &world.merchant_token,
            &json!({"openid": world.bob, "reimburse_status": "INVOICE_REIMBURSE_LOCK",
                      "invoice_list": [{"card_id": world.card_id, "encrypt_code": second}]}),
        )
        .await;
    assert_eq!(
        batch["errcode"], 72037,
        "every invoice must belong to openid: {batch}"
    );

    let cancel = world
        .call("/card/invoice/platform/updatestatus", &world.platform_token,
              &json!({"card_id": world.card_id, "code": codes[1], "reimburse_status": "INVOICE_REIMBURSE_CANCEL"}))
        .await;
    assert_eq!(cancel["errcode"], 0, "{cancel}");
    let after = world
        .reimburse(merchant_token, &second, "INVOICE_REIMBURSE_LOCK")
        .await;
    assert_eq!(
        after["errcode"], 72060,
        "a cancelled invoice cannot be reimbursed: {after}"
    );
    let statuses: Vec<_> = world
        .cards_of(&world.alice)
        .await
        .iter()
        .map(|c| c["reimburse_status"].clone())
        .collect();
    assert!(statuses.contains(&json!("INVOICE_REIMBURSE_CLOSURE")));
    assert!(statuses.contains(&json!("INVOICE_REIMBURSE_CANCEL")));
    let pushed = |appid: &'static str| {
        let app = &world.app;
        async move {
            let path = format!("/event-pushes?appid={appid}&event=update_invoice_status");
            let (_, list) = app.admin_get(&path).await;
            list.as_array()
                .unwrap()
                .iter()
                .map(|p| p["fields"]["status"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    let merchant = pushed(MERCHANT).await;
    assert_eq!(
        merchant.len(),
        3,
        "lock, closure and the platform's cancel: {merchant:?}"
    );
    assert!(merchant.contains(&"INVOICE_REIMBURSE_CANCEL".to_owned()));
    let platform = pushed(PLATFORM).await;
    assert_eq!(
        platform.len(),
        2,
        "the reimburser's lock and closure also reach the platform: {platform:?}"
    );
}

#[tokio::test]
async fn the_user_can_delete_a_card_from_the_card_package() {
    let world = World::new().await;
    world.authorised_order("del-1", &world.alice).await;
    let pdf = world.pdf("del-1").await;
    let inserted = world.insert("del-1", vat_invoice(&pdf, "20000001")).await;
    let code = inserted["code"].as_str().unwrap();
    let (status, card) = world
        .app
        .admin_post(&format!("/cards/{code}/discard"), &json!({}))
        .await;
    assert_eq!(status, 200, "{card}");
    assert_eq!(card["card_status"], "DELETE");
    let (again, _) = world
        .app
        .admin_post(&format!("/cards/{code}/discard"), &json!({}))
        .await;
    assert_eq!(again, 409);
    assert_eq!(
        world.cards_of(&world.alice).await[0]["card_status"],
        "DELETE"
    );
    let (_, pushes) = world
        .app
        .admin_get(&format!(
            "/event-pushes?appid={PLATFORM}&event=user_del_card"
        ))
        .await;
    let pushes = pushes.as_array().unwrap();
    assert_eq!(
        pushes.len(),
        1,
        "one user_del_card to the platform: {pushes:?}"
    );
    assert_eq!(pushes[0]["fields"]["user_card_code"], code);
    assert_eq!(pushes[0]["from_openid"], world.alice.as_str());
}
