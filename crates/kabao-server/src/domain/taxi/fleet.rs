//! The rules of the taxi fleet calls (T1–T7) that need no I/O: field
//! lengths and enumerations as the official pages publish them, punch
//! times, and how stored values are answered.

use crate::domain::FieldError;
use serde_json::{Map, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// `taxi_state` values (T3, T4).
pub const TAXI_STATES: [&str; 2] = ["IN_OPERATION", "OUT_OPERATION"];
/// `invoice_flag` values (T3): INVOICE 开发票, NO_INVOICE 不开发票.
pub const INVOICE_FLAGS: [&str; 2] = ["INVOICE", "NO_INVOICE"];
/// `driver_category` values (T5): 主班, 副班, 机动司机, 未知.
pub const DRIVER_CATEGORIES: [&str; 4] = ["MAIN", "DEPUTY", "FLEXIBLE", "UNKNOWN"];
/// `driver_status` values (T5): 在岗, 离岗.
pub const DRIVER_STATUSES: [&str; 2] = ["ON_DUTY", "OFF_DUTY"];
/// `event_type` values (T7): 签到, 签退.
pub const PUNCH_EVENTS: [&str; 2] = ["SIGN_IN", "SIGN_OUT"];
/// The punch that starts a shift.
pub const SIGN_IN: &str = "SIGN_IN";
/// enterprise_type of a company (as opposed to INDIVIDUALS), for which
/// short_name is required.
pub const ENTERPRISE: &str = "ENTERPRISE";

/// A required text field of at most `max` characters; blank counts as missing.
pub fn required(field: &str, value: &str, max: usize) -> Result<String, FieldError> {
    if value.trim().is_empty() {
        return Err(FieldError::new(field, "is required and must not be empty"));
    }
    within(field, value, max)?;
    Ok(value.to_owned())
}

/// An optional text field of at most `max` characters; blank counts as absent.
pub fn optional(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    match value.filter(|v| !v.trim().is_empty()) {
        Some(v) => {
            within(field, v, max)?;
            Ok(Some(v.to_owned()))
        }
        None => Ok(None),
    }
}

fn within(field: &str, value: &str, max: usize) -> Result<(), FieldError> {
    let chars = value.chars().count();
    if chars > max {
        return Err(FieldError::new(
            field,
            format!("is {chars} characters long; at most {max} are allowed"),
        ));
    }
    Ok(())
}

/// `value` when it is one of `allowed`.
pub fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<String, FieldError> {
    if allowed.contains(&value) {
        return Ok(value.to_owned());
    }
    Err(FieldError::new(
        field,
        format!("{value:?} is not one of {}", allowed.join(", ")),
    ))
}

/// A punch's `event_time` (RFC 3339 with an offset, milliseconds allowed,
/// e.g. 2019-12-01T12:00:00.000+08:00) in Unix milliseconds.
pub fn event_time_ms(value: &str) -> Result<i64, FieldError> {
    let time = OffsetDateTime::parse(value.trim(), &Rfc3339).map_err(|_| {
        FieldError::new(
            "event_time",
            format!("{value:?} is not an RFC 3339 time such as 2019-12-01T12:00:00.000+08:00"),
        )
    })?;
    i64::try_from(time.unix_timestamp_nanos() / 1_000_000)
        .map_err(|_| FieldError::new("event_time", "is out of range"))
}

/// T6's driver_state from the stored driver_status: ACTIVE unless the
/// driver is OFF_DUTY (离岗), then INACTIVE.
pub fn driver_state(driver_status: &str) -> &'static str {
    if driver_status == "OFF_DUTY" {
        "INACTIVE"
    } else {
        "ACTIVE"
    }
}

/// T6's driver_photo from the photo T5 stored: the same object, with the
/// image T5 calls `photo_icon` under the name T6 answers it, `photo_data`.
pub fn photo_for_query(stored: &Value) -> Value {
    let Some(object) = stored.as_object() else {
        return stored.clone();
    };
    let mut answer = Map::new();
    for (key, value) in object {
        let key = if key == "photo_icon" && !object.contains_key("photo_data") {
            "photo_data"
        } else {
            key
        };
        answer.insert(key.to_owned(), value.clone());
    }
    Value::Object(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_event_times_with_and_without_milliseconds() {
        let base = event_time_ms("2019-12-01T12:00:00+08:00").unwrap();
        assert_eq!(base, 1_575_172_800_000);
        assert_eq!(
            event_time_ms("2019-12-01T12:00:00.250+08:00").unwrap(),
            base + 250
        );
        assert_eq!(event_time_ms("2019-12-01T04:00:00Z").unwrap(), base);
        for bad in [
            "2019-12-01 12:00:00",
            "2019-12-01T12:00:00",
            "yesterday",
            "",
        ] {
            assert_eq!(event_time_ms(bad).unwrap_err().field, "event_time", "{bad}");
        }
    }

    #[test]
    fn checks_blank_and_length_in_characters() {
        assert_eq!(
            required("plate_number", "沪A12345", 16).unwrap(),
            "沪A12345"
        );
        assert!(required("plate_number", "  ", 16).is_err());
        assert!(required("plate_number", &"沪".repeat(17), 16).is_err());
        assert_eq!(optional("phone", Some(""), 32).unwrap(), None);
        assert!(one_of("taxi_state", "PARKED", &TAXI_STATES).is_err());
    }

    #[test]
    fn answers_the_photo_icon_as_photo_data_and_off_duty_as_inactive() {
        let photo = json!({"photo_type": "PHOTO_URL", "photo_icon": "abc"});
        assert_eq!(
            photo_for_query(&photo),
            json!({"photo_type": "PHOTO_URL", "photo_data": "abc"})
        );
        assert_eq!(driver_state("ON_DUTY"), "ACTIVE");
        assert_eq!(driver_state("OFF_DUTY"), "INACTIVE");
    }
}
