//! The issuing rate limit: at most [`ISSUE_CALLS_PER_SECOND`] issuing calls
//! per calling merchant per second of kabao's clock, beyond which WeChat
//! answers 429 FREQUENCY_LIMITED. Counted in memory, per process.

use crate::http::pay::PayError;
use kabao_protocol::apiv3::ErrorCode;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Issuing calls (F10–F14) one merchant may make in one second.
pub const ISSUE_CALLS_PER_SECOND: u32 = 100;

/// A merchant went over [`ISSUE_CALLS_PER_SECOND`]; answers 429.
#[derive(Debug)]
pub(super) struct RateLimited(String);

impl From<RateLimited> for PayError {
    fn from(limited: RateLimited) -> Self {
        PayError::new(
            ErrorCode::FrequencyLimited,
            format!(
                "merchant {} made more than {ISSUE_CALLS_PER_SECOND} issuing calls in one second; slow down",
                limited.0
            ),
        )
    }
}

/// Counts one issuing call of `caller_mchid` at `now`; 429 beyond the limit.
pub(super) fn count_issue_call(caller_mchid: &str, now: i64) -> Result<(), RateLimited> {
    static WINDOWS: OnceLock<Mutex<HashMap<String, (i64, u32)>>> = OnceLock::new();
    let mut windows = WINDOWS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if windows.len() > 10_000 {
        windows.retain(|_, (second, _)| *second == now);
    }
    let window = windows.entry(caller_mchid.to_owned()).or_insert((now, 0));
    if window.0 != now {
        *window = (now, 0);
    }
    window.1 += 1;
    if window.1 > ISSUE_CALLS_PER_SECOND {
        return Err(RateLimited(caller_mchid.to_owned()));
    }
    Ok(())
}
