//! RFC 3339 formatting in China Standard Time.

use kabao_protocol::apiv3::{parse_rfc3339, rfc3339_cst};

#[test]
fn epoch_is_eight_in_the_morning() {
    assert_eq!(rfc3339_cst(0), "1970-01-01T08:00:00+08:00");
}

#[test]
fn round_trips_and_other_offsets() {
    assert_eq!(rfc3339_cst(1_700_000_000), "2023-11-15T06:13:20+08:00");
    assert_eq!(
        parse_rfc3339("2023-11-15T06:13:20+08:00"),
        Some(1_700_000_000)
    );
    assert_eq!(parse_rfc3339("2023-11-14T22:13:20Z"), Some(1_700_000_000));
    assert_eq!(
        parse_rfc3339("2018-06-08T10:34:56+08:00")
            .map(rfc3339_cst)
            .as_deref(),
        Some("2018-06-08T10:34:56+08:00")
    );
    assert_eq!(parse_rfc3339("2018-06-08 10:34:56"), None);
    assert_eq!(parse_rfc3339(""), None);
}

#[test]
fn extremes_are_clamped_not_panicking() {
    assert_eq!(rfc3339_cst(i64::MAX), "9999-12-31T23:59:59+08:00");
    assert!(rfc3339_cst(i64::MIN).starts_with("0001-01-01T"));
}
