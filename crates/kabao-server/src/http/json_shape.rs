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
    let _ = Walk { found: &found }.deserialize(&mut de);
    match found.into_inner() {
        Some(path) => Err(ShapeProblem::DuplicateKey(render(&path))),
        None => Ok(()),
    }
}

/// One step of the path to a duplicated key, outermost first.
enum Step {
    Key(String),
    Index(usize),
}

/// `a.b[1].c` from its steps.
fn render(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) if out.is_empty() => out.push_str(key),
            Step::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Walks one value. Nothing is allocated for a body without a duplicate
/// (keys are borrowed from the body where they have no escapes); the path
/// to the first duplicate is put together as the walk climbs back out of it.
struct Walk<'a> {
    found: &'a RefCell<Option<Vec<Step>>>,
}

impl Walk<'_> {
    /// Walks the value `descend` reads; when the first duplicate was found
    /// inside it, puts `step` in front of its path.
    fn within<T>(&self, step: impl FnOnce() -> Step, descend: impl FnOnce() -> T) -> T {
        let before = self.found.borrow().is_some();
        let walked = descend();
        if !before {
            if let Some(path) = self.found.borrow_mut().as_mut() {
                path.insert(0, step());
            }
        }
        walked
    }
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
        loop {
            let found = self.found;
            let next = self.within(|| Step::Index(i), || seq.next_element_seed(Walk { found }))?;
            if next.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = Keys::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if !seen.is_new(&key) && self.found.borrow().is_none() {
                *self.found.borrow_mut() = Some(vec![Step::Key(key.as_str().to_owned())]);
                map.next_value::<serde::de::IgnoredAny>()?;
                continue;
            }
            let found = self.found;
            self.within(
                || Step::Key(key.as_str().to_owned()),
                || map.next_value_seed(Walk { found }),
            )?;
            seen.keep(key);
        }
        Ok(())
    }
}

/// An object key: borrowed from the body unless it had escapes.
#[derive(PartialEq, Eq, Hash)]
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(s))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(s.to_owned()))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// The keys of one object seen so far: a short list, a set once the
/// object is large (a hostile body may hold thousands of keys).
#[derive(Default)]
struct Keys<'de> {
    few: Vec<Key<'de>>,
    many: HashSet<String>,
}

impl<'de> Keys<'de> {
    /// Most keys searched one by one before the set takes over.
    const FEW: usize = 16;

    /// Whether `key` is not among the keys kept so far.
    fn is_new(&self, key: &Key<'de>) -> bool {
        if self.many.is_empty() {
            !self.few.iter().any(|k| k.as_str() == key.as_str())
        } else {
            !self.many.contains(key.as_str())
        }
    }

    /// Remembers `key` (already known to be new).
    fn keep(&mut self, key: Key<'de>) {
        if self.many.is_empty() && self.few.len() < Self::FEW {
            self.few.push(key);
            return;
        }
        if self.many.is_empty() {
            self.many
                .extend(self.few.drain(..).map(|k| k.as_str().to_owned()));
        }
        self.many.insert(key.as_str().to_owned());
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
        assert_eq!(
            check(b"{\"x\":{\"y\":[0,{\"z\\u0041\":1,\"zA\":2}]},\"x\":1}"),
            Err(ShapeProblem::DuplicateKey("x.y[1].zA".into())),
            "an escaped key equals its plain spelling; the first duplicate is named"
        );
    }

    #[test]
    fn a_large_object_is_checked_through_its_set() {
        let keys: Vec<String> = (0..40).map(|i| format!("\"k{i}\":{i}")).collect();
        let unique = format!("{{{}}}", keys.join(","));
        assert_eq!(check(unique.as_bytes()), Ok(()));
        let doubled = format!("{{{},\"k3\":0}}", keys.join(","));
        assert_eq!(
            check(doubled.as_bytes()),
            Err(ShapeProblem::DuplicateKey("k3".into()))
        );
    }
}
