//! Reading the facts the server needs out of X.509 certificates.

use x509_parser::prelude::{FromDer, X509Certificate};

use crate::rsa::PublicKey;
use crate::CryptoError;

/// Facts read from an X.509 certificate PEM: what the server needs to identify
/// and validate a merchant API certificate or a platform certificate.
#[derive(Debug, Clone)]
pub struct CertificateInfo {
    /// Serial number as upper-case hex without leading zeros (Java's
    /// `BigInteger.toString(16).toUpperCase()`), the form of `serial_no` and `Wechatpay-Serial`.
    pub serial_hex: String,
    /// Start of validity, Unix seconds.
    pub not_before: i64,
    /// End of validity, Unix seconds.
    pub not_after: i64,
    /// The subject's RSA public key.
    pub public_key: PublicKey,
    /// The PEM text exactly as it was given.
    pub pem: String,
}

/// Parses the first `CERTIFICATE` block of `pem`; the key must be RSA.
pub fn parse_certificate_pem(pem: &str) -> Result<CertificateInfo, CryptoError> {
    let (_, der) = crate::pem_util::first_block(pem, &["CERTIFICATE"], "CERTIFICATE")?;
    parse_certificate_der(&der, pem.to_owned())
}

/// Parses certificate DER; `pem` is stored as the certificate's text form.
pub(crate) fn parse_certificate_der(
    der: &[u8],
    pem: String,
) -> Result<CertificateInfo, CryptoError> {
    let (_, cert) =
        X509Certificate::from_der(der).map_err(|e| CryptoError::Certificate(e.to_string()))?;
    let public_key = PublicKey::from_spki_der(cert.public_key().raw)
        .map_err(|e| CryptoError::Certificate(format!("subject public key: {e}")))?;
    let validity = cert.validity();
    Ok(CertificateInfo {
        serial_hex: serial_hex(cert.raw_serial()),
        not_before: validity.not_before.timestamp(),
        not_after: validity.not_after.timestamp(),
        public_key,
        pem,
    })
}

/// Formats DER integer bytes as upper-case hex with no leading zero digit ("0" for zero).
fn serial_hex(raw: &[u8]) -> String {
    let digits = hex::encode_upper(raw);
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::serial_hex;

    #[test]
    fn serial_hex_drops_leading_zeros() {
        assert_eq!(serial_hex(&[0x00, 0xD7, 0xCE]), "D7CE");
        assert_eq!(serial_hex(&[0x05, 0xDE]), "5DE");
        assert_eq!(serial_hex(&[0x00]), "0");
        assert_eq!(serial_hex(&[]), "0");
    }
}
