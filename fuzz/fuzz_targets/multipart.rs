//! The multipart readers: kabao's own APIv3 upload parser (fapiao and taxi
//! uploads) and the setpdf handler's reading of its `pdf` part. The first
//! input line is the Content-Type header, the rest the body. Never panics,
//! and every part the APIv3 parser returns lies inside the body.
#![no_main]

use axum::body::Body;
use axum::http::Request;
use kabao_server::http::oa::read_pdf_part;
use kabao_server::http::pay::parse_multipart;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (content_type, body) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (&data[..0], data),
    };
    let content_type = std::str::from_utf8(content_type).ok();
    if let Ok(parts) = parse_multipart(content_type, body) {
        for part in parts {
            assert!(part.data.start <= part.data.end && part.data.end <= body.len());
        }
    }

    let mut request = Request::post("/card/invoice/platform/setpdf");
    if let Some(value) = content_type {
        request = request.header("content-type", value);
    }
    let Ok(request) = request.body(Body::from(body.to_vec())) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime");
    if let Ok((_, pdf)) = runtime.block_on(read_pdf_part(request, &())) {
        assert!(pdf.starts_with(b"%PDF-"));
    }
});
