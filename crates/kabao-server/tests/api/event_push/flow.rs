//! The whole flow through HTTP, from getauthurl to the merchant's server.

use super::*;

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
    let (status, _) = put_config(
        &app,
        APPID,
        &json!({"url": receiver.url("/wechat"), "token": TOKEN, "original_id": "gh_fc0a06a20993"}),
    )
    .await;
    assert_eq!(status, 200);
    let platform_token = app.token(platform, &platform_secret).await;
    let merchant_token = app.token(APPID, &merchant_secret).await;
    let seturl: Value = app
        .http
        .post(app.url(&format!(
            "/card/invoice/seturl?access_token={platform_token}"
        )))
        .body("{}")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let s_pappid = seturl["invoice_url"]
        .as_str()
        .unwrap()
        .split("s_pappid=")
        .nth(1)
        .unwrap()
        .to_owned();
    let ticket = app
        .get_json(&format!(
            "/cgi-bin/ticket/getticket?type=wx_card&access_token={merchant_token}"
        ))
        .await["ticket"]
        .as_str()
        .unwrap()
        .to_owned();
    let contact: Value = app
        .http
        .post(app.url(&format!(
            "/card/invoice/setbizattr?action=set_contact&access_token={merchant_token}"
        )))
        .body(r#"{"contact":{"phone":"13800000000","time_out":172800}}"#)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(contact["errcode"], 0, "{contact}");
    let auth: Value = app
        .http
        .post(app.url(&format!(
            "/card/invoice/getauthurl?access_token={merchant_token}"
        )))
        .json(
            &json!({"s_pappid": s_pappid, "order_id": "flow-1", "money": 100, "timestamp": now(),
                      "source": "web", "ticket": ticket, "type": 0}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(auth["errcode"], 0, "{auth}");
    let (status, body) = app
        .admin_post(
            "/oa/authorizations",
            &json!({"appid": APPID, "order_id": "flow-1", "openid": OPENID}),
        )
        .await;
    assert!(status == 200 || status == 201, "{body}");

    let seen = receiver.wait_for(1).await;
    check_signed(
        &seen[0],
        &OaEvent::UserAuthorizeInvoice {
            succ_order_id: "flow-1".into(),
            fail_order_id: String::new(),
            app_id: APPID.into(),
            source: "web".into(),
        },
    );
    let (_, pushes) = app.admin_get(&format!("/event-pushes?appid={APPID}")).await;
    assert_eq!(pushes.as_array().unwrap().len(), 1, "{pushes}");
    let p = wait_status(&app, pushes[0]["id"].as_i64().unwrap(), "delivered").await;
    assert_eq!(p["xml"], seen[0].text());
}
