//! The crash bar of issue 5: the real `kabao` binary issues, inserts and
//! reverses fapiao of both scenes while the merchants' server fails, is
//! SIGKILLed with callbacks pending and an issuing step still scheduled,
//! restarts on the same store, and delivers every callback exactly once
//! more, under its original event id: none lost, none twice.

use crate::fapiao_issue::{classic, fapiao, line, CARD_APPID, ISSUE_PATH, PAYER};
use crate::fapiao_titles::{link_key, TITLE_APPID, TITLE_OPENID};
use crate::fapiao_world::{DIRECT, PROVIDER, SUB};
use crate::helpers::{nonce, now, verify_response, KabaoProcess, TestMerchant, ADMIN_TOKEN};
use crate::receiver::{Receiver, Recorded, Reply};
use kabao_protocol::auth::AuthorizationHeader;
use kabao_protocol::notification::Notification;
use kabao_protocol::rsa::{PrivateKey, PublicKey};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

/// The platform keys as `verify_response` takes them.
pub(crate) type PlatformKeys = Vec<(Option<String>, Option<String>, PublicKey)>;

/// The `kabao` process, SIGKILLed when dropped so a failing test leaves none behind.
pub(crate) struct Kabao {
    process: KabaoProcess,
    http: reqwest::Client,
}

impl Kabao {
    /// Starts `kabao serve` on the store in `dir` with callback gaps × 0.01.
    pub(crate) async fn start(dir: &Path) -> Self {
        let args = ["--admin-token", ADMIN_TOKEN, "--callback-time-scale=0.01"];
        Self {
            process: KabaoProcess::start(dir, &args, &[]).await,
            http: reqwest::Client::new(),
        }
    }

    /// SIGKILL, and waits for the exit.
    pub(crate) async fn kill(mut self) {
        self.process.child.kill().await.expect("kabao is SIGKILLed");
    }

    /// Sends `body` to `path` with an `Authorization` header; the answer
    /// must have status `want`; returns its JSON body (Null when none).
    pub(crate) async fn send(
        &self,
        method: &str,
        path: &str,
        auth: String,
        body: String,
        want: u16,
    ) -> Value {
        let url = format!("{}{path}", self.process.base_url);
        let r = self
            .http
            .request(method.parse().unwrap(), url)
            .header("Authorization", auth)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let answer = r.json().await.unwrap_or(Value::Null);
        assert_eq!(status, want, "{path}: {answer}");
        answer
    }

    /// The address it serves.
    pub(crate) fn base_url(&self) -> &str {
        &self.process.base_url
    }

    /// A control-API GET answered with any status: (status, JSON body).
    pub(crate) async fn get_status(&self, path: &str) -> (u16, Value) {
        let r = self
            .http
            .get(format!("{}/_kabao/api{path}", self.process.base_url))
            .header("Authorization", format!("Bearer {ADMIN_TOKEN}"))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    /// A control-API call that must answer `want`.
    pub(crate) async fn admin(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        want: u16,
    ) -> Value {
        let (path, body) = (format!("/_kabao/api{path}"), body.map(|b| b.to_string()));
        let auth = format!("Bearer {ADMIN_TOKEN}");
        self.send(method, &path, auth, body.unwrap_or_default(), want)
            .await
    }

    /// A control-API POST that must answer `want`.
    pub(crate) async fn post(&self, path: &str, body: Value, want: u16) -> Value {
        self.admin("POST", path, Some(body), want).await
    }

    /// A control-API GET that must answer 200.
    pub(crate) async fn get(&self, path: &str) -> Value {
        self.admin("GET", path, None, 200).await
    }

    /// Polls a control-API GET (at most 10 s) until `done` holds; returns it.
    pub(crate) async fn until(&self, path: &str, done: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..200 {
            let body = self.get(path).await;
            if done(&body) {
                return body;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{path} never got there: {}", self.get(path).await);
    }

    /// Provisions a merchant (`kind`) with a generated API certificate and
    /// callbacks to the receiver's `/{kind}`.
    pub(crate) async fn merchant(
        &self,
        mchid: &str,
        kind: &str,
        receiver: &Receiver,
    ) -> TestMerchant {
        let spec = json!({"mchid": mchid, "kind": kind, "generate_certificate": true,
                          "callback_url": receiver.url(&format!("/{kind}"))});
        let body = self.post("/merchants", spec, 201).await;
        let text = |v: &Value| v.as_str().unwrap().to_owned();
        TestMerchant {
            mchid: mchid.to_owned(),
            serial: text(&body["certificates"][0]["serial_no"]),
            key: PrivateKey::from_pem(&text(&body["generated_private_key_pem"])).unwrap(),
            apiv3_key: text(&body["apiv3_key"]),
        }
    }

    /// An APIv3 call signed by merchant `m` as an SDK signs it (a POST of
    /// `body`, or a GET without), which must answer `want`.
    pub(crate) async fn call(
        &self,
        m: &TestMerchant,
        path: &str,
        body: Option<Value>,
        want: u16,
    ) -> Value {
        let method = if body.is_some() { "POST" } else { "GET" };
        let text = body.map(|b| b.to_string()).unwrap_or_default();
        let (t, n, b) = (now(), nonce(), text.as_bytes());
        let auth = AuthorizationHeader::sign(&m.key, &m.mchid, &m.serial, method, path, t, &n, b);
        self.send(method, path, auth.to_header_value(), text, want)
            .await
    }

    /// A paid order of the direct merchant (control API); its transaction_id.
    pub(crate) async fn paid_order(&self) -> String {
        let order =
            json!({"mchid": DIRECT, "appid": CARD_APPID, "openid": PAYER, "amount": 11_300});
        let body = self.post("/fapiao/pay-orders", order, 201).await;
        body["transaction_id"].as_str().unwrap().to_owned()
    }

    /// Polls until fapiao "F" of `owner`'s application is in `status` with
    /// its card in `card`; returns the fapiao.
    pub(crate) async fn reaches(
        &self,
        owner: &str,
        apply_id: &str,
        status: &str,
        card: &str,
    ) -> Value {
        let path = format!("/fapiao/applications/{owner}/{apply_id}");
        let app = self
            .until(&path, |a| {
                let f = &a["fapiao_information"][0];
                f["status"] == status && f["card_information"]["card_status"] == card
            })
            .await;
        app["fapiao_information"][0].clone()
    }

    /// The platform public keys the control API publishes.
    pub(crate) async fn platform_keys(&self) -> PlatformKeys {
        let keys = self.get("/platform-keys").await;
        let text = |k: &Value, f: &str| k[f].as_str().map(str::to_owned);
        let pem = |k: &Value| PublicKey::from_pem(k["public_key_pem"].as_str().unwrap()).unwrap();
        let keys = keys.as_array().unwrap().iter();
        keys.map(|k| (text(k, "serial_no"), text(k, "public_key_id"), pem(k)))
            .collect()
    }
}

/// One callback the receiver got: its event id and event, after checking
/// the platform signature and decrypting it with the APIv3 key of the
/// merchant its path belongs to (named in the resource's `mchid`).
pub(crate) fn open(
    request: &Recorded,
    keys: &PlatformKeys,
    merchants: &[TestMerchant],
) -> (String, Event) {
    verify_response(&request.headers, &request.body, keys);
    let merchant = match request.path() {
        "/direct" => &merchants[0],
        "/service_provider" => &merchants[1],
        other => panic!("a callback to {other}"),
    };
    let notification = Notification::parse(&request.body).expect("a callback envelope");
    let plain = notification
        .resource
        .open(merchant.apiv3_key.as_bytes())
        .expect("decrypts with the merchant's APIv3 key");
    let resource: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(resource["mchid"], merchant.mchid, "{resource}");
    let apply_id = resource["fapiao_apply_id"].as_str().unwrap().to_owned();
    (notification.id, (notification.event_type, apply_id))
}

/// `(event_type, fapiao_apply_id)`: one callback that is due.
pub(crate) type Event = (String, String);

/// The `FAPIAO.{type}` events of application `id`.
fn events(id: &str, types: &[&str]) -> Vec<Event> {
    types
        .iter()
        .map(|t| (format!("FAPIAO.{t}"), id.to_owned()))
        .collect()
}

/// The event of a callback the control API lists.
fn event_of(callback: &Value) -> Event {
    let text = |v: &Value| v.as_str().unwrap().to_owned();
    (
        text(&callback["event_type"]),
        text(&callback["resource"]["fapiao_apply_id"]),
    )
}

/// The events of a control-API list, sorted.
fn events_of(list: &Value) -> Vec<Event> {
    let mut events: Vec<_> = list.as_array().unwrap().iter().map(event_of).collect();
    events.sort();
    events
}

/// Provisions the direct merchant, the provider with its sub-merchant (their
/// callbacks to `receiver`), card templates, and the title user.
pub(crate) async fn provision(kabao: &Kabao, receiver: &Receiver) -> [TestMerchant; 2] {
    let direct = kabao.merchant(DIRECT, "direct", receiver).await;
    let provider = kabao.merchant(PROVIDER, "service_provider", receiver).await;
    let sub = json!({"mchid": SUB, "kind": "sub_merchant", "parent_mchid": PROVIDER});
    kabao.post("/merchants", sub, 201).await;
    let app = json!({"appid": TITLE_APPID, "role": "merchant"});
    kabao.post("/apps", app, 201).await;
    let user = json!({"appid": TITLE_APPID, "openid": TITLE_OPENID});
    kabao.post("/users", user, 201).await;
    let mut template = json!({"card_appid": CARD_APPID,
        "card_template_information": {"payee_name": "测试商户", "logo_url": "http://mmbiz.qpic.cn/mmbiz/logo/0"}});
    let path = "/v3/new-tax-control-fapiao/card-template";
    let body = Some(template.clone());
    kabao.call(&direct, path, body, 200).await;
    template["sub_mchid"] = json!(SUB);
    kabao.call(&provider, path, Some(template), 200).await;
    [direct, provider]
}

#[tokio::test]
async fn fapiao_crash_callbacks_pending_at_a_sigkill_all_arrive_after_the_restart() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::start().await;
    receiver.reply_by_default(Reply::new(500, ""));
    let kabao = Kabao::start(dir.path()).await;
    let [direct, provider] = provision(&kabao, &receiver).await;
    let one = || vec![fapiao("F", vec![line(11_300)])];

    // A: WITH_WECHATPAY, issued at once (and reversed below).
    let a = kabao.paid_order().await;
    let body_a = Some(classic("WITH_WECHATPAY", &a, one()));
    kabao.call(&direct, ISSUE_PATH, body_a, 202).await;
    // C: WITH_WECHATPAY whose issuing step waits 25 s of kabao's clock.
    let c = kabao.paid_order().await;
    let outcome = json!({"mode": "after_seconds", "seconds": 25});
    let outcome_path = format!("/fapiao/applications/{DIRECT}/{c}/outcome");
    kabao.post(&outcome_path, outcome, 200).await;
    let body_c = Some(classic("WITH_WECHATPAY", &c, one()));
    kabao.call(&direct, ISSUE_PATH, body_c, 202).await;
    // B: WITHOUT_WECHATPAY by the provider for its sub-merchant, after the title.
    let b = "CRASH-NOPAY-B";
    let title_url = format!(
        "/v3/new-tax-control-fapiao/user-title/title-url?sub_mchid={SUB}&fapiao_apply_id={b}&source=WEB&appid={TITLE_APPID}&openid={TITLE_OPENID}&total_amount=11300"
    );
    let link = kabao.call(&provider, &title_url, None, 200).await;
    let title = json!({"type": "INDIVIDUAL", "name": "张三"});
    let title_path = format!("/fapiao/titles/{}", link_key(&link));
    kabao.post(&title_path, title, 200).await;
    let mut body_b = classic("WITHOUT_WECHATPAY", b, one());
    body_b["sub_mchid"] = json!(SUB);
    kabao.call(&provider, ISSUE_PATH, Some(body_b), 202).await;

    let issued = kabao.reaches(DIRECT, &a, "ISSUED", "INSERTED").await;
    let reverse = json!({"reverse_reason": "SALES_RETURN", "fapiao_information": [
        {"fapiao_id": "F", "fapiao_number": issued["blue_fapiao"]["fapiao_number"]}]});
    let reverse_path = format!("{ISSUE_PATH}/{a}/reverse");
    kabao.call(&direct, &reverse_path, Some(reverse), 202).await;
    kabao.reaches(DIRECT, &a, "REVERSED", "DISCARDED").await;
    kabao.reaches(SUB, b, "ISSUED", "INSERTED").await;

    // Every callback so far refused and retried, still pending; C's step waits.
    let issued_and_inserted = ["ISSUED", "CARD_INSERTED"];
    let mut before_kill = [
        events(b, &["USER_APPLIED"]),
        events(b, &issued_and_inserted),
        events(&a, &issued_and_inserted),
        events(&a, &["REVERSED", "CARD_DISCARDED"]),
    ]
    .concat();
    before_kill.sort();
    let retried = |c: &Value| c["attempts"].as_array().unwrap().len() >= 2;
    let all_retried =
        |l: &Value| events_of(l) == before_kill && l.as_array().unwrap().iter().all(retried);
    kabao
        .until("/callbacks?status=pending&limit=100", all_retried)
        .await;
    assert_eq!(kabao.get("/callbacks?status=delivered").await, json!([]));
    let read = kabao
        .get(&format!("/fapiao/applications/{DIRECT}/{c}"))
        .await;
    let waiting = &read["fapiao_information"][0];
    assert_eq!(waiting["status"], "ISSUE_ACCEPTED", "{read}");
    assert!(waiting.get("card_information").is_none(), "{read}");
    assert_eq!(read["pending_steps"][0]["action"], "ISSUE", "{read}");

    kabao.kill().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let refused = receiver.requests().len();
    receiver.reply_by_default(Reply::new(200, ""));

    // Restarted on the same store; 30 s of kabao's clock make every retry
    // and C's step due (less than the 60 s lease, so nothing is sent twice).
    let kabao = Kabao::start(dir.path()).await;
    kabao
        .post("/clock", json!({"advance_seconds": 30}), 200)
        .await;
    let mut expected = [before_kill, events(&c, &issued_and_inserted)].concat();
    expected.sort();
    let all_delivered = |list: &Value| events_of(list) == expected;
    let delivered = kabao
        .until("/callbacks?status=delivered&limit=100", all_delivered)
        .await;
    assert_eq!(kabao.get("/callbacks?status=pending").await, json!([]));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let requests = receiver.requests();
    assert_eq!(requests.len(), refused + 9, "one send per event");

    let keys = kabao.platform_keys().await;
    let merchants = [direct, provider];
    let mut ids: BTreeMap<Event, BTreeSet<String>> = BTreeMap::new();
    let mut after = Vec::new();
    for (i, request) in requests.iter().enumerate() {
        let (id, event) = open(request, &keys, &merchants);
        if i >= refused {
            after.push(event.clone());
        }
        ids.entry(event).or_default().insert(id);
    }
    after.sort();
    assert_eq!(after, expected, "each event once, none lost");
    assert!(ids.keys().all(|k| expected.contains(k)), "{ids:?}");
    for callback in delivered.as_array().unwrap() {
        let sent = &ids[&event_of(callback)];
        assert_eq!(sent.len(), 1, "one event id on every send: {sent:?}");
        let event_id = callback["event_id"].as_str().unwrap();
        assert!(sent.contains(event_id), "{callback}");
        let last = callback["attempts"].as_array().unwrap().last().cloned();
        assert_eq!(last.unwrap()["http_status"], 200, "{callback}");
    }
}
