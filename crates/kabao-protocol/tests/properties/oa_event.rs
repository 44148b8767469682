//! Every event survives `to_xml` → `parse_event_xml`, whatever its strings hold.

use kabao_protocol::oa::{parse_event_xml, OaEvent, PushMessage};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    prop_oneof!["\\PC{0,24}", "[\\]>a<&\\[ ]{0,12}", "[\\t\\n\\r a-z]{0,8}",]
}

fn event() -> impl Strategy<Value = OaEvent> {
    prop_oneof![
        (text(), text(), text(), text()).prop_map(|(s, f, a, src)| {
            OaEvent::UserAuthorizeInvoice {
                succ_order_id: s,
                fail_order_id: f,
                app_id: a,
                source: src,
            }
        }),
        (text(), text(), text()).prop_map(|(status, card_id, code)| {
            OaEvent::UpdateInvoiceStatus {
                status,
                card_id,
                code,
            }
        }),
        (text(), text()).prop_map(|(card_id, user_card_code)| OaEvent::UserDelCard {
            card_id,
            user_card_code,
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn event_xml_round_trips(
        event in event(),
        to in text(),
        from in text(),
        create_time in any::<i64>(),
    ) {
        let xml = event.to_xml(&to, &from, create_time);
        prop_assert!(xml.starts_with("<xml><ToUserName><![CDATA["));
        let expected = PushMessage {
            to_user_name: to,
            from_user_name: from,
            create_time,
            event,
        };
        prop_assert_eq!(expected.to_xml(), xml.clone());
        prop_assert_eq!(parse_event_xml(&xml), Ok(expected));
    }
}
