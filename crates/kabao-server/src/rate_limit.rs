//! Calls per key per second of kabao's clock, for the APIv3 endpoints whose
//! documentation promises 429 FREQUENCY_LIMITED. Kept in the application
//! state, so each kabao (and each test's kabao) counts its own calls.

use std::collections::HashMap;
use std::sync::Mutex;

/// Counts calls per key in the current second and says when a key went over.
#[derive(Debug)]
pub struct PerSecondLimiter {
    limit: u32,
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

impl PerSecondLimiter {
    /// Keys with more windows than this are pruned to the current second.
    const MAX_KEYS: usize = 10_000;

    /// A limiter allowing `limit` calls per key per second.
    pub fn new(limit: u32) -> Self {
        Self {
            limit,
            windows: Mutex::default(),
        }
    }

    /// How many calls a key may make in one second.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// Counts one call of `key` at `now` (Unix seconds); false when it is
    /// over the limit for that second.
    pub fn allow(&self, key: &str, now: i64) -> bool {
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if windows.len() > Self::MAX_KEYS {
            windows.retain(|_, (second, _)| *second == now);
        }
        let window = windows.entry(key.to_owned()).or_insert((now, 0));
        if window.0 != now {
            *window = (now, 0);
        }
        window.1 += 1;
        window.1 <= self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_limit_each_second_and_keys_count_apart() {
        let limiter = PerSecondLimiter::new(2);
        assert!(limiter.allow("a", 10));
        assert!(limiter.allow("a", 10));
        assert!(!limiter.allow("a", 10));
        assert!(limiter.allow("b", 10));
        assert!(limiter.allow("a", 11));
    }
}
