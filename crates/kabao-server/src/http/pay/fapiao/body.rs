//! JSON bodies of APIv3 calls: a body that does not parse is 400
//! PARAM_ERROR naming the field path (`fapiao_information[0].items[1].tax_rate`),
//! and so is a string holding a 4-byte UTF-8 character, which APIv3 does not
//! accept (its basic rules allow only the 1–3-byte subset).

use crate::http::pay::PayError;
use serde::de::DeserializeOwned;

/// Parses `body` as `T`; on failure, PARAM_ERROR names the offending field.
pub fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, PayError> {
    let value = parse_typed(body)?;
    if let Some((field, c)) = four_byte_character(body) {
        return Err(PayError::param(
            &field,
            "body",
            format!(
                "holds U+{:04X}, a 4-byte UTF-8 character; APIv3 accepts only 1-3-byte UTF-8",
                c as u32
            ),
        ));
    }
    Ok(value)
}

/// The first field (path) whose name or string value holds a character
/// beyond U+FFFF, sent raw or as a `\uD83D\uDE00` escape pair.
fn four_byte_character(body: &[u8]) -> Option<(String, char)> {
    let escaped = body.windows(4).any(|w| {
        w[0] == b'\\'
            && w[1] == b'u'
            && matches!(w[2], b'd' | b'D')
            && matches!(w[3], b'8'..=b'9' | b'a'..=b'b' | b'A'..=b'B')
    });
    if !escaped && !body.iter().any(|&b| b >= 0xF0) {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    find_four_byte(&value, String::new())
}

fn find_four_byte(value: &serde_json::Value, path: String) -> Option<(String, char)> {
    let wide = |s: &str| s.chars().find(|c| c.len_utf8() == 4);
    match value {
        serde_json::Value::String(s) => wide(s).map(|c| (or_body(path), c)),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_four_byte(v, format!("{path}[{i}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            let at = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            match wide(k) {
                Some(c) => Some((at, c)),
                None => find_four_byte(v, at),
            }
        }),
        _ => None,
    }
}

fn or_body(path: String) -> String {
    if path.is_empty() {
        "body".into()
    } else {
        path
    }
}

fn parse_typed<T: DeserializeOwned>(body: &[u8]) -> Result<T, PayError> {
    crate::http::json_shape::check(body)
        .map_err(|p| PayError::param(p.field(), "body", p.reason()))?;
    let de = &mut serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let field = if path == "." || path.is_empty() {
            missing_field(&inner.to_string()).unwrap_or_else(|| "body".to_owned())
        } else {
            match missing_field(&inner.to_string()) {
                Some(missing) => format!("{path}.{missing}"),
                None => path,
            }
        };
        PayError::param(&field, "body", describe(&inner))
    })?;
    Ok(value)
}

/// The field serde names in "missing field `x`".
fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest[..rest.find('`')?].to_owned())
}

fn describe(e: &serde_json::Error) -> String {
    let text = e.to_string();
    // serde_json appends " at line L column C", which says nothing useful here.
    match text.find(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        tax_rate: i64,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        scene: String,
        items: Vec<Item>,
    }

    #[test]
    fn names_the_field_holding_a_four_byte_character_raw_or_escaped() {
        for body in [
            "{\"scene\":\"A\",\"items\":[{\"tax_rate\":1,\"n\":\"\u{1F600}\"}]}".to_owned(),
            r#"{"scene":"A","items":[{"tax_rate":1,"n":"\ud83d\ude00"}]}"#.to_owned(),
        ] {
            let e = parse_body::<Body>(body.as_bytes()).unwrap_err();
            assert_eq!(
                e.detail.unwrap().field.as_deref(),
                Some("items[0].n"),
                "{body}"
            );
        }
        assert!(parse_body::<Body>("{\"scene\":\"中文\",\"items\":[]}".as_bytes()).is_ok());
    }

    #[test]
    fn names_the_path_of_a_wrong_type_and_of_a_missing_field() {
        let e = parse_body::<Body>(br#"{"scene":"A","items":[{"tax_rate":"x"}]}"#).unwrap_err();
        assert_eq!(
            e.detail.unwrap().field.as_deref(),
            Some("items[0].tax_rate")
        );
        let e = parse_body::<Body>(br#"{"items":[]}"#).unwrap_err();
        assert_eq!(e.detail.unwrap().field.as_deref(), Some("scene"));
        let e = parse_body::<Body>(br#"{"scene":"A","items":[{}]}"#).unwrap_err();
        assert_eq!(
            e.detail.unwrap().field.as_deref(),
            Some("items[0].tax_rate")
        );
    }
}
