//! The authorisation page's checks: a refused value comes back beside its
//! field with what the person typed, and the control API's authorisation
//! step refuses the same values with the field named.

use crate::oa_world::*;
use serde_json::json;

async fn ask_for_email(world: &World) {
    let set = world
        .call(
            "/card/invoice/setbizattr?action=set_auth_field",
            &world.merchant_token,
            &json!({"auth_field": {"user_field": {"show_title": 1, "show_email": 1},
                                   "biz_field": {"show_title": 1, "show_tax_no": 1}}}),
        )
        .await;
    assert_eq!(set["errcode"], 0, "{set}");
}

#[tokio::test]
async fn a_bad_email_is_shown_beside_its_field_with_the_form_as_typed() {
    let world = World::new().await;
    ask_for_email(&world).await;
    let opened = world.open_order("form-1", 1).await;
    let url = opened["auth_url"].as_str().unwrap();
    let form = [
        ("openid", world.bob.as_str()),
        ("title_type", "user"),
        ("title", "张三"),
        ("email", "zhangsan.example.com"),
    ];
    let refused = world.app.submit_form(url, &form).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"email-error\""), "{html}");
    assert!(html.contains("zhangsan.example.com is not an email address"));
    assert!(html.contains("value=\"张三\""), "the title typed stays");
    assert!(html.contains("value=\"zhangsan.example.com\""));
    assert!(html.contains(&format!("<option value=\"{}\" selected>", world.bob)));
    assert!(!html.contains("id=\"title-error\""), "only the bad field");
    let (_, order) = world
        .app
        .admin_get(&format!("/oa/orders/{MERCHANT}/form-1"))
        .await;
    assert_eq!(order["status"], "pending", "nothing was recorded");

    let missing = [
        ("openid", world.bob.as_str()),
        ("title_type", "biz"),
        ("title", "某公司"),
    ];
    let refused = world.app.submit_form(url, &missing).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"tax_no-error\""), "{html}");
    assert!(html.contains("<option value=\"biz\" selected>"));
}

#[tokio::test]
async fn the_control_api_refuses_the_same_formats_naming_the_field() {
    let world = World::new().await;
    ask_for_email(&world).await;
    assert_eq!(world.open_order("form-2", 1).await["errcode"], 0);
    for (title, field) in [
        (
            json!({"biz_field": {"title": "某公司", "tax_no": "12345"}}),
            "biz_field.tax_no",
        ),
        (
            json!({"user_field": {"title": "张三", "email": "a@b"}}),
            "user_field.email",
        ),
        (
            json!({"user_field": {"title": "张三", "email": "a@b.cn", "phone": "call me"}}),
            "user_field.phone",
        ),
    ] {
        let (status, body) = world
            .authorize(MERCHANT, "form-2", &world.alice, title)
            .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["field"], field, "{body}");
    }
    let (status, body) = world
        .authorize(
            MERCHANT,
            "form-2",
            &world.alice,
            json!({"user_field": {"title": "张三", "email": "zhangsan@example.com", "phone": "13800138000"}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}
