//! The judgments a card insert makes on what it read (template, order,
//! PDFs), free of any query, so each backend reads its rows its own way and
//! refuses for the same reasons with the same words.

use crate::domain::invoice::card::{InsertRefusal, NewCard};

/// An order as an insert judges it.
pub(crate) struct OrderFacts {
    /// `pending`, `authorized` or `rejected`.
    pub status: String,
    /// The platform the order was authorised with.
    pub platform_appid: String,
    /// The card kind it was authorised for.
    pub kind: String,
    /// The user who authorised it.
    pub openid: Option<String>,
}

/// An uploaded PDF as an insert judges it.
pub(crate) struct PdfFacts {
    /// The app that uploaded it.
    pub appid: String,
    /// When it can no longer be attached (Unix seconds).
    pub expires_at: i64,
    /// The card it is already attached to.
    pub bound_code: Option<String>,
}

/// Refused unless `template` (owner appid, kind) is a template of the
/// card's platform for the card's kind.
pub(crate) fn template_refusal(
    card: &NewCard,
    template: Option<(String, String)>,
) -> Option<InsertRefusal> {
    match template {
        Some((owner, kind)) if owner == card.platform_appid && kind == card.kind.as_str() => None,
        _ => Some(InsertRefusal::UnknownTemplate),
    }
}

/// The holder's openid when `order` lets the card in, otherwise why not.
pub(crate) fn order_holder(
    card: &NewCard,
    order: Option<OrderFacts>,
) -> Result<String, InsertRefusal> {
    let Some(order) = order else {
        return Err(InsertRefusal::OrderNeverAuth(format!(
            "appid {} never asked to authorise order_id {} (getauthurl)",
            card.appid, card.order_id
        )));
    };
    if order.status == "rejected" {
        return Err(InsertRefusal::Rejected);
    }
    if order.platform_appid != card.platform_appid {
        return Err(InsertRefusal::OrderNeverAuth(
            "the order was authorised with another platform's s_pappid; insert with that platform's access_token".into(),
        ));
    }
    if order.kind != card.kind.as_str() {
        return Err(InsertRefusal::OrderNeverAuth(format!(
            "the order was authorised for a {}, not a {}",
            order.kind,
            card.kind.as_str()
        )));
    }
    match (order.openid, order.status.as_str()) {
        (Some(openid), "authorized") => Ok(openid),
        _ => Err(InsertRefusal::OrderNeverAuth(
            "the user has not authorised this order yet".into(),
        )),
    }
}

/// The PDFs a card attaches, as (field, s_media_id), or why the pair is
/// refused before any is read.
pub(crate) fn card_pdfs(card: &NewCard) -> Result<Vec<(&'static str, &str)>, InsertRefusal> {
    let mut media = vec![("s_pdf_media_id", card.content.s_pdf_media_id.as_str())];
    if let Some(trip) = &card.content.s_trip_pdf_media_id {
        if trip == &card.content.s_pdf_media_id {
            return Err(InsertRefusal::Pdf(
                "s_trip_pdf_media_id must be a different upload from s_pdf_media_id".into(),
            ));
        }
        media.push(("s_trip_pdf_media_id", trip));
    }
    Ok(media)
}

/// Why the PDF `id` (sent as `field`) cannot be attached to `card`, if it
/// cannot.
pub(crate) fn pdf_problem(
    field: &str,
    id: &str,
    pdf: Option<PdfFacts>,
    card: &NewCard,
) -> Option<String> {
    match pdf {
        None => Some(format!(
            "{field} {id} was never uploaded with platform/setpdf"
        )),
        Some(p) if p.appid != card.platform_appid => {
            Some(format!("{field} {id} was uploaded by another app"))
        }
        Some(PdfFacts {
            bound_code: Some(bound),
            ..
        }) => Some(format!("{field} {id} is already attached to card {bound}")),
        Some(p) if p.expires_at <= card.now => Some(format!(
            "{field} {id} expired: a PDF must be attached within 3 days of setpdf"
        )),
        _ => None,
    }
}
