//! An uploaded fapiao file, as both upload calls take it (self-issued
//! upload-fapiao-file F19, taxi cards/upload-file T10): at most 2 MB, its
//! format told by its first bytes, its SM3 digest (GB/T 32905-2016) as the
//! signed `meta` declares it, and the `fapiao_media_id` it is known by.
//! Errors name the multipart part or meta field.

use crate::domain::FieldError;
use base64::Engine;
use sm3::{Digest, Sm3};

/// Largest fapiao file WeChat accepts: 2 MB.
pub const MAX_FAPIAO_FILE_BYTES: usize = 2 * 1024 * 1024;

/// The formats a fapiao file comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// PDF: starts with `%PDF-`.
    Pdf,
    /// OFD: a ZIP container, starts with `PK\x03\x04`.
    Ofd,
}

/// The `file` part: 1 byte to 2 MB, in `format`.
pub fn check_file(format: FileFormat, bytes: &[u8]) -> Result<(), FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::new("file", "the file part is empty"));
    }
    if bytes.len() > MAX_FAPIAO_FILE_BYTES {
        return Err(FieldError::new(
            "file",
            format!(
                "is {} bytes; a fapiao file may be at most {MAX_FAPIAO_FILE_BYTES} bytes (2 MB)",
                bytes.len()
            ),
        ));
    }
    let (magic, what): (&[u8], &str) = match format {
        FileFormat::Pdf => (b"%PDF-", "a PDF file (it does not start with %PDF-)"),
        FileFormat::Ofd => (
            b"PK\x03\x04",
            "an OFD file (an OFD is a ZIP container starting with PK)",
        ),
    };
    if !bytes.starts_with(magic) {
        return Err(FieldError::new("file", format!("is not {what}")));
    }
    Ok(())
}

/// The SM3 digest of `bytes`, lower-case hex.
pub fn sm3_hex(bytes: &[u8]) -> String {
    hex::encode(Sm3::digest(bytes))
}

/// `meta.digest` must be the SM3 of the file (either case); answers the
/// digest in lower case.
pub fn check_digest(declared: &str, bytes: &[u8]) -> Result<String, FieldError> {
    let digest = sm3_hex(bytes);
    if declared.eq_ignore_ascii_case(&digest) {
        return Ok(digest);
    }
    Err(FieldError::new(
        "digest",
        format!(
            "{declared} is not the SM3 digest of the {}-byte file (lower-case hex of SM3 over the file bytes)",
            bytes.len()
        ),
    ))
}

/// A new `fapiao_media_id`: 16 random bytes in base64, the shape of
/// WeChat's example `ASNFZ4mrze/+3LqYdlQyEA==`.
pub fn new_media_id() -> String {
    let bytes: [u8; 16] = rand::random();
    base64::engine::general_purpose::STANDARD.encode(bytes)
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
        let upper = sm3_hex(b"%PDF-1.4\n").to_uppercase();
        assert_eq!(
            check_digest(&upper, b"%PDF-1.4\n").unwrap(),
            sm3_hex(b"%PDF-1.4\n")
        );
        assert_eq!(
            check_digest("00", b"%PDF-1.4\n").unwrap_err().field,
            "digest"
        );
    }

    #[test]
    fn the_file_is_sized_and_sniffed() {
        assert_eq!(check_file(FileFormat::Pdf, b"%PDF-1.4\n"), Ok(()));
        assert_eq!(check_file(FileFormat::Ofd, b"PK\x03\x04rest"), Ok(()));
        for (format, bytes) in [
            (FileFormat::Pdf, &b""[..]),
            (FileFormat::Pdf, &b"PK\x03\x04"[..]),
            (FileFormat::Ofd, &b"%PDF-1.4"[..]),
        ] {
            assert_eq!(check_file(format, bytes).unwrap_err().field, "file");
        }
        let big = [b"%PDF-".as_slice(), &vec![0; MAX_FAPIAO_FILE_BYTES]].concat();
        assert!(check_file(FileFormat::Pdf, &big).is_err());
    }

    #[test]
    fn media_ids_look_like_the_official_example() {
        let id = new_media_id();
        assert_eq!(id.len(), "ASNFZ4mrze/+3LqYdlQyEA==".len());
        assert_ne!(id, new_media_id());
    }
}
