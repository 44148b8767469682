//! Every JSON request body of the Official Account and APIv3 endpoints,
//! judged by the code its handler runs before it touches the store: the
//! handler's own parser (which names the failing field) and the pure field
//! rules that follow it. The fuzz target `json_bodies` picks a kind by the
//! first input byte, so a panic anywhere in that code is found.

use crate::domain::fapiao::request::{ClassicApplicationBody, DigitalApplicationBody};
use crate::domain::fapiao::rules::{check_apply_id, check_fapiao_ids};
use crate::domain::fapiao::Scene;
use crate::domain::invoice::rules::{check_bill, check_invoice};
use crate::domain::taxi::card_rules::check_card_body;
use crate::http::oa::extract::{parse_invoice_json, parse_invoice_json_at, parse_json};
use crate::http::pay::fapiao::parse_body;
use kabao_protocol::oa::insert::{BillUserData, InsertBillRequest, InsertInvoiceRequest};
use kabao_protocol::oa::merchant::{GetAuthDataRequest, GetAuthUrlRequest, RejectInsertRequest};
use kabao_protocol::oa::platform::{CreateCardRequest, GetPdfRequest, PlatformUpdateStatusRequest};
use kabao_protocol::oa::reimburse::{
    CardRef, DecryptCodeRequest, InvoiceBatchRequest, UpdateInvoiceStatusRequest,
    UpdateStatusBatchRequest,
};
use serde::de::DeserializeOwned;

/// How a body was judged: accepted, or refused with the wire error's text.
pub type Verdict = Result<(), String>;

/// One JSON body kind: the endpoint it belongs to and its judge.
pub struct BodyKind {
    /// The endpoint, e.g. `POST /card/invoice/insert`.
    pub endpoint: &'static str,
    /// Parses and checks a body the way the handler does (both modes where
    /// the handler has a strict mode).
    pub judge: fn(&[u8]) -> Verdict,
}

fn oa<T: DeserializeOwned>(bytes: &[u8]) -> Verdict {
    parse_invoice_json::<T>(bytes)
        .map(drop)
        .map_err(|e| e.0.errmsg)
}

fn pay<T: DeserializeOwned>(bytes: &[u8]) -> Verdict {
    parse_body::<T>(bytes).map(drop).map_err(|e| e.message)
}

fn insert_invoice(bytes: &[u8]) -> Verdict {
    let req: InsertInvoiceRequest = parse_invoice_json(bytes).map_err(|e| e.0.errmsg)?;
    let data = &req.card_ext.user_card.invoice_user_data;
    let lenient = check_invoice(data, false).map_err(|e| format!("{e:?}"));
    let strict = check_invoice(data, true).map_err(|e| format!("{e:?}"));
    lenient.and(strict).map(drop)
}

fn insert_bill(bytes: &[u8]) -> Verdict {
    let req: InsertBillRequest = parse_invoice_json(bytes).map_err(|e| e.0.errmsg)?;
    let user_card = &req.card_ext.user_card;
    let (fields, prefix) = match user_card.get("invoice_user_data") {
        Some(nested) => (nested, "card_ext.user_card.invoice_user_data"),
        None => (user_card, "card_ext.user_card"),
    };
    let nested = serde_json::to_vec(fields).map_err(|e| e.to_string())?;
    let data: BillUserData = parse_invoice_json_at(&nested, prefix).map_err(|e| e.0.errmsg)?;
    let lenient = check_bill(&data, false).map_err(|e| format!("{e:?}"));
    let strict = check_bill(&data, true).map_err(|e| format!("{e:?}"));
    lenient.and(strict).map(drop)
}

fn stable_token(bytes: &[u8]) -> Verdict {
    parse_json::<crate::http::oa::token::StableTokenRequest>(bytes)
        .map(drop)
        .map_err(|e| e.0.errmsg)
}

fn classic_application(bytes: &[u8]) -> Verdict {
    let body: ClassicApplicationBody = parse_body(bytes).map_err(|e| e.message)?;
    Scene::parse(&body.scene).ok_or("scene")?;
    check_apply_id(&body.fapiao_apply_id).map_err(|e| e.issue)?;
    check_fapiao_ids(body.fapiao_information.iter().map(|f| f.fapiao_id.as_str()))
        .map_err(|e| e.issue)
}

fn digital_application(bytes: &[u8]) -> Verdict {
    let body: DigitalApplicationBody = parse_body(bytes).map_err(|e| e.message)?;
    check_apply_id(&body.fapiao_apply_id).map_err(|e| e.issue)?;
    check_fapiao_ids(std::iter::once(body.fapiao_information.fapiao_id.as_str()))
        .map_err(|e| e.issue)
}

fn self_issued_cards(bytes: &[u8]) -> Verdict {
    use crate::http::pay::fapiao::self_issued::{body::InsertCardsBody, rules::check_body};
    let body: InsertCardsBody = parse_body(bytes).map_err(|e| e.message)?;
    Scene::parse(&body.scene).ok_or("scene")?;
    check_body(&body).map_err(|e| e.issue)
}

fn taxi_company(bytes: &[u8]) -> Verdict {
    use crate::http::pay::taxi::fleet::companies::CreateCompanyBody;
    let body: CreateCompanyBody = parse_body(bytes).map_err(|e| e.message)?;
    body.validate().map(drop).map_err(|e| e.issue)
}

fn taxi_card(bytes: &[u8]) -> Verdict {
    let body =
        crate::http::pay::taxi::trips::card::parse_card_body(bytes).map_err(|e| e.message)?;
    let lenient = check_card_body(&body, false).map(drop).map_err(|e| e.issue);
    let strict = check_card_body(&body, true).map(drop).map_err(|e| e.issue);
    lenient.and(strict)
}

/// Every JSON body kind; the order is the fuzz target's selector, so new
/// kinds go at the end.
pub const BODY_KINDS: &[BodyKind] = &[
    BodyKind { endpoint: "POST /card/invoice/insert", judge: insert_invoice },
    BodyKind { endpoint: "POST /nontax/insertbill", judge: insert_bill },
    BodyKind { endpoint: "POST /cgi-bin/stable_token", judge: stable_token },
    BodyKind { endpoint: "POST /nontax/createbillcard", judge: oa::<serde_json::Value> },
    BodyKind { endpoint: "POST /card/invoice/getauthurl, /nontax/getbillauthurl", judge: oa::<GetAuthUrlRequest> },
    BodyKind { endpoint: "POST /card/invoice/getauthdata", judge: oa::<GetAuthDataRequest> },
    BodyKind { endpoint: "POST /card/invoice/rejectinsert", judge: oa::<RejectInsertRequest> },
    BodyKind { endpoint: "POST /card/invoice/platform/createcard", judge: oa::<CreateCardRequest> },
    BodyKind { endpoint: "POST /card/invoice/platform/getpdf", judge: oa::<GetPdfRequest> },
    BodyKind { endpoint: "POST /card/invoice/platform/updatestatus", judge: oa::<PlatformUpdateStatusRequest> },
    BodyKind { endpoint: "POST /card/invoice/reimburse/getinvoiceinfo", judge: oa::<CardRef> },
    BodyKind { endpoint: "POST /card/invoice/reimburse/getinvoicebatch", judge: oa::<InvoiceBatchRequest> },
    BodyKind { endpoint: "POST /card/invoice/reimburse/updateinvoicestatus", judge: oa::<UpdateInvoiceStatusRequest> },
    BodyKind { endpoint: "POST /card/invoice/reimburse/updatestatusbatch", judge: oa::<UpdateStatusBatchRequest> },
    BodyKind { endpoint: "POST /card/code/decrypt", judge: oa::<DecryptCodeRequest> },
    BodyKind { endpoint: "POST /card/invoice/setbizattr?action=set_auth_field", judge: oa::<crate::http::oa::invoice::bizattr::SetAuthField> },
    BodyKind { endpoint: "POST /card/invoice/setbizattr?action=set_pay_mch", judge: oa::<crate::http::oa::invoice::bizattr::SetPayMch> },
    BodyKind { endpoint: "POST /card/invoice/setbizattr?action=set_contact", judge: oa::<crate::http::oa::invoice::bizattr::SetContact> },
    BodyKind { endpoint: "POST /v3/new-tax-control-fapiao/fapiao-applications", judge: classic_application },
    BodyKind { endpoint: "POST /v3/new-tax-control-fapiao/fapiao-applications/issue-general (and the other 数电 kinds)", judge: digital_application },
    BodyKind { endpoint: "POST /v3/new-tax-control-fapiao/fapiao-applications/{id}/reverse", judge: pay::<crate::http::pay::fapiao::issuing::reverse::ReverseBody> },
    BodyKind { endpoint: "GET /v3/new-tax-control-fapiao/fapiao-applications/{id}/fapiao-files (body form)", judge: pay::<crate::http::pay::fapiao::issuing::files::FilesBody> },
    BodyKind { endpoint: "POST /v3/new-tax-control-fapiao/fapiao-applications/{id}/insert-cards", judge: self_issued_cards },
    BodyKind { endpoint: "POST /v3/new-tax-control-fapiao/fapiao-applications/upload-fapiao-file (meta)", judge: pay::<crate::http::pay::fapiao::self_issued::upload::UploadMeta> },
    BodyKind { endpoint: "PATCH /v3/new-tax-control-fapiao/merchant/development-config", judge: pay::<crate::http::pay::fapiao::setup::dev_config::PatchBody> },
    BodyKind { endpoint: "POST /v3/new-tax-control-fapiao/card-template", judge: pay::<crate::http::pay::fapiao::setup::card_template::TemplateBody> },
    BodyKind { endpoint: "POST /v3/taxi-invoice/taxi-company/create-taxi-company", judge: taxi_company },
    BodyKind { endpoint: "POST /v3/taxi-invoice/taxi/update-taxi", judge: pay::<crate::http::pay::taxi::fleet::taxis::UpdateTaxiBody> },
    BodyKind { endpoint: "POST /v3/taxi-invoice/driver/update-driver", judge: pay::<crate::http::pay::taxi::fleet::drivers::UpdateDriverBody> },
    BodyKind { endpoint: "POST /v3/taxi-invoice/attendance/punch", judge: pay::<crate::http::pay::taxi::fleet::attendance::PunchBody> },
    BodyKind { endpoint: "POST /v3/taxi-invoice/cards", judge: taxi_card },
    BodyKind { endpoint: "POST /v3/taxi-invoice/cards/upload-file (meta)", judge: pay::<crate::http::pay::taxi::trips::upload::UploadMeta> },
];

/// Judges `bytes` as the body kind `selector` picks (modulo the number of kinds).
pub fn judge(selector: u8, bytes: &[u8]) -> Verdict {
    let kind = &BODY_KINDS[usize::from(selector) % BODY_KINDS.len()];
    (kind.judge)(bytes)
}
