//! JSON bodies of fapiao calls: a body that does not parse is 400
//! PARAM_ERROR naming the field path (`fapiao_information[0].items[1].tax_rate`).

use crate::http::pay::PayError;
use serde::de::DeserializeOwned;

/// Parses `body` as `T`; on failure, PARAM_ERROR names the offending field.
pub fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, PayError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
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
    })
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
