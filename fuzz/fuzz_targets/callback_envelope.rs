//! The callback envelope parser (what kabao-client's `parse_notification`
//! reads after the signature check): never panics; an accepted envelope
//! serialises back into one that parses equal; opening its resource with a
//! key fails cleanly rather than panicking.
#![no_main]

use kabao_protocol::notification::Notification;
use libfuzzer_sys::fuzz_target;

const APIV3_KEY: &[u8; 32] = b"0123456789abcdef0123456789abcdef";
const SHORT_KEY: &[u8; 16] = b"0123456789abcdef";

fuzz_target!(|data: &[u8]| {
    if let Ok(envelope) = Notification::parse(data) {
        let again = Notification::parse(envelope.to_json().as_bytes())
            .expect("a parsed envelope serialises into one that parses");
        assert_eq!(again, envelope);
        let _ = envelope.resource.open(APIV3_KEY);
        let _ = envelope.resource.open(SHORT_KEY);
    }
});
