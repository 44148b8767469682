//! The demo taxi fleet, so WeChat's official example of `POST
//! /v3/taxi-invoice/cards` answers 204 on a fresh demo kabao as published:
//! the demo service provider's company under the example's mchid, a taxi
//! and a signed-in driver, the example's passenger with a trip order under
//! the example's token, and an uploaded fapiao file under the example's
//! `fapiao_media_id`. That file is usable for 3 days like any other, and
//! each start of kabao with the demo on gives it 3 more days until a card
//! uses it.

use super::apply::{ProvisionError, Provisioner};
use super::spec::{AppSpec, UserSpec};
use crate::domain::fapiao::file::sm3_hex;
use crate::domain::fapiao::pdf::render_fapiao_pdf;
use crate::domain::ids::new_transaction_id;
use crate::domain::taxi::TAXI_MEDIA_TTL_SECS;
use crate::store::taxi_fleet::{CompanyRegistration, NewTaxiCompany, Taxi, TaxiDriver, TaxiPunch};
use crate::store::taxi_trips::{NewRide, NewTaxiMedia};
use crate::store::{Store, StoreResult};
use std::path::Path;
use std::sync::Arc;

/// The demo taxi service provider.
const PROVIDER: &str = super::demo::DEMO_PROVIDER_MCHID;
/// The official example's company_mchid.
const COMPANY_MCHID: &str = "1900000109";
/// The official example's region (Shanghai).
const REGION_ID: i64 = 310100;
/// The demo company's name.
const COMPANY_NAME: &str = "上海卡包演示出租汽车有限公司";
/// The demo taxi.
const PLATE: &str = "沪A12345";
/// The demo driver's 营运资格证号.
const DRIVER_LICENSE: &str = "6298416";
/// The official example's AppID and openid: the demo passenger.
const APPID: &str = "wxb1170446a4c0a5a2";
const OPENID: &str = "oUypO5aQ1oOCaSiNZUpT5kxxJHuc";
/// The official example's trip token.
const TOKEN: &str =
    "ESvqG19gjw0qiiy1eeRA4VusLrOmIYQOMJ8rXX2V-ztUUuQvu_YBEZg9FAht0Y15r71mft9rcaMIjn7y6x0KSg";
/// The official example's fapiao_media_id.
const MEDIA_ID: &str = "ASNFZ4mrze/+3LqYdlQyEA==";
/// The official example's body, as published; written to `demo/`.
const CARD_EXAMPLE: &str = include_str!("taxi-card-example.json");
/// Its file name in `demo/`.
const CARD_EXAMPLE_FILE: &str = "taxi-card-example.json";

/// Registers the demo fleet, its passenger, trip and file (`now_ms`:
/// kabao's time) and writes the example body into `folder`; returns the
/// guide's taxi section, whose signed `curl` of the example follows `call`.
pub async fn create_demo_fleet(
    provisioner: &Provisioner,
    store: &Arc<dyn Store>,
    now_ms: i64,
    folder: &Path,
    call: &DemoCall<'_>,
) -> Result<String, ProvisionError> {
    let now = now_ms.div_euclid(1000);
    let app = provisioner
        .app(&AppSpec {
            appid: APPID.into(),
            secret: None,
            role: "merchant".into(),
            name: Some("Kabao Demo Taxi Mini Program".into()),
        })
        .await?;
    provisioner
        .user(&UserSpec {
            appid: APPID.into(),
            openid: Some(OPENID.into()),
            unionid: Some("uKabaoDemoalice".into()),
            name: Some("Alice Wang".into()),
        })
        .await?;
    register_fleet(store, now_ms).await?;
    store
        .add_ride(&NewRide {
            provider_mchid: PROVIDER.into(),
            company_mchid: COMPANY_MCHID.into(),
            region_id: REGION_ID,
            plate_number: PLATE.into(),
            driver_license: Some(DRIVER_LICENSE.into()),
            appid: APPID.into(),
            openid: OPENID.into(),
            transaction_id: new_transaction_id(now),
            pay_amount: 3800,
            pay_time: now,
            up_time: now - 20 * 60,
            token: Some(TOKEN.into()),
            created_at: now,
        })
        .await?;
    let bytes = fapiao_pdf();
    store
        .put_taxi_media(&NewTaxiMedia {
            fapiao_media_id: MEDIA_ID.into(),
            provider_mchid: PROVIDER.into(),
            company_mchid: COMPANY_MCHID.into(),
            region_id: REGION_ID,
            digest: sm3_hex(&bytes),
            bytes,
            expires_at: now + TAXI_MEDIA_TTL_SECS,
            created_at: now,
        })
        .await?;
    let example = folder.join(CARD_EXAMPLE_FILE);
    std::fs::write(&example, CARD_EXAMPLE)
        .map_err(|e| ProvisionError::Internal(format!("writing {}: {e}", example.display())))?;
    Ok(guide(&app.secret, &example, call))
}

/// Gives the demo's example file 3 more days from `now` while no card uses
/// it; false when there is none to renew (no demo fleet, or already used).
pub async fn renew_demo_taxi_file(store: &Arc<dyn Store>, now: i64) -> StoreResult<bool> {
    store
        .renew_taxi_media(PROVIDER, MEDIA_ID, now + TAXI_MEDIA_TTL_SECS)
        .await
}

/// The company, taxi and driver, and the driver's sign-in at `now_ms`.
async fn register_fleet(store: &Arc<dyn Store>, now_ms: i64) -> Result<(), ProvisionError> {
    let now = now_ms.div_euclid(1000);
    store
        .create_taxi_company(&NewTaxiCompany {
            company_mchid: Some(COMPANY_MCHID.into()),
            provider_mchid: PROVIDER.into(),
            region_id: REGION_ID,
            registration: CompanyRegistration {
                company_name: COMPANY_NAME.into(),
                tax_id: "91310000MA1KABAO0X".into(),
                address: "上海市静安区南京西路1000号".into(),
                phone: Some("02161580000".into()),
                bank_name: Some("中国工商银行上海分行".into()),
                bank_account: Some("1001234567890123".into()),
                invoice_mode: "JIAO_WEI".into(),
                legal_person: "张三".into(),
                short_name: Some("卡包出租".into()),
                enterprise_type: "ENTERPRISE".into(),
            },
            now,
        })
        .await?;
    let taxi = Taxi {
        provider_mchid: PROVIDER.into(),
        region_id: REGION_ID,
        plate_number: PLATE.into(),
        company_mchid: COMPANY_MCHID.into(),
        company_name: COMPANY_NAME.into(),
        main_license: DRIVER_LICENSE.into(),
        deputy_license: None,
        support_invoice: true,
        taxi_state: "IN_OPERATION".into(),
    };
    store.put_taxi(&taxi, now).await?;
    let driver = TaxiDriver {
        provider_mchid: PROVIDER.into(),
        region_id: REGION_ID,
        driver_license: DRIVER_LICENSE.into(),
        company_mchid: COMPANY_MCHID.into(),
        company_name: COMPANY_NAME.into(),
        driver_name: "王师傅".into(),
        id_card_number: "310101198001010011".into(),
        driver_category: "MAIN".into(),
        driver_status: "ON_DUTY".into(),
        driver_photo: None,
    };
    store.put_driver(&driver, now).await?;
    store
        .add_punch(&TaxiPunch {
            provider_mchid: PROVIDER.into(),
            region_id: REGION_ID,
            plate_number: PLATE.into(),
            driver_license: DRIVER_LICENSE.into(),
            event_type: "SIGN_IN".into(),
            event_time_ms: now_ms - 60 * 60 * 1000,
            recorded_at: now,
        })
        .await?;
    Ok(())
}

/// The example's fapiao as a PDF.
fn fapiao_pdf() -> Vec<u8> {
    let lines: Vec<String> = [
        "发票代码 044001911211    发票号码 12897794",
        "开票日期 2020-07-01T12:00:00+08:00    校验码 69001808340631374774",
        "购买方 深圳市南山区测试企业 (202003261233701778)",
        "销售方 深圳市南山区测试公司 (202003261233701778)",
        "出租汽车客运服务  1 次  单价 3804.42  金额 3804.42  税率 13%  税额 494.58",
        "价税合计 ¥3828.95 (金额 ¥3388.45, 税额 ¥440.50)",
        "收款人 张三  复核 李四  开票人 王五    备注 备注",
    ]
    .map(str::to_owned)
    .into();
    render_fapiao_pdf("出租车电子发票 (kabao demo)", &lines)
}

/// How the guide's `curl` reaches kabao and signs as the demo provider.
pub struct DemoCall<'a> {
    /// Where kabao listens.
    pub base_url: &'a str,
    /// How the `kabao` binary is invoked (for `kabao sign`).
    pub program: &'a str,
    /// The provider's API certificate serial.
    pub serial: &'a str,
    /// The provider's private key file.
    pub key_path: &'a Path,
}

/// The guide's taxi section: the fleet and the example's signed `curl`.
fn guide(app_secret: &str, example: &Path, call: &DemoCall<'_>) -> String {
    let DemoCall {
        base_url,
        program,
        serial,
        key_path,
    } = call;
    let (example, key) = (example.display(), key_path.display());
    let path = "/v3/taxi-invoice/cards";
    format!(
        "WeChat Pay — taxi demo fleet of {PROVIDER} (the official example of POST {path})\n  \
         company   {COMPANY_MCHID} {COMPANY_NAME}, region {REGION_ID}\n  \
         taxi      {PLATE}, driver {DRIVER_LICENSE} signed in\n  \
         passenger appid {APPID} (secret {app_secret}), openid {OPENID} (Alice Wang)\n  \
         trip      token {TOKEN}\n  \
         file      fapiao_media_id {MEDIA_ID} (3 days, renewed at each start until a card uses it)\n  \
         body      {example}\n  \
         curl -sS -w 'HTTP %{{http_code}}\\n' -X POST -H \"Authorization: $({program} sign --mchid {PROVIDER} --serial {serial} --key {key} --body \"$(cat {example})\" POST {path})\" -H 'Content-Type: application/json' -H 'Accept: application/json' --data-binary @{example} {base_url}{path}\n"
    )
}
