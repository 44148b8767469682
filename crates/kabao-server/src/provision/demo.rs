//! The demo world made on first start: three Official Account apps, a
//! merchant, a taxi service provider with its demo fleet (demo_taxi.rs),
//! users, and their keys in `demo/`, plus a printout that lets a newcomer
//! make one call per family at once.

use super::apply::{ProvisionError, Provisioner};
use super::demo_taxi::{create_demo_fleet, DemoCall};
use super::spec::{AppSpec, MerchantSpec, UserSpec};
use crate::files::write_owner_only;
use crate::store::Store;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

/// Appid of the demo invoicing platform (开票平台).
pub const DEMO_PLATFORM_APPID: &str = "wx5ab0c0de00000001";
/// Appid of the demo merchant's Official Account.
pub const DEMO_MERCHANT_APPID: &str = "wx5ab0c0de00000002";
/// Appid of the demo fiscal bureau (财政局).
pub const DEMO_BUREAU_APPID: &str = "wx5ab0c0de00000003";
/// The demo direct merchant.
pub const DEMO_MCHID: &str = "1900000001";
/// The demo taxi service provider.
pub const DEMO_PROVIDER_MCHID: &str = "1900000100";

/// Creates the demo world in `store`, writing keys under `folder`, and returns
/// the newcomer's guide: credentials and copy-paste calls (also saved as `folder/credentials.txt`). `base_url` is
/// where kabao listens and `program` how the `kabao` binary is invoked, for
/// the example calls; `now_ms` is kabao's time.
pub async fn create_demo_world(
    provisioner: &Provisioner,
    store: &Arc<dyn Store>,
    folder: &Path,
    base_url: &str,
    admin_token: &str,
    program: &str,
    now_ms: i64,
) -> Result<String, ProvisionError> {
    let io =
        |e: std::io::Error| ProvisionError::Internal(format!("writing {}: {e}", folder.display()));
    std::fs::create_dir_all(folder).map_err(io)?;
    let mut guide = String::new();
    let _ = writeln!(guide, "kabao demo world (base URL {base_url})\n");

    let apps = [
        (
            DEMO_PLATFORM_APPID,
            "invoicing_platform",
            "Kabao Demo Invoicing Platform",
        ),
        (DEMO_MERCHANT_APPID, "merchant", "Kabao Demo Merchant OA"),
        (
            DEMO_BUREAU_APPID,
            "fiscal_bureau",
            "Kabao Demo Fiscal Bureau",
        ),
    ];
    let mut made_apps = Vec::new();
    for (appid, role, name) in apps {
        let app = provisioner
            .app(&AppSpec {
                appid: appid.into(),
                secret: None,
                role: role.into(),
                name: Some(name.into()),
            })
            .await?;
        made_apps.push(app);
    }
    for app in &made_apps {
        let _ = writeln!(
            guide,
            "Official Account — {} ({})\n  appid  {}\n  secret {}\n  curl '{base_url}/cgi-bin/token?grant_type=client_credential&appid={}&secret={}'\n",
            app.name,
            app.role.as_str(),
            app.appid,
            app.secret,
            app.appid,
            app.secret
        );
    }

    let people = [
        ("Alice Wang", "alice"),
        ("Bob Li", "bob"),
        ("Chen Mei", "chen"),
    ];
    for (name, handle) in people {
        let unionid = format!("uKabaoDemo{handle}");
        for app in &made_apps {
            provisioner
                .user(&UserSpec {
                    appid: app.appid.to_string(),
                    openid: None,
                    unionid: Some(unionid.clone()),
                    name: Some(name.into()),
                })
                .await?;
        }
    }
    let _ = writeln!(guide, "Users: Alice Wang, Bob Li, Chen Mei (one openid per app, shared unionid); list them with\n  curl -H 'Authorization: Bearer {admin_token}' {base_url}/_kabao/api/users\n");

    let merchants = [
        (
            DEMO_MCHID,
            "direct",
            "Kabao Demo Store",
            "WeChat Pay — merchant (fapiao)",
        ),
        (
            DEMO_PROVIDER_MCHID,
            "service_provider",
            "Kabao Demo Taxi Platform",
            "WeChat Pay — taxi service provider",
        ),
    ];
    let mut provider_key = None;
    for (mchid, kind, name, title) in merchants {
        let made = provisioner
            .merchant(&MerchantSpec {
                mchid: mchid.into(),
                name: Some(name.into()),
                kind: Some(kind.into()),
                generate_certificate: true,
                ..MerchantSpec::default()
            })
            .await?;
        let dir = folder.join(format!("merchant-{mchid}"));
        std::fs::create_dir_all(&dir).map_err(io)?;
        let key_path = dir.join("apiclient_key.pem");
        write_owner_only(
            &key_path,
            made.generated_private_key_pem
                .as_deref()
                .unwrap_or_default(),
        )
        .map_err(io)?;
        let cert = &made.certificates[0];
        std::fs::write(
            dir.join("apiclient_cert.pem"),
            cert.certificate_pem.as_deref().unwrap_or_default(),
        )
        .map_err(io)?;
        write_owner_only(&dir.join("apiv3_key.txt"), made.merchant.apiv3_key.expose())
            .map_err(io)?;
        let _ = writeln!(
            guide,
            "{title}\n  mchid     {mchid}\n  serial_no {}\n  apiv3_key {}\n  key file  {}\n  curl -H \"Authorization: $({program} sign --mchid {mchid} --serial {} --key {} GET /v3/certificates)\" {base_url}/v3/certificates\n",
            cert.serial_no,
            made.merchant.apiv3_key.expose(),
            key_path.display(),
            cert.serial_no,
            key_path.display(),
        );
        if mchid == DEMO_PROVIDER_MCHID {
            provider_key = Some((cert.serial_no.to_string(), key_path));
        }
    }
    if let Some((serial, key_path)) = &provider_key {
        let call = DemoCall {
            base_url,
            program,
            serial,
            key_path,
        };
        let section = create_demo_fleet(provisioner, store, now_ms, folder, &call).await?;
        let _ = writeln!(guide, "{section}");
    }

    let platform_dir = folder.join("platform");
    std::fs::create_dir_all(&platform_dir).map_err(io)?;
    for key in store.platform_keys().await? {
        if let (Some(serial), Some(cert)) = (&key.serial_no, &key.certificate_pem) {
            std::fs::write(platform_dir.join(format!("wechatpay_{serial}.pem")), cert)
                .map_err(io)?;
        }
        if let Some(id) = &key.public_key_id {
            let public = kabao_protocol::rsa::PrivateKey::from_pem(&key.private_key_pem)
                .map_err(|e| ProvisionError::Internal(e.to_string()))?
                .public_key()
                .to_spki_pem();
            std::fs::write(platform_dir.join("pub_key.pem"), public).map_err(io)?;
            let _ = writeln!(
                guide,
                "WeChat Pay platform\n  certificate serial {}\n  public key id      {id}\n  files in          {}\n",
                key.serial_no.as_ref().map(|s| s.as_str()).unwrap_or("-"),
                platform_dir.display()
            );
        }
    }
    write_owner_only(&folder.join("credentials.txt"), &guide).map_err(io)?;
    Ok(guide)
}
