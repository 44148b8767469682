//! `Authorization` header formatting and parsing round trips.

use kabao_protocol::auth::{AuthorizationHeader, SCHEME};
use proptest::prelude::*;

/// Any non-empty value without `"` or `,`.
fn value() -> impl Strategy<Value = String> {
    "[^\",]{1,48}"
}

fn header() -> impl Strategy<Value = AuthorizationHeader> {
    (value(), value(), value(), "[0-9]{1,18}", value()).prop_map(
        |(mchid, nonce_str, signature, timestamp, serial_no)| AuthorizationHeader {
            mchid,
            nonce_str,
            signature,
            timestamp,
            serial_no,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parse_inverts_to_header_value(h in header()) {
        prop_assert_eq!(AuthorizationHeader::parse(&h.to_header_value()), Ok(h));
    }

    #[test]
    fn parse_accepts_any_key_order(
        h in header(),
        order in Just(vec![0usize, 1, 2, 3, 4]).prop_shuffle(),
    ) {
        let pairs = [
            ("mchid", &h.mchid),
            ("nonce_str", &h.nonce_str),
            ("signature", &h.signature),
            ("timestamp", &h.timestamp),
            ("serial_no", &h.serial_no),
        ];
        let params: Vec<String> = order
            .iter()
            .map(|&i| format!("{}=\"{}\"", pairs[i].0, pairs[i].1))
            .collect();
        let text = format!("{SCHEME} {}", params.join(","));
        prop_assert_eq!(AuthorizationHeader::parse(&text), Ok(h));
    }
}
