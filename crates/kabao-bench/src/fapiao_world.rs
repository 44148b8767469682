//! The world the fapiao scenario runs in, set up over HTTP the way a
//! merchant would: direct merchants with generated API certificates and a
//! `callback_url` (control API), each with a card template (signed
//! `POST /v3/new-tax-control-fapiao/card-template`) and an outcome for its
//! applications (control API). The applications themselves are prepared in
//! [`crate::fapiao_prepare`].

use crate::http::{self, Connection, Reply};
use crate::server::{random_hex, Kabao, Tenants};
use anyhow::{ensure, Context as _};
use bytes::Bytes;
use http_body_util::Full;
use hyper::header::HeaderValue;
use hyper::{Method, Request};
use kabao_protocol::auth::AuthorizationHeader;
use kabao_protocol::rsa::{PrivateKey, PublicKey};
use serde_json::{json, Value};
use std::net::SocketAddr;

/// The endpoint under load.
pub const APPLICATIONS_PATH: &str = "/v3/new-tax-control-fapiao/fapiao-applications";
/// The one line's tax code (in the table kabao ships, rate 13%).
pub const TAX_CODE: &str = "3010101020203000000";
/// The line's and the fapiao's tax-included total, fen; also each order's amount.
pub const TOTAL_AMOUNT: i64 = 429_900;
/// The line's tax rate, 1/10000.
pub const TAX_RATE: i64 = 1300;
/// The card template's app.
pub const CARD_APPID: &str = "wxbenchfapiao0001";

/// How the asynchronous steps of a merchant's applications end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Only when released through the control API (never, in the bench).
    Held,
    /// As soon as they are scheduled.
    Immediate,
}

impl Outcome {
    /// The control API's `mode`.
    pub fn mode(self) -> &'static str {
        match self {
            Outcome::Held => "manual",
            Outcome::Immediate => "immediate",
        }
    }
}

/// One merchant and what signing as it needs.
pub struct FapiaoMerchant {
    /// The mchid.
    pub mchid: String,
    /// Its API certificate serial.
    pub serial: String,
    /// Its private key.
    pub key: PrivateKey,
    /// Its APIv3 key (callbacks are sealed with it).
    pub apiv3_key: String,
}

/// A group of merchants with one outcome.
pub struct FapiaoWorld {
    /// `Host` header.
    pub host: HeaderValue,
    /// The control API's bearer header.
    pub admin: HeaderValue,
    /// `Wechatpay-Serial` of every application: the platform key kabao lists first.
    pub platform_serial: HeaderValue,
    /// The platform's public keys by serial (or `PUB_KEY_ID_…`).
    pub platform_keys: Vec<(String, PublicKey)>,
    /// The merchants; application `n` goes to merchant `n % len`.
    pub merchants: Vec<FapiaoMerchant>,
    /// Their outcome.
    pub outcome: Outcome,
}

/// One application ready to send.
#[derive(Debug, Clone)]
pub struct PreparedApplication {
    /// Index of its merchant in [`FapiaoWorld::merchants`].
    pub merchant: usize,
    /// Its paid order's `transaction_id`.
    pub fapiao_apply_id: String,
    /// The pre-signed `Authorization` value.
    pub authorization: HeaderValue,
    /// The exact body.
    pub body: Bytes,
}

impl FapiaoWorld {
    /// Creates `count` merchants numbered from `first_mchid`, each with a
    /// card template, its callbacks going to `callback_base/{mchid}`, its
    /// applications ending by `outcome`.
    pub async fn provision(
        kabao: &Kabao,
        tenants: &Tenants,
        first_mchid: u64,
        count: usize,
        callback_base: &str,
        outcome: Outcome,
    ) -> anyhow::Result<Self> {
        let (serial, _) = tenants
            .platform_keys
            .iter()
            .find(|(name, _)| !name.starts_with("PUB_KEY_ID_"))
            .or_else(|| tenants.platform_keys.first())
            .context("kabao lists no platform key")?;
        let mut world = Self {
            host: http::host_header(kabao.addr),
            admin: HeaderValue::from_str(&format!("Bearer {}", kabao.admin_token))?,
            platform_serial: HeaderValue::from_str(serial)?,
            platform_keys: tenants.platform_keys.clone(),
            merchants: Vec::with_capacity(count),
            outcome,
        };
        let mut connection = Connection::open(kabao.addr).await?;
        for n in 0..count as u64 {
            let mchid = (first_mchid + n).to_string();
            let spec = json!({"mchid": mchid, "name": format!("kabao-bench fapiao {mchid}"),
                              "generate_certificate": true,
                              "callback_url": format!("{callback_base}/{mchid}")});
            let created = world
                .admin_call(
                    &mut connection,
                    Method::POST,
                    "/_kabao/api/merchants",
                    &spec,
                )
                .await?;
            let text = |pointer: &str| {
                created
                    .pointer(pointer)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .with_context(|| format!("no {pointer} in the new merchant {mchid}"))
            };
            world.merchants.push(FapiaoMerchant {
                key: PrivateKey::from_pem(&text("/generated_private_key_pem")?)?,
                serial: text("/certificates/0/serial_no")?,
                apiv3_key: text("/apiv3_key")?,
                mchid: mchid.clone(),
            });
            let template = json!({"card_appid": CARD_APPID, "card_template_information": {
                "payee_name": "kabao-bench", "logo_url": "https://kabao.invalid/logo.png",
                "custom_cell": {"words": "kabao-bench", "description": "benchmark"}}});
            let i = world.merchants.len() - 1;
            let body = Bytes::from(template.to_string());
            let path = "/v3/new-tax-control-fapiao/card-template";
            let request = world.signed_request(i, Method::POST, path, body, unix_now());
            let reply = connection.send(request).await?;
            ensure!(
                reply.status == 200,
                "card-template of {mchid} answered {}: {}",
                reply.status,
                reply.snippet(300)
            );
            let outcome = json!({"mode": outcome.mode()});
            let path = format!("/_kabao/api/fapiao/outcomes/{mchid}");
            world
                .admin_call(&mut connection, Method::PUT, &path, &outcome)
                .await?;
        }
        Ok(world)
    }

    /// A control-API call that must answer 2xx with JSON.
    pub(crate) async fn admin_call(
        &self,
        connection: &mut Connection,
        method: Method,
        path: &str,
        body: &Value,
    ) -> anyhow::Result<Value> {
        let body = Bytes::from(body.to_string());
        let request = http::request(
            method.clone(),
            &self.host,
            path,
            Some(self.admin.clone()),
            body,
        );
        let reply = connection.send(request).await?;
        ensure!(
            reply.status.is_success(),
            "{method} {path} answered {}: {}",
            reply.status,
            reply.snippet(300)
        );
        Ok(serde_json::from_slice(&reply.body).unwrap_or(Value::Null))
    }

    /// A request signed now by merchant `merchant`, with `Wechatpay-Serial`
    /// and `Accept` as the seed sends them.
    pub fn signed_request(
        &self,
        merchant: usize,
        method: Method,
        path: &str,
        body: Bytes,
        now: i64,
    ) -> Request<Full<Bytes>> {
        let authorization = self.authorization(merchant, method.as_str(), path, &body, now);
        self.request(method, path, authorization, body)
    }

    pub(crate) fn authorization(
        &self,
        merchant: usize,
        method: &str,
        path: &str,
        body: &[u8],
        now: i64,
    ) -> HeaderValue {
        let m = &self.merchants[merchant];
        let nonce = random_hex(32).to_ascii_uppercase();
        let header =
            AuthorizationHeader::sign(&m.key, &m.mchid, &m.serial, method, path, now, &nonce, body);
        HeaderValue::from_str(&header.to_header_value()).expect("an Authorization header is ASCII")
    }

    /// A request with a given `Authorization`, `Wechatpay-Serial` and `Accept`.
    pub fn request(
        &self,
        method: Method,
        path: &str,
        authorization: HeaderValue,
        body: Bytes,
    ) -> Request<Full<Bytes>> {
        let mut request = http::request(method, &self.host, path, Some(authorization), body);
        let headers = request.headers_mut();
        headers.insert("Wechatpay-Serial", self.platform_serial.clone());
        headers.insert(
            hyper::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        request
    }

    /// Sends one prepared application on a fresh connection.
    pub async fn send(
        &self,
        addr: SocketAddr,
        application: &PreparedApplication,
    ) -> anyhow::Result<Reply> {
        let request = self.request(
            Method::POST,
            APPLICATIONS_PATH,
            application.authorization.clone(),
            application.body.clone(),
        );
        Connection::open(addr).await?.send(request).await
    }

    /// F15: the application as its merchant queries it (signed now).
    pub async fn query(
        &self,
        addr: SocketAddr,
        merchant: usize,
        fapiao_apply_id: &str,
    ) -> anyhow::Result<Value> {
        let path = format!("{APPLICATIONS_PATH}/{fapiao_apply_id}");
        let request = self.signed_request(merchant, Method::GET, &path, Bytes::new(), unix_now());
        let reply = Connection::open(addr).await?.send(request).await?;
        ensure!(
            reply.status == 200,
            "querying {fapiao_apply_id} answered {}: {}",
            reply.status,
            reply.snippet(300)
        );
        crate::scenario::verify_response_signature(&reply, &self.platform_keys)?;
        serde_json::from_slice(&reply.body).context("the query answer is not JSON")
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
