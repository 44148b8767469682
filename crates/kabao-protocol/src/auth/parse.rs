//! The `Authorization` header parser.

use super::{AuthHeaderError, AuthorizationHeader, SCHEME};

const KEYS: [&str; 5] = ["mchid", "nonce_str", "signature", "timestamp", "serial_no"];

/// Parses `SCHEME key="value",key="value",…` by key.
pub(super) fn parse(header: &str) -> Result<AuthorizationHeader, AuthHeaderError> {
    let header = header.trim();
    let (scheme, params) = match header.split_once(|c: char| c.is_ascii_whitespace()) {
        Some((scheme, params)) => (scheme, params),
        None if header.contains('=') || header.is_empty() => {
            return Err(AuthHeaderError::MissingScheme)
        }
        None => (header, ""),
    };
    if scheme.contains('=') {
        return Err(AuthHeaderError::MissingScheme);
    }
    if scheme != SCHEME {
        return Err(AuthHeaderError::WrongScheme(scheme.to_owned()));
    }

    let mut values: [Option<String>; 5] = Default::default();
    let mut rest = params.trim_start();
    while !rest.is_empty() {
        let (key, value, after) = next_pair(rest)?;
        let slot = KEYS
            .iter()
            .position(|k| *k == key)
            .ok_or_else(|| AuthHeaderError::UnknownKey(key.to_owned()))?;
        if values[slot].is_some() {
            return Err(AuthHeaderError::DuplicateKey(key.to_owned()));
        }
        if value.is_empty() {
            return Err(AuthHeaderError::EmptyValue(key.to_owned()));
        }
        values[slot] = Some(value.to_owned());
        rest = after;
    }

    let [mchid, nonce_str, signature, timestamp, serial_no] = values;
    let take = |v: Option<String>, i: usize| v.ok_or(AuthHeaderError::MissingKey(KEYS[i]));
    let header = AuthorizationHeader {
        mchid: take(mchid, 0)?,
        nonce_str: take(nonce_str, 1)?,
        signature: take(signature, 2)?,
        timestamp: take(timestamp, 3)?,
        serial_no: take(serial_no, 4)?,
    };
    if !is_decimal_seconds(&header.timestamp) {
        return Err(AuthHeaderError::InvalidTimestamp(header.timestamp));
    }
    Ok(header)
}

/// Reads one `key="value"` pair and the text after its separating comma.
fn next_pair(input: &str) -> Result<(&str, &str, &str), AuthHeaderError> {
    let Some((key, after_eq)) = input.split_once('=') else {
        return Err(AuthHeaderError::MalformedParameter(input.to_owned()));
    };
    let key = key.trim();
    if key.is_empty() || key.contains([',', '"']) || key.contains(char::is_whitespace) {
        let shown = input.split(',').next().unwrap_or(input);
        return Err(AuthHeaderError::MalformedParameter(shown.to_owned()));
    }
    let Some(quoted) = after_eq.trim_start().strip_prefix('"') else {
        return Err(AuthHeaderError::UnquotedValue(key.to_owned()));
    };
    let Some((value, after)) = quoted.split_once('"') else {
        return Err(AuthHeaderError::UnterminatedValue(key.to_owned()));
    };
    let after = after.trim_start();
    let rest = if after.is_empty() {
        after
    } else if let Some(rest) = after.strip_prefix(',') {
        rest.trim_start()
    } else {
        return Err(AuthHeaderError::MissingSeparator(key.to_owned()));
    };
    Ok((key, value, rest))
}

/// Whether `s` is 1..=18 ASCII digits (fits an `i64` with room to spare).
fn is_decimal_seconds(s: &str) -> bool {
    !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit())
}
