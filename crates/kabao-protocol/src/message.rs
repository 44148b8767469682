//! The byte strings that APIv3 signatures cover.
//!
//! Signatures are computed over these exact bytes, so both the signer and the
//! verifier must build them the same way: every line ends in `\n`, including
//! the last, and the body is appended raw (never re-serialized).

/// Builds the request message `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`.
///
/// Signed by the merchant in the `Authorization` header; `canonical_url` is
/// the path plus `?query` exactly as on the wire, and `body` is the raw request
/// body (or the multipart `meta` JSON for uploads, empty for GET).
pub fn request_message(
    method: &str,
    canonical_url: &str,
    timestamp: &str,
    nonce: &str,
    body: &[u8],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(
        method.len() + canonical_url.len() + timestamp.len() + nonce.len() + body.len() + 5,
    );
    for line in [method, canonical_url, timestamp, nonce] {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out.extend_from_slice(body);
    out.push(b'\n');
    out
}

/// Builds the response/callback message `TIMESTAMP\nNONCE\nBODY\n`.
///
/// Signed by the platform into `Wechatpay-Signature`; an empty body (204)
/// gives `TIMESTAMP\nNONCE\n\n`.
pub fn response_message(timestamp: &str, nonce: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(timestamp.len() + nonce.len() + body.len() + 3);
    for line in [timestamp, nonce] {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out.extend_from_slice(body);
    out.push(b'\n');
    out
}
