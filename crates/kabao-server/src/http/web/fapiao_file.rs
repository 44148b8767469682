//! F18 `GET /invoicing/fapiao/fapiao-file?token=…&mchid&sub_mchid&openid&invoice_code&invoice_no&fapiao_id`:
//! the file behind a fapiao-files `download_url`. Like WeChat's, it is
//! neither signed nor verified; the token kabao signed is the credential
//! and stays valid 30 seconds. The body is a PDF of the fapiao face, its
//! SM3 digest (lower-case hex) in the `sm3-digest` header as WeChat sends it.

use crate::domain::fapiao::pdf::render_fapiao_pdf;
use crate::domain::fapiao::FapiaoStatus;
use crate::http::pay::fapiao::{download_token_claims, FAPIAO_FILE_PATH};
use crate::http::query::param;
use crate::state::AppState;
use crate::store::fapiao::{StoredApplication, StoredFapiao};
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use kabao_protocol::apiv3::rfc3339_cst;
use serde_json::json;

/// Routes of this page.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route(FAPIAO_FILE_PATH, get(download))
}

/// 400 with WeChat's error shape naming what is wrong.
fn refuse(field: &str, issue: impl Into<String>) -> Response {
    let issue = issue.into();
    (
        StatusCode::BAD_REQUEST,
        Json(json!({
            "code": "INVALID_REQUEST",
            "message": format!("{field}: {issue}"),
            "detail": {"field": field, "location": "query", "issue": issue},
        })),
    )
        .into_response()
}

/// Serves the PDF of the fapiao the token names.
async fn download(State(state): State<AppState>, uri: Uri) -> Response {
    let token = param(&uri, "token").unwrap_or_default();
    let Some(claims) = download_token_claims(&state, &token) else {
        return refuse(
            "token",
            "is not a download token kabao handed out in fapiao-files",
        );
    };
    if claims.exp <= state.clock.now() {
        return refuse(
            "token",
            "expired (a download_url is valid 30 seconds); call fapiao-files again",
        );
    }
    if let Some(id) = param(&uri, "fapiao_id").filter(|v| !v.is_empty() && *v != claims.fapiao) {
        return refuse(
            "fapiao_id",
            format!("{id} is not the fapiao this download_url is for"),
        );
    }
    if let Some(mchid) =
        param(&uri, "mchid").filter(|v| !v.is_empty() && *v != claims.caller && *v != claims.owner)
    {
        return refuse(
            "mchid",
            format!("{mchid} did not ask for this download_url"),
        );
    }
    let application = match state.store.application(&claims.owner, &claims.apply).await {
        Ok(Some(application)) => application,
        Ok(None) => return refuse("token", "names an application that no longer exists"),
        Err(e) => {
            tracing::error!(error = %e, "reading a fapiao for download");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let Some(fapiao) = application
        .fapiaos
        .iter()
        .find(|f| f.fapiao_id == claims.fapiao)
        .filter(|f| matches!(f.status, FapiaoStatus::Issued | FapiaoStatus::Reversed))
    else {
        return refuse("fapiao_id", "the fapiao is not issued or reversed");
    };
    let pdf = fapiao_pdf(&application, fapiao);
    let digest = {
        use sm3::Digest as _;
        hex::encode(sm3::Sm3::digest(&pdf))
    };
    let filename = format!(
        "{}.pdf",
        fapiao.fapiao_id.replace(['"', '\\', '\r', '\n'], "_")
    );
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::HeaderName::from_static("sm3-digest"), digest),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        pdf,
    )
        .into_response()
}

/// The PDF of a fapiao's face: what this download and the card package's
/// "open PDF" serve.
pub(super) fn fapiao_pdf(application: &StoredApplication, fapiao: &StoredFapiao) -> Vec<u8> {
    render_fapiao_pdf(&pdf_title(fapiao), &face_lines(application, fapiao))
}

fn pdf_title(fapiao: &StoredFapiao) -> String {
    let vat = fapiao
        .face
        .digital
        .as_ref()
        .and_then(|d| d["fapiao_bill_type"].as_str())
        == Some("VAT_FAPIAO");
    let kind = if vat {
        "增值税专用发票"
    } else {
        "普通发票"
    };
    match fapiao.status {
        FapiaoStatus::Reversed => format!("电子发票（{kind}）（已冲红）"),
        _ => format!("电子发票（{kind}）"),
    }
}

/// The printed face, one text line each.
fn face_lines(application: &StoredApplication, fapiao: &StoredFapiao) -> Vec<String> {
    let yuan = |fen: i64| {
        format!(
            "{}{}.{:02}",
            if fen < 0 { "-" } else { "" },
            fen.abs() / 100,
            fen.abs() % 100
        )
    };
    let text = |v: &serde_json::Value, key: &str| v[key].as_str().unwrap_or("").to_owned();
    let mut lines = Vec::new();
    if let Some(blue) = &fapiao.blue {
        lines.push(format!("发票代码: {}", blue.numbers.fapiao_code));
        lines.push(format!("发票号码: {}", blue.numbers.fapiao_number));
        lines.push(format!("开票日期: {}", rfc3339_cst(blue.issued_at)));
        lines.push(format!("校验码: {}", blue.numbers.check_code));
    }
    let buyer = &application.buyer;
    lines.push(format!(
        "购买方: {}  纳税人识别号: {}",
        buyer.name,
        buyer.taxpayer_id.as_deref().unwrap_or("")
    ));
    let seller = &fapiao.face.seller_information;
    lines.push(format!(
        "销售方: {}  纳税人识别号: {}",
        text(seller, "name"),
        text(seller, "taxpayer_id")
    ));
    lines.push(format!(
        "销售方地址、电话: {} {}",
        text(seller, "address"),
        text(seller, "telephone")
    ));
    lines.push(String::new());
    lines.push("项目名称 | 税收分类编码 | 金额 | 税率 | 税额".to_owned());
    for item in &fapiao.face.items {
        lines.push(format!(
            "{}{} | {} | {} | {}% | {}",
            item.goods_name.as_deref().unwrap_or(""),
            if item.discount { "（折扣）" } else { "" },
            item.tax_code,
            yuan(item.amount),
            item.tax_rate as f64 / 100.0,
            yuan(item.tax_amount)
        ));
    }
    lines.push(String::new());
    lines.push(format!(
        "合计: 金额 ¥{}  税额 ¥{}",
        yuan(fapiao.amount),
        yuan(fapiao.tax_amount)
    ));
    lines.push(format!("价税合计: ¥{}", yuan(fapiao.total_amount)));
    if let Some(remark) = &fapiao.face.remark {
        lines.push(format!("备注: {remark}"));
    }
    let extra = &fapiao.face.extra_information;
    lines.push(format!(
        "收款人: {}  复核: {}  开票人: {}",
        text(extra, "payee"),
        text(extra, "reviewer"),
        text(extra, "drawer")
    ));
    if let Some(red) = &fapiao.red {
        lines.push(String::new());
        lines.push(format!(
            "已冲红: 红字发票号码 {} ({}), 原因 {}",
            red.numbers.fapiao_number,
            rfc3339_cst(red.issued_at),
            fapiao.reverse_reason.as_deref().unwrap_or("")
        ));
    }
    lines
}
