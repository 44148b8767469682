//! The APIv3 `Authorization` header parser: never panics, and what it
//! accepts formats back into a header that parses to the same value.
#![no_main]

use kabao_protocol::auth::AuthorizationHeader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(header) = AuthorizationHeader::parse(text) {
        let again = AuthorizationHeader::parse(&header.to_header_value())
            .expect("a parsed header formats into one that parses");
        assert_eq!(again, header);
        let _ = header.timestamp_secs();
    }
});
