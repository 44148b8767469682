//! The APIv3 nonces seen within the signature window, so a signed request
//! sent twice is refused the second time. WeChat documents no such check;
//! kabao is stricter (README, Decisions). Memory is bounded: at most
//! [`NonceLedger::CAPACITY`] nonces are kept, the oldest forgotten first.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::sync::Mutex;

/// Recently used `(mchid, nonce_str)` pairs of verified APIv3 requests.
///
/// Pairs are kept as 64-bit keyed hashes (the key is random per process, so
/// a caller cannot make two pairs collide on purpose), each until its
/// request could no longer pass the timestamp check anyway.
#[derive(Debug, Default)]
pub struct NonceLedger {
    hasher: RandomState,
    seen: Mutex<Ledger>,
}

#[derive(Debug, Default)]
struct Ledger {
    /// Hash → the Unix second after which the pair may be forgotten.
    until: HashMap<u64, i64>,
    /// The same pairs in the order they were recorded.
    order: VecDeque<(i64, u64)>,
}

impl NonceLedger {
    /// Most pairs kept at once (about 40 MB at worst); beyond it the oldest
    /// are forgotten, so a replay is caught while fewer than this many
    /// signed requests came after the original within the window.
    pub const CAPACITY: usize = 1_000_000;

    /// Records `nonce` of `mchid`, used by a request signed at `timestamp`,
    /// as seen at `now`; false when the pair was already seen and is still
    /// within the window (`window_secs`), i.e. this request is a replay.
    pub fn first_use(
        &self,
        mchid: &str,
        nonce: &str,
        timestamp: i64,
        now: i64,
        window_secs: i64,
    ) -> bool {
        let key = self.hasher.hash_one((mchid, nonce));
        let until = timestamp.max(now).saturating_add(window_secs);
        let mut ledger = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        ledger.forget_expired(now);
        if let Some(&kept_until) = ledger.until.get(&key) {
            if kept_until >= now {
                return false;
            }
        }
        while ledger.until.len() >= Self::CAPACITY {
            ledger.forget_oldest();
        }
        ledger.until.insert(key, until);
        ledger.order.push_back((until, key));
        true
    }
}

impl Ledger {
    fn forget_expired(&mut self, now: i64) {
        while self.order.front().is_some_and(|&(until, _)| until < now) {
            self.forget_oldest();
        }
    }

    fn forget_oldest(&mut self) {
        if let Some((until, key)) = self.order.pop_front() {
            if self.until.get(&key) == Some(&until) {
                self.until.remove(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_refused_again_within_the_window_and_taken_after_it() {
        let ledger = NonceLedger::default();
        assert!(ledger.first_use("1900000001", "n1", 1000, 1000, 300));
        assert!(!ledger.first_use("1900000001", "n1", 1000, 1200, 300));
        assert!(ledger.first_use("1900000002", "n1", 1000, 1200, 300));
        assert!(ledger.first_use("1900000001", "n2", 1000, 1200, 300));
        assert!(ledger.first_use("1900000001", "n1", 1400, 1400, 300));
    }
}
