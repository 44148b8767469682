//! The request and response message builders are byte-exact concatenations.

use kabao_protocol::message::{request_message, response_message};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn request_message_is_exact(
        method in "[A-Z]{3,6}",
        url in "/[ -~]{0,64}",
        timestamp in "[0-9]{1,12}",
        nonce in "[0-9a-zA-Z]{0,32}",
        body in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        let mut expected = format!("{method}\n{url}\n{timestamp}\n{nonce}\n").into_bytes();
        expected.extend_from_slice(&body);
        expected.push(b'\n');
        prop_assert_eq!(request_message(&method, &url, &timestamp, &nonce, &body), expected);
    }

    #[test]
    fn response_message_is_exact(
        timestamp in "[0-9]{1,12}",
        nonce in "\\PC{0,32}",
        body in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        let mut expected = format!("{timestamp}\n{nonce}\n").into_bytes();
        expected.extend_from_slice(&body);
        expected.push(b'\n');
        prop_assert_eq!(response_message(&timestamp, &nonce, &body), expected);
    }
}
