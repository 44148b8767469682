//! The whole flow through HTTP, from getauthurl to the merchant's server.

use super::*;
use crate::oa_world::{oa_post, oa_s_pappid, oa_ticket};

/// The whole flow through HTTP: the merchant asks for an authorisation URL,
/// the user authorises (control API stand-in for the WeChat client), and the
/// merchant's server receives `user_authorize_invoice`.
#[tokio::test]
async fn a_user_authorisation_reaches_the_merchant_server() {
    let receiver = Receiver::start().await;
    let app = spawn_app().await;
    let platform = "wxpushplatform001";
    let platform_secret = app.app(platform, "invoicing_platform").await;
    let merchant_secret = app.app(APPID, "merchant").await;
    let (status, user) = app
        .admin_post("/users", &json!({"appid": APPID, "openid": OPENID}))
        .await;
    assert_eq!(status, 201, "{user}");
    point_at(&app, &receiver, "/wechat").await;
    let platform_token = app.token(platform, &platform_secret).await;
    let merchant_token = app.token(APPID, &merchant_secret).await;
    let s_pappid = oa_s_pappid(&app, &platform_token).await;
    let ticket = oa_ticket(&app, &merchant_token).await;
    let contact = oa_post(
        &app,
        "/card/invoice/setbizattr?action=set_contact",
        &merchant_token,
        r#"{"contact":{"phone":"13800000000","time_out":172800}}"#.into(),
    )
    .await;
    assert_eq!(contact["errcode"], 0, "{contact}");
    let auth = json!({"s_pappid": s_pappid, "order_id": "flow-1", "money": 100, "timestamp": now(),
                      "source": "web", "ticket": ticket, "type": 0});
    let auth = oa_post(
        &app,
        "/card/invoice/getauthurl",
        &merchant_token,
        auth.to_string(),
    )
    .await;
    assert_eq!(auth["errcode"], 0, "{auth}");
    let (status, body) = app
        .admin_post(
            "/oa/authorizations",
            &json!({"appid": APPID, "order_id": "flow-1", "openid": OPENID}),
        )
        .await;
    assert!(status == 200 || status == 201, "{body}");

    let seen = receiver.wait_for(1).await;
    check_signed(&seen[0], &authorized("flow-1"));
    let (_, pushes) = app.admin_get(&format!("/event-pushes?appid={APPID}")).await;
    assert_eq!(pushes.as_array().unwrap().len(), 1, "{pushes}");
    let p = wait_status(&app, pushes[0]["id"].as_i64().unwrap(), "delivered").await;
    assert_eq!(p["xml"], seen[0].text());
}
