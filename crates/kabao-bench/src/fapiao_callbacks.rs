//! Checking and timing the callbacks of the immediate-outcome applications:
//! every callback's signature is verified with the platform key, its
//! `resource` decrypted with the receiving merchant's APIv3 key (kabao-protocol's
//! notification code) to read `fapiao_apply_id`, and each application's first
//! `FAPIAO.ISSUED` is timed from the moment the bench read its 202.

use crate::fapiao_world::{FapiaoWorld, PreparedApplication};
use crate::receiver::Arrival;
use crate::scenario::verify_signature;
use anyhow::{bail, Context as _};
use kabao_protocol::notification::Notification;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::time::Instant;

/// The event timed.
pub const ISSUED: &str = "FAPIAO.ISSUED";
/// The event that follows when the card reaches the buyer's card package.
pub const CARD_INSERTED: &str = "FAPIAO.CARD_INSERTED";
/// Problems (and missing applications) named in the report.
const KEPT: usize = 5;

/// What the callbacks of one run showed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CallbackCheck {
    /// Callbacks received.
    pub received: usize,
    /// Of those, with a signature that verifies with a platform key.
    pub signatures_verified: usize,
    /// Applications accepted (202) whose `FAPIAO.ISSUED` was expected.
    pub expected: usize,
    /// Accepted applications with an `FAPIAO.ISSUED` callback.
    pub issued: usize,
    /// Accepted applications with an `FAPIAO.CARD_INSERTED` callback.
    pub card_inserted: usize,
    /// Callbacks of other event types.
    pub other_events: usize,
    /// Second and later callbacks of one event for one application.
    pub duplicates: usize,
    /// `FAPIAO.ISSUED` callbacks read before the bench read the application's
    /// 202 (timed as 0).
    pub before_202: usize,
    /// Callbacks that failed a check: signature, envelope, decryption, an
    /// unknown merchant or application.
    pub failed: usize,
    /// The first failures.
    pub first_failures: Vec<String>,
    /// The first accepted applications without `FAPIAO.ISSUED`.
    pub first_missing: Vec<String>,
    /// ISSUED latency of each application (its first callback), ns.
    #[serde(skip)]
    pub latencies_ns: Vec<u64>,
}

impl CallbackCheck {
    /// Whether every accepted application's ISSUED callback arrived and every callback verified.
    pub fn complete(&self) -> bool {
        self.issued == self.expected
            && self.failed == 0
            && self.signatures_verified == self.received
    }
}

/// One callback, checked and opened.
struct Opened {
    event_type: String,
    fapiao_apply_id: String,
}

fn open(world: &FapiaoWorld, arrival: &Arrival) -> anyhow::Result<Opened> {
    let mchid = arrival.path.trim_start_matches('/');
    let Some(merchant) = world.merchants.iter().find(|m| m.mchid == mchid) else {
        bail!("a callback to {} names no bench merchant", arrival.path);
    };
    verify_signature(&arrival.headers, &arrival.body, &world.platform_keys)
        .with_context(|| format!("callback to {mchid}"))?;
    let notification = Notification::parse(&arrival.body)?;
    let plain = notification
        .resource
        .open(merchant.apiv3_key.as_bytes())
        .with_context(|| format!("{} to {mchid} does not decrypt", notification.event_type))?;
    let resource: Value = serde_json::from_slice(&plain).context("the resource is not JSON")?;
    if resource["mchid"] != mchid {
        bail!("a callback to {mchid} carries {}", resource["mchid"]);
    }
    let id = resource["fapiao_apply_id"]
        .as_str()
        .with_context(|| format!("no fapiao_apply_id in {resource}"))?;
    if notification.event_type == ISSUED
        && resource["fapiao_information"][0]["fapiao_status"] != "ISSUED"
    {
        bail!("{ISSUED} for {id} says {}", resource["fapiao_information"]);
    }
    Ok(Opened {
        event_type: notification.event_type,
        fapiao_apply_id: id.to_owned(),
    })
}

/// Checks `arrivals` against the `accepted` applications of `pool` (index
/// and when their 202 was read).
pub fn check(
    world: &FapiaoWorld,
    pool: &[PreparedApplication],
    accepted: &[(usize, Instant)],
    arrivals: &[Arrival],
) -> CallbackCheck {
    let accepted_at: HashMap<&str, Instant> = accepted
        .iter()
        .map(|&(i, at)| (pool[i].fapiao_apply_id.as_str(), at))
        .collect();
    let mut result = CallbackCheck {
        received: arrivals.len(),
        expected: accepted_at.len(),
        ..CallbackCheck::default()
    };
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let fail = |result: &mut CallbackCheck, what: String| {
        result.failed += 1;
        if result.first_failures.len() < KEPT {
            result.first_failures.push(what);
        }
    };
    for arrival in arrivals {
        let opened = match open(world, arrival) {
            Ok(opened) => opened,
            Err(e) => {
                fail(&mut result, format!("{e:#}"));
                continue;
            }
        };
        result.signatures_verified += 1;
        let Some(&accepted) = accepted_at.get(opened.fapiao_apply_id.as_str()) else {
            fail(
                &mut result,
                format!(
                    "{} for {}, which the bench did not see accepted",
                    opened.event_type, opened.fapiao_apply_id
                ),
            );
            continue;
        };
        let times = seen
            .entry((opened.event_type.clone(), opened.fapiao_apply_id))
            .or_default();
        *times += 1;
        if *times > 1 {
            result.duplicates += 1;
            continue;
        }
        match opened.event_type.as_str() {
            ISSUED => {
                result.issued += 1;
                if arrival.at < accepted {
                    result.before_202 += 1;
                }
                let latency = arrival.at.saturating_duration_since(accepted);
                result.latencies_ns.push(latency.as_nanos() as u64);
            }
            CARD_INSERTED => result.card_inserted += 1,
            _ => result.other_events += 1,
        }
    }
    for id in accepted_at.keys() {
        if result.first_missing.len() >= KEPT {
            break;
        }
        if !seen.contains_key(&(ISSUED.to_owned(), (*id).to_owned())) {
            result.first_missing.push((*id).to_owned());
        }
    }
    result
}

/// What the envelope of an `event` callback contains (kabao sends it compact).
pub fn event_marker(event: &str) -> String {
    format!("\"event_type\":\"{event}\"")
}
