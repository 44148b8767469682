//! Provisioning of tenants. One set of specs and one [`Provisioner`] serve
//! the three ways in: a TOML file, CLI subcommands and the control API.

mod apply;
mod demo;
mod demo_taxi;
mod file;
mod spec;

pub use apply::{ProvisionError, Provisioned, Provisioner};
pub use demo::{
    create_demo_world, DEMO_BUREAU_APPID, DEMO_MCHID, DEMO_MERCHANT_APPID, DEMO_PLATFORM_APPID,
    DEMO_PROVIDER_MCHID,
};
pub use demo_taxi::renew_demo_taxi_file;
pub use file::ProvisionFile;
pub use spec::{AppSpec, CertificateSpec, MerchantSpec, PlatformKeySpec, UserSpec};
