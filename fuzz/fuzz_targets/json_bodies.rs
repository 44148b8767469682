//! Every JSON request body of the Official Account and APIv3 endpoints: the
//! first byte picks the body kind, the rest is the body, judged by the code
//! the handler runs (`kabao_server::http::request_bodies`). Never panics.
#![no_main]

use kabao_server::http::request_bodies;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let _ = request_bodies::judge(selector, body);
});
