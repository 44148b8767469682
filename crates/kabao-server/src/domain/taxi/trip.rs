//! Passengers' rides and trip orders: the trip order's token (the payment's
//! transaction_id is [`crate::domain::ids::new_transaction_id`]) and the date window
//! of user-taxi-orders (T8), read in China time and limited to the last
//! [`TRIP_LOOKBACK_DAYS`](super::TRIP_LOOKBACK_DAYS).

use super::TRIP_LOOKBACK_DAYS;
use crate::domain::FieldError;
use base64::Engine;
use time::macros::{format_description, offset};
use time::{Date, Duration, OffsetDateTime};

/// Where trip orders come from: a face-to-face payment (find-by-token's `source`).
pub const SOURCE_PAY: &str = "SOURCE_PAY";

/// The `auth_mode` find-by-token documents.
pub const ORDER_AUTH: &str = "ORDER_AUTH";

/// A new trip-order token: 64 random bytes in URL-safe base64 without
/// padding, 86 characters, the shape of WeChat's example.
pub fn new_trip_token() -> String {
    let bytes: [u8; 64] = std::array::from_fn(|_| rand::random());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The calendar date in China (UTC+8) at Unix second `at`.
fn china_date(at: i64) -> Date {
    OffsetDateTime::from_unix_timestamp(at)
        .map(|t| t.to_offset(offset!(+8)).date())
        .unwrap_or(Date::MIN)
}

/// Unix second at which `date` begins in China.
fn china_midnight(date: Date) -> i64 {
    date.midnight().assume_offset(offset!(+8)).unix_timestamp()
}

/// The up_time range of a user-taxi-orders call: `[from, until)` in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TripWindow {
    /// The first second of begin_date in China.
    pub from: i64,
    /// The first second after end_date in China.
    pub until: i64,
}

/// Reads `begin_date` and `end_date` (yyyyMMdd, China dates, both
/// included): begin_date no earlier than [`TRIP_LOOKBACK_DAYS`] before
/// today (at `now`), end_date not before begin_date.
pub fn trip_window(begin_date: &str, end_date: &str, now: i64) -> Result<TripWindow, FieldError> {
    let begin = parse_date("begin_date", begin_date)?;
    let end = parse_date("end_date", end_date)?;
    let earliest = china_date(now) - Duration::days(TRIP_LOOKBACK_DAYS);
    if begin < earliest {
        return Err(FieldError::new(
            "begin_date",
            format!(
                "{begin_date} is more than half a year ago; trip orders reach back {TRIP_LOOKBACK_DAYS} days, to {}",
                compact(earliest)
            ),
        ));
    }
    if end < begin {
        return Err(FieldError::new(
            "end_date",
            format!("{end_date} is before begin_date {begin_date}"),
        ));
    }
    Ok(TripWindow {
        from: china_midnight(begin),
        until: china_midnight(end.next_day().unwrap_or(end)),
    })
}

/// A yyyyMMdd date.
fn parse_date(field: &str, value: &str) -> Result<Date, FieldError> {
    let format = format_description!("[year][month][day]");
    if value.len() != 8 {
        return Err(FieldError::new(
            field,
            format!("{value:?} is not a date written yyyyMMdd, such as 20200307"),
        ));
    }
    Date::parse(value, format).map_err(|_| {
        FieldError::new(
            field,
            format!("{value:?} is not a date written yyyyMMdd, such as 20200307"),
        )
    })
}

/// `date` as yyyyMMdd.
fn compact(date: Date) -> String {
    format!(
        "{:04}{:02}{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2024-06-30 23:30 in China (15:30 UTC).
    const NOW: i64 = 1_719_761_400;

    #[test]
    fn tokens_look_like_the_official_example() {
        let token = new_trip_token();
        assert_eq!(token.len(), 86);
        assert!(token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(token, new_trip_token());
    }

    #[test]
    fn the_window_covers_whole_china_days() {
        let w = trip_window("20240630", "20240630", NOW).unwrap();
        assert_eq!(w.from, 1_719_676_800);
        assert_eq!(w.until - w.from, 86_400);
    }

    #[test]
    fn the_window_reaches_back_half_a_year_at_most() {
        // 183 days before 2024-06-30 is 2023-12-30.
        assert!(trip_window("20231230", "20240101", NOW).is_ok());
        let e = trip_window("20231229", "20240101", NOW).unwrap_err();
        assert_eq!(e.field, "begin_date");
        assert!(e.issue.contains("20231230"), "{}", e.issue);
    }

    #[test]
    fn malformed_or_reversed_dates_name_their_field() {
        assert_eq!(
            trip_window("2024-06-01", "20240630", NOW)
                .unwrap_err()
                .field,
            "begin_date"
        );
        assert_eq!(
            trip_window("20240601", "20240631", NOW).unwrap_err().field,
            "end_date"
        );
        assert_eq!(
            trip_window("20240601", "20240531", NOW).unwrap_err().field,
            "end_date"
        );
    }
}
