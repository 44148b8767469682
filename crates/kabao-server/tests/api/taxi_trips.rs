//! Taxi trips (T8–T11 and the control API's rides and cards), end to end:
//! a passenger pays in a taxi whose driver signed in, the provider finds
//! the trip order, uploads the fapiao PDF and inserts the card; every
//! error of the official page is checked for its status, code and field,
//! and no provider sees another's trips, files or cards.

mod card_errors;
mod card_media;
mod cards;
mod orders;
mod rides;
mod upload;

pub use crate::fapiao_self_issued::{kabao_now, sm3_hex};
pub use crate::fapiao_steps::assert_error;
pub use crate::fapiao_world::FapiaoWorld;
pub use crate::helpers::TestMerchant;
pub use crate::taxi_steps::{
    assert_says, other_provider, punch, register_fleet, second_fleet, shanghai_fleet,
    signed_in_fleet, TaxiFleet, OTHER_PROVIDER, REGION_ID,
};
pub use serde_json::{json, Value};

use crate::fapiao_self_issued::multipart_body;
use crate::helpers::nonce;

/// The passenger's AppID (the official example's).
pub const APPID: &str = "wxb1170446a4c0a5a2";
/// The passenger (the official example's openid).
pub const OPENID: &str = "oUypO5aQ1oOCaSiNZUpT5kxxJHuc";
/// T11.
pub const CARDS_PATH: &str = "/v3/taxi-invoice/cards";
/// T10.
pub const UPLOAD_PATH: &str = "/v3/taxi-invoice/cards/upload-file";
/// A signed APIv3 call at kabao's time; the answer's signature is checked.
pub async fn call(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let text = body.map(Value::to_string).unwrap_or_default();
    let request = world
        .app
        .signed_request(
            merchant,
            method,
            path,
            text.as_bytes(),
            kabao_now(world).await,
        )
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .body(text);
    world.send(request).await
}

/// kabao's date in China, yyyyMMdd, `days_back` days ago.
pub async fn china_date(world: &FapiaoWorld, days_back: i64) -> String {
    let at = kabao_now(world).await - days_back * 86_400;
    let date = time::OffsetDateTime::from_unix_timestamp(at)
        .unwrap()
        .to_offset(time::macros::offset!(+8))
        .date();
    format!(
        "{:04}{:02}{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// kabao's date in China today, yyyyMMdd.
pub async fn china_today(world: &FapiaoWorld) -> String {
    china_date(world, 0).await
}

/// T8's date window of today in China, in [`REGION_ID`].
pub async fn today_window(world: &FapiaoWorld) -> String {
    let today = china_today(world).await;
    format!("begin_date={today}&end_date={today}&region_id={REGION_ID}")
}

/// T8 as `merchant` with `query` after the fixed parameters.
pub async fn orders(world: &FapiaoWorld, merchant: &TestMerchant, query: &str) -> (u16, Value) {
    let path = format!("/v3/taxi-invoice/user-taxi-orders?openid={OPENID}&appid={APPID}&{query}");
    call(world, merchant, "GET", &path, None).await
}

/// T9 as `merchant`.
pub async fn by_token(world: &FapiaoWorld, merchant: &TestMerchant, query: &str) -> (u16, Value) {
    let path = format!("/v3/taxi-invoice/user-taxi-order/find-by-token?{query}");
    call(world, merchant, "GET", &path, None).await
}

/// A passenger's payment of `amount` fen in `fleet`'s taxi, recorded on the
/// control API as `provider`; the 201 answer.
pub async fn ride(world: &FapiaoWorld, provider: &str, fleet: &TaxiFleet, openid: &str) -> Value {
    let (status, ride) = world
        .app
        .admin_post(
            "/taxi/rides",
            &json!({"provider_mchid": provider, "region_id": fleet.region_id,
                "plate_number": fleet.plate_number, "appid": APPID, "openid": openid,
                "amount": 5450}),
        )
        .await;
    assert_eq!(status, 201, "{ride}");
    ride
}

/// A trip order of [`OPENID`] in `fleet`'s taxi (its driver signed in); its token.
pub async fn trip(world: &FapiaoWorld, provider: &str, fleet: &TaxiFleet) -> String {
    let ride = ride(world, provider, fleet, OPENID).await;
    ride["trip_order"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("not a trip order: {ride}"))
        .to_owned()
}

/// A small PDF.
pub fn pdf(tag: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% taxi fapiao {tag}\n%%EOF\n").into_bytes()
}

/// The `meta` of an upload of `file` for `company_mchid`.
pub fn meta(file: &[u8], company_mchid: &str) -> Value {
    json!({"company_mchid": company_mchid, "digest": sm3_hex(file),
        "digest_algorithm": "DIGEST_ALGORITHM_SM3", "region_id": REGION_ID})
}

/// Uploads `file` with `meta` as wechatpay-go sends it (signed over the
/// meta part, at kabao's time); the answer.
pub async fn upload(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    meta: &str,
    file: &[u8],
) -> (u16, Value) {
    upload_signed(world, merchant, meta, meta, file).await
}

/// [`upload`] with the signature computed over `signed_meta`.
pub async fn upload_signed(
    world: &FapiaoWorld,
    merchant: &TestMerchant,
    meta: &str,
    signed_meta: &str,
    file: &[u8],
) -> (u16, Value) {
    let boundary = format!("kabaoBoundary{}", nonce());
    let body = multipart_body(&boundary, meta, Some("application/json"), file);
    let request = world
        .app
        .signed_request(
            merchant,
            "POST",
            UPLOAD_PATH,
            signed_meta.as_bytes(),
            kabao_now(world).await,
        )
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body);
    world.send(request).await
}

/// Uploads a fapiao PDF for `fleet`'s company as `provider`; its media id.
pub async fn media_id(world: &FapiaoWorld, provider: &TestMerchant, fleet: &TaxiFleet) -> String {
    let file = pdf(&kabao_now(world).await.to_string());
    let (status, body) = upload(
        world,
        provider,
        &meta(&file, &fleet.company_mchid).to_string(),
        &file,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["fapiao_media_id"].as_str().unwrap().to_owned()
}

/// The official example's body for the trip `token` of `fleet`, inserting
/// the file `media_id`: as published, with the fleet's company and region.
pub fn card_body(fleet: &TaxiFleet, token: &str, media_id: &str) -> Value {
    json!({
        "company_mchid": fleet.company_mchid,
        "token": token,
        "appid": APPID,
        "openid": OPENID,
        "region_id": fleet.region_id,
        "fapiao_card_information": {
            "fapiao_media_id": media_id,
            "fapiao_number": "12897794",
            "fapiao_code": "044001911211",
            "fapiao_time": "2020-07-01T12:00:00+08:00",
            "check_code": "69001808340631374774",
            "password": "006>299-375/326>2+7/*0-+<351059<80<4*/5>+<11631+*3030/5*37+/-243159658+013>3409*044>4-/1+/9->*>69501*6++1997--21",
            "total_amount": 382895,
            "tax_amount": 44050,
            "amount": 338845,
            "buyer_information": {
                "type": "CORPORATION", "name": "深圳市南山区测试企业",
                "taxpayer_id": "202003261233701778", "address": "深圳市南山区深南大道10000号",
                "telephone": "075512345678", "bank_name": "测试银行", "bank_account": "62001234567890"
            },
            "seller_information": {
                "name": "深圳市南山区测试公司", "taxpayer_id": "202003261233701778",
                "address": "深圳市南山区深南大道10000号", "telephone": "075512345678",
                "bank_name": "测试银行", "bank_account": "62001234567890"
            },
            "extra_information": {"payee": "张三", "reviewer": "李四", "drawer": "王五"},
            "items": [{
                "tax_code": "3010101020203000000", "goods_name": "出租汽车客运服务",
                "specification": "A4", "unit": "次", "quantity": 100000000,
                "unit_price": 380442000000i64, "amount": 380442, "tax_amount": 49458,
                "total_amount": 429900, "tax_rate": 1300, "tax_prefer_mark": "NO_FAVORABLE",
                "discount": false
            }],
            "remark": "备注"
        }
    })
}

/// `body` in the YAML's older shape: the trip named by `trade_number`
/// (the ride's transaction_id), `plate_number` and `driver_license`
/// instead of the token.
pub fn older_shape(body: &Value, trade_number: &Value, plate: &str, driver: &str) -> Value {
    let mut older = body.clone();
    let top = older.as_object_mut().unwrap();
    top.remove("token");
    top.insert("trade_number".into(), trade_number.clone());
    top.insert("plate_number".into(), json!(plate));
    top.insert("driver_license".into(), json!(driver));
    older
}

/// `body` with its header totals equal to the sums of its lines (what
/// strict mode asks for).
pub fn consistent(mut body: Value) -> Value {
    let card = &mut body["fapiao_card_information"];
    card["total_amount"] = json!(429900);
    card["amount"] = json!(380442);
    card["tax_amount"] = json!(49458);
    body
}

/// POSTs a T11 body as `merchant`; the answer.
pub async fn insert(world: &FapiaoWorld, merchant: &TestMerchant, body: &Value) -> (u16, Value) {
    call(world, merchant, "POST", CARDS_PATH, Some(body)).await
}

/// POSTs a T11 body as the world's provider; the answer.
pub async fn insert_own(world: &FapiaoWorld, body: &Value) -> (u16, Value) {
    insert(world, &world.provider, body).await
}

/// The taxi fapiao cards of `openid` on the control API.
pub async fn cards_of(world: &FapiaoWorld, openid: &str) -> Vec<Value> {
    let (status, body) = world
        .app
        .admin_get(&format!("/taxi/cards?openid={openid}"))
        .await;
    assert_eq!(status, 200, "{body}");
    body["cards"].as_array().unwrap().clone()
}

/// A world whose provider has a signed-in fleet, one trip order of
/// [`OPENID`] and one uploaded file for it.
pub struct Ready {
    pub world: FapiaoWorld,
    pub fleet: TaxiFleet,
    pub token: String,
    pub media_id: String,
}

/// [`Ready`] on a fresh kabao.
pub async fn ready() -> Ready {
    ready_on(FapiaoWorld::start().await).await
}

/// [`Ready`] on `world`.
pub async fn ready_on(world: FapiaoWorld) -> Ready {
    let fleet = shanghai_fleet(&world).await;
    let token = trip(&world, &world.provider.mchid, &fleet).await;
    let media_id = media_id(&world, &world.provider, &fleet).await;
    Ready {
        world,
        fleet,
        token,
        media_id,
    }
}

/// A kabao started with `settings` changed by `change`, provisioned as
/// [`FapiaoWorld`].
pub async fn world_with(change: impl FnOnce(&mut kabao_server::state::Settings)) -> FapiaoWorld {
    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::helpers::config(dir.path());
    change(&mut config.settings);
    let app = crate::helpers::spawn_with(dir, config).await;
    FapiaoWorld::provision(app, crate::receiver::Receiver::start().await).await
}
