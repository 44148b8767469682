//! PEM helpers: pick the block a caller wants out of a document and write PEM with LF line ends.

use crate::CryptoError;

/// Returns the label and contents of the first block whose label is in `accepted`.
///
/// Documents may carry several blocks (a certificate chain, a key followed by
/// its certificate); the first acceptable one wins.
pub(crate) fn first_block(
    text: &str,
    accepted: &[&'static str],
    expected: &'static str,
) -> Result<(String, Vec<u8>), CryptoError> {
    let blocks = pem::parse_many(text).map_err(|e| CryptoError::Pem(e.to_string()))?;
    let found = blocks
        .iter()
        .map(|b| b.tag().to_owned())
        .collect::<Vec<_>>();
    blocks
        .into_iter()
        .find(|b| accepted.contains(&b.tag()))
        .map(|b| (b.tag().to_owned(), b.into_contents()))
        .ok_or_else(|| CryptoError::UnexpectedPemLabel {
            expected,
            found: if found.is_empty() {
                "none".to_owned()
            } else {
                found.join(", ")
            },
        })
}

/// Encodes `der` as a PEM block with `\n` line ends (64-column base64).
pub(crate) fn encode(label: &str, der: &[u8]) -> String {
    let block = pem::Pem::new(label, der);
    pem::encode_config(
        &block,
        pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
    )
}
