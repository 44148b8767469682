//! RFC 3339 times in China Standard Time, as WeChat writes them.

use time::format_description::well_known::Rfc3339;
use time::macros::{format_description, offset};
use time::OffsetDateTime;

/// 0001-01-01T00:00:00Z, the earliest instant formatted with a 4-digit year.
const MIN_SECS: i64 = -62_135_596_800;
/// 9999-12-31T23:59:59+08:00, the latest instant formatted with a 4-digit year in CST.
const MAX_SECS: i64 = 253_402_300_799 - 8 * 3600;

/// Formats Unix seconds as RFC 3339 with the +08:00 offset: "2018-06-08T10:34:56+08:00".
///
/// Used for `create_time`, `effective_time` and similar fields. Inputs
/// outside years 0001..=9999 are clamped to that range.
pub fn rfc3339_cst(unix_secs: i64) -> String {
    let clamped = unix_secs.clamp(MIN_SECS, MAX_SECS);
    let time = OffsetDateTime::from_unix_timestamp(clamped)
        .expect("clamped timestamp is in range")
        .to_offset(offset!(+8));
    time.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]+08:00"
    ))
    .expect("formatting a valid date with a fixed description does not fail")
}

/// Parses an RFC 3339 time with any offset (or "Z") into Unix seconds; `None` if malformed.
///
/// Fractional seconds are truncated.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    OffsetDateTime::parse(s, &Rfc3339)
        .ok()
        .map(OffsetDateTime::unix_timestamp)
}
