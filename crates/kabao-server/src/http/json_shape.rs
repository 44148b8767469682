//! Shape rules every JSON request body of every family obeys before it is
//! read as its type: the top level is an object, and no object has the same
//! key twice. serde alone lets both through in places (a struct reads a
//! JSON array positionally; a map or `Value` field keeps the last of two
//! equal keys), so a body meaning two things would be half-read silently.

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

/// What is wrong with a body's shape, naming where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeProblem {
    /// The top level is not a JSON object.
    NotAnObject,
    /// The key at this path appears twice in its object.
    DuplicateKey(String),
}

impl ShapeProblem {
    /// The field to name: `body`, or the duplicated key's path.
    pub fn field(&self) -> &str {
        match self {
            Self::NotAnObject => "body",
            Self::DuplicateKey(path) => path,
        }
    }

    /// Why, in words.
    pub fn reason(&self) -> String {
        match self {
            Self::NotAnObject => "the body must be a JSON object".into(),
            Self::DuplicateKey(path) => format!("{path} appears twice in its object"),
        }
    }
}

/// Checks `bytes` (already known to be JSON) against the shape rules.
pub fn check(bytes: &[u8]) -> Result<(), ShapeProblem> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        // Not JSON at all is the parser's to explain (line and column).
        let is_json = serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok();
        return if is_json {
            Err(ShapeProblem::NotAnObject)
        } else {
            Ok(())
        };
    }
    let found = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let _ = Walk {
        path: String::new(),
        found: &found,
    }
    .deserialize(&mut de);
    match found.into_inner() {
        Some(path) => Err(ShapeProblem::DuplicateKey(path)),
        None => Ok(()),
    }
}

struct Walk<'a> {
    path: String,
    found: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        while seq
            .next_element_seed(Walk {
                path: format!("{}[{i}]", self.path),
                found: self.found,
            })?
            .is_some()
        {
            i += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let at = if self.path.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", self.path)
            };
            if !seen.insert(key) && self.found.borrow().is_none() {
                *self.found.borrow_mut() = Some(at.clone());
            }
            map.next_value_seed(Walk {
                path: at,
                found: self.found,
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_arrays_and_names_a_duplicated_key_at_any_depth() {
        assert_eq!(check(b" [1]"), Err(ShapeProblem::NotAnObject));
        assert_eq!(check(b"{\"a\":1,\"b\":[{\"c\":1}]}"), Ok(()));
        assert_eq!(
            check(b"{\"a\":1,\"b\":[{\"c\":1},{\"c\":1,\"c\":2}]}"),
            Err(ShapeProblem::DuplicateKey("b[1].c".into()))
        );
        assert_eq!(
            check(b"{\"a\":1,\"a\":1}"),
            Err(ShapeProblem::DuplicateKey("a".into()))
        );
    }
}
