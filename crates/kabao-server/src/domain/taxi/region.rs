//! `region_id`: the 6-digit administrative-division code (行政区划代码,
//! 310100 Shanghai) that scopes every taxi record. The official pages type
//! it as an integer; signing examples send the string `"310100"`, so both
//! are accepted.

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;

/// A parsed region code: six digits, not starting with 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RegionId(i64);

/// What a region code looks like, for the field's error.
pub const REGION_EXPECTED: &str =
    "a 6-digit administrative-division code (行政区划代码), e.g. 310100";

impl RegionId {
    /// The code when `value` is six digits not starting with 0.
    pub fn new(value: i64) -> Option<Self> {
        (100_000..=999_999).contains(&value).then_some(Self(value))
    }

    /// Parses a query or string value (`"310100"`).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.len() != 6 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Self::new(text.parse().ok()?)
    }

    /// The code as stored and answered.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl<'de> Deserialize<'de> for RegionId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RegionVisitor;

        impl Visitor<'_> for RegionVisitor {
            type Value = RegionId;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(REGION_EXPECTED)
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RegionId, E> {
                RegionId::new(v).ok_or_else(|| E::custom(format!("{v} is not {REGION_EXPECTED}")))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RegionId, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(-1))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RegionId, E> {
                RegionId::parse(v)
                    .ok_or_else(|| E::custom(format!("{v:?} is not {REGION_EXPECTED}")))
            }
        }

        deserializer.deserialize_any(RegionVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_six_digits_as_a_number_or_a_string() {
        let from = |json: &str| serde_json::from_str::<RegionId>(json).map(RegionId::get);
        assert_eq!(from("310100").unwrap(), 310100);
        assert_eq!(from("\"510100\"").unwrap(), 510100);
        for bad in [
            "31010",
            "3101000",
            "\"31010a\"",
            "\"\"",
            "-310100",
            "31.5",
            "null",
            "\"031010\"",
        ] {
            assert!(from(bad).is_err(), "{bad}");
        }
    }
}
