//! The APIv3 endpoints of the matrix (fapiao signed by the direct merchant,
//! taxi by the service provider), every answer's signature verified.

use super::run::Callers;
use super::spec::{Body, Family::*, Spec};
use crate::fapiao_world::FapiaoWorld;

const CLASSIC: &str = r#"{"scene":"WITH_WECHATPAY","fapiao_apply_id":"MATRIX0001",
 "buyer_information":{"type":"INDIVIDUAL","name":"n"},
 "fapiao_information":[{"fapiao_id":"F1","total_amount":100,"need_list":false,
   "items":[{"tax_code":"3010101020203000000","quantity":100000000,"total_amount":100,"discount":false}]}]}"#;
const DIGITAL: &str = r#"{"fapiao_apply_id":"MATRIX0001","buyer_information":{"type":"INDIVIDUAL","name":"n"},
 "fapiao_information":{"fapiao_id":"F1","total_amount":100,"billing_person_id":"p","fapiao_bill_type":"COMM_FAPIAO",
   "items":[{"tax_code":"3010101020203000000","goods_name":"g","total_amount":100,"tax_rate":600,"discount":false}],
   "transaction_information":[{"pay_channel":"WECHAT_PAY","transaction_id":"4200000000000000000000000001","amount":100}]}}"#;
const CLASSIC_REQUIRED: &[&str] = &[
    "scene",
    "fapiao_apply_id",
    "buyer_information",
    "buyer_information.type",
    "buyer_information.name",
    "fapiao_information",
    "fapiao_information[0].fapiao_id",
    "fapiao_information[0].total_amount",
    "fapiao_information[0].need_list",
    "fapiao_information[0].items",
    "fapiao_information[0].items[0].tax_code",
    "fapiao_information[0].items[0].quantity",
    "fapiao_information[0].items[0].total_amount",
    "fapiao_information[0].items[0].discount",
];
/// What every 数电 variant requires (issue-*.yaml; `sub_mchid` is left
/// out: kabao lets a direct merchant issue for itself without it).
const DIGITAL_REQUIRED: &[&str] = &[
    "fapiao_apply_id",
    "buyer_information",
    "buyer_information.type",
    "buyer_information.name",
    "fapiao_information",
    "fapiao_information.fapiao_id",
    "fapiao_information.total_amount",
    "fapiao_information.items",
    "fapiao_information.billing_person_id",
    "fapiao_information.fapiao_bill_type",
    "fapiao_information.transaction_information",
    "fapiao_information.items[0].tax_code",
    "fapiao_information.items[0].goods_name",
    "fapiao_information.items[0].total_amount",
    "fapiao_information.items[0].tax_rate",
    "fapiao_information.items[0].discount",
    "fapiao_information.transaction_information[0].pay_channel",
    "fapiao_information.transaction_information[0].transaction_id",
    "fapiao_information.transaction_information[0].amount",
];
/// fapiao_apply_id: string(32) in every issuing YAML and the seed;
/// fapiao_id: 32, kabao's limit (the references give none).
const CLASSIC_LIMITS: &[(&str, usize)] = &[
    ("fapiao_apply_id", 32),
    ("fapiao_information[0].fapiao_id", 32),
];
const DIGITAL_LIMITS: &[(&str, usize)] = &[
    ("fapiao_apply_id", 32),
    ("fapiao_information.fapiao_id", 32),
];

/// A 数电 variant's industry block: its name on the line, an example
/// (issue-*.yaml) and its required keys.
struct Industry {
    name: &'static str,
    example: &'static str,
    required: &'static [&'static str],
}

const PASSENGER: Industry = Industry {
    name: "passenger_information",
    example: r#"{"name":"n","certificate_type":"IDENTITY_CARD","certificate_number":"x",
      "departure_date":"2026-07-01T00:00:00+08:00","departure_place":"a","destination":"b",
      "transportation_type":"LONG_DISTANCE_BUS","transportation_classes":"SHIP_FIRST_CLASS_CABIN"}"#,
    required: &[
        "name",
        "certificate_type",
        "certificate_number",
        "departure_date",
        "departure_place",
        "destination",
        "transportation_type",
    ],
};
const REFINED_OIL: Industry = Industry {
    name: "refined_oil_information",
    example: r#"{"station":"s","trade_time":"2026-07-01T00:00:00+08:00","gun_number":"1"}"#,
    required: &["station", "trade_time", "gun_number"],
};
const REAL_ESTATE: Industry = Industry {
    name: "real_estate_leasing_information",
    example: r#"{"province":"p","city":"c","address":"a","lease_period_start":"2026-07-01T00:00:00+08:00",
      "lease_period_end":"2026-12-31T00:00:00+08:00","cross_city_flag":false,"certificate_no":"x","plate_no":["A1"]}"#,
    required: &[
        "province",
        "address",
        "lease_period_start",
        "lease_period_end",
        "cross_city_flag",
    ],
};

/// A 数电 spec: the common body, plus the variant's industry block on its
/// line (required there, with each of its required keys).
fn digital(rest: &str, industry: Option<Industry>) -> Spec {
    let mut body: serde_json::Value = serde_json::from_str(DIGITAL).unwrap();
    let mut required: Vec<&'static str> = DIGITAL_REQUIRED.to_vec();
    if let Some(industry) = industry {
        body["fapiao_information"]["items"][0][industry.name] =
            serde_json::from_str(industry.example).unwrap();
        let block = format!("fapiao_information.items[0].{}", industry.name);
        required.push(leak(block.clone()));
        required.extend(
            industry
                .required
                .iter()
                .map(|k| leak(format!("{block}.{k}"))),
        );
    }
    Spec::new(
        PayDirect,
        "POST",
        path(F, rest),
        Body::Json(leak(body.to_string())),
    )
    .required(&required)
    .limits(DIGITAL_LIMITS)
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// The taxi seed's example card, for a company that does not exist.
const TAXI_CARD: &str = r#"{"company_mchid":"1900009999","token":"x","appid":"wxmatrix000000000","openid":"oMatrix",
 "region_id":310100,"fapiao_card_information":{"fapiao_media_id":"ASNFZ4mrze/+3LqYdlQyEA==","fapiao_number":"12897794",
 "fapiao_code":"044001911211","fapiao_time":"2020-07-01T12:00:00+08:00","check_code":"69001808340631374774",
 "password":"006>299-375","total_amount":382895,"tax_amount":44050,"amount":338845,
 "buyer_information":{"type":"ORGANIZATION","name":"n","taxpayer_id":"202003261233701778","address":"a",
   "telephone":"075512345678","bank_name":"b","bank_account":"62001234567890"},
 "seller_information":{"name":"s","taxpayer_id":"202003261233701778","address":"a","telephone":"075512345678",
   "bank_name":"b","bank_account":"62001234567890"},
 "extra_information":{"payee":"p","reviewer":"r","drawer":"d"},
 "items":[{"tax_code":"3010101020203000000","goods_name":"g","specification":"A4","unit":"u","quantity":100000000,"unit_price":380442000000,
   "amount":380442,"tax_amount":49458,"total_amount":429900,"tax_rate":1300,"tax_prefer_mark":"NO_FAVORABLE","discount":false}],"remark":"r"}}"#;

/// A self-issued fapiao for insert-cards (consistent totals, the
/// YAML's example line).
const INSERT_CARDS: &str = r#"{"scene":"WITH_WECHATPAY","buyer_information":{"type":"INDIVIDUAL","name":"n"},
 "fapiao_card_information":[{"fapiao_media_id":"ASNFZ4mrze/+3LqYdlQyEA==","fapiao_number":"12897794",
 "fapiao_code":"044001911211","fapiao_time":"2020-07-01T12:00:00+08:00","check_code":"69001808340631374774",
 "password":"006>299-375","total_amount":429900,"tax_amount":49458,"amount":380442,
 "seller_information":{"name":"s","taxpayer_id":"202003261233701778","address":"a"},
 "extra_information":{"payee":"p","reviewer":"r","drawer":"d"},
 "items":[{"tax_code":"3010101020203000000","goods_name":"g","quantity":100000000,"unit_price":380442000000,
   "amount":380442,"tax_amount":49458,"total_amount":429900,"tax_rate":1300,"tax_prefer_mark":"NO_FAVORABLE","discount":false}],"remark":"r"}]}"#;

/// The line fields insert-cards and taxi cards both require (YAML, seed).
const CARD_ITEM_REQUIRED: &[&str] = &[
    "tax_code",
    "goods_name",
    "quantity",
    "unit_price",
    "amount",
    "tax_amount",
    "total_amount",
    "tax_rate",
    "tax_prefer_mark",
    "discount",
];
/// The fapiao fields insert-cards and taxi cards both require.
const CARD_REQUIRED: &[&str] = &[
    "fapiao_media_id",
    "fapiao_number",
    "fapiao_code",
    "fapiao_time",
    "check_code",
    "password",
    "total_amount",
    "tax_amount",
    "amount",
    "seller_information",
    "seller_information.name",
    "seller_information.taxpayer_id",
    "seller_information.address",
    "extra_information",
    "extra_information.drawer",
];

fn card_required(card: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = CARD_REQUIRED
        .iter()
        .map(|f| leak(format!("{card}.{f}")))
        .collect();
    out.extend(
        CARD_ITEM_REQUIRED
            .iter()
            .map(|f| leak(format!("{card}.items[0].{f}"))),
    );
    out
}

fn insert_cards_required() -> Vec<&'static str> {
    let mut out = vec![
        "scene",
        "buyer_information",
        "buyer_information.type",
        "buyer_information.name",
        "fapiao_card_information",
        "fapiao_card_information[0].items",
    ];
    out.extend(card_required("fapiao_card_information[0]"));
    out
}

/// The official page's shape (seed): token and appid required, the
/// buyer too; items optional, but each line's fields required.
fn taxi_card_required() -> Vec<&'static str> {
    let mut out = vec![
        "company_mchid",
        "token",
        "appid",
        "openid",
        "region_id",
        "fapiao_card_information",
        "fapiao_card_information.buyer_information",
        "fapiao_card_information.buyer_information.type",
        "fapiao_card_information.buyer_information.name",
    ];
    out.extend(card_required("fapiao_card_information"));
    out
}

/// The seed's string(n) of every taxi card field.
const TAXI_CARD_LIMITS: &[(&str, usize)] = &[
    ("company_mchid", 32),
    ("token", 1024),
    ("appid", 128),
    ("openid", 128),
    ("fapiao_card_information.fapiao_media_id", 128),
    ("fapiao_card_information.fapiao_number", 8),
    ("fapiao_card_information.fapiao_code", 12),
    ("fapiao_card_information.fapiao_time", 32),
    ("fapiao_card_information.check_code", 20),
    ("fapiao_card_information.password", 1024),
    ("fapiao_card_information.buyer_information.name", 80),
    ("fapiao_card_information.buyer_information.taxpayer_id", 20),
    ("fapiao_card_information.buyer_information.address", 80),
    ("fapiao_card_information.buyer_information.telephone", 20),
    ("fapiao_card_information.buyer_information.bank_name", 70),
    ("fapiao_card_information.buyer_information.bank_account", 30),
    ("fapiao_card_information.seller_information.name", 80),
    ("fapiao_card_information.seller_information.taxpayer_id", 20),
    ("fapiao_card_information.seller_information.address", 80),
    ("fapiao_card_information.seller_information.telephone", 20),
    ("fapiao_card_information.seller_information.bank_name", 70),
    (
        "fapiao_card_information.seller_information.bank_account",
        30,
    ),
    ("fapiao_card_information.extra_information.payee", 16),
    ("fapiao_card_information.extra_information.reviewer", 16),
    ("fapiao_card_information.extra_information.drawer", 20),
    ("fapiao_card_information.items[0].tax_code", 32),
    ("fapiao_card_information.items[0].goods_name", 128),
    ("fapiao_card_information.items[0].specification", 40),
    ("fapiao_card_information.items[0].unit", 14),
    ("fapiao_card_information.remark", 200),
];

const F: &str = "/v3/new-tax-control-fapiao";
const T: &str = "/v3/taxi-invoice";

fn path(prefix: &str, rest: &str) -> &'static str {
    leak(format!("{prefix}{rest}"))
}

/// The APIv3 specs.
pub fn specs() -> Vec<Spec> {
    let f = |m, rest: &str, body| Spec::new(PayDirect, m, path(F, rest), body);
    let t = |m, rest: &str, body| Spec::new(PayProvider, m, path(T, rest), body);
    let j = Body::Json;
    vec![
        Spec::new(PayDirect, "GET", "/v3/certificates", Body::None),
        f("POST", "/fapiao-applications", j(CLASSIC)).required(CLASSIC_REQUIRED).limits(CLASSIC_LIMITS),
        digital("/fapiao-applications/issue-general", None),
        digital("/fapiao-applications/issue-passenger-transport", Some(PASSENGER)),
        digital("/fapiao-applications/issue-refined-oil", Some(REFINED_OIL)),
        digital("/fapiao-applications/real-estate-leasing", Some(REAL_ESTATE)),
        f("GET", "/fapiao-applications/{fapiao_apply_id}", Body::None),
        f(
            "POST",
            "/fapiao-applications/{fapiao_apply_id}/reverse",
            j(r#"{"reverse_reason":"r","fapiao_information":[{"fapiao_id":"f1","fapiao_code":"c","fapiao_number":"n"}]}"#),
        )
        .required(&[
            "reverse_reason",
            "fapiao_information",
            "fapiao_information[0].fapiao_id",
            "fapiao_information[0].fapiao_number",
        ]),
        f("GET", "/fapiao-applications/{fapiao_apply_id}/fapiao-files", Body::None),
        // wechatpayv3 POSTs this query without a body.
        f("POST", "/fapiao-applications/{fapiao_apply_id}/fapiao-files", j(r#"{"fapiao_id":"f1"}"#))
            .accepts_empty(),
        f("POST", "/fapiao-applications/upload-fapiao-file", Body::Multipart),
        f(
            "POST",
            "/fapiao-applications/{fapiao_apply_id}/insert-cards",
            j(INSERT_CARDS),
        )
        .required(&insert_cards_required()),
        f("GET", "/merchant/{sub_mchid}/check-status", Body::None),
        f("GET", "/merchant/{sub_mchid}/check", Body::None),
        f("POST", "/merchant/{sub_mchid}/check", Body::None),
        f("GET", "/merchant/base-information", Body::None),
        f("GET", "/merchant/tax-codes", Body::None).at("/v3/new-tax-control-fapiao/merchant/tax-codes?offset=0&limit=20"),
        f("GET", "/merchant/development-config", Body::None),
        f("PATCH", "/merchant/development-config", j(r#"{"callback_url":"https://example.com/cb","show_fapiao_cell":false}"#)),
        f("POST", "/merchant/development-config", j(r#"{"callback_url":"https://example.com/cb","show_fapiao_cell":false}"#)),
        f(
            "POST",
            "/card-template",
            j(r#"{"card_appid":"wxmatrix000000000","card_template_information":{"payee_name":"p","logo_url":"https://example.com/l.png",
                 "custom_cell":{"words":"w","description":"d","jump_url":"https://example.com/j"}}}"#),
        )
        .required(&[
            "card_appid",
            "card_template_information",
            "card_template_information.logo_url",
            "card_template_information.custom_cell.words",
            "card_template_information.custom_cell.description",
        ]),
        Spec::new(PayProvider, "GET", path(F, "/fapiaomerchant/getspinviteurl"), Body::None)
            .at("/v3/new-tax-control-fapiao/fapiaomerchant/getspinviteurl?sub_mchid=1900000399"),
        Spec::new(PayProvider, "GET", path(F, "/fapiaomerchant/listspinvitemchinfo"), Body::None),
        f("GET", "/user-title/title-url", Body::None)
            .at("/v3/new-tax-control-fapiao/user-title/title-url?fapiao_apply_id=MATRIX0001&appid=wxmatrix000000000&openid=o1&total_amount=1&source=WEB"),
        f("GET", "/user-title", Body::None)
            .at("/v3/new-tax-control-fapiao/user-title?fapiao_apply_id=MATRIX0001&scene=WITH_WECHATPAY"),
        t(
            "POST",
            "/taxi-company/create-taxi-company",
            j(r#"{"company_name":"c","tax_id":"91310000MA1FL00000","address":"a","invoice_mode":"ONLINE",
                 "legal_person":"p","region_id":310100,"enterprise_type":"TAXI"}"#),
        )
        .required(&["tax_id", "address", "invoice_mode", "legal_person", "region_id", "enterprise_type"]),
        t("GET", "/taxi-companies/{company_mchid}", Body::None).at("/v3/taxi-invoice/taxi-companies/1900009999?region_id=310100"),
        t(
            "POST",
            "/taxi/update-taxi",
            j(r#"{"plate_number":"A12345","company_name":"c","main_license":"m","region_id":310100}"#),
        )
        .required(&["plate_number", "company_name", "main_license", "region_id"]),
        t("GET", "/taxies/{plate_number}", Body::None).at("/v3/taxi-invoice/taxies/A12345?region_id=310100"),
        t(
            "POST",
            "/driver/update-driver",
            j(r#"{"driver_name":"d","id_card_number":"x","company_name":"c","mchid":"1900009999",
                 "driver_license":"310101199001011234","driver_category":"FULL_TIME","driver_status":"ON_JOB","region_id":310100}"#),
        )
        .required(&[
            "driver_name",
            "id_card_number",
            "company_name",
            "mchid",
            "driver_license",
            "driver_category",
            "driver_status",
            "region_id",
        ]),
        t("GET", "/drivers/{driver_license}", Body::None).at("/v3/taxi-invoice/drivers/310101199001011234?region_id=310100"),
        t(
            "POST",
            "/attendance/punch",
            j(r#"{"plate_number":"A12345","driver_license":"310101199001011234","event_time":"2024-01-01T08:00:00+08:00",
                 "event_type":"SIGN_IN","region_id":310100}"#),
        )
        .required(&["plate_number", "driver_license", "event_time", "event_type", "region_id"]),
        t("GET", "/user-taxi-orders", Body::None).at("/v3/taxi-invoice/user-taxi-orders?appid=wxmatrix000000000&openid=o1&company_mchid=1900009999&region_id=310100&offset=0&limit=10"),
        t("GET", "/user-taxi-order/find-by-token", Body::None).at("/v3/taxi-invoice/user-taxi-order/find-by-token?token=x&appid=wxmatrix000000000&openid=o1&company_mchid=1900009999&region_id=310100"),
        t("POST", "/cards/upload-file", Body::Multipart),
        t("POST", "/cards", j(TAXI_CARD)).required(&taxi_card_required()).limits(TAXI_CARD_LIMITS),
    ]
}

#[tokio::test]
async fn bad_input_matrix_apiv3() {
    let world = FapiaoWorld::start().await;
    let callers = Callers {
        app: &world.app,
        oa_token: None,
        pay: Some(&world),
        console_cookie: None,
    };
    super::run_family(&callers, &specs()).await;
}
