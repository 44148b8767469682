//! The Official Account endpoints of the matrix, called with the invoicing
//! platform's live access token.

use super::run::Callers;
use super::spec::{Body, Family::Oa, Spec};
use crate::oa_world::World;

const INSERT: &str = r#"{"order_id":"matrix-order","card_id":"pMatrixCard","appid":"wxmatrix000000000",
 "card_ext":{"nonce_str":"n1","user_card":{"invoice_user_data":{"fee":11300,"title":"T","billing_time":1714036504,
 "billing_no":"12345678","billing_code":"044002300111","fee_without_tax":10000,"tax":1300,"s_pdf_media_id":"1",
 "check_code":"1234","info":[{"name":"n","num":2,"unit":"u","price":3000}]}}}}"#;
const BILL: &str = r#"{"order_id":"matrix-order","card_id":"pMatrixCard","appid":"wxmatrix000000000",
 "card_ext":{"nonce_str":"n1","user_card":{"invoice_user_data":{"fee":100,"title":"T","billing_time":1714036504,
 "billing_no":"1","billing_code":"1","s_pdf_media_id":"1"}}}}"#;

/// The Official Account specs.
pub fn specs() -> Vec<Spec> {
    let post = |path, body| Spec::new(Oa, "POST", path, Body::Json(body));
    vec![
        Spec::new(Oa, "GET", "/cgi-bin/token", Body::None)
            .at("/cgi-bin/token?grant_type=client_credential&appid=wxmatrix000000000&secret=x"),
        post(
            "/cgi-bin/stable_token",
            r#"{"grant_type":"client_credential","appid":"wxmatrix000000000","secret":"wrong","force_refresh":false}"#,
        )
        .required(&["grant_type", "appid", "secret"])
        .format_codes(&[47001, 40097]),
        Spec::new(Oa, "GET", "/cgi-bin/ticket/getticket", Body::None)
            .at("/cgi-bin/ticket/getticket?type=wx_card"),
        post("/card/invoice/seturl", "{}").accepts_empty(),
        post(
            "/card/invoice/platform/createcard",
            r#"{"invoice_info":{"base_info":{"logo_url":"https://example.com/l.png","title":"T",
               "custom_url_name":"u","custom_url_sub_title":"s"},"payee":"P","type":"T"}}"#,
        )
        .required(&[
            "invoice_info",
            "invoice_info.base_info",
            "invoice_info.base_info.logo_url",
            "invoice_info.base_info.title",
            "invoice_info.payee",
            "invoice_info.type",
        ])
        .limits(&[
            ("invoice_info.base_info.title", 9),
            ("invoice_info.base_info.custom_url_name", 5),
            ("invoice_info.base_info.custom_url_sub_title", 6),
        ]),
        Spec::new(Oa, "POST", "/card/invoice/platform/setpdf", Body::Multipart),
        post("/card/invoice/platform/getpdf", r#"{"action":"get_url","s_media_id":"999999"}"#)
            .required(&["s_media_id"]),
        post(
            "/card/invoice/platform/updatestatus",
            r#"{"card_id":"pMatrixCard","code":"999999","reimburse_status":"INVOICE_REIMBURSE_INIT"}"#,
        )
        .required(&["card_id", "code", "reimburse_status"]),
        post("/card/invoice/insert", INSERT)
            .required(&[
                "order_id",
                "card_id",
                "appid",
                "card_ext",
                "card_ext.nonce_str",
                "card_ext.user_card",
                "card_ext.user_card.invoice_user_data",
                "card_ext.user_card.invoice_user_data.fee",
                "card_ext.user_card.invoice_user_data.title",
                "card_ext.user_card.invoice_user_data.billing_time",
                "card_ext.user_card.invoice_user_data.billing_no",
                "card_ext.user_card.invoice_user_data.billing_code",
                "card_ext.user_card.invoice_user_data.s_pdf_media_id",
            ])
            .decimals(&["card_ext.user_card.invoice_user_data.info[0].num"]),
        post(
            "/card/invoice/getauthurl",
            r#"{"s_pappid":"x","order_id":"matrix-order","money":100,"timestamp":1714036504,
               "source":"web","redirect_url":"https://example.com","ticket":"t","type":0}"#,
        )
        .required(&["s_pappid", "order_id", "money", "timestamp", "source", "ticket", "type"]),
        post("/card/invoice/getauthdata", r#"{"order_id":"matrix-order","s_pappid":"x"}"#)
            .required(&["order_id", "s_pappid"]),
        post(
            "/card/invoice/rejectinsert",
            r#"{"s_pappid":"x","order_id":"matrix-order","reason":"r","url":"https://example.com"}"#,
        )
        .required(&["s_pappid", "order_id", "reason"]),
        post("/card/invoice/setbizattr", r#"{"contact":{"phone":"13800000000","time_out":7200}}"#)
            .at("/card/invoice/setbizattr?action=set_contact")
            .required(&["contact"]),
        post("/card/invoice/reimburse/getinvoiceinfo", r#"{"card_id":"pMatrixCard","encrypt_code":"x"}"#)
            .required(&["card_id", "encrypt_code"]),
        post(
            "/card/invoice/reimburse/getinvoicebatch",
            r#"{"item_list":[{"card_id":"pMatrixCard","encrypt_code":"x"}]}"#,
        )
        .required(&["item_list", "item_list[0].card_id", "item_list[0].encrypt_code"]),
        post(
            "/card/invoice/reimburse/updateinvoicestatus",
            r#"{"card_id":"pMatrixCard","encrypt_code":"x","reimburse_status":"INVOICE_REIMBURSE_LOCK"}"#,
        )
        .required(&["card_id", "encrypt_code", "reimburse_status"]),
        post(
            "/card/invoice/reimburse/updatestatusbatch",
            r#"{"openid":"oMatrix","reimburse_status":"INVOICE_REIMBURSE_LOCK",
               "invoice_list":[{"card_id":"pMatrixCard","encrypt_code":"x"}]}"#,
        )
        .required(&[
            "openid",
            "reimburse_status",
            "invoice_list",
            "invoice_list[0].card_id",
            "invoice_list[0].encrypt_code",
        ]),
        post("/card/code/decrypt", r#"{"encrypt_code":"x"}"#).required(&["encrypt_code"]),
        post(
            "/nontax/createbillcard",
            r#"{"invoice_info":{"payee":"P","base_info":{"logo_url":"https://example.com/b.png"}}}"#,
        )
        // The field table puts payee and base_info at the top level, the
        // example wraps them in invoice_info: either shape is read.
        .required(&["invoice_info.payee", "invoice_info.base_info.logo_url"]),
        post(
            "/nontax/getbillauthurl",
            r#"{"s_pappid":"x","order_id":"matrix-order","money":100,"timestamp":1714036504,
               "source":"web","redirect_url":"https://example.com","ticket":"t"}"#,
        )
        .required(&["s_pappid", "order_id", "money", "timestamp", "source", "ticket"]),
        post("/nontax/insertbill", BILL).required(&[
            "order_id",
            "card_id",
            "appid",
            "card_ext",
            "card_ext.user_card",
            "card_ext.user_card.invoice_user_data.fee",
            "card_ext.user_card.invoice_user_data.title",
            "card_ext.user_card.invoice_user_data.billing_time",
            "card_ext.user_card.invoice_user_data.billing_no",
            "card_ext.user_card.invoice_user_data.billing_code",
            "card_ext.user_card.invoice_user_data.s_pdf_media_id",
        ]),
    ]
}

#[tokio::test]
async fn bad_input_matrix_official_account() {
    let world = World::new().await;
    let callers = Callers {
        app: &world.app,
        oa_token: Some(&world.platform_token),
        pay: None,
        console_cookie: None,
    };
    super::run_family(&callers, &specs()).await;
}
