//! Delivery: the signed request, retries on kabao's clock, `failed`,
//! `no_url`, transport errors, and the outbox across a restart.

use super::*;

#[tokio::test]
async fn a_push_is_a_signed_xml_post_to_the_configured_url() {
    let receiver = Receiver::start().await;
    let app = spawn_app().await;
    app.app(APPID, "merchant").await;
    point_at(&app, &receiver, "/wechat/push?tenant=7").await;
    let id = emit(&app, APPID, authorized("1202933957956")).await;

    let seen = receiver.wait_for(1).await;
    let request = &seen[0];
    assert_eq!(request.path(), "/wechat/push");
    assert_eq!(
        request.query("tenant").as_deref(),
        Some("7"),
        "the URL's own query is kept"
    );
    check_signed(request, &authorized("1202933957956"));
    assert!((request.query("timestamp").unwrap().parse::<i64>().unwrap() - now()).abs() < 60);

    let p = wait_status(&app, id, "delivered").await;
    assert_eq!(p["xml"], request.text(), "the exact body sent is shown");
    assert_eq!(p["event"], "user_authorize_invoice");
    assert_eq!(p["fields"]["succ_order_id"], "1202933957956");
    assert_eq!(p["from_openid"], OPENID);
    assert_eq!(p["appid"], APPID);
    let attempts = p["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0]["http_status"], 200);
    assert_eq!(attempts[0]["error"], Value::Null);
    assert!(attempts[0]["latency_ms"].as_i64().unwrap() >= 0);
    assert!(attempts[0]["url"]
        .as_str()
        .unwrap()
        .ends_with(&request.path_and_query));
    assert!(p["delivered_at"].is_i64());
    assert_eq!(receiver.requests().len(), 1, "delivered once");
}

#[tokio::test]
async fn a_receiver_failing_twice_gets_the_push_on_the_third_attempt() {
    let receiver = Receiver::start().await;
    receiver.reply_next(&[500, 503]);
    let app = spawn_app().await;
    configured(&app, &receiver).await;
    let id = emit(&app, APPID, authorized("o-1")).await;

    let p = wait_attempts(&app, id, 1).await;
    assert_eq!(p["status"], "pending");
    assert_eq!(p["last_error"], "HTTP 500");
    let (_, clock) = app.admin_get("/clock").await;
    let due = p["next_attempt_at"].as_i64().unwrap() - clock["now"].as_i64().unwrap();
    assert!((3..=5).contains(&due), "retried 5 s later: {due}");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        receiver.requests().len(),
        1,
        "not before kabao's clock says so"
    );

    app.advance_clock(5).await;
    wait_attempts(&app, id, 2).await;
    app.advance_clock(5).await;
    let p = wait_status(&app, id, "delivered").await;
    let statuses: Vec<Value> = p["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["http_status"].clone())
        .collect();
    assert_eq!(statuses, [json!(500), json!(503), json!(200)]);
    let numbers: Vec<Value> = p["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["attempt"].clone())
        .collect();
    assert_eq!(numbers, [json!(1), json!(2), json!(3)]);
    let seen = receiver.requests();
    assert_eq!(seen.len(), 3);
    for request in &seen {
        check_signed(request, &authorized("o-1"));
        assert_eq!(
            request.body, seen[0].body,
            "every attempt sends the same body"
        );
    }
}

#[tokio::test]
async fn three_failed_attempts_end_the_push_as_failed() {
    let receiver = Receiver::start().await;
    receiver.reply_next(&[500, 500, 500]);
    let app = spawn_app().await;
    configured(&app, &receiver).await;
    let id = emit(&app, APPID, authorized("o-2")).await;
    for n in 1..=2 {
        wait_attempts(&app, id, n).await;
        app.advance_clock(5).await;
    }
    let p = wait_status(&app, id, "failed").await;
    assert_eq!(p["attempts"].as_array().unwrap().len(), 3);
    assert_eq!(p["last_error"], "HTTP 500");
    assert_eq!(p["next_attempt_at"], Value::Null);
    app.advance_clock(60).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(receiver.requests().len(), 3, "no fourth attempt");
}

#[tokio::test]
async fn a_refused_connection_is_a_failed_attempt() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/wechat", closed.local_addr().unwrap());
    drop(closed);
    let app = spawn_app().await;
    app.app(APPID, "merchant").await;
    let (status, _) = put_config(&app, APPID, &json!({"url": url, "token": TOKEN})).await;
    assert_eq!(status, 200);
    let id = emit(&app, APPID, authorized("o-3")).await;
    let p = wait_attempts(&app, id, 1).await;
    assert_eq!(p["status"], "pending");
    assert_eq!(p["attempts"][0]["http_status"], Value::Null);
    let error = p["attempts"][0]["error"].as_str().unwrap();
    assert!(error.starts_with("could not connect"), "{error}");
}

#[tokio::test]
async fn pending_pushes_are_delivered_after_a_restart() {
    let receiver = Receiver::start().await;
    receiver.reply_next(&[500]);
    let app = spawn_app().await;
    configured(&app, &receiver).await;
    let retried = emit(&app, APPID, authorized("before-stop")).await;
    wait_attempts(&app, retried, 1).await;
    let dir = app.stop().await;

    let queued = emit_in(dir.path(), APPID, authorized("while-stopped")).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        receiver.requests().len(),
        1,
        "nothing goes out while stopped"
    );

    let cfg = config(dir.path());
    let app = spawn_with(dir, cfg).await;
    wait_status(&app, queued, "delivered").await;
    app.advance_clock(5).await;
    let p = wait_status(&app, retried, "delivered").await;
    assert_eq!(p["attempts"].as_array().unwrap().len(), 2);
    let seen = receiver.requests();
    assert_eq!(seen.len(), 3);
    check_signed(&seen[1], &authorized("while-stopped"));
    check_signed(&seen[2], &authorized("before-stop"));
}

#[tokio::test]
async fn a_push_without_a_config_ends_as_no_url_and_is_not_retried() {
    let receiver = Receiver::start().await;
    let app = spawn_app().await;
    app.app(APPID, "merchant").await;
    let id = emit(&app, APPID, authorized("nowhere")).await;
    let p = wait_status(&app, id, "no_url").await;
    assert_eq!(p["attempts"], json!([]));
    assert_eq!(p["xml"], Value::Null);
    assert!(p["last_error"].as_str().unwrap().contains("push-config"));

    point_at(&app, &receiver, "/wechat").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(push(&app, id).await["status"], "no_url", "never retried");
    assert!(receiver.requests().is_empty());

    let (status, _) = app
        .admin_post(&format!("/event-pushes/{id}/redeliver"), &json!({}))
        .await;
    assert_eq!(status, 200);
    wait_status(&app, id, "delivered").await;
    check_signed(&receiver.wait_for(1).await[0], &authorized("nowhere"));
}

#[tokio::test]
async fn two_kabao_on_one_database_deliver_each_push_once() {
    let receiver = Receiver::start().await;
    let first = spawn_app().await;
    configured(&first, &receiver).await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.database_url = database_url(first.dir.path());
    let second = spawn_with(dir, cfg).await;

    let store = kabao_server::store::open(&database_url(first.dir.path()))
        .await
        .unwrap();
    let mut ids = Vec::new();
    for i in 0..40 {
        let push = NewPush {
            appid: Appid::parse("appid", APPID).unwrap(),
            from_openid: OPENID.into(),
            event: authorized(&format!("both-{i}")),
            created_at: now(),
        };
        ids.push(store.enqueue_push(&push).await.unwrap());
    }
    for id in &ids {
        let p = wait_status(&second, *id, "delivered").await;
        assert_eq!(p["attempts"].as_array().unwrap().len(), 1, "{p:#}");
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
    let seen = receiver.requests();
    assert_eq!(seen.len(), 40, "each push sent once by one of the two");
    for i in 0..40 {
        let body = format!("both-{i}]]>");
        let sends = seen.iter().filter(|r| r.text().contains(&body)).count();
        assert_eq!(sends, 1, "push both-{i} was sent {sends} times");
    }
}
