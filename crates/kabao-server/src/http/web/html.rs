//! The smallest HTML toolkit the pages need: escaping, a phone-sized
//! page frame and the pieces every form page shows.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A whole page: `title` (escaped) around `body` (already HTML).
pub fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:420px;margin:0 auto;padding:16px;background:#f5f5f5;color:#222}}
.card{{background:#fff;border-radius:8px;padding:16px;margin-bottom:12px}}
label{{display:block;margin:10px 0 4px;font-size:14px;color:#555}}
input,select{{width:100%;box-sizing:border-box;padding:8px;font-size:16px;border:1px solid #ccc;border-radius:4px}}
button{{width:100%;padding:12px;margin-top:14px;font-size:16px;border:0;border-radius:4px;background:#07c160;color:#fff}}
button.secondary{{background:#eee;color:#333}}
.error{{color:#c00}} .muted{{color:#888;font-size:13px}}
</style></head><body>
<h2>{title}</h2>
{body}
</body></html>"#,
        title = escape(title),
    );
    (status, Html(html)).into_response()
}

/// The 500 page shown when the store cannot be read or written.
pub fn store_unavailable() -> Response {
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "系统错误",
        "<p>The store is unavailable.</p>",
    )
}

/// A form's error message (escaped), announced to screen readers.
pub fn error_alert(message: &str) -> String {
    format!("<p class=error role=alert>{}</p>", escape(message))
}
