//! Preparing taxi cards before a load: for each, one ride paid in the
//! signed-in taxi (control API, so it is a trip order with its own token),
//! one fapiao PDF of its own uploaded through T10 (signed multipart, SM3
//! digest in the meta), and the T11 request that inserts it, signed in
//! advance so that the load generator signs nothing while it measures.

use crate::fapiao_world::unix_now;
use crate::http::{self, Connection, Reply};
use crate::report::TaxiSetup;
use crate::taxi_world::{
    expect_json, TaxiWorld, APPID, CARDS_PATH, PLATE_NUMBER, PROVIDER_MCHID, REGION_ID, UPLOAD_PATH,
};
use anyhow::Context as _;
use bytes::Bytes;
use http_body_util::Full;
use hyper::header::HeaderValue;
use hyper::{Method, Request};
use serde_json::json;
use sm3::{Digest as _, Sm3};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Passengers of one load; card `i` is user `i % USERS`'s.
pub const USERS: usize = 64;
/// A multipart boundary that no part below contains.
const BOUNDARY: &str = "kabao-bench-taxi-5c1e9b0d";

/// One T11 request ready to send, and what it should create.
#[derive(Debug, Clone)]
pub struct PreparedCard {
    /// The passenger.
    pub openid: String,
    /// The trip order's token.
    pub token: String,
    /// The uploaded PDF.
    pub media_id: String,
    /// The fapiao's number (unique in the run).
    pub fapiao_number: String,
    /// The pre-signed `Authorization` value.
    pub authorization: HeaderValue,
    /// The exact body.
    pub body: Bytes,
}

/// Builds one request of a setup step from its index.
type MakeRequest = Arc<dyn Fn(usize) -> Request<Full<Bytes>> + Send + Sync>;

/// The passenger of card `i` of load `run`.
pub fn openid(run: usize, i: usize) -> String {
    format!("obenchtaxi{run:02}u{:03}", i % USERS)
}

impl TaxiWorld {
    /// Prepares `count` cards for load `run`, numbered from `first_number`,
    /// with `concurrency` keep-alive connections per setup step; each step
    /// signs its requests just before it sends them.
    pub async fn prepare(
        self: &Arc<Self>,
        addr: SocketAddr,
        run: usize,
        first_number: u64,
        count: usize,
        concurrency: usize,
    ) -> anyhow::Result<(Vec<PreparedCard>, TaxiSetup)> {
        let started = Instant::now();
        let world = self.clone();
        let make: MakeRequest = Arc::new(move |i| {
            let ride = json!({"provider_mchid": PROVIDER_MCHID, "region_id": REGION_ID,
                              "plate_number": PLATE_NUMBER, "appid": APPID,
                              "openid": openid(run, i), "amount": 5450});
            let body = Bytes::from(ride.to_string());
            let path = "/_kabao/api/taxi/rides";
            http::request(
                Method::POST,
                &world.host,
                path,
                Some(world.admin.clone()),
                body,
            )
        });
        let tokens = each(addr, count, concurrency, make, |reply| {
            let ride = expect_json(reply, "POST /_kabao/api/taxi/rides", 201)?;
            ride.pointer("/trip_order/token")
                .and_then(|t| t.as_str())
                .map(str::to_owned)
                .with_context(|| format!("the ride is not a trip order: {ride}"))
        })
        .await
        .context("recording rides")?;
        let rides_secs = started.elapsed().as_secs_f64();

        let started = Instant::now();
        let now = unix_now();
        let uploads = on_every_cpu(count, |i| self.upload(first_number + i as u64, now));
        let world = self.clone();
        let make: MakeRequest = Arc::new(move |i| {
            let (authorization, body) = uploads[i].clone();
            world.upload_request(authorization, body)
        });
        let media_ids = each(addr, count, concurrency, make, |reply| {
            let answer = expect_json(reply, UPLOAD_PATH, 200)?;
            answer["fapiao_media_id"]
                .as_str()
                .map(str::to_owned)
                .with_context(|| format!("no fapiao_media_id in {answer}"))
        })
        .await
        .context("uploading fapiao files")?;
        let uploads_secs = started.elapsed().as_secs_f64();

        let started = Instant::now();
        let now = unix_now();
        let cards = on_every_cpu(count, |i| {
            let number = first_number + i as u64;
            let openid = openid(run, i);
            let fapiao_number = format!("{:08}", number % 100_000_000);
            let body = card_body(
                &self.company_mchid,
                &tokens[i],
                &openid,
                &media_ids[i],
                &fapiao_number,
            );
            PreparedCard {
                authorization: self.authorization("POST", CARDS_PATH, &body, now),
                openid,
                token: tokens[i].clone(),
                media_id: media_ids[i].clone(),
                fapiao_number,
                body,
            }
        });
        let setup = TaxiSetup {
            cards: count,
            rides_secs,
            uploads_secs,
            presign_secs: started.elapsed().as_secs_f64(),
            idle_wait_secs: 0.0,
        };
        Ok((cards, setup))
    }

    /// The `Authorization` and multipart body of the T10 request uploading
    /// fapiao `number`'s own PDF, signed at `now` over its meta (as the SDKs
    /// sign uploads).
    fn upload(&self, number: u64, now: i64) -> (HeaderValue, Bytes) {
        let pdf = format!(
            "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj \
             3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n% kabao-bench taxi fapiao {number}\n\
             trailer<</Root 1 0 R>>\n%%EOF\n"
        );
        let digest: String = Sm3::digest(pdf.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let meta = json!({"company_mchid": self.company_mchid, "digest": digest,
                          "digest_algorithm": "DIGEST_ALGORITHM_SM3", "region_id": REGION_ID})
        .to_string();
        let authorization = self.authorization("POST", UPLOAD_PATH, meta.as_bytes(), now);
        let body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"meta\";\r\nContent-Type: application/json\r\n\r\n{meta}\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"taxi.pdf\"\r\nContent-Type: application/pdf\r\n\r\n{pdf}\r\n\
             --{BOUNDARY}--\r\n"
        );
        (authorization, Bytes::from(body))
    }

    /// A T10 request with its `Authorization` and multipart body.
    fn upload_request(&self, authorization: HeaderValue, body: Bytes) -> Request<Full<Bytes>> {
        let content_type =
            HeaderValue::from_str(&format!("multipart/form-data; boundary={BOUNDARY}"))
                .expect("the boundary is ASCII");
        let mut request = http::request_with_type(
            Method::POST,
            &self.host,
            UPLOAD_PATH,
            Some(authorization),
            Some(content_type),
            body,
        );
        request.headers_mut().insert(
            hyper::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        request
    }
}

/// The official example's T11 body for one trip, with its header totals the
/// sums of its line (so no inconsistency is logged) and a fapiao number of its own.
pub fn card_body(
    company_mchid: &str,
    token: &str,
    openid: &str,
    media_id: &str,
    fapiao_number: &str,
) -> Bytes {
    let party = |name: &str| {
        json!({"name": name, "taxpayer_id": "202003261233701778",
               "address": "深圳市南山区深南大道10000号", "telephone": "075512345678",
               "bank_name": "测试银行", "bank_account": "62001234567890"})
    };
    let mut buyer = party("深圳市南山区测试企业");
    buyer["type"] = json!("CORPORATION");
    let body = json!({
        "company_mchid": company_mchid, "token": token, "appid": APPID, "openid": openid,
        "region_id": REGION_ID,
        "fapiao_card_information": {
            "fapiao_media_id": media_id, "fapiao_number": fapiao_number,
            "fapiao_code": "044001911211", "fapiao_time": "2020-07-01T12:00:00+08:00",
            "check_code": "69001808340631374774",
            "password": "006>299-375/326>2+7/*0-+<351059<80<4*/5>+<11631+*3030/5*37+/-243159658+013>3409*044>4-/1+/9->*>69501*6++1997--21",
            "total_amount": 429_900, "tax_amount": 49_458, "amount": 380_442,
            "buyer_information": buyer,
            "seller_information": party("深圳市南山区测试公司"),
            "extra_information": {"payee": "张三", "reviewer": "李四", "drawer": "王五"},
            "items": [{
                "tax_code": "3010101020203000000", "goods_name": "出租汽车客运服务",
                "specification": "A4", "unit": "次", "quantity": 100_000_000,
                "unit_price": 380_442_000_000i64, "amount": 380_442, "tax_amount": 49_458,
                "total_amount": 429_900, "tax_rate": 1300, "tax_prefer_mark": "NO_FAVORABLE",
                "discount": false
            }],
            "remark": "备注"
        }
    });
    Bytes::from(body.to_string())
}

/// `f(0..count)` on every CPU, in order.
fn on_every_cpu<U: Send>(count: usize, f: impl Fn(usize) -> U + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = count.div_ceil(threads).max(1);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..count)
            .step_by(chunk)
            .map(|start| {
                scope.spawn(move || {
                    (start..(start + chunk).min(count))
                        .map(f)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a preparing thread panicked"))
            .collect()
    })
}

/// Sends `make(i)` for every `i < count` over `concurrency` keep-alive
/// connections and reads each answer with `read`; the results in order.
async fn each<T: Send + 'static>(
    addr: SocketAddr,
    count: usize,
    concurrency: usize,
    make: MakeRequest,
    read: fn(Reply) -> anyhow::Result<T>,
) -> anyhow::Result<Vec<T>> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency.clamp(1, count.max(1)) {
        let (make, next) = (make.clone(), next.clone());
        tasks.spawn(async move {
            let mut connection = Connection::open(addr).await?;
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    return Ok::<_, anyhow::Error>(done);
                }
                let reply = connection.send(make(i)).await?;
                done.push((i, read(reply).with_context(|| format!("setup call {i}"))?));
            }
        });
    }
    let mut numbered = Vec::with_capacity(count);
    while let Some(joined) = tasks.join_next().await {
        match joined.context("a setup task failed")? {
            Ok(done) => numbered.extend(done),
            Err(e) => {
                tasks.abort_all();
                return Err(e);
            }
        }
    }
    numbered.sort_unstable_by_key(|(i, _)| *i);
    Ok(numbered.into_iter().map(|(_, t)| t).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn card_bodies_are_the_example_with_consistent_totals_and_their_own_trip() {
        let body = card_body(
            "1900001111",
            "tok",
            "obenchtaxi00u001",
            "bWVkaWE=",
            "00000007",
        );
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["token"], "tok");
        assert_eq!(body["appid"], APPID);
        let card = &body["fapiao_card_information"];
        assert_eq!(card["fapiao_media_id"], "bWVkaWE=");
        assert_eq!(card["fapiao_number"], "00000007");
        let item = &card["items"][0];
        for key in ["total_amount", "amount", "tax_amount"] {
            assert_eq!(card[key], item[key], "{key}");
        }
        assert_eq!(
            card["amount"].as_i64().unwrap() + card["tax_amount"].as_i64().unwrap(),
            card["total_amount"].as_i64().unwrap()
        );
    }

    #[test]
    fn every_cpu_keeps_the_order() {
        assert_eq!(
            on_every_cpu(10, |i| i * 2),
            (0..10).map(|i| i * 2).collect::<Vec<_>>()
        );
        assert!(on_every_cpu(0, |i| i).is_empty());
    }

    #[test]
    fn users_are_per_run() {
        assert_ne!(openid(0, 1), openid(1, 1));
        assert_eq!(openid(2, 1), openid(2, 1 + USERS));
    }
}
