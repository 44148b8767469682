//! Optional TLS: `kabao tls init` makes a local CA and a server certificate
//! for WeChat's API host names, so SDKs with hard-coded hosts can be pointed
//! at kabao through a hosts entry and a trusted CA. HTTP/1.1 only in ALPN,
//! because wechatpay-java reads header names case-sensitively.

use crate::files::write_owner_only;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose, SanType,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Host names the server certificate covers.
pub const HOSTS: &[&str] = &[
    "api.weixin.qq.com",
    "api.mch.weixin.qq.com",
    "api2.mch.weixin.qq.com",
    "localhost",
];

/// The files `kabao tls init` writes.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    /// The CA certificate to trust (`REQUESTS_CA_BUNDLE`, Java truststore, …).
    pub ca_cert: PathBuf,
    /// The CA's private key.
    pub ca_key: PathBuf,
    /// The server certificate chain (server, then CA).
    pub server_cert: PathBuf,
    /// The server's private key.
    pub server_key: PathBuf,
}

impl TlsFiles {
    /// The file names inside `dir`.
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            ca_cert: dir.join("ca.pem"),
            ca_key: dir.join("ca.key.pem"),
            server_cert: dir.join("server.pem"),
            server_key: dir.join("server.key.pem"),
        }
    }

    fn exist(&self) -> bool {
        [
            &self.ca_cert,
            &self.ca_key,
            &self.server_cert,
            &self.server_key,
        ]
        .iter()
        .all(|p| p.exists())
    }
}

/// Creates the CA and server certificate in `dir` unless they exist (or `force`).
pub fn init(dir: &Path, force: bool) -> anyhow::Result<TlsFiles> {
    let files = TlsFiles::in_dir(dir);
    if files.exist() && !force {
        return Ok(files);
    }
    std::fs::create_dir_all(dir)?;
    let ca_key = KeyPair::generate()?;
    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    ca.distinguished_name
        .push(DnType::CommonName, "kabao local CA");
    ca.distinguished_name
        .push(DnType::OrganizationName, "kabao");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key)?;

    let server_key = KeyPair::generate()?;
    let mut server =
        CertificateParams::new(HOSTS.iter().map(|h| h.to_string()).collect::<Vec<_>>())?;
    server
        .subject_alt_names
        .push(SanType::IpAddress(std::net::IpAddr::from([127, 0, 0, 1])));
    server
        .distinguished_name
        .push(DnType::CommonName, "api.mch.weixin.qq.com");
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server_cert = server.signed_by(&server_key, &ca_cert, &ca_key)?;

    std::fs::write(&files.ca_cert, ca_cert.pem())?;
    write_owner_only(&files.ca_key, &ca_key.serialize_pem())?;
    std::fs::write(
        &files.server_cert,
        format!("{}{}", server_cert.pem(), ca_cert.pem()),
    )?;
    write_owner_only(&files.server_key, &server_key.serialize_pem())?;
    Ok(files)
}

/// A rustls server configuration from `files`, offering only HTTP/1.1.
pub fn server_config(files: &TlsFiles) -> anyhow::Result<Arc<rustls::ServerConfig>> {
    let chain =
        CertificateDer::pem_file_iter(&files.server_cert)?.collect::<Result<Vec<_>, _>>()?;
    let key = PrivateKeyDer::from_pem_file(&files.server_key)?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
