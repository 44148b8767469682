//! The `signature` query parameter of a push (and of URL verification): it
//! proves to the Official Account's server that the push comes from the
//! platform that knows the token configured in the console.

use aws_lc_rs::digest;

/// `hex(sha1(concat(sort([token, timestamp, nonce]))))`, lower-case, as the
/// Official Account server recomputes it to authenticate a push.
pub fn push_signature(token: &str, timestamp: &str, nonce: &str) -> String {
    let mut parts = [token, timestamp, nonce];
    parts.sort_unstable();
    let joined = parts.concat();
    hex::encode(digest::digest(
        &digest::SHA1_FOR_LEGACY_USE_ONLY,
        joined.as_bytes(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_of_the_arguments_does_not_matter() {
        assert_eq!(
            push_signature("a", "b", "c"),
            push_signature("c", "a", "b"),
            "the three parts are sorted before hashing"
        );
        assert_eq!(push_signature("a", "b", "c").len(), 40);
    }
}
