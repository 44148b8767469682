//! The pages' toolkit: askama templates compiled into the binary on one
//! phone-sized layout (`templates/base.html`), the message page every
//! outcome and error uses, and the money and time formats the pages show.

use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use time::{OffsetDateTime, UtcOffset};

/// Renders `page` with `status`; a template that fails to render (it
/// cannot, short of a formatting bug) is logged and answered 500.
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "rendering a page");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "the page could not be rendered",
            )
                .into_response()
        }
    }
}

/// A link shown under a message.
#[derive(Debug, Clone)]
pub struct Link {
    /// Where it goes (same server).
    pub href: String,
    /// What it says.
    pub text: String,
}

/// A page that only says something: an outcome, or why nothing can be shown.
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    /// Page title.
    pub title: String,
    /// The first line is the message; later lines are details.
    pub lines: Vec<String>,
    /// Shown as an error (an alert) rather than a status.
    pub is_error: bool,
    /// A way back, if any.
    pub back: Option<Link>,
}

/// A message page with `status`; 4xx and 5xx pages are alerts.
pub fn message(status: StatusCode, title: &str, lines: &[&str]) -> Response {
    message_with_link(status, title, lines, None)
}

/// [`message`] with a link under it.
pub fn message_with_link(
    status: StatusCode,
    title: &str,
    lines: &[&str],
    back: Option<Link>,
) -> Response {
    let page = MessagePage {
        title: title.to_owned(),
        lines: lines.iter().map(|l| (*l).to_owned()).collect(),
        is_error: status.is_client_error() || status.is_server_error(),
        back,
    };
    render(status, &page)
}

/// The 500 page shown when the store cannot be read or written.
pub fn store_unavailable() -> Response {
    message(
        StatusCode::INTERNAL_SERVER_ERROR,
        "系统错误",
        &["The store is unavailable; try again."],
    )
}

/// Fen as yuan with two decimals (`11300` → `113.00`, `-5` → `-0.05`).
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Unix seconds as Beijing time, `2024-04-25 17:15`.
pub fn beijing_time(unix: i64) -> String {
    let offset = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
    match OffsetDateTime::from_unix_timestamp(unix) {
        Ok(t) => {
            let t = t.to_offset(offset);
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute()
            )
        }
        Err(_) => unix.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_time_read_as_a_person_expects() {
        assert_eq!(yuan(11300), "113.00");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(-1205), "-12.05");
        assert_eq!(beijing_time(1714036504), "2024-04-25 17:15");
    }

    #[test]
    fn a_message_page_escapes_what_it_shows() {
        let page = MessagePage {
            title: "t".into(),
            lines: vec!["<script>".into()],
            is_error: true,
            back: None,
        };
        let html = page.render().unwrap();
        assert!(html.contains("&#60;script&#62;") && !html.contains("<script>"));
        assert!(html.contains("/_kabao/static/kabao.css"));
    }
}
