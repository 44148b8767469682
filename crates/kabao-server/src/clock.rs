//! The injected clock: every expiry, signature window and schedule reads it, so
//! tests and the control API can move time without sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Wall-clock time plus an adjustable offset (milliseconds). Shared by the
/// whole server behind an `Arc`; moving it affects every later reading.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// A clock that starts at the given offset from real time.
    pub fn with_offset_ms(offset_ms: i64) -> Self {
        Self {
            offset_ms: AtomicI64::new(offset_ms),
        }
    }

    /// Milliseconds since the Unix epoch, as kabao sees them.
    pub fn now_ms(&self) -> i64 {
        real_now_ms() + self.offset_ms.load(Ordering::Relaxed)
    }

    /// Seconds since the Unix epoch, as kabao sees them.
    pub fn now(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// How far kabao's time is from real time, in milliseconds.
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Moves kabao's time forward (or back, when negative) by `ms`.
    pub fn advance_ms(&self, ms: i64) -> i64 {
        self.offset_ms.fetch_add(ms, Ordering::Relaxed) + ms
    }

    /// Sets kabao's time to the given Unix time in milliseconds.
    pub fn set_now_ms(&self, unix_ms: i64) -> i64 {
        let offset = unix_ms - real_now_ms();
        self.offset_ms.store(offset, Ordering::Relaxed);
        offset
    }

    /// Returns to real time.
    pub fn reset(&self) {
        self.offset_ms.store(0, Ordering::Relaxed);
    }
}

fn real_now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_by_that_much() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance_ms(7_201_000);
        let after = clock.now();
        assert!(
            (7200..=7202).contains(&(after - before)),
            "{before} -> {after}"
        );
        clock.reset();
        assert!(clock.now() - before < 2);
    }

    #[test]
    fn setting_now_is_read_back() {
        let clock = Clock::default();
        clock.set_now_ms(1_700_000_000_000);
        assert!((clock.now() - 1_700_000_000).abs() <= 1);
    }
}
