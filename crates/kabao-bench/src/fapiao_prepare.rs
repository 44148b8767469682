//! Preparing fapiao applications before a load: for each, one paid WeChat
//! Pay order made through the control API (its `transaction_id` is the
//! `fapiao_apply_id`) and the application's request signed in advance, so
//! that the load generator signs nothing while it measures.

use crate::fapiao_world::{
    FapiaoWorld, PreparedApplication, APPLICATIONS_PATH, CARD_APPID, TAX_CODE, TAX_RATE,
    TOTAL_AMOUNT,
};
use crate::http::Connection;
use anyhow::Context as _;
use bytes::Bytes;
use hyper::Method;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The body of application `number` on order `fapiao_apply_id`: the
/// official example's, one fapiao with one line, without phone or email.
pub fn application_body(fapiao_apply_id: &str, number: u64) -> Bytes {
    Bytes::from(
        json!({
            "scene": "WITH_WECHATPAY",
            "fapiao_apply_id": fapiao_apply_id,
            "buyer_information": {
                "type": "INDIVIDUAL",
                "name": "深圳市南山区测试企业",
                "taxpayer_id": "202003261233701778",
                "address": "深圳市南山区深南大道10000号",
                "telephone": "075512345678",
                "bank_name": "测试银行",
                "bank_account": "62001234567890"
            },
            "fapiao_information": [{
                "fapiao_id": format!("B{number:013}"),
                "total_amount": TOTAL_AMOUNT,
                "need_list": false,
                "remark": "备注",
                "items": [{
                    "tax_code": TAX_CODE,
                    "goods_category": "运输服务",
                    "goods_name": "出租汽车客运服务",
                    "goods_id": 1,
                    "specification": "A4",
                    "unit": "次",
                    "quantity": 100_000_000,
                    "total_amount": TOTAL_AMOUNT,
                    "tax_rate": TAX_RATE,
                    "tax_prefer_mark": "NO_FAVORABLE",
                    "discount": false
                }]
            }]
        })
        .to_string(),
    )
}

/// The openid paid order `i` of a merchant belongs to (its fapiao card's owner).
fn buyer_openid(i: usize) -> String {
    format!("obenchbuyer{:04}", i % 64)
}

impl FapiaoWorld {
    /// Creates `count` paid orders through the control API, order `i` for
    /// merchant `i % merchants`, with `concurrency` keep-alive connections;
    /// returns their `transaction_id`s in order and the time it took.
    pub async fn paid_orders(
        self: &Arc<Self>,
        addr: SocketAddr,
        count: usize,
        concurrency: usize,
    ) -> anyhow::Result<(Vec<String>, Duration)> {
        let started = Instant::now();
        let next = Arc::new(AtomicUsize::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..concurrency.clamp(1, count.max(1)) {
            let (world, next) = (self.clone(), next.clone());
            tasks.spawn(async move {
                let mut connection = Connection::open(addr).await?;
                let mut done = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        return Ok::<_, anyhow::Error>(done);
                    }
                    let mchid = &world.merchants[i % world.merchants.len()].mchid;
                    let order = json!({"mchid": mchid, "amount": TOTAL_AMOUNT,
                                       "appid": CARD_APPID, "openid": buyer_openid(i)});
                    let path = "/_kabao/api/fapiao/pay-orders";
                    let answer = world
                        .admin_call(&mut connection, Method::POST, path, &order)
                        .await?;
                    let id = answer["transaction_id"]
                        .as_str()
                        .with_context(|| format!("no transaction_id in {answer}"))?;
                    done.push((i, id.to_owned()));
                }
            });
        }
        let mut numbered = Vec::with_capacity(count);
        while let Some(joined) = tasks.join_next().await {
            match joined.context("a setup task failed")? {
                Ok(done) => numbered.extend(done),
                Err(e) => {
                    tasks.abort_all();
                    return Err(e.context("creating paid orders failed"));
                }
            }
        }
        numbered.sort_unstable_by_key(|(i, _)| *i);
        let ids = numbered.into_iter().map(|(_, id)| id).collect();
        Ok((ids, started.elapsed()))
    }

    /// Signs one application per order (order `i` is merchant `i % merchants`'s),
    /// numbered from `first_number`, on every CPU; all carry timestamp `now`.
    pub fn presign(
        &self,
        orders: &[String],
        first_number: u64,
        now: i64,
    ) -> Vec<PreparedApplication> {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let chunk = orders.len().div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            let handles: Vec<_> = orders
                .chunks(chunk)
                .enumerate()
                .map(|(c, slice)| {
                    scope.spawn(move || {
                        slice
                            .iter()
                            .enumerate()
                            .map(|(j, id)| {
                                let i = c * chunk + j;
                                let merchant = i % self.merchants.len();
                                let body = application_body(id, first_number + i as u64);
                                let authorization = self.authorization(
                                    merchant,
                                    "POST",
                                    APPLICATIONS_PATH,
                                    &body,
                                    now,
                                );
                                PreparedApplication {
                                    merchant,
                                    fapiao_apply_id: id.clone(),
                                    authorization,
                                    body,
                                }
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("a signing thread panicked"))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn the_body_is_the_seeds_with_consistent_totals_and_no_sensitive_fields() {
        let body: Value = serde_json::from_slice(&application_body("4200000001", 7)).unwrap();
        assert_eq!(body["scene"], "WITH_WECHATPAY");
        assert_eq!(body["fapiao_apply_id"], "4200000001");
        assert!(body["buyer_information"].get("phone").is_none());
        assert!(body["buyer_information"].get("email").is_none());
        let fapiao = &body["fapiao_information"][0];
        assert_eq!(fapiao["fapiao_id"], "B0000000000007");
        assert_eq!(fapiao["total_amount"], fapiao["items"][0]["total_amount"]);
        assert_eq!(fapiao["items"][0]["tax_code"], TAX_CODE);
        assert_eq!(fapiao["items"][0]["tax_rate"], TAX_RATE);
    }
}
