//! The world the taxi scenario runs in, set up over HTTP the way a service
//! provider would: the provider itself (control API, generated API
//! certificate), then signed `/v3/taxi-invoice/*` calls for one company
//! (T1), its taxi (T3), its driver with name and ID number encrypted with
//! the platform key (T5) and the driver's sign-in (T7), so that every ride
//! paid in the taxi afterwards is a trip order. The trips, files and cards
//! themselves are prepared in [`crate::taxi_prepare`].

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

/// The endpoint under load (T11).
pub const CARDS_PATH: &str = "/v3/taxi-invoice/cards";
/// T10, where each card's PDF is uploaded first.
pub const UPLOAD_PATH: &str = "/v3/taxi-invoice/cards/upload-file";
/// The service provider's mchid.
pub const PROVIDER_MCHID: &str = "1900300001";
/// Shanghai, the region of the official examples.
pub const REGION_ID: i64 = 310100;
/// The passengers' AppID (the official example's).
pub const APPID: &str = "wxb1170446a4c0a5a2";
/// The taxi's plate.
pub const PLATE_NUMBER: &str = "沪A12345";
/// The driver's 营运资格证号.
pub const DRIVER_LICENSE: &str = "6298416";
/// The company's name.
pub const COMPANY_NAME: &str = "上海强生出租汽车";

/// The provider, its signed-in fleet, and what signing as it needs.
pub struct TaxiWorld {
    /// `Host` header.
    pub host: HeaderValue,
    /// The control API's bearer header.
    pub admin: HeaderValue,
    /// `Wechatpay-Serial` of every call: the platform key the driver's fields are encrypted with.
    pub platform_serial: HeaderValue,
    /// The platform's public keys by serial (or `PUB_KEY_ID_…`), to check answers.
    pub platform_keys: Vec<(String, PublicKey)>,
    /// The provider's API certificate serial.
    pub serial: String,
    /// The provider's private key.
    pub key: PrivateKey,
    /// The company's mchid as T1 assigned it.
    pub company_mchid: String,
}

impl TaxiWorld {
    /// Provisions the provider and registers its company, taxi and driver,
    /// and signs the driver in on the taxi now.
    pub async fn provision(kabao: &Kabao, tenants: &Tenants) -> anyhow::Result<Self> {
        let (serial, platform_key) = tenants
            .platform_keys
            .iter()
            .find(|(name, _)| !name.starts_with("PUB_KEY_ID_"))
            .or_else(|| tenants.platform_keys.first())
            .context("kabao lists no platform key")?;
        let mut connection = Connection::open(kabao.addr).await?;
        let admin = HeaderValue::from_str(&format!("Bearer {}", kabao.admin_token))?;
        let host = http::host_header(kabao.addr);
        let spec = json!({"mchid": PROVIDER_MCHID, "name": "kabao-bench taxi provider",
                          "kind": "service_provider", "generate_certificate": true});
        let request = http::request(
            Method::POST,
            &host,
            "/_kabao/api/merchants",
            Some(admin.clone()),
            Bytes::from(spec.to_string()),
        );
        let created = expect_json(
            connection.send(request).await?,
            "creating the provider",
            201,
        )?;
        let text = |pointer: &str| {
            created
                .pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .with_context(|| format!("no {pointer} in the new provider: {created}"))
        };
        let mut world = Self {
            host,
            admin,
            platform_serial: HeaderValue::from_str(serial)?,
            platform_keys: tenants.platform_keys.clone(),
            serial: text("/certificates/0/serial_no")?,
            key: PrivateKey::from_pem(&text("/generated_private_key_pem")?)?,
            company_mchid: String::new(),
        };
        let company = world
            .call(
                &mut connection,
                "/v3/taxi-invoice/taxi-company/create-taxi-company",
                200,
                &json!({
                "company_name": COMPANY_NAME, "tax_id": "12345678901234567J",
                "address": "上海市静安区南京西路1号", "phone": "02162580000",
                "bank_name": "中国工商银行上海分行", "bank_account": "12345678901234",
                "invoice_mode": "JIAO_WEI", "legal_person": "张三", "short_name": "强生出租",
                "region_id": REGION_ID, "enterprise_type": "ENTERPRISE"}),
            )
            .await?;
        world.company_mchid = company["mchid"]
            .as_str()
            .with_context(|| format!("no mchid in the new company: {company}"))?
            .to_owned();
        let company_mchid = world.company_mchid.clone();
        world
            .call(
                &mut connection,
                "/v3/taxi-invoice/taxi/update-taxi",
                200,
                &json!({
                "plate_number": PLATE_NUMBER, "company_name": COMPANY_NAME,
                "mchid": company_mchid, "main_license": "3101001234",
                "deputy_license": "3101005678", "region_id": REGION_ID,
                "invoice_flag": "INVOICE", "taxi_state": "IN_OPERATION"}),
            )
            .await?;
        let sealed = |plain: &str| platform_key.encrypt_oaep_sha1_b64(plain.as_bytes());
        world
            .call(
                &mut connection,
                "/v3/taxi-invoice/driver/update-driver",
                200,
                &json!({
                "driver_name": sealed("王师傅")?, "id_card_number": sealed("310101198001010011")?,
                "company_name": COMPANY_NAME, "mchid": company_mchid,
                "driver_license": DRIVER_LICENSE, "driver_category": "MAIN",
                "driver_status": "ON_DUTY", "region_id": REGION_ID}),
            )
            .await?;
        world
            .call(
                &mut connection,
                "/v3/taxi-invoice/attendance/punch",
                204,
                &json!({
                "plate_number": PLATE_NUMBER, "driver_license": DRIVER_LICENSE,
                "event_time": beijing_now_ms(), "event_type": "SIGN_IN", "region_id": REGION_ID}),
            )
            .await?;
        Ok(world)
    }

    /// A signed JSON call (signed now) that must answer `status`; its JSON
    /// (`null` when empty), the answer's signature checked.
    async fn call(
        &self,
        connection: &mut Connection,
        path: &str,
        status: u16,
        body: &Value,
    ) -> anyhow::Result<Value> {
        let body = Bytes::from(body.to_string());
        let authorization =
            self.authorization("POST", path, &body, crate::fapiao_world::unix_now());
        let reply = connection
            .send(self.request(Method::POST, path, authorization, body))
            .await?;
        crate::scenario::verify_response_signature(&reply, &self.platform_keys)
            .with_context(|| format!("the answer of {path}"))?;
        expect_json(reply, path, status)
    }

    /// The provider's `Authorization` for one request, signed at `now`.
    pub fn authorization(&self, method: &str, path: &str, body: &[u8], now: i64) -> HeaderValue {
        let nonce = random_hex(32).to_ascii_uppercase();
        let header = AuthorizationHeader::sign(
            &self.key,
            PROVIDER_MCHID,
            &self.serial,
            method,
            path,
            now,
            &nonce,
            body,
        );
        HeaderValue::from_str(&header.to_header_value()).expect("an Authorization header is ASCII")
    }

    /// A JSON request with a given `Authorization`, `Wechatpay-Serial` and `Accept`.
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

    /// The taxi fapiao cards of `openid` as the control API lists them.
    pub async fn cards_of(&self, addr: SocketAddr, openid: &str) -> anyhow::Result<Vec<Value>> {
        let path = format!("/_kabao/api/taxi/cards?openid={openid}");
        let request = http::request(
            Method::GET,
            &self.host,
            &path,
            Some(self.admin.clone()),
            Bytes::new(),
        );
        let reply = Connection::open(addr).await?.send(request).await?;
        let listed = expect_json(reply, &path, 200)?;
        listed["cards"]
            .as_array()
            .cloned()
            .with_context(|| format!("no cards list in {path}'s answer"))
    }
}

/// The answer's JSON (`null` when empty) if its status is `status`.
pub(crate) fn expect_json(reply: Reply, what: &str, status: u16) -> anyhow::Result<Value> {
    ensure!(
        reply.status == status,
        "{what} answered {} (not {status}): {}",
        reply.status,
        reply.snippet(300)
    );
    if reply.body.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&reply.body).with_context(|| format!("{what} did not answer JSON"))
}

/// Now as a punch's `event_time`: RFC 3339 in Beijing time with
/// milliseconds, as the official example writes it.
fn beijing_now_ms() -> String {
    let now = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+8));
    now.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]+08:00"
    ))
    .expect("a current time formats")
}
