//! The Official Account world the `/card/invoice/insert` scenario runs in,
//! set up over HTTP against the running kabao the way an invoicing platform
//! and a merchant would: apps and users through the control API, tokens,
//! `seturl`, `createcard`, the merchant's contact and `wx_card` ticket; then,
//! for every insert to come, one uploaded PDF (`platform/setpdf`), one order
//! (`getauthurl`) and the user's authorisation of it (control API), so that
//! each insert of the load is a new card: a distinct body, its own order,
//! its own unused PDF and a unique `billing_no`.

use crate::http::{self, Connection, Reply};
use crate::server::Kabao;
use anyhow::{bail, ensure, Context as _};
use bytes::Bytes;
use hyper::header::HeaderValue;
use hyper::{Method, StatusCode};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use crate::card_flow::{CardFlow, MERCHANT_APPID, PLATFORM_APPID};
/// Users of the merchant; orders go to them in turn.
pub const USERS: usize = 8;
/// `fee` of every invoice, in fen: `fee_without_tax` + `tax`.
pub const FEE: i64 = 1130;
/// A multipart boundary that no PDF below contains.
const BOUNDARY: &str = "kabao-bench-7d2f1c9a4e";
/// Attempts at one authorisation that kabao answers with HTTP 500.
const AUTHORIZE_ATTEMPTS: u32 = 50;

/// The tenants, tokens and template of the insert scenario.
#[derive(Debug, Clone)]
pub struct OaWorld {
    /// Which seed endpoint the world inserts through (and so which apps it has).
    pub flow: CardFlow,
    /// `Host` header.
    pub host: HeaderValue,
    /// The control API's bearer header.
    pub admin: HeaderValue,
    /// The inserting app's access token (inserts, setpdf): the platform's or the bureau's.
    pub platform_token: String,
    /// The holder's access token (getauthurl): the merchant's or the collecting unit's.
    pub merchant_token: String,
    /// The platform's `s_pappid` from seturl.
    pub s_pappid: String,
    /// The invoice template from createcard.
    pub card_id: String,
    /// The merchant's `wx_card` api_ticket.
    pub ticket: String,
    /// The merchant's users.
    pub openids: Vec<String>,
}

/// One insert ready to send: its order, the user who authorised it, its body.
#[derive(Debug, Clone)]
pub struct PreparedInsert {
    /// The merchant's order id.
    pub order_id: String,
    /// The user who authorised the order (the card's owner).
    pub openid: String,
    /// The exact `/card/invoice/insert` body.
    pub body: Bytes,
}

/// A batch of prepared inserts and what preparing them took.
#[derive(Debug)]
pub struct Prepared {
    /// The inserts, in order of their numbers.
    pub inserts: Vec<PreparedInsert>,
    /// Wall time of the whole preparation.
    pub elapsed: Duration,
    /// Authorisations that kabao answered with HTTP 500 and that were sent again.
    pub authorize_retries: u64,
}

/// A keep-alive connection that makes setup calls and checks their answers.
struct Caller {
    addr: SocketAddr,
    connection: Option<Connection>,
}

impl Caller {
    fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            connection: None,
        }
    }

    /// Sends `request` on the kept connection (opened on first use, reopened after a failure).
    async fn send(
        &mut self,
        request: hyper::Request<http_body_util::Full<Bytes>>,
    ) -> anyhow::Result<Reply> {
        if self.connection.is_none() {
            self.connection = Some(Connection::open(self.addr).await?);
        }
        let sent = self
            .connection
            .as_mut()
            .expect("opened above")
            .send(request)
            .await;
        if sent.is_err() {
            self.connection = None;
        }
        sent
    }

    /// An Official Account call: HTTP 200 and `errcode` 0 (or none, as `/cgi-bin/token` answers).
    async fn oa(
        &mut self,
        host: &HeaderValue,
        method: Method,
        path: &str,
        content_type: Option<HeaderValue>,
        body: Bytes,
    ) -> anyhow::Result<Value> {
        let request = http::request_with_type(method, host, path, None, content_type, body);
        let reply = self.send(request).await?;
        let value: Value = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
        let errcode = value.get("errcode").map_or(Some(0), Value::as_i64);
        ensure!(
            reply.status == StatusCode::OK && value.is_object() && errcode == Some(0),
            "{} answered {}: {}",
            without_query(path),
            reply.status,
            reply.snippet(300)
        );
        Ok(value)
    }

    /// A JSON `POST` to an Official Account path.
    async fn oa_post(
        &mut self,
        host: &HeaderValue,
        path: &str,
        body: &Value,
    ) -> anyhow::Result<Value> {
        let json = HeaderValue::from_static("application/json");
        self.oa(
            host,
            Method::POST,
            path,
            Some(json),
            Bytes::from(body.to_string()),
        )
        .await
    }

    /// A control-API call that must answer 2xx.
    async fn admin(
        &mut self,
        host: &HeaderValue,
        bearer: &HeaderValue,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Value> {
        let reply = self
            .admin_reply(host, bearer, method.clone(), path, body)
            .await?;
        ensure!(
            reply.status.is_success(),
            "{method} {path} answered {}: {}",
            reply.status,
            reply.snippet(300)
        );
        serde_json::from_slice(&reply.body).with_context(|| format!("{path} did not answer JSON"))
    }

    /// A control-API call, whatever it answers.
    async fn admin_reply(
        &mut self,
        host: &HeaderValue,
        bearer: &HeaderValue,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Reply> {
        let body = body.map(|b| Bytes::from(b.to_string())).unwrap_or_default();
        let request = http::request(method, host, path, Some(bearer.clone()), body);
        self.send(request).await
    }
}

/// `path` without its query (which may hold an access token), for messages.
fn without_query(path: &str) -> &str {
    path.split('?').next().unwrap_or(path)
}

fn text(value: &Value, pointer: &str) -> anyhow::Result<String> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .with_context(|| format!("no {pointer} in {value}"))
}

impl OaWorld {
    /// The invoice world: see [`OaWorld::provision_flow`].
    pub async fn provision(kabao: &Kabao) -> anyhow::Result<Self> {
        Self::provision_flow(kabao, CardFlow::Invoice).await
    }

    /// Creates the inserting app (platform or bureau) and the holder
    /// (merchant or collecting unit) with its users, fetches their tokens,
    /// sets the inserting app's URL, creates the card template, sets the
    /// holder's contact and fetches its ticket.
    pub async fn provision_flow(kabao: &Kabao, flow: CardFlow) -> anyhow::Result<Self> {
        let host = http::host_header(kabao.addr);
        let admin = HeaderValue::from_str(&format!("Bearer {}", kabao.admin_token))?;
        let mut caller = Caller::new(kabao.addr);
        let mut tokens = Vec::new();
        let holder = flow.holder().0;
        for (appid, role) in [flow.issuer(), flow.holder()] {
            let app = caller
                .admin(
                    &host,
                    &admin,
                    Method::POST,
                    "/_kabao/api/apps",
                    Some(&json!({"appid": appid, "role": role, "name": format!("kabao-bench {role}")})),
                )
                .await?;
            let secret = text(&app, "/secret")?;
            let token = caller
                .oa(
                    &host,
                    Method::GET,
                    &format!(
                        "/cgi-bin/token?grant_type=client_credential&appid={appid}&secret={secret}"
                    ),
                    None,
                    Bytes::new(),
                )
                .await?;
            tokens.push(text(&token, "/access_token")?);
        }
        let [platform_token, merchant_token]: [String; 2] = tokens.try_into().expect("two apps");
        let mut openids = Vec::with_capacity(USERS);
        for i in 0..USERS {
            let user = caller
                .admin(
                    &host,
                    &admin,
                    Method::POST,
                    "/_kabao/api/users",
                    Some(&json!({"appid": holder, "name": format!("bench user {i}")})),
                )
                .await?;
            openids.push(text(&user, "/openid")?);
        }

        let url = caller
            .oa_post(
                &host,
                &format!("/card/invoice/seturl?access_token={platform_token}"),
                &json!({}),
            )
            .await?;
        let invoice_url = text(&url, "/invoice_url")?;
        let Some((_, s_pappid)) = invoice_url.split_once("s_pappid=") else {
            bail!("seturl answered an invoice_url without s_pappid: {invoice_url}");
        };
        let s_pappid = s_pappid.split('&').next().unwrap_or_default().to_owned();
        let (create_path, create_body) = flow.create_card();
        let card = caller
            .oa_post(
                &host,
                &format!("{create_path}?access_token={platform_token}"),
                &create_body,
            )
            .await?;
        let card_id = text(&card, "/card_id")?;
        caller
            .oa_post(
                &host,
                &format!(
                    "/card/invoice/setbizattr?action=set_contact&access_token={merchant_token}"
                ),
                &json!({"contact": {"phone": "13800000000", "time_out": 7200}}),
            )
            .await?;
        let ticket = caller
            .oa(
                &host,
                Method::GET,
                &format!("/cgi-bin/ticket/getticket?type=wx_card&access_token={merchant_token}"),
                None,
                Bytes::new(),
            )
            .await?;
        let ticket = text(&ticket, "/ticket")?;
        Ok(Self {
            flow,
            host,
            admin,
            platform_token,
            merchant_token,
            s_pappid,
            card_id,
            ticket,
            openids,
        })
    }

    /// Prepares inserts number `first .. first + count` with `concurrency`
    /// setup chains in flight, each on its own keep-alive connection (chain
    /// `i` to `addrs[i % len]`). Any failed setup call fails the whole
    /// preparation.
    pub async fn prepare(
        self: &Arc<Self>,
        addrs: &[SocketAddr],
        first: u64,
        count: usize,
        concurrency: usize,
        authorize_concurrency: usize,
    ) -> anyhow::Result<Prepared> {
        let started = Instant::now();
        let next = Arc::new(AtomicUsize::new(0));
        let retries = Arc::new(AtomicU64::new(0));
        let authorizing = Arc::new(tokio::sync::Semaphore::new(authorize_concurrency.max(1)));
        let mut tasks = tokio::task::JoinSet::new();
        for chain in 0..concurrency.clamp(1, count.max(1)) {
            let addr = crate::load::spread(addrs, chain);
            let (world, next, retries) = (self.clone(), next.clone(), retries.clone());
            let authorizing = authorizing.clone();
            tasks.spawn(async move {
                let mut caller = Caller::new(addr);
                let mut done = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        return Ok::<_, anyhow::Error>(done);
                    }
                    let number = first + i as u64;
                    let prepared = world
                        .prepare_one(&mut caller, number, &retries, &authorizing)
                        .await?;
                    done.push((i, prepared));
                }
            });
        }
        let mut numbered = Vec::with_capacity(count);
        while let Some(joined) = tasks.join_next().await {
            match joined.context("a setup task failed")? {
                Ok(done) => numbered.extend(done),
                Err(e) => {
                    tasks.abort_all();
                    return Err(e.context("preparing the inserts failed"));
                }
            }
        }
        numbered.sort_unstable_by_key(|(i, _)| *i);
        Ok(Prepared {
            inserts: numbered.into_iter().map(|(_, p)| p).collect(),
            elapsed: started.elapsed(),
            authorize_retries: retries.load(Ordering::Relaxed),
        })
    }

    /// setpdf, getauthurl and the user's authorisation for insert `number`.
    async fn prepare_one(
        &self,
        caller: &mut Caller,
        number: u64,
        retries: &AtomicU64,
        authorizing: &tokio::sync::Semaphore,
    ) -> anyhow::Result<PreparedInsert> {
        let uploaded = caller
            .oa(
                &self.host,
                Method::POST,
                &format!(
                    "/card/invoice/platform/setpdf?access_token={}",
                    self.platform_token
                ),
                Some(HeaderValue::from_str(&format!(
                    "multipart/form-data; boundary={BOUNDARY}"
                ))?),
                multipart_pdf(number),
            )
            .await?;
        let s_media_id = text(&uploaded, "/s_media_id")?;

        let order_id = format!("kabao-bench-{number:010}");
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let (auth_path, auth_body) =
            self.flow
                .auth_url(&self.s_pappid, &order_id, &self.ticket, now);
        caller
            .oa_post(
                &self.host,
                &format!("{auth_path}?access_token={}", self.merchant_token),
                &auth_body,
            )
            .await?;
        let openid = self.openids[number as usize % self.openids.len()].clone();
        {
            let _turn = authorizing.acquire().await?;
            self.authorize(caller, &order_id, &openid, retries).await?;
        }

        let body = self
            .flow
            .body(&order_id, &self.card_id, &s_media_id, number);
        Ok(PreparedInsert {
            order_id,
            openid,
            body,
        })
    }

    /// The user's authorisation of `order_id` through the control API.
    ///
    /// An HTTP 500 (the store failing) is sent again, up to
    /// [`AUTHORIZE_ATTEMPTS`] times, and counted in the report, where it
    /// should read 0. A 409 "already authorised" after such a retry means
    /// the failed attempt was committed after all.
    async fn authorize(
        &self,
        caller: &mut Caller,
        order_id: &str,
        openid: &str,
        retries: &AtomicU64,
    ) -> anyhow::Result<()> {
        let body = json!({"appid": self.flow.holder().0, "order_id": order_id, "openid": openid});
        let path = "/_kabao/api/oa/authorizations";
        for attempt in 1..=AUTHORIZE_ATTEMPTS {
            let reply = caller
                .admin_reply(&self.host, &self.admin, Method::POST, path, Some(&body))
                .await?;
            match reply.status {
                StatusCode::OK => return Ok(()),
                StatusCode::CONFLICT if attempt > 1 => return Ok(()),
                StatusCode::INTERNAL_SERVER_ERROR if attempt < AUTHORIZE_ATTEMPTS => {
                    retries.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(u64::from(attempt))).await;
                }
                status => bail!(
                    "POST {path} answered {status} (attempt {attempt}): {}",
                    reply.snippet(300)
                ),
            }
        }
        unreachable!("the last attempt returns or bails")
    }
}

/// A 数电 (fully digital) invoice: empty `billing_code` and a 20-digit
/// `billing_no` unique to `number`, so that no rule warns and no two inserts
/// collide on (billing_code, billing_no).
pub fn insert_body(order_id: &str, card_id: &str, s_media_id: &str, number: u64) -> Bytes {
    let billing_no = format!("{}", 10_000_000_000_000_000_000u64 + number);
    debug_assert_eq!(billing_no.len(), 20);
    let body = json!({
        "order_id": order_id,
        "card_id": card_id,
        "appid": MERCHANT_APPID,
        "card_ext": {
            "nonce_str": format!("kb{number:016x}"),
            "user_card": {"invoice_user_data": {
                "fee": FEE, "title": "kabao-bench 测试", "billing_time": 1_700_000_000,
                "billing_no": billing_no, "billing_code": "",
                "fee_without_tax": 1000, "tax": 130, "s_pdf_media_id": s_media_id,
                "info": [{"name": "x", "num": 1, "unit": "个", "price": 1000}]
            }}
        }
    });
    Bytes::from(body.to_string())
}

/// A small PDF (its own text names `number`) as the one `pdf` part of a multipart body.
fn multipart_pdf(number: u64) -> Bytes {
    let pdf = format!(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj \
         3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n% kabao-bench invoice {number}\n\
         trailer<</Root 1 0 R>>\n%%EOF\n"
    );
    Bytes::from(format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"pdf\"; filename=\"invoice.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n{pdf}\r\n--{BOUNDARY}--\r\n"
    ))
}

/// Waits until kabao uses less than 5% of a CPU over two 250 ms windows in
/// a row (the event pushes that authorisations queue are worked off in the
/// background), at most `limit`; returns how long it waited and whether it
/// got there.
pub async fn wait_until_idle(
    kabao: &Kabao,
    ticks: crate::procstat::TicksPerSecond,
    limit: Duration,
) -> anyhow::Result<(Duration, bool)> {
    let started = Instant::now();
    let window = Duration::from_millis(250);
    let mut quiet = 0;
    let mut before = kabao.cpu(ticks)?;
    while started.elapsed() < limit {
        tokio::time::sleep(window).await;
        let now = kabao.cpu(ticks)?;
        let used = now.saturating_sub(before);
        before = now;
        quiet = if used.as_secs_f64() < window.as_secs_f64() * 0.05 {
            quiet + 1
        } else {
            0
        };
        if quiet >= 2 {
            return Ok((started.elapsed(), true));
        }
    }
    Ok((started.elapsed(), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_distinct_digital_invoices() {
        let a = insert_body("o1", "card", "m1", 0);
        let b = insert_body("o2", "card", "m2", 1);
        assert_ne!(a, b);
        let v: Value = serde_json::from_slice(&a).unwrap();
        let data = &v["card_ext"]["user_card"]["invoice_user_data"];
        assert_eq!(data["billing_no"], "10000000000000000000");
        assert_eq!(data["billing_code"], "");
        assert_eq!(
            data["fee"].as_i64(),
            Some(data["fee_without_tax"].as_i64().unwrap() + data["tax"].as_i64().unwrap())
        );
        let v: Value = serde_json::from_slice(&b).unwrap();
        let data = &v["card_ext"]["user_card"]["invoice_user_data"];
        assert_eq!(data["billing_no"], "10000000000000000001");
    }

    #[test]
    fn the_pdf_part_is_named_pdf_and_starts_with_the_magic() {
        let body = multipart_pdf(7);
        let text = std::str::from_utf8(&body).unwrap();
        assert!(text.starts_with(&format!("--{BOUNDARY}\r\n")));
        assert!(text.contains("name=\"pdf\""));
        assert!(text.contains("\r\n\r\n%PDF-1.4"));
        assert!(text.ends_with(&format!("--{BOUNDARY}--\r\n")));
        assert_eq!(text.matches(BOUNDARY).count(), 2);
    }
}
