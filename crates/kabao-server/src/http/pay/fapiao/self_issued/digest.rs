//! SM3 (GB/T 32905-2016), the digest upload-fapiao-file declares in
//! `meta.digest`.

use sm3::{Digest, Sm3};

/// The SM3 digest of `bytes`, lower-case hex.
pub fn sm3_hex(bytes: &[u8]) -> String {
    hex::encode(Sm3::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_standard_abc_vector() {
        assert_eq!(
            sm3_hex(b"abc"),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }

    #[test]
    fn matches_the_sdk_upload_vector() {
        // shared/reference/test-vectors/vectors.json, request_upload_meta:
        // the file is `%PDF-1.4` and a newline.
        assert_eq!(
            sm3_hex(b"%PDF-1.4\n"),
            "56f7c9b038ae39f1ab7d5be3a3caabef8d444b9cd6839c86a24edddfbb753039"
        );
    }
}
