//! Key and certificate generation (rcgen over aws-lc-rs): platform signing
//! keys, merchant API certificates for the demo world, and the local TLS CA.

use crate::domain::ids::{Mchid, PublicKeyId, SerialNo};
use crate::domain::tenant::{MerchantCertificate, PlatformKey};
use kabao_protocol::rsa::PrivateKey;
use rand::Rng;
use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, SerialNumber, PKCS_RSA_SHA256};
use time::OffsetDateTime;

/// Five years, the lifetime WeChat Pay gives new certificates.
pub const CERTIFICATE_LIFETIME_SECS: i64 = 5 * 365 * 86_400;

/// A fresh RSA-2048 key pair for rcgen, together with its PKCS#8 PEM.
pub fn generate_rsa_key() -> anyhow::Result<(KeyPair, String)> {
    let key = KeyPair::generate_for(&PKCS_RSA_SHA256)?;
    let pem = key.serialize_pem();
    Ok((key, pem))
}

/// Twenty random bytes whose first byte is at least 0x10, so Go's `%X` of the
/// bytes and Java's/Python's `BigInteger` hex give the same serial string.
pub fn random_serial() -> Vec<u8> {
    let mut rng = rand::thread_rng();
    let mut bytes: Vec<u8> = (0..20).map(|_| rng.gen()).collect();
    bytes[0] = rng.gen_range(0x10..0x80);
    bytes
}

/// Upper-case hex of serial bytes (no leading zero nibble by construction).
pub fn serial_hex(bytes: &[u8]) -> String {
    hex::encode_upper(bytes)
}

fn at(unix: i64) -> anyhow::Result<OffsetDateTime> {
    Ok(OffsetDateTime::from_unix_timestamp(unix)?)
}

/// A self-signed certificate for `key` with the given subject and serial,
/// valid from `not_before` for [`CERTIFICATE_LIFETIME_SECS`].
pub fn self_signed(
    key: &KeyPair,
    common_name: &str,
    organization: &str,
    serial: &[u8],
    not_before: i64,
) -> anyhow::Result<String> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    dn.push(DnType::OrganizationName, organization);
    dn.push(DnType::CountryName, "CN");
    params.distinguished_name = dn;
    params.serial_number = Some(SerialNumber::from_slice(serial));
    params.not_before = at(not_before)?;
    params.not_after = at(not_before + CERTIFICATE_LIFETIME_SECS)?;
    Ok(params.self_signed(key)?.pem())
}

/// A new platform signing key with a certificate and a public key id.
pub fn generate_platform_key(now: i64) -> anyhow::Result<PlatformKey> {
    let (key, private_key_pem) = generate_rsa_key()?;
    let serial = random_serial();
    let not_before = now - 86_400;
    let certificate_pem = self_signed(
        &key,
        "Tenpay.com Root CA (kabao)",
        "Tenpay.com",
        &serial,
        not_before,
    )?;
    let mut rng = rand::thread_rng();
    let id_digits: String = (0..28)
        .map(|_| char::from(b'0' + rng.gen_range(0..10)))
        .collect();
    Ok(PlatformKey {
        serial_no: Some(SerialNo::parse("serial_no", &serial_hex(&serial))?),
        public_key_id: Some(PublicKeyId::parse(
            "public_key_id",
            &format!("PUB_KEY_ID_{id_digits}"),
        )?),
        private_key_pem,
        certificate_pem: Some(certificate_pem),
        not_before,
        not_after: not_before + CERTIFICATE_LIFETIME_SECS,
    })
}

/// A merchant API certificate and its private key (PKCS#8 PEM), as a
/// merchant would download from the merchant platform.
pub fn generate_merchant_certificate(
    mchid: &Mchid,
    name: &str,
    now: i64,
) -> anyhow::Result<(MerchantCertificate, String)> {
    let (key, private_key_pem) = generate_rsa_key()?;
    let serial = random_serial();
    let not_before = now - 86_400;
    let certificate_pem = self_signed(&key, mchid.as_str(), name, &serial, not_before)?;
    let public_key_pem = PrivateKey::from_pem(&private_key_pem)?
        .public_key()
        .to_spki_pem();
    Ok((
        MerchantCertificate {
            mchid: mchid.clone(),
            serial_no: SerialNo::parse("serial_no", &serial_hex(&serial))?,
            public_key_pem,
            certificate_pem: Some(certificate_pem),
            not_after: Some(not_before + CERTIFICATE_LIFETIME_SECS),
        },
        private_key_pem,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kabao_protocol::certificate::parse_certificate_pem;

    #[test]
    fn platform_certificates_carry_the_serial_they_are_published_under() {
        let key = generate_platform_key(1_700_000_000).unwrap();
        let info = parse_certificate_pem(key.certificate_pem.as_deref().unwrap()).unwrap();
        assert_eq!(
            Some(info.serial_hex.as_str()),
            key.serial_no.as_ref().map(|s| s.as_str())
        );
        assert_eq!(info.not_before, key.not_before);
        assert_eq!(info.not_after, key.not_after);
        let private = PrivateKey::from_pem(&key.private_key_pem).unwrap();
        let sig = private.sign_sha256_b64(b"hello");
        info.public_key.verify_sha256_b64(b"hello", &sig).unwrap();
    }
}
