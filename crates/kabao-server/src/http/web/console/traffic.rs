//! Requests per family per minute, counted in memory by a middleware around
//! the whole router (this process only; the last hour is kept). Real time,
//! not kabao's clock: it measures load, which moving the clock does not make.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// The families a request is counted under, in chart order.
pub const FAMILIES: [&str; 6] = ["oa", "fapiao", "taxi", "v3", "control", "pages"];

/// Minutes of history kept.
pub const MINUTES: usize = 60;

/// (minute since the epoch, count per family), oldest first.
static COUNTS: Mutex<VecDeque<(i64, [u64; FAMILIES.len()])>> = Mutex::new(VecDeque::new());

/// The family of a request path (an index into [`FAMILIES`]).
pub fn family_of(path: &str) -> usize {
    if path.starts_with("/v3/new-tax-control-fapiao") {
        1
    } else if path.starts_with("/v3/taxi-invoice") {
        2
    } else if path.starts_with("/v3/") {
        3
    } else if path.starts_with("/_kabao/api") {
        4
    } else if path.starts_with("/_kabao/") {
        5
    } else {
        0
    }
}

fn now_minute() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64 / 60)
        .unwrap_or(0)
}

fn record(family: usize, minute: i64) {
    let mut counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
    match counts.back_mut() {
        Some((m, row)) if *m == minute => row[family] += 1,
        _ => {
            let mut row = [0; FAMILIES.len()];
            row[family] = 1;
            counts.push_back((minute, row));
        }
    }
    while counts
        .front()
        .is_some_and(|(m, _)| *m <= minute - MINUTES as i64)
    {
        counts.pop_front();
    }
}

/// Counts the request under its family, then runs it.
pub async fn count(req: Request, next: Next) -> Response {
    record(family_of(req.uri().path()), now_minute());
    next.run(req).await
}

/// Requests per family per minute over the last hour, oldest minute first
/// (`MINUTES` rows, zero where nothing came).
pub fn last_hour() -> Vec<[u64; FAMILIES.len()]> {
    let now = now_minute();
    let counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
    (0..MINUTES as i64)
        .map(|i| {
            let minute = now - (MINUTES as i64 - 1) + i;
            counts
                .iter()
                .find(|(m, _)| *m == minute)
                .map(|(_, row)| *row)
                .unwrap_or_default()
        })
        .collect()
}
