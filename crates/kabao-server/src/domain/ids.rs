//! Identifier newtypes parsed at the boundary: appid, mchid, openid, serial
//! numbers and public-key ids. Each `parse` names the field it rejects.

use super::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The identifier as it travels on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_id!(
    /// An Official Account appid (`wx` + 16 hex digits on the real service;
    /// any 1–32 characters of `[A-Za-z0-9_-]` are accepted, as SDK test
    /// suites use other shapes).
    Appid
);
string_id!(
    /// A WeChat Pay merchant id: 1–32 decimal digits (real ones have 10).
    Mchid
);
string_id!(
    /// A user's openid under one appid (28 characters starting with `o` on the
    /// real service; 1–64 characters of `[A-Za-z0-9_-]` accepted).
    Openid
);
string_id!(
    /// A certificate serial number in the form WeChat Pay compares: upper-case
    /// hex without leading zeros (Java's `BigInteger.toString(16)` form).
    SerialNo
);
string_id!(
    /// A WeChat Pay platform public key id: `PUB_KEY_ID_` followed by digits.
    PublicKeyId
);

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

impl Appid {
    /// Parses an appid named `field`.
    pub fn parse(field: &str, value: &str) -> Result<Self, FieldError> {
        if value.is_empty() || value.len() > 32 || !value.chars().all(is_token_char) {
            return Err(FieldError::new(
                field,
                "must be 1-32 characters of letters, digits, '_' or '-'",
            ));
        }
        Ok(Self(value.to_owned()))
    }
}

impl Mchid {
    /// Parses a mchid named `field`.
    pub fn parse(field: &str, value: &str) -> Result<Self, FieldError> {
        if value.is_empty() || value.len() > 32 || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(field, "must be 1-32 decimal digits"));
        }
        Ok(Self(value.to_owned()))
    }
}

impl Openid {
    /// Parses an openid (or unionid) named `field`.
    pub fn parse(field: &str, value: &str) -> Result<Self, FieldError> {
        if value.is_empty() || value.len() > 64 || !value.chars().all(is_token_char) {
            return Err(FieldError::new(
                field,
                "must be 1-64 characters of letters, digits, '_' or '-'",
            ));
        }
        Ok(Self(value.to_owned()))
    }
}

impl SerialNo {
    /// Parses and normalises a hex serial named `field`.
    pub fn parse(field: &str, value: &str) -> Result<Self, FieldError> {
        if value.is_empty() || value.len() > 64 || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(FieldError::new(field, "must be 1-64 hexadecimal digits"));
        }
        let trimmed = value.trim_start_matches('0');
        let normal = if trimmed.is_empty() { "0" } else { trimmed };
        Ok(Self(normal.to_ascii_uppercase()))
    }

    /// Normalises a serial heard on the wire, or `None` when it is not hex.
    pub fn normalise(value: &str) -> Option<Self> {
        Self::parse("serial_no", value).ok()
    }
}

impl PublicKeyId {
    /// Parses a public key id named `field`.
    pub fn parse(field: &str, value: &str) -> Result<Self, FieldError> {
        let digits = value.strip_prefix("PUB_KEY_ID_").unwrap_or("");
        if digits.is_empty() || digits.len() > 64 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(
                field,
                "must be PUB_KEY_ID_ followed by 1-64 digits",
            ));
        }
        Ok(Self(value.to_owned()))
    }
}

/// `len` random hex digits (upper or lower case): nonces, request ids and
/// generated secrets. One random byte gives two digits.
pub fn random_hex(len: usize, upper: bool) -> String {
    use rand::Rng;
    let mut bytes = vec![0u8; len.div_ceil(2)];
    rand::thread_rng().fill(&mut bytes[..]);
    let mut digits = if upper {
        hex::encode_upper(&bytes)
    } else {
        hex::encode(&bytes)
    };
    digits.truncate(len);
    digits
}

/// A new WeChat Pay transaction_id for a payment at Unix second `paid_at`:
/// 28 digits, "4200" + 6 random digits + the payment date (YYYYMMDD, China
/// time) + 10 random digits. Paid orders of the fapiao control API and taxi
/// rides get theirs here.
pub fn new_transaction_id(paid_at: i64) -> String {
    use rand::Rng;
    let date = time::OffsetDateTime::from_unix_timestamp(paid_at + 8 * 3600)
        .map(|t| t.date())
        .unwrap_or(time::Date::MIN);
    let mut rng = rand::thread_rng();
    let mut digits = |n: usize| -> String {
        (0..n)
            .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
            .collect()
    };
    let head = digits(6);
    let tail = digits(10);
    format!(
        "4200{head}{:04}{:02}{:02}{tail}",
        date.year(),
        u8::from(date.month()),
        date.day(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn transaction_ids_look_like_wechat_pay_ones() {
        // 2026-11-23 23:00 UTC is 2026-11-24 in China.
        let id = new_transaction_id(1_795_474_800);
        assert_eq!(id.len(), 28);
        assert!(id.starts_with("4200"));
        assert_eq!(&id[10..18], "20261124");
        assert!(id.bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(id, new_transaction_id(1_795_474_800));
    }

    #[test]
    fn serials_compare_in_biginteger_form() {
        let a = SerialNo::parse("s", "00d7ce59d1f522d701").unwrap();
        assert_eq!(a.as_str(), "D7CE59D1F522D701");
        assert_eq!(SerialNo::parse("s", "000").unwrap().as_str(), "0");
    }

    #[test]
    fn rejections_name_the_field() {
        assert_eq!(Mchid::parse("mchid", "12a").unwrap_err().field, "mchid");
        assert_eq!(Appid::parse("appid", "").unwrap_err().field, "appid");
        assert_eq!(
            SerialNo::parse("serial_no", "XYZ").unwrap_err().field,
            "serial_no"
        );
        assert!(PublicKeyId::parse("id", "PUB_KEY_ID_").is_err());
        assert!(PublicKeyId::parse("id", "PUB_KEY_ID_0114232134912410000000000000").is_ok());
    }

    proptest! {
        #[test]
        fn serial_normalisation_is_idempotent_and_case_blind(s in "[0-9a-fA-F]{1,40}") {
            let once = SerialNo::parse("s", &s).unwrap();
            let twice = SerialNo::parse("s", once.as_str()).unwrap();
            prop_assert_eq!(&once, &twice);
            prop_assert_eq!(once, SerialNo::parse("s", &s.to_ascii_lowercase()).unwrap());
        }

        #[test]
        fn mchid_accepts_exactly_digit_strings(s in "\\PC{0,40}") {
            let ok = !s.is_empty() && s.len() <= 32 && s.bytes().all(|b| b.is_ascii_digit());
            prop_assert_eq!(Mchid::parse("mchid", &s).is_ok(), ok);
        }
    }
}
